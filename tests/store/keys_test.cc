#include "store/keys.h"

#include <gtest/gtest.h>

namespace mentorlog::store::keys {
namespace {

TEST(KeysTest, U64IsBigEndianSoByteOrderIsNumericOrder) {
  EXPECT_EQ(U64(1), std::string("\0\0\0\0\0\0\0\1", 8));
  EXPECT_LT(U64(255), U64(256));
  EXPECT_LT(U64(0xffffffff), U64(0x100000000));
  EXPECT_EQ(ParseU64(U64(0x0102030405060708)), 0x0102030405060708u);
  EXPECT_FALSE(ParseU64("short").has_value());
}

TEST(KeysTest, StreamKeysSortByStreamThenVersion) {
  EXPECT_LT(StreamKey("student-S-1", 2), StreamKey("student-S-1", 10));
  EXPECT_LT(StreamKey("student-S-1", 99), StreamKey("student-S-10", 1));
  const std::string key = StreamKey("meeting-MT-9", 7);
  const auto parsed = ParseStreamKey(key);  // views into `key`
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->first, "meeting-MT-9");
  EXPECT_EQ(parsed->second, 7u);
  EXPECT_FALSE(ParseStreamKey("no-separator").has_value());
}

}  // namespace
}  // namespace mentorlog::store::keys
