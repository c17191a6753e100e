// The binary snapshot form (projections/state_codec.h): a corrupt snapshot is
// refused, never turned into a state the projection cannot handle.

#include "projections/state_codec.h"

#include <gtest/gtest.h>

#include "projections/ledgers.h"

namespace mentorlog::projections::internal {
namespace {

TEST(StateCodec, EnumsRoundTripAndOutOfRangeValuesAreRefused) {
  Encoder e;
  Encode(e, MeetingStatus::kReleased);
  const std::string released = e.Take();
  MeetingStatus status = MeetingStatus::kProposed;
  Decoder d(released);
  ASSERT_TRUE(Decode(d, status));
  EXPECT_EQ(status, MeetingStatus::kReleased);
  EXPECT_TRUE(d.AtEnd());

  Encoder past;
  Encode(past, static_cast<std::uint8_t>(EnumCount(MeetingStatus{})));  // one past the last
  const std::string bytes = past.Take();
  Decoder corrupt(bytes);
  EXPECT_FALSE(Decode(corrupt, status));
  EXPECT_EQ(status, MeetingStatus::kReleased);  // left as it was
}

// A JSON member is stored as its dump() text, so a state that keeps the text
// instead (the students view's profiles and changes) reads and writes the same
// bytes: snapshots of either hold the same state.
TEST(StateCodec, AJsonValueAndItsTextEncodeAlike) {
  const nlohmann::json profile = {{"name", "Asha Rao"}, {"year", 2}, {"email", "a@x.edu"}};
  Encoder as_json;
  Encode(as_json, profile);
  Encoder as_text;
  Encode(as_text, profile.dump());
  const std::string bytes = as_json.Take();
  EXPECT_EQ(bytes, as_text.Take());
  std::string text;
  Decoder d(bytes);
  ASSERT_TRUE(Decode(d, text));
  EXPECT_EQ(nlohmann::json::parse(text), profile);
}

// The binary form of MeetingLedger's meetings, field for field (its own
// declaration is internal to ledgers.cc), to write states Apply never makes.
struct CompletedBytes {
  std::int64_t index = 0;
  std::string text;
};
MENTORLOG_BINARY_STATE(CompletedBytes, index, text)
struct MeetingBytes {
  Symbol mentor_id;
  std::vector<Symbol> student_ids;
  events::TimeMs start = 0, end = 0;
  MeetingStatus status = MeetingStatus::kHeld;
  bool mentor_validated = false;
  std::int64_t items = 0;
  std::vector<CompletedBytes> completed;
};
MENTORLOG_BINARY_STATE(MeetingBytes, mentor_id, student_ids, start, end, status, mentor_validated,
                       items, completed)

// A meeting whose completed action items are not items it has (beyond its
// count, or out of order), or whose count is negative, is refused, not
// restored.
TEST(StateCodec, MeetingLedgerRefusesCompletedItemsItDoesNotHave) {
  const auto decodes = [](std::int64_t items, const std::vector<std::int64_t>& completed) {
    MeetingBytes m;
    m.mentor_id = Symbol("M-1");
    m.student_ids = {Symbol("S-1")};
    m.items = items;
    for (const std::int64_t i : completed) m.completed.push_back({i, "x"});
    Encoder e;
    Encode(e, std::unordered_map<Symbol, MeetingBytes>{{Symbol("MT-1"), m}});
    Encode(e, std::unordered_map<Symbol, std::int64_t>{});  // no follow-ups
    const std::string bytes = e.Take();
    Decoder d(bytes);
    MeetingLedger ledger(MeetingLedger::IndexedBy::kStudent, MeetingLedger::Items::kTracked);
    return ledger.DecodeFrom(d) && d.AtEnd();
  };
  EXPECT_TRUE(decodes(3, {0, 2}));
  EXPECT_TRUE(decodes(0, {}));
  EXPECT_FALSE(decodes(3, {3}));
  EXPECT_FALSE(decodes(3, {-1}));
  EXPECT_FALSE(decodes(3, {2, 0}));
  EXPECT_FALSE(decodes(3, {1, 1}));
  EXPECT_FALSE(decodes(0, {0}));
  EXPECT_FALSE(decodes(-1, {}));
}

}  // namespace
}  // namespace mentorlog::projections::internal
