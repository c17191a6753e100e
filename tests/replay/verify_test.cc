#include "replay/verify.h"

#include <gtest/gtest.h>

#include "store/keys.h"
#include "tests/store/store_test_support.h"
#include "tests/support/raw_rocksdb.h"
#include "tests/support/temp_dir.h"

namespace mentorlog::replay {
namespace {

using store::keys::U64;
using testing::MakeAppend;
using testing::OpenStore;
using testing::RawRocksDb;
using testing::TempDir;

// A log of ten events in a fresh directory, closed again.
class VerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore(dir_.path());
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE(store
                      ->Append(MakeAppend("student-S-" + std::to_string(i % 3), {},
                                          {{"note", "event " + std::to_string(i)}}))
                      .has_value());
    }
  }

  VerifyReport Verify(std::uint64_t from = 1) {
    auto store = OpenStore(dir_.path());
    return VerifyLog(*store, from);
  }

  TempDir dir_;
};

// Guarantee 6: tamper evidence.
TEST_F(VerifyTest, AnIntactLogVerifies) {
  const VerifyReport report = Verify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.checked, 10u);
  EXPECT_EQ(report.last_position, 10u);
  EXPECT_TRUE(Verify(7).ok);
  EXPECT_EQ(Verify(7).checked, 4u);
}

TEST_F(VerifyTest, FindsOneFlippedByte) {
  {
    RawRocksDb raw(dir_.path());
    std::string record = raw.Get("events", U64(4));
    record[record.find("event 3") + 6] = '9';
    raw.Put("events", U64(4), record);
  }
  const VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, 4u);
  EXPECT_EQ(report.checked, 3u);
}

TEST_F(VerifyTest, FindsARewrittenEventWhoseOwnHashWasRecomputed) {
  {
    RawRocksDb raw(dir_.path());
    auto e = events::DecodeRecord(raw.Get("events", U64(4)));
    ASSERT_TRUE(e.has_value());
    e->data["note"] = "rewritten";
    raw.Put("events", U64(4), events::Seal(*e));  // hash matches, chain does not
  }
  const VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, 5u);
}

TEST_F(VerifyTest, FindsADeletedEvent) {
  { RawRocksDb(dir_.path()).Delete("events", U64(6)); }
  const VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, 6u);
}

TEST_F(VerifyTest, FindsTwoSwappedEvents) {
  {
    RawRocksDb raw(dir_.path());
    const std::string a = raw.Get("events", U64(2));
    const std::string b = raw.Get("events", U64(3));
    raw.Put("events", U64(2), b);
    raw.Put("events", U64(3), a);
  }
  const VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, 2u);
}

TEST_F(VerifyTest, FindsATruncatedTail) {
  { RawRocksDb(dir_.path()).Delete("events", U64(10)); }
  const VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, 10u);
}

}  // namespace
}  // namespace mentorlog::replay
