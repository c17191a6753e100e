#include "events/event_types.h"

#include <algorithm>
#include <array>

#include "events/canonical_json.h"

namespace mentorlog::events {
namespace {

struct TypeSchema {
  std::string_view type;
  int schema;
};

// Every event type of DOMAIN.md, sorted by name for binary search.
constexpr auto kSchemas = std::to_array<TypeSchema>({
    {"AchievementRecorded", 1},
    {"ActionItemCompleted", 1},
    {"AgendaItemsAdded", 1},
    {"AlertAcknowledged", 1},
    {"AttendanceAlertRaised", 1},
    {"AttendanceCorrected", 1},
    {"AttendanceRecorded", 1},
    {"CounsellingCreated", 1},
    {"CounsellingOutcomeRecorded", 1},
    {"CounsellingRequested", 1},
    {"EnrollmentRecorded", 1},
    {"ExamResultRecorded", 1},
    {"FeedbackGiven", 1},
    {"LeaveApproved", 1},
    {"LeaveCancelled", 1},
    {"LeaveRejected", 1},
    {"LeaveRequested", 1},
    {"MeetingAccepted", 1},
    {"MeetingCancelled", 1},
    {"MeetingConfirmed", 1},
    {"MeetingDeclined", 1},
    {"MeetingDisputed", 1},
    {"MeetingRescheduled", 1},
    {"MeetingScheduled", 1},
    {"MeetingValidated", 1},
    {"MentorAssigned", 1},
    {"MentorChangeApproved", 1},
    {"MentorChangeRejected", 1},
    {"MentorChangeRequested", 1},
    {"MentorRegistered", 1},
    {"MentorshipRequestAssigned", 1},
    {"MentorshipRequested", 1},
    {"MilestoneCompleted", 1},
    {"MilestonesCustomised", 1},
    {"ObservationRecorded", 1},
    {"ProgramCreated", 1},
    {"ProgramEnrolled", 1},
    {"SatisfactionSubmitted", 1},
    {"SkillRated", 1},
    {"SlotBooked", 1},
    {"SlotReleased", 1},
    {"StakeholderNominated", 1},
    {"StudentEnrolled", 1},
    {"StudentProfileUpdated", 1},
    {"TimetableDefined", 1},
});

static_assert(std::ranges::is_sorted(kSchemas, {}, &TypeSchema::type));

}  // namespace

int CurrentSchema(std::string_view type) {
  const auto it = std::ranges::lower_bound(kSchemas, type, {}, &TypeSchema::type);
  return it != kSchemas.end() && it->type == type ? it->schema : 0;
}

void Upcasters::Register(std::string type, int from, Step step) {
  steps_[{std::move(type), from}] = std::move(step);
}

void Upcasters::Upcast(Envelope& e) const {
  auto it = steps_.find(std::pair{e.type, e.schema});
  if (it == steps_.end()) return;
  // Decoded as text only (DataForm::kText): the steps work on the tree.
  const bool text_only = e.data.empty() && !e.data_text.empty() && e.data_text != "{}";
  if (text_only) e.data = nlohmann::json::parse(e.data_text);
  for (; it != steps_.end(); it = steps_.find(std::pair{e.type, e.schema})) {
    e.data = it->second(std::move(e.data));
    ++e.schema;
  }
  e.SetDataText(CanonicalJson(e.data));
  if (text_only) e.data = nlohmann::json::object();
}

}  // namespace mentorlog::events
