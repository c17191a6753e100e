#include "events/data_view.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "events/canonical_json.h"
#include "events/data_fields.h"
#include "events/envelope.h"

namespace mentorlog::events {
namespace {

using nlohmann::json;
namespace field = events::field;

// Reads every field of `text` both ways, as a tree (what folds read when a
// record's data was decoded into one) and as text through the index, and
// expects the same answers.
void ExpectSameReads(const std::string& text, const std::vector<std::string>& keys) {
  const json tree = json::parse(text);
  const IndexedObject indexed(text);
  const DataView d = indexed.View();
  for (const std::string& k : keys) {
    SCOPED_TRACE(text + " key " + k);
    EXPECT_EQ(field::Str(d, k), field::Str(tree, k));
    EXPECT_EQ(field::OptStr(d, k), field::OptStr(tree, k));
    EXPECT_EQ(field::Int(d, k, -7), field::Int(tree, k, -7));
    EXPECT_EQ(field::Num(d, k, -7.5), field::Num(tree, k, -7.5));
    EXPECT_EQ(field::Bool(d, k), field::Bool(tree, k));
    EXPECT_EQ(field::Time(d, k), field::Time(tree, k));
    EXPECT_EQ(field::Date(d, k), field::Date(tree, k));
    EXPECT_EQ(field::Strings(d, k), field::Strings(tree, k));
    EXPECT_EQ(d.Has(k), tree.contains(k));
    const std::string_view v = field::View(tree, k);
    if (v.find_first_of("\\\"\n\t") == std::string_view::npos) {
      EXPECT_EQ(field::View(d, k), v);
    } else {
      EXPECT_EQ(field::View(d, k), "");  // documented: a string with escapes
    }
  }
}

const std::vector<std::string> kKeys = {"s",   "n",    "neg",     "f",    "t",
                                        "b",   "time", "date",    "list", "obj",
                                        "esc", "null", "missing", "",     "big"};

TEST(DataView, GivenEveryKindOfMemberThenTextReadsEqualTreeReads) {
  const json tree = {{"s", "plain"},
                     {"n", 42},
                     {"neg", -3},
                     {"f", 2.5},
                     {"t", true},
                     {"b", false},
                     {"time", "2026-09-01T10:00:00.000Z"},
                     {"date", "2026-09-01"},
                     {"list", {"a", 1, "b\"q", nullptr, {{"x", 1}}}},
                     {"obj", {{"inner", "x"}, {"n", 1}}},
                     {"esc", "quote \" backslash \\ newline \n tab \t unicode é"},
                     {"null", nullptr},
                     {"big", 12345678901234LL}};
  ExpectSameReads(CanonicalJson(tree), kKeys);
  ExpectSameReads(tree.dump(2), kKeys);  // whitespace between tokens
}

TEST(DataView, GivenMoreMembersThanTheIndexHoldsThenEveryMemberIsStillFound) {
  json tree = json::object();
  std::vector<std::string> keys;
  for (int i = 0; i < 40; ++i) {
    keys.push_back("k" + std::to_string(i));
    tree[keys.back()] = i % 2 == 0 ? json(i) : json("v" + std::to_string(i));
  }
  keys.push_back("absent");
  ExpectSameReads(CanonicalJson(tree), keys);
}

TEST(DataView, GivenANameTwiceThenTheLastValueIsRead) {
  const std::string text = R"({"a":1,"b":"x","a":2})";
  ExpectSameReads(text, {"a", "b"});  // nlohmann keeps the last one too
  EXPECT_EQ(field::Int(IndexedObject(text).View(), "a"), 2);
}

TEST(DataView, GivenNestedObjectsThenEachIsReadThroughItsOwnIndex) {
  const json tree = {{"entries",
                      {{{"student_id", "s1"}, {"status", "present"}},
                       "not an object",
                       {{"student_id", "s2"}, {"status", "absent"}}}},
                     {"changes", {{"name", "New"}}}};
  const std::string text = CanonicalJson(tree);
  const IndexedObject indexed(text);
  std::vector<std::string> seen;
  field::ForEachObject(indexed.View(), "entries", [&](DataView entry) {
    seen.push_back(field::Str(entry, "student_id") + ":" +
                   std::string(field::View(entry, "status")));
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"s1:present", "s2:absent"}));
  EXPECT_EQ(field::ToJson(field::Object(indexed.View(), "changes")), tree["changes"]);
  EXPECT_EQ(field::Object(indexed.View(), "entries"), "");  // an array, not an object
}

TEST(DataView, GivenMalformedOrTruncatedTextThenReadsAreEmptyAndNothingIsReadOutOfBounds) {
  const std::string good = R"({"a":"x","b":[1,2,{"c":"}"}],"d":3})";
  for (std::size_t n = 0; n < good.size(); ++n) {
    const std::string cut = good.substr(0, n);
    const IndexedObject indexed(cut);
    // Only members wholly inside the cut text can be found, and only as they are.
    const std::string_view a = indexed.View().Raw("a");
    EXPECT_TRUE(a.empty() || a == "\"x\"") << cut;
    (void)field::Strings(indexed.View(), "b");
    (void)field::Int(indexed.View(), "d");
  }
  // Members before a fault are read (tolerance); nothing after it.
  const std::vector<std::pair<std::string, std::int64_t>> cases = {{"", -1},
                                                                   {"[]", -1},
                                                                   {"{", -1},
                                                                   {"{\"a\"}", -1},
                                                                   {"{\"a\":}", -1},
                                                                   {"{\"a\" 1}", -1},
                                                                   {"nul", -1},
                                                                   {"{\"a\":\"open}", -1},
                                                                   {"{\"a\":1,}", 1},
                                                                   {"{\"a\":1}tail", 1},
                                                                   {"{\"a\":1,\"b\":[}", 1}};
  for (const auto& [text, expected] : cases) {
    EXPECT_EQ(field::Int(IndexedObject(text).View(), "a", -1), expected) << text;
  }
}

TEST(DataView, GivenRandomDataThenTextReadsEqualTreeReads) {
  std::mt19937 rng(20261202);
  const std::vector<std::string> words = {
      "",  "a", "present", "é", "q\"uote", "back\\slash", "2026-09-01", "2026-09-01T10:00:00Z",
      "1", "-"};
  const auto scalar = [&]() -> json {
    switch (rng() % 7) {
      case 0:
        return words[rng() % words.size()];
      case 1:
        return static_cast<std::int64_t>(rng()) - (1LL << 31);
      case 2:
        return static_cast<double>(rng() % 1000) / 8.0;
      case 3:
        return rng() % 2 == 0;
      case 4:
        return nullptr;
      case 5:
        return json::array({words[rng() % words.size()], words[rng() % words.size()]});
      default:
        return json::object({{words[rng() % words.size()], 1}});
    }
  };
  for (int round = 0; round < 500; ++round) {
    json tree = json::object();
    const int members = static_cast<int>(rng() % 24);
    for (int m = 0; m < members; ++m)
      tree[words[rng() % words.size()] + "k" + std::to_string(rng() % 20)] = scalar();
    std::vector<std::string> keys;
    for (const auto& [k, v] : tree.items()) keys.push_back(k);
    keys.push_back("absent");
    ExpectSameReads(CanonicalJson(tree), keys);
  }
}

TEST(DataView, GivenASealedEnvelopeThenItsDataTextIsTheCanonicalDataAndSurvivesDecoding) {
  Envelope e;
  e.position = 1;
  e.stream = "student-s1";
  e.version = 1;
  e.type = "StudentEnrolled";
  e.id = "id";
  e.actor = {"admin", "admin"};
  e.prev_hash = std::string(kZeroHash);
  e.data = {{"student_id", "s1"}, {"name", "A \"quoted\" name"}, {"year", 2}};
  const std::string record = Seal(e);
  EXPECT_EQ(e.data_text, CanonicalJson(e.data));
  EXPECT_EQ(field::Str(e.Data(), "name"), "A \"quoted\" name");

  const auto tree = DecodeRecord(record);
  const auto text = DecodeRecord(record, DataForm::kText);
  ASSERT_TRUE(tree && text);
  EXPECT_EQ(*tree, e);
  EXPECT_EQ(tree->data_text, e.data_text);
  EXPECT_EQ(text->data_text, e.data_text);
  EXPECT_TRUE(text->data.empty());  // no tree built
  EXPECT_EQ(field::Int(text->Data(), "year"), 2);
  EXPECT_EQ(field::Str(text->Data(), "student_id"), "s1");
}

}  // namespace
}  // namespace mentorlog::events
