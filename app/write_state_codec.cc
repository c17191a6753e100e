#include "app/write_state_codec.h"

#include <algorithm>
#include <cstddef>

#include "projections/state_codec.h"

namespace mentorlog::commands {
// Not in an anonymous namespace: its conversion is declared only, for
// unevaluated contexts, and clang refuses an undefined internal function.
namespace field_count {

// The number of fields of aggregate T: the most initialisers T{...} accepts.
struct AnyField {
  template <class T>
  operator T() const;  // never defined: used in unevaluated contexts only
};
template <class T, class... Fields>
consteval std::size_t FieldCount() {
  if constexpr (requires { T{Fields{}..., AnyField{}}; }) {
    return FieldCount<T, Fields..., AnyField>();
  } else {
    return sizeof...(Fields);
  }
}

}  // namespace field_count

#define MENTORLOG_COUNT_FIELD(field) +1

// The binary form of a write-state struct, and a compile-time check that it
// names every field: a field added to the struct but not here fails the build
// instead of silently vanishing from snapshots.
#define MENTORLOG_WRITE_STATE(Type, ...)                                                       \
  MENTORLOG_BINARY_STATE(Type, __VA_ARGS__)                                                    \
  static_assert(field_count::FieldCount<Type>() == 0 NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE( \
                                                       MENTORLOG_COUNT_FIELD, __VA_ARGS__)),   \
                #Type ": a field is missing from its binary form");

// How many values each enum of the state has, so a corrupt byte is refused.
constexpr std::size_t EnumCount(MeetingStatus) { return 6; }
constexpr std::size_t EnumCount(Side) { return 2; }
constexpr std::size_t EnumCount(LeaveStatus) { return 4; }
constexpr std::size_t EnumCount(AttendanceStatus) {
  return EnumNames<AttendanceStatus>::kNames.size();
}
constexpr std::size_t EnumCount(LeaveKind) { return EnumNames<LeaveKind>::kNames.size(); }
constexpr std::size_t EnumCount(TimetableKind) { return EnumNames<TimetableKind>::kNames.size(); }

static_assert(static_cast<std::size_t>(MeetingStatus::kDisputed) + 1 == 6);
static_assert(static_cast<std::size_t>(LeaveStatus::kCancelled) + 1 == 4);

MENTORLOG_WRITE_STATE(Booking, end, meeting_id)
MENTORLOG_WRITE_STATE(MentorState, max_mentees, mentees, calendar)
MENTORLOG_WRITE_STATE(StudentState, roll_number, mentor_id, profile, open_change_request, calendar)
MENTORLOG_WRITE_STATE(ActionItems, packed)
MENTORLOG_WRITE_STATE(MeetingState, mentor_id, student_ids, status, proposed_by, mentor_validation,
                      start, end, student_validations, observations, action_items)
MENTORLOG_WRITE_STATE(ClassKey, course_id, date, period)
MENTORLOG_WRITE_STATE(AttendanceSheet, packed)
MENTORLOG_WRITE_STATE(AttendanceTally, held, present, absent, on_duty, leave, absences_by_date,
                      alerted_level)
MENTORLOG_WRITE_STATE(LeaveState, student_id, kind, from_date, to_date, status)
MENTORLOG_WRITE_STATE(LeaveSpan, to_date, leave_id)
MENTORLOG_WRITE_STATE(ChangeRequestState, student_id, preferred_mentor_id, decided)
MENTORLOG_WRITE_STATE(AlertState, student_id, level, acknowledged)
MENTORLOG_WRITE_STATE(CounsellingState, mentor_id, at, student_ids, outcomes)
MENTORLOG_WRITE_STATE(CounsellingRequestState, student_id, answered_by)
MENTORLOG_WRITE_STATE(ProgramEnrolment, milestones, completed, stakeholders)
MENTORLOG_WRITE_STATE(ProgramState, mentor_can_customise, milestones, enrolled)
MENTORLOG_WRITE_STATE(SlotBooking, session_number, team_or_student)
MENTORLOG_WRITE_STATE(SlotState, end, booking)
MENTORLOG_WRITE_STATE(TimetableState, kind, mentor_id, slots)
MENTORLOG_WRITE_STATE(MentorshipRequestState, student_id, team_or_student, topic, assigned)
MENTORLOG_WRITE_STATE(WriteState, mentors, students, roll_numbers, meetings, attendance, sheet_ids,
                      sheet_numbers, tallies, leaves, leave_calendars, change_requests, alerts,
                      alerts_raised, counsellings, counselling_requests, programs, timetables,
                      session_numbers, mentorship_requests, satisfaction)

}  // namespace mentorlog::commands

namespace mentorlog::app {

std::string EncodeWriteState(const commands::WriteState& state) {
  projections::internal::Encoder e;
  projections::internal::Encode(e, state);
  return e.Take();
}

namespace {

// What Apply maintains and the decoder cannot check field by field: sheet
// numbers and ids are inverses, and each sheet is well-formed, naming known
// numbers with valid statuses.
bool SheetsConsistent(const commands::WriteState& state) {
  if (state.sheet_numbers.size() != state.sheet_ids.size()) return false;
  for (const auto& [id, number] : state.sheet_numbers) {
    if (number >= state.sheet_ids.size() || state.sheet_ids[number] != id) return false;
  }
  return std::ranges::all_of(state.attendance, [&](const auto& class_and_sheet) {
    return class_and_sheet.second.WellFormed(state.sheet_ids.size());
  });
}

// Each meeting's student validations are none or one code per student, and its
// action items are well-formed.
bool MeetingsConsistent(const commands::WriteState& state) {
  for (const auto& [id, meeting] : state.meetings) {
    const std::string& v = meeting.student_validations;
    if (!v.empty() && v.size() != meeting.student_ids.size()) return false;
    if (v.find_first_not_of(" yn") != std::string::npos) return false;
    if (!meeting.action_items.WellFormed()) return false;
  }
  return true;
}

// Each student's absences by date are sorted, and each profile is a JSON
// object's text (UpdateStudentProfile parses it).
bool StudentsConsistent(const commands::WriteState& state) {
  for (const auto& [id, tally] : state.tallies) {
    if (!events::WellFormed(tally.absences_by_date)) return false;
  }
  for (const auto& [id, student] : state.students) {
    if (!student.profile.starts_with('{') || !nlohmann::json::accept(student.profile)) return false;
  }
  return true;
}

}  // namespace

std::optional<commands::WriteState> DecodeWriteState(std::string_view bytes) {
  projections::internal::Decoder d(bytes);
  commands::WriteState state;
  if (!projections::internal::Decode(d, state) || !d.ok() || !d.AtEnd()) return std::nullopt;
  if (!SheetsConsistent(state) || !MeetingsConsistent(state) || !StudentsConsistent(state)) {
    return std::nullopt;
  }
  return state;
}

}  // namespace mentorlog::app
