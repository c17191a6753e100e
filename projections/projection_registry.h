#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "projections/projection.h"

namespace mentorlog::projections {

// The names of every projection, one per view, in a fixed order: "my-mentees",
// "mentee-timeline", "attendance", "mentor-load", "meetings", "leaves",
// "students", "alerts", "engagement".
const std::vector<std::string>& ProjectionNames();

// A fresh (empty, position 0) instance of the named projection, or nullptr for
// an unknown name.
std::unique_ptr<Projection> MakeProjection(std::string_view name);

namespace internal {
// One factory per projection, each defined in its own file.
std::unique_ptr<Projection> NewMyMenteesProjection();
std::unique_ptr<Projection> NewMenteeTimelineProjection();
std::unique_ptr<Projection> NewAttendanceProjection();
std::unique_ptr<Projection> NewMentorLoadProjection();
std::unique_ptr<Projection> NewMeetingsProjection();
std::unique_ptr<Projection> NewLeavesProjection();
std::unique_ptr<Projection> NewStudentsProjection();
std::unique_ptr<Projection> NewAlertsProjection();
std::unique_ptr<Projection> NewEngagementProjection();
}  // namespace internal

}  // namespace mentorlog::projections
