#include "projections/projection_registry.h"

namespace mentorlog::projections {

const std::vector<std::string>& ProjectionNames() {
  static const std::vector<std::string> kNames = {"my-mentees",  "mentee-timeline", "attendance",
                                                  "mentor-load", "meetings",        "leaves",
                                                  "students",    "alerts",          "engagement"};
  return kNames;
}

std::unique_ptr<Projection> MakeProjection(std::string_view name) {
  using namespace internal;
  if (name == "my-mentees") return NewMyMenteesProjection();
  if (name == "mentee-timeline") return NewMenteeTimelineProjection();
  if (name == "attendance") return NewAttendanceProjection();
  if (name == "mentor-load") return NewMentorLoadProjection();
  if (name == "meetings") return NewMeetingsProjection();
  if (name == "leaves") return NewLeavesProjection();
  if (name == "students") return NewStudentsProjection();
  if (name == "alerts") return NewAlertsProjection();
  if (name == "engagement") return NewEngagementProjection();
  return nullptr;
}

}  // namespace mentorlog::projections
