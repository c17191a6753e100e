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

}  // namespace
}  // namespace mentorlog::projections::internal
