// The fast record decoder (simdjson) against the reference (nlohmann): whenever
// the fast one answers, it answers exactly what the reference does; on records a
// log holds, it always answers.

#include "events/record_decoder.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace mentorlog::events::internal {
namespace {

using nlohmann::json;

Envelope Sample(json data) {
  Envelope e;
  e.position = 7;
  e.stream = "attendance-CS101";
  e.version = 3;
  e.type = "AttendanceRecorded";
  e.schema = 1;
  e.id = "0b8f6c1e-2a8e-4c55-9b1f-3e2d7f9a1c00";
  e.time = 1795420800123;
  e.actor = {"M-7", "mentor"};
  e.command_id = "cmd-1";
  e.correlation_id = "corr-1";
  e.causation_id = "cause-1";
  e.data = std::move(data);
  e.prev_hash = std::string(kZeroHash);
  return e;
}

// Every shape `data` takes: nesting, every number kind, unicode, quotes.
std::vector<json> Datas() {
  return {
      json::object(),
      {{"meeting_id", "MT-9"}, {"student_ids", {"S-1", "S-2"}}, {"agenda", json::array()}},
      {{"entries",
        {{{"student_id", "S-1"}, {"status", "present"}},
         {{"student_id", "S-2"}, {"status", "absent"}}}}},
      {{"marks", 38.5},
       {"max", 100},
       {"delta", -3},
       {"big", 9007199254740991ULL},
       {"min", -9007199254740991LL},
       {"tiny", 1e-300},
       {"zero", 0},
       {"neg", -0.25}},
      {{"ok", true}, {"no", false}, {"none", nullptr}, {"deep", {{"a", {{"b", {{"c", {1, 2}}}}}}}}},
      {{"title", "Weekly \"sync\" ✓ — naïve 日本 😀"}, {"path", "a\\b/c"}, {"tab", "x\ty"}},
      {{"z", 1}, {"a", 2}, {"m", {{"y", 1}, {"b", 2}}}},
  };
}

void ExpectSame(const std::string& record) {
  const auto fast = DecodeRecordSimd(record);
  const auto reference = DecodeRecordDom(record);
  if (!fast) return;  // the reference decides
  ASSERT_TRUE(reference.has_value()) << "fast path accepted what the reference refuses: " << record
                                     << " (" << reference.error().message << ")";
  EXPECT_EQ(*fast, *reference) << record;
  EXPECT_EQ(fast->data.dump(), reference->data.dump()) << record;
  // Both read the data's text from the record, with or without the tree.
  EXPECT_EQ(fast->data_text, reference->data_text) << record;
  const auto fast_text = DecodeRecordSimd(record, DataForm::kText);
  const auto reference_text = DecodeRecordDom(record, DataForm::kText);
  ASSERT_TRUE(fast_text && reference_text) << record;
  EXPECT_EQ(fast_text->data_text, fast->data_text) << record;
  EXPECT_EQ(reference_text->data_text, fast->data_text) << record;
  EXPECT_TRUE(fast_text->data.empty() && reference_text->data.empty()) << record;
}

TEST(RecordDecoderTest, AnswersForEveryRecordALogHoldsAndAgrees) {
  for (const json& data : Datas()) {
    Envelope e = Sample(data);
    const std::string record = Seal(e);
    const bool escapes = record.find("\\u") != std::string::npos;  // control characters
    const auto fast = DecodeRecordSimd(record);
    ASSERT_EQ(fast.has_value(), !escapes) << record;
    ExpectSame(record);
    if (fast) {
      EXPECT_EQ(*fast, e) << record;
      EXPECT_EQ(fast->data_text, e.data_text) << record;  // the canonical data, as sealed
    }
  }
}

TEST(RecordDecoderTest, NumbersKeepTheKindsTheReferenceGives) {
  Envelope e = Sample({{"u", 5}, {"i", -5}, {"d", 5.5}, {"u64", 9007199254740991ULL}});
  const auto fast = DecodeRecordSimd(Seal(e));
  ASSERT_TRUE(fast.has_value());
  EXPECT_TRUE(fast->data["u"].is_number_unsigned());
  EXPECT_TRUE(fast->data["i"].is_number_integer() && !fast->data["i"].is_number_unsigned());
  EXPECT_TRUE(fast->data["d"].is_number_float());
  EXPECT_EQ(fast->data["u64"].get<std::uint64_t>(), 9007199254740991ULL);
}

TEST(RecordDecoderTest, LeavesIrregularRecordsToTheReference) {
  const std::string record = [] {
    Envelope e = Sample({{"k", 1}});
    return Seal(e);
  }();
  const json whole = json::parse(record);
  std::vector<std::string> irregular;
  for (const auto& [name, _] : whole.items()) {
    json missing = whole;
    missing.erase(name);
    irregular.push_back(missing.dump());
    json mistyped = whole;
    mistyped[name] = json::array();
    irregular.push_back(mistyped.dump());
  }
  json extra = whole;
  extra["extra"] = 1;
  irregular.push_back(extra.dump());
  for (const char* member : {"position", "version", "schema"}) {
    for (const json& bad : {json(0), json(-1), json(1.5), json("1")}) {
      json changed = whole;
      changed[member] = bad;
      irregular.push_back(changed.dump());
    }
  }
  json schema = whole;
  schema["schema"] = 1001;
  irregular.push_back(schema.dump());
  json actor = whole;
  actor["actor"]["extra"] = "x";
  irregular.push_back(actor.dump());
  json time = whole;
  time["time"] = "yesterday";
  irregular.push_back(time.dump());
  json hash = whole;
  hash["hash"] = std::string(64, 'A');
  irregular.push_back(hash.dump());
  // One byte off at the end or in the middle (':' follows '9', 'g' follows 'f').
  json last = whole;
  last["hash"] = whole["hash"].get<std::string>().substr(0, 63) + "g";
  irregular.push_back(last.dump());
  json middle = whole;
  std::string prev = whole["prev_hash"].get<std::string>();
  prev[31] = ':';
  middle["prev_hash"] = prev;
  irregular.push_back(middle.dump());
  // A member named twice: simdjson sees 15 members, nlohmann keeps the last.
  std::string twice = record;
  twice.insert(1, "\"type\":\"X\",");
  irregular.push_back(twice);
  irregular.push_back("{\"a\":1,\"a\":2}");
  irregular.push_back(record + "x");
  irregular.push_back(record.substr(0, record.size() - 1));
  irregular.push_back("");
  for (const std::string& r : irregular) {
    EXPECT_FALSE(DecodeRecordSimd(r).has_value()) << r;
    ExpectSame(r);
  }
}

TEST(RecordDecoderTest, AgreesOnRandomlyDamagedRecords) {
  std::mt19937 rng(11);
  std::vector<std::string> records;
  for (const json& data : Datas()) {
    Envelope e = Sample(data);
    records.push_back(Seal(e));
  }
  const std::string alphabet = "{}[]\",:0123456789-+.eE \\tfnu\x7f\xc3\xa9";
  for (int round = 0; round < 20000; ++round) {
    std::string r = records[rng() % records.size()];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits; ++k) {
      const std::size_t at = rng() % r.size();
      switch (rng() % 3) {
        case 0:
          r[at] = alphabet[rng() % alphabet.size()];
          break;
        case 1:
          r.erase(at, 1);
          break;
        default:
          r.insert(at, 1, alphabet[rng() % alphabet.size()]);
      }
    }
    ExpectSame(r);
  }
}

}  // namespace
}  // namespace mentorlog::events::internal
