#include "events/canonical_json.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace mentorlog::events {
namespace {

using nlohmann::json;

// RFC 8785 section 3.2.2, the specification's own example.
TEST(CanonicalJsonTest, MatchesRfc8785MainExample) {
  const json input = json::parse(R"({
    "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  })");
  EXPECT_EQ(CanonicalJson(input),
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
            "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

// RFC 8785 section 3.2.3: names sort by UTF-16 code units, not by UTF-8 bytes
// (the emoji, a surrogate pair, sorts before U+FB33).
TEST(CanonicalJsonTest, SortsNamesByUtf16CodeUnits) {
  const json input = json::parse(R"({
    "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis"
  })");
  const std::string out = CanonicalJson(input);
  std::vector<std::string> order;
  for (const auto& value : {"Carriage Return", "One", "Control", "Latin Small Letter O",
                            "Euro Sign", "Emoji", "Hebrew"}) {
    order.push_back(value);
  }
  size_t last = 0;
  for (const auto& value : order) {
    const size_t at = out.find(value);
    ASSERT_NE(at, std::string::npos) << value;
    EXPECT_GT(at, last) << value << " is out of order in " << out;
    last = at;
  }
}

struct NumberCase {
  std::uint64_t bits;
  const char* expected;
};

// RFC 8785 appendix B: IEEE 754 bit patterns and their canonical text.
TEST(CanonicalJsonTest, FormatsNumbersAsRfc8785AppendixB) {
  const NumberCase cases[] = {
      {0x0000000000000000, "0"},
      {0x8000000000000000, "0"},
      {0x0000000000000001, "5e-324"},
      {0x8000000000000001, "-5e-324"},
      {0x7fefffffffffffff, "1.7976931348623157e+308"},
      {0xffefffffffffffff, "-1.7976931348623157e+308"},
      {0x4340000000000000, "9007199254740992"},
      {0xc340000000000000, "-9007199254740992"},
      {0x4430000000000000, "295147905179352830000"},
      {0x44b52d02c7e14af5, "9.999999999999997e+22"},
      {0x44b52d02c7e14af6, "1e+23"},
      {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
      {0x444b1ae4d6e2ef4e, "999999999999999700000"},
      {0x444b1ae4d6e2ef4f, "999999999999999900000"},
      {0x444b1ae4d6e2ef50, "1e+21"},
      {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
      {0x3eb0c6f7a0b5ed8d, "0.000001"},
      {0x41b3de4355555553, "333333333.3333332"},
      {0x41b3de4355555554, "333333333.33333325"},
      {0x41b3de4355555555, "333333333.3333333"},
      {0x41b3de4355555556, "333333333.3333334"},
      {0x41b3de4355555557, "333333333.33333343"},
      {0xbecbf647612f3696, "-0.0000033333333333333333"},
      {0x43143ff3c1cb0959, "1424953923781206.2"},
  };
  for (const auto& c : cases) {
    std::string out;
    AppendCanonicalNumber(std::bit_cast<double>(c.bits), out);
    EXPECT_EQ(out, c.expected) << std::hex << c.bits;
  }
}

TEST(CanonicalJsonTest, PercentagesKeepTwoDecimals) {
  EXPECT_EQ(CanonicalJson(json{{"percentage", 57.14}}), R"({"percentage":57.14})");
  EXPECT_EQ(CanonicalJson(json{{"percentage", 60.0}}), R"({"percentage":60})");
}

TEST(CanonicalJsonTest, EscapesOnlyWhatJcsRequires) {
  EXPECT_EQ(CanonicalJson(json("a\"b\\c\b\f\n\r\t\x01\x1f\x7f/é")),
            "\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\x7f/é\"");
}

// Plain characters are copied in runs between escapes: runs of every length,
// including none, at either end and between two escapes.
TEST(CanonicalJsonTest, EscapesAtEitherEndAndInARow) {
  EXPECT_EQ(CanonicalJson(json("")), "\"\"");
  EXPECT_EQ(CanonicalJson(json("\n")), "\"\\n\"");
  EXPECT_EQ(CanonicalJson(json("\"quoted\"")), "\"\\\"quoted\\\"\"");
  EXPECT_EQ(CanonicalJson(json("\t\t\x02x")), "\"\\t\\t\\u0002x\"");
  EXPECT_EQ(CanonicalJson(json("plain text, no escapes")), "\"plain text, no escapes\"");
  EXPECT_EQ(CanonicalJson(json("é\\")), "\"é\\\\\"");
}

// Strings are scanned eight bytes at a time: random strings of every length
// up to 40, with escapes and multi-byte characters anywhere in and across the
// words, come out as nlohmann writes them (it escapes the same characters).
TEST(CanonicalJsonTest, StringsOfEveryShapeMatchTheReferenceEscaping) {
  const std::vector<std::string> pieces = {"a",  "Z",  "0",    " ",    "~", "\x7f", "\"", "\\",
                                           "\n", "\t", "\x01", "\x1f", "é", "€",    "𝄞"};
  std::mt19937 random(20261203);
  for (int round = 0; round < 5000; ++round) {
    std::string s;
    const size_t target = random() % 41;
    while (s.size() < target) s += pieces[random() % pieces.size()];
    ASSERT_EQ(CanonicalJson(json(s)), json(s).dump()) << json(s).dump();
  }
}

TEST(CanonicalJsonTest, RefusesWhatJcsCannotRepresent) {
  EXPECT_THROW(CanonicalJson(json(std::numeric_limits<double>::infinity())), std::domain_error);
  EXPECT_THROW(CanonicalJson(json(std::numeric_limits<double>::quiet_NaN())), std::domain_error);
  EXPECT_THROW(CanonicalJson(json(std::uint64_t{9007199254740992})), std::domain_error);
  EXPECT_THROW(CanonicalJson(json(std::int64_t{-9007199254740992})), std::domain_error);
  EXPECT_EQ(CanonicalJson(json(std::int64_t{-9007199254740991})), "-9007199254740991");
  EXPECT_THROW(CanonicalJson(json(std::string("bad \xff utf-8"))), json::type_error);
}

TEST(CanonicalJsonTest, NestedStructuresHaveNoWhitespace) {
  const json input = json::parse(R"({ "b" : [ 1 , { "z" : true , "a" : null } ] , "a" : {} })");
  EXPECT_EQ(CanonicalJson(input), R"({"a":{},"b":[1,{"a":null,"z":true}]})");
}

}  // namespace
}  // namespace mentorlog::events
