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

}  // namespace
}  // namespace mentorlog::projections::internal
