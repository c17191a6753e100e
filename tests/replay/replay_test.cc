#include "replay/replay.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/replay/known_log.h"
#include "tests/support/temp_dir.h"

namespace mentorlog::replay {
namespace {

// The known log of 12 events (known_log.h): position p is event p - 1, at
// KnownTime(p), in stream student-S-<(p-1) % 3>, type LeaveRequested when
// (p-1) % 4 == 0, actor M-1 when p is odd and S-1 when even.
class ReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::AppendKnown(dir_.path(), 0, 12);
    records_ = testing::Records(dir_.path());
    ASSERT_EQ(records_.size(), 12u);
    store_ = testing::OpenReadOnly(dir_.path());
  }

  // Replay's output for `filter`, checking the count it returns.
  std::string Run(const ReplayFilter& filter) {
    std::ostringstream out;
    const auto written = Replay(*store_, filter, out);
    EXPECT_TRUE(written.has_value()) << written.error();
    const std::string text = out.str();
    EXPECT_EQ(written.value_or(0),
              static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n')));
    return text;
  }

  // The exact expected output: the stored records at `positions`, one per line.
  std::string Lines(std::initializer_list<int> positions) {
    std::string out;
    for (const int p : positions) out += records_[p - 1] + "\n";
    return out;
  }

  testing::TempDir dir_;
  std::vector<std::string> records_;
  std::unique_ptr<store::RocksDbEventStore> store_;
};

TEST_F(ReplayTest, WithoutFiltersPrintsEveryStoredRecordByteForByte) {
  EXPECT_EQ(Run({}), Lines({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
}

TEST_F(ReplayTest, AfterAndUntilPositions) {
  EXPECT_EQ(Run({.after = 9}), Lines({10, 11, 12}));
  EXPECT_EQ(Run({.until_position = 3}), Lines({1, 2, 3}));
  EXPECT_EQ(Run({.after = 4, .until_position = 6}), Lines({5, 6}));
  EXPECT_EQ(Run({.after = 12}), "");
  EXPECT_EQ(Run({.after = 6, .until_position = 6}), "");
  EXPECT_EQ(Run({.until_position = 100}), Run({}));
}

TEST_F(ReplayTest, StreamTypeAndActor) {
  EXPECT_EQ(Run({.stream = "student-S-1"}), Lines({2, 5, 8, 11}));
  EXPECT_EQ(Run({.type = "LeaveRequested"}), Lines({1, 5, 9}));
  EXPECT_EQ(Run({.actor = "S-1"}), Lines({2, 4, 6, 8, 10, 12}));
  // A nested "stream" member inside data is not the event's stream.
  EXPECT_EQ(Run({.stream = "not-a-top-level"}), "");
  EXPECT_EQ(Run({.stream = "student-S-1", .type = "LeaveRequested"}), Lines({5}));
  EXPECT_EQ(Run({.after = 5, .stream = "student-S-2", .actor = "M-1"}), Lines({9}));
}

TEST_F(ReplayTest, UntilATimeIsInclusiveAndMapsToPositions) {
  ReplayFilter filter;
  ASSERT_TRUE(SetUntil(filter, events::FormatTime(testing::KnownTime(4))).has_value());
  EXPECT_EQ(Run(filter), Lines({1, 2, 3, 4}));
  ASSERT_TRUE(SetUntil(filter, events::FormatTime(testing::KnownTime(4) + 999)).has_value());
  EXPECT_EQ(Run(filter), Lines({1, 2, 3, 4}));
  ASSERT_TRUE(SetUntil(filter, events::FormatTime(testing::KnownTime(1) - 1)).has_value());
  EXPECT_EQ(Run(filter), "");
  ASSERT_TRUE(SetUntil(filter, "2030-01-01T00:00:00Z").has_value());
  EXPECT_EQ(Run(filter), Run({}));
}

TEST_F(ReplayTest, ATimeWindowCombinedWithOtherFilters) {
  EXPECT_EQ(Run({.from_time = testing::KnownTime(3), .until_time = testing::KnownTime(6)}),
            Lines({3, 4, 5, 6}));
  EXPECT_EQ(Run({.from_time = testing::KnownTime(3) + 1,
                 .until_time = testing::KnownTime(9),
                 .stream = "student-S-0"}),
            Lines({4, 7}));
  EXPECT_EQ(Run({.after = 5, .from_time = testing::KnownTime(3)}), Lines({6, 7, 8, 9, 10, 11, 12}));
}

TEST_F(ReplayTest, TimesMapToPositionsByBinarySearch) {
  for (std::uint64_t p = 1; p <= 12; ++p) {
    EXPECT_EQ(FirstPositionAtOrAfter(*store_, testing::KnownTime(p)), p);
    EXPECT_EQ(FirstPositionAtOrAfter(*store_, testing::KnownTime(p) - 1), p);
    EXPECT_EQ(LastPositionAtOrBefore(*store_, testing::KnownTime(p)), p);
    EXPECT_EQ(LastPositionAtOrBefore(*store_, testing::KnownTime(p) + 1), p);
  }
  EXPECT_EQ(FirstPositionAtOrAfter(*store_, testing::KnownTime(13)), 13u);
  EXPECT_EQ(LastPositionAtOrBefore(*store_, testing::KnownTime(0)), 0u);
}

TEST(ReplayUntilTest, SetUntilTakesAPositionOrATime) {
  ReplayFilter filter;
  ASSERT_TRUE(SetUntil(filter, "42").has_value());
  EXPECT_EQ(filter.until_position, 42u);
  ASSERT_TRUE(SetUntil(filter, "2026-11-23T08:00:00.500Z").has_value());
  EXPECT_EQ(filter.until_time, testing::kKnownLogStart + 500);
  EXPECT_FALSE(SetUntil(filter, "yesterday").has_value());
  EXPECT_FALSE(SetUntil(filter, "").has_value());
  EXPECT_FALSE(SetUntil(filter, "-3").has_value());
}

TEST(ReplayEmptyTest, AnEmptyLogPrintsNothing) {
  testing::TempDir dir;
  { testing::OpenStore(dir.path()); }
  auto store = testing::OpenReadOnly(dir.path());
  std::ostringstream out;
  ReplayFilter filter;
  filter.until_time = testing::kKnownLogStart;
  EXPECT_EQ(Replay(*store, filter, out), 0u);
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace mentorlog::replay
