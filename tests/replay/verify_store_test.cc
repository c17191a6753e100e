#include <gtest/gtest.h>

#include "events/envelope.h"
#include "replay/verify.h"
#include "store/keys.h"
#include "tests/replay/known_log.h"
#include "tests/support/raw_rocksdb.h"
#include "tests/support/temp_dir.h"

namespace mentorlog::replay {
namespace {

using store::keys::StreamKey;
using store::keys::U64;
using testing::RawRocksDb;
using testing::TempDir;

// The known log of ten events: student-S-0 at 1 4 7 10, S-1 at 2 5 8, S-2 at 3 6 9.
class VerifyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::AppendKnown(dir_.path(), 0, 10); }

  // Verifies twice, with the chain walked in one piece and in two halves on
  // two threads, and expects the same report from both.
  VerifyReport Verify(VerifyOptions options = {}) {
    options.parallel_min_events = 1'000'000;
    const auto serial = VerifyStore(dir_.path(), options);
    options.parallel_min_events = 2;
    const auto parallel = VerifyStore(dir_.path(), options);
    EXPECT_TRUE(serial.has_value()) << serial.error();
    EXPECT_TRUE(parallel.has_value()) << parallel.error();
    if (!serial || !parallel) return VerifyReport{};
    EXPECT_EQ(serial->ok, parallel->ok);
    EXPECT_EQ(serial->bad_position, parallel->bad_position);
    EXPECT_EQ(serial->problem, parallel->problem);
    EXPECT_EQ(serial->checked, parallel->checked);
    EXPECT_EQ(serial->last_position, parallel->last_position);
    EXPECT_EQ(serial->last_hash, parallel->last_hash);
    EXPECT_EQ(serial->index_entries, parallel->index_entries);
    return *serial;
  }

  // The head an auditor saves.
  Anchor SaveHead() {
    auto store = testing::OpenReadOnly(dir_.path());
    return {store->GetHead().position, store->GetHead().hash};
  }

  TempDir dir_;
};

void ExpectBadAt(const VerifyReport& report, std::uint64_t position, const std::string& words) {
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_position, position) << report.problem;
  EXPECT_NE(report.problem.find(words), std::string::npos) << report.problem;
}

TEST_F(VerifyStoreTest, AnIntactLogVerifiesChainIndexHeadsAndMeta) {
  const VerifyReport report = Verify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.checked, 10u);
  EXPECT_EQ(report.index_entries, 10u);
  EXPECT_EQ(report.streams, 3u);
  EXPECT_EQ(report.last_position, 10u);
  EXPECT_EQ(report.last_hash, SaveHead().hash);
  EXPECT_EQ(FormatVerifyReport(report).rfind("OK 10 events", 0), 0u);
  EXPECT_EQ(VerifyExitCode(report), 0);
}

TEST_F(VerifyStoreTest, AnEmptyLogVerifies) {
  TempDir empty;
  { testing::OpenStore(empty.path()); }
  const auto report = VerifyStore(empty.path());
  ASSERT_TRUE(report.has_value()) << report.error();
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->checked, 0u);
}

TEST_F(VerifyStoreTest, FindsOneFlippedByteWrittenStraightIntoRocksDb) {
  {
    RawRocksDb raw(dir_.path());
    std::string record = raw.Get("events", U64(4));
    record[record.find("event 3") + 6] = '9';
    raw.Put("events", U64(4), record);
  }
  const VerifyReport report = Verify();
  ExpectBadAt(report, 4, "hash does not match");
  EXPECT_EQ(report.checked, 3u);
  EXPECT_EQ(VerifyExitCode(report), 1);
  EXPECT_EQ(FormatVerifyReport(report).rfind("TAMPERED at position 4: ", 0), 0u);
}

// With two walks the halves meet at position 6: the link between them counts.
TEST_F(VerifyStoreTest, FindsTamperingWhereTheTwoWalksMeet) {
  for (const std::uint64_t p : {5u, 6u}) {
    TempDir dir;
    testing::AppendKnown(dir.path(), 0, 10);
    {
      RawRocksDb raw(dir.path());
      auto e = events::DecodeRecord(raw.Get("events", U64(p)));
      ASSERT_TRUE(e.has_value());
      e->data["note"] = "rewritten";
      raw.Put("events", U64(p), events::Seal(*e));  // its own hash holds; the link does not
    }
    for (const std::uint64_t split : {2u, 1'000'000u}) {
      const auto report = VerifyStore(
          dir.path(), {.from = 1, .anchor = std::nullopt, .parallel_min_events = split});
      ASSERT_TRUE(report.has_value());
      ExpectBadAt(*report, p + 1, "prev_hash");
    }
  }
}

TEST_F(VerifyStoreTest, FindsADeletedEvent) {
  { RawRocksDb(dir_.path()).Delete("events", U64(6)); }
  ExpectBadAt(Verify(), 6, "missing event");
}

TEST_F(VerifyStoreTest, FindsTwoSwappedEvents) {
  {
    RawRocksDb raw(dir_.path());
    const std::string a = raw.Get("events", U64(2));
    const std::string b = raw.Get("events", U64(3));
    raw.Put("events", U64(2), b);
    raw.Put("events", U64(3), a);
  }
  ExpectBadAt(Verify(), 2, "position");
}

TEST_F(VerifyStoreTest, FindsAStreamIndexEntryPointingElsewhere) {
  // student-S-1 version 2 is position 5; point it at 7 (student-S-0 version 3).
  { RawRocksDb(dir_.path()).Put("streams", StreamKey("student-S-1", 2), U64(7)); }
  const VerifyReport report = Verify();
  ExpectBadAt(report, 5, "points at position 7");
  EXPECT_EQ(report.checked, 10u);  // the chain itself is intact
}

TEST_F(VerifyStoreTest, FindsAStreamIndexEntryPointingAtTheWrongEventFromTheIndexSide) {
  // An extra entry, student-S-2 version 4, pointing at position 8 (student-S-1 v3):
  // every event still has its own entry; the entry does not name its event.
  { RawRocksDb(dir_.path()).Put("streams", StreamKey("student-S-2", 4), U64(8)); }
  ExpectBadAt(Verify(), 8, "student-S-2");
}

TEST_F(VerifyStoreTest, FindsAMissingStreamIndexEntry) {
  { RawRocksDb(dir_.path()).Delete("streams", StreamKey("student-S-2", 2)); }
  ExpectBadAt(Verify(), 6, "no stream-index entry for student-S-2 version 2");
}

TEST_F(VerifyStoreTest, FindsAChangedHead) {
  { RawRocksDb(dir_.path()).Put("heads", "student-S-2", U64(2)); }
  ExpectBadAt(Verify(), 9, "head of stream student-S-2 says version 2");
}

TEST_F(VerifyStoreTest, FindsAHeadForAStreamWithoutEvents) {
  { RawRocksDb(dir_.path()).Put("heads", "student-S-9", U64(1)); }
  const VerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_FALSE(report.bad_position.has_value());
  EXPECT_NE(report.problem.find("student-S-9"), std::string::npos) << report.problem;
}

TEST_F(VerifyStoreTest, FindsAChangedStoredHeadHash) {
  { RawRocksDb(dir_.path()).Put("meta", "last_hash", std::string(64, 'a')); }
  ExpectBadAt(Verify(), 10, "stored head hash");
}

TEST_F(VerifyStoreTest, FindsARewrittenEventWhoseOwnHashWasRecomputed) {
  {
    RawRocksDb raw(dir_.path());
    auto e = events::DecodeRecord(raw.Get("events", U64(4)));
    ASSERT_TRUE(e.has_value());
    e->data["note"] = "rewritten";
    raw.Put("events", U64(4), events::Seal(*e));
  }
  ExpectBadAt(Verify(), 5, "prev_hash");
}

TEST_F(VerifyStoreTest, FromChecksOnlyTheTail) {
  {
    RawRocksDb raw(dir_.path());
    std::string record = raw.Get("events", U64(2));
    record[record.find("event 1") + 6] = '7';
    raw.Put("events", U64(2), record);
  }
  ExpectBadAt(Verify(), 2, "hash");
  const VerifyReport tail = Verify({.from = 5});
  EXPECT_TRUE(tail.ok) << tail.problem;
  EXPECT_EQ(tail.checked, 6u);
  EXPECT_EQ(tail.index_entries, 6u);
}

TEST_F(VerifyStoreTest, FromStillFindsTamperingInTheTail) {
  { RawRocksDb(dir_.path()).Put("streams", StreamKey("student-S-0", 4), U64(9)); }
  ExpectBadAt(Verify({.from = 8}), 9, "points at position 9");
}

// Truncation as a careful attacker does it: events, index entries, heads and meta
// all consistent again, so only the auditor's saved head can tell.
TEST_F(VerifyStoreTest, ATruncatedLogFailsAgainstASavedHead) {
  const Anchor saved = SaveHead();
  {
    RawRocksDb raw(dir_.path());
    const std::string hash8 = events::CheckRecordHash(raw.Get("events", U64(8)))->hash;
    raw.Delete("events", U64(9));
    raw.Delete("events", U64(10));
    raw.Delete("streams", StreamKey("student-S-2", 3));
    raw.Delete("streams", StreamKey("student-S-0", 4));
    raw.Put("heads", "student-S-2", U64(2));
    raw.Put("heads", "student-S-0", U64(3));
    raw.Put("meta", "last_position", U64(8));
    raw.Put("meta", "last_hash", hash8);
    raw.Put("meta", "last_time", U64(static_cast<std::uint64_t>(testing::KnownTime(8))));
  }
  const VerifyReport plain = Verify();
  EXPECT_TRUE(plain.ok) << plain.problem;  // consistent, yet shorter
  const VerifyReport anchored = Verify({.anchor = saved});
  ExpectBadAt(anchored, 9, "before the anchor position 10");
}

TEST_F(VerifyStoreTest, AnExtendedLogPassesAgainstASavedHead) {
  const Anchor saved = SaveHead();
  testing::AppendKnown(dir_.path(), 10, 5);
  const VerifyReport report = Verify({.anchor = saved});
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.checked, 15u);
}

TEST_F(VerifyStoreTest, ARewrittenPrefixFailsAgainstASavedHeadEvenWhenRechained) {
  const Anchor saved = SaveHead();
  {
    // Rewrite position 3 and re-seal everything after it: a consistent chain.
    RawRocksDb raw(dir_.path());
    std::string prev = events::CheckRecordHash(raw.Get("events", U64(2)))->hash;
    for (std::uint64_t p = 3; p <= 10; ++p) {
      auto e = events::DecodeRecord(raw.Get("events", U64(p)));
      ASSERT_TRUE(e.has_value());
      if (p == 3) e->data["note"] = "it never happened";
      e->prev_hash = prev;
      raw.Put("events", U64(p), events::Seal(*e));
      prev = e->hash;
    }
    raw.Put("meta", "last_hash", prev);
  }
  EXPECT_TRUE(Verify().ok);
  ExpectBadAt(Verify({.anchor = saved}), 10, "differs from the anchor");
}

TEST_F(VerifyStoreTest, AnAnchorInsideTheLogPasses) {
  auto store = testing::OpenReadOnly(dir_.path());
  std::string hash4;
  ASSERT_TRUE(store
                  ->ScanRecords(3,
                                [&](std::uint64_t, std::string_view r) {
                                  hash4 = events::CheckRecordHash(r)->hash;
                                  return false;
                                })
                  .has_value());
  store.reset();
  EXPECT_TRUE(Verify({.anchor = Anchor{4, hash4}}).ok);
  ExpectBadAt(Verify({.anchor = Anchor{4, std::string(64, 'b')}}), 4, "anchor");
}

TEST(VerifyStoreUsageTest, UsageAndIoErrorsAreExitCodeTwo) {
  TempDir missing;
  const auto result = VerifyStore(missing.path() / "nothing-here");
  EXPECT_FALSE(result.has_value());
  EXPECT_EQ(VerifyExitCode(result), 2);
  EXPECT_FALSE(VerifyStore(missing.path(), {.from = 3, .anchor = Anchor{}}).has_value());
}

TEST(ParseAnchorTest, ParsesPositionColonHash) {
  const std::string hash(64, 'A');
  const auto anchor = ParseAnchor("1042:" + hash);
  ASSERT_TRUE(anchor.has_value()) << anchor.error();
  EXPECT_EQ(anchor->position, 1042u);
  EXPECT_EQ(anchor->hash, std::string(64, 'a'));
  EXPECT_FALSE(ParseAnchor("1042").has_value());
  EXPECT_FALSE(ParseAnchor("x:" + hash).has_value());
  EXPECT_FALSE(ParseAnchor("5:abc").has_value());
  EXPECT_FALSE(ParseAnchor("5:" + std::string(64, 'g')).has_value());
  EXPECT_FALSE(ParseAnchor("0:" + hash).has_value());
  EXPECT_TRUE(ParseAnchor("0:" + std::string(events::kZeroHash)).has_value());
}

}  // namespace
}  // namespace mentorlog::replay
