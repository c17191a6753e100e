#include "events/time.h"

#include <gtest/gtest.h>

namespace mentorlog::events {
namespace {

TEST(TimeTest, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatTime(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTime(1795420800123), "2026-11-23T08:00:00.123Z");
}

TEST(TimeTest, ParsesRfc3339WithFractionsAndOffsets) {
  EXPECT_EQ(ParseTime("2026-11-23T08:00:00Z"), 1795420800000);
  EXPECT_EQ(ParseTime("2026-11-23T08:00:00.123Z"), 1795420800123);
  EXPECT_EQ(ParseTime("2026-11-23T08:00:00.1239999Z"), 1795420800123);
  EXPECT_EQ(ParseTime("2026-11-23T13:30:00+05:30"), 1795420800000);
  EXPECT_EQ(ParseTime("2026-11-23T03:00:00-05:00"), 1795420800000);
  EXPECT_EQ(ParseTime(FormatTime(1795420800123)), 1795420800123);
}

TEST(TimeTest, RefusesMalformedTimes) {
  for (const char* bad :
       {"", "2026-11-23", "2026-11-23T08:00:00", "2026-11-23 08:00:00Z", "2026-02-30T08:00:00Z",
        "2026-11-23T24:00:00Z", "2026-11-23T08:60:00Z", "2026-11-23T08:00:00.Z",
        "2026-11-23T08:00:00+5:30", "2026-11-23T08:00:00Zjunk", "yesterday"}) {
    EXPECT_FALSE(ParseTime(bad).has_value()) << bad;
  }
}

TEST(TimeTest, ParsesAndFormatsDates) {
  EXPECT_EQ(ParseDate("1970-01-02"), 1);
  EXPECT_EQ(FormatDate(*ParseDate("2024-02-29")), "2024-02-29");
  EXPECT_FALSE(ParseDate("2023-02-29").has_value());
  EXPECT_FALSE(ParseDate("2026-1-05").has_value());
  EXPECT_FALSE(ParseDate("2026-11-23T00:00:00Z").has_value());
  EXPECT_EQ(DayOf(*ParseTime("2026-11-23T23:59:59.999Z")), *ParseDate("2026-11-23"));
}

}  // namespace
}  // namespace mentorlog::events
