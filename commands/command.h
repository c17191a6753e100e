#pragma once

#include <array>
#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "commands/rejection.h"
#include "events/time.h"

// The typed commands of DOMAIN.md sections 1-4: one plain struct per command,
// fields named as in the JSON body. Times are events::TimeMs, dates events::Days,
// enumerations C++ enums. Absent optional lists are empty. The field rules
// (patterns, limits, ranges) are data, in command_spec.h.
namespace mentorlog::commands {

// Enumerations, each with its wire names (index = enumerator value).
enum class MeetingMode { kOnline, kOffline };
enum class AttendanceStatus { kPresent, kAbsent, kOnDuty, kLeave };
enum class LeaveKind { kLeave, kOnDuty };
enum class AlertAction { kContactedStudent, kContactedGuardian, kMeetingArranged, kReferred };

// Wire names of an enumeration, in enumerator order. Specialised for each enum above.
template <class E>
struct EnumNames;
template <>
struct EnumNames<MeetingMode> {
  static constexpr std::array<std::string_view, 2> kNames = {"online", "offline"};
};
template <>
struct EnumNames<AttendanceStatus> {
  static constexpr std::array<std::string_view, 4> kNames = {"present", "absent", "on_duty",
                                                             "leave"};
};
template <>
struct EnumNames<LeaveKind> {
  static constexpr std::array<std::string_view, 2> kNames = {"leave", "on_duty"};
};
template <>
struct EnumNames<AlertAction> {
  static constexpr std::array<std::string_view, 4> kNames = {
      "contacted_student", "contacted_guardian", "meeting_arranged", "referred"};
};

// The wire name of `value`, e.g. ToString(AttendanceStatus::kOnDuty) == "on_duty".
template <class E>
constexpr std::string_view ToString(E value) {
  return EnumNames<E>::kNames[static_cast<std::size_t>(value)];
}

// The enumerator whose wire name is `name`, or nullopt.
template <class E>
constexpr std::optional<E> FromString(std::string_view name) {
  for (std::size_t i = 0; i < EnumNames<E>::kNames.size(); ++i) {
    if (EnumNames<E>::kNames[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

// A student's guardian (EnrollStudent, UpdateStudentProfile).
struct Guardian {
  std::string name;
  std::string phone;
  bool operator==(const Guardian&) const = default;
};

// One line of RecordAttendance.
struct AttendanceEntry {
  std::string student_id;
  AttendanceStatus status = AttendanceStatus::kPresent;
  bool operator==(const AttendanceEntry&) const = default;
};

// The profile fields UpdateStudentProfile may change; at least one is set.
// email, phone and guardian are the contact fields a mentee may change.
struct ProfileChanges {
  std::optional<std::string> roll_number;
  std::optional<std::string> name;
  std::optional<std::string> department;
  std::optional<std::int64_t> year;
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::optional<Guardian> guardian;
  bool operator==(const ProfileChanges&) const = default;
};

// --- 1. People and assignment -------------------------------------------------

struct RegisterMentor {
  static constexpr std::string_view kName = "RegisterMentor";
  std::string mentor_id;
  std::string name;
  std::string department;
  std::optional<std::string> email;
  std::vector<std::string> expertise;
  std::int64_t max_mentees = 20;
  bool operator==(const RegisterMentor&) const = default;
};

struct EnrollStudent {
  static constexpr std::string_view kName = "EnrollStudent";
  std::string student_id;
  std::string roll_number;
  std::string name;
  std::string department;
  std::optional<std::int64_t> year;
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::optional<Guardian> guardian;
  bool operator==(const EnrollStudent&) const = default;
};

struct UpdateStudentProfile {
  static constexpr std::string_view kName = "UpdateStudentProfile";
  std::string student_id;
  ProfileChanges changes;
  bool operator==(const UpdateStudentProfile&) const = default;
};

struct AssignMentor {
  static constexpr std::string_view kName = "AssignMentor";
  std::string student_id;
  std::string mentor_id;
  bool operator==(const AssignMentor&) const = default;
};

struct RequestMentorChange {
  static constexpr std::string_view kName = "RequestMentorChange";
  std::string request_id;
  std::string student_id;
  std::string reason;
  std::optional<std::string> preferred_mentor_id;
  bool operator==(const RequestMentorChange&) const = default;
};

struct DecideMentorChange {
  static constexpr std::string_view kName = "DecideMentorChange";
  std::string request_id;
  bool approve = false;
  std::optional<std::string> new_mentor_id;
  std::optional<std::string> remark;
  bool operator==(const DecideMentorChange&) const = default;
};

// --- 2. Meetings ----------------------------------------------------------------

struct ScheduleMeeting {
  static constexpr std::string_view kName = "ScheduleMeeting";
  std::string meeting_id;
  std::string mentor_id;
  std::vector<std::string> student_ids;
  std::string title;
  std::optional<std::string> description;
  MeetingMode mode = MeetingMode::kOffline;
  std::optional<std::string> location;
  events::TimeMs start = 0;
  events::TimeMs end = 0;
  std::optional<std::string> program_id;
  bool operator==(const ScheduleMeeting&) const = default;
};

struct AcceptMeeting {
  static constexpr std::string_view kName = "AcceptMeeting";
  std::string meeting_id;
  bool operator==(const AcceptMeeting&) const = default;
};

struct RescheduleMeeting {
  static constexpr std::string_view kName = "RescheduleMeeting";
  std::string meeting_id;
  events::TimeMs start = 0;
  events::TimeMs end = 0;
  std::optional<std::string> reason;
  bool operator==(const RescheduleMeeting&) const = default;
};

struct DeclineMeeting {
  static constexpr std::string_view kName = "DeclineMeeting";
  std::string meeting_id;
  std::string reason;
  bool operator==(const DeclineMeeting&) const = default;
};

struct CancelMeeting {
  static constexpr std::string_view kName = "CancelMeeting";
  std::string meeting_id;
  std::string reason;
  bool operator==(const CancelMeeting&) const = default;
};

struct AddAgendaItems {
  static constexpr std::string_view kName = "AddAgendaItems";
  std::string meeting_id;
  std::vector<std::string> items;
  bool operator==(const AddAgendaItems&) const = default;
};

struct RecordObservation {
  static constexpr std::string_view kName = "RecordObservation";
  std::string meeting_id;
  std::string points_for_mentee;
  std::vector<std::string> next_action_items;
  std::string observations;
  std::optional<events::Days> next_follow_up_date;
  std::optional<std::string> minutes;
  std::vector<std::string> resources;
  bool operator==(const RecordObservation&) const = default;
};

struct ValidateMeeting {
  static constexpr std::string_view kName = "ValidateMeeting";
  std::string meeting_id;
  bool occurred = false;
  std::optional<std::string> note;
  bool operator==(const ValidateMeeting&) const = default;
};

struct CompleteActionItem {
  static constexpr std::string_view kName = "CompleteActionItem";
  std::string meeting_id;
  std::int64_t item = 0;
  bool operator==(const CompleteActionItem&) const = default;
};

// --- 3. Attendance and alerts ---------------------------------------------------

struct RecordAttendance {
  static constexpr std::string_view kName = "RecordAttendance";
  std::string course_id;
  events::Days date = 0;
  std::int64_t period = 0;
  std::vector<AttendanceEntry> entries;
  bool operator==(const RecordAttendance&) const = default;
};

struct CorrectAttendance {
  static constexpr std::string_view kName = "CorrectAttendance";
  std::string course_id;
  events::Days date = 0;
  std::int64_t period = 0;
  std::string student_id;
  AttendanceStatus status = AttendanceStatus::kPresent;
  std::string reason;
  bool operator==(const CorrectAttendance&) const = default;
};

struct AcknowledgeAlert {
  static constexpr std::string_view kName = "AcknowledgeAlert";
  std::string alert_id;
  AlertAction action = AlertAction::kContactedStudent;
  std::optional<std::string> note;
  bool operator==(const AcknowledgeAlert&) const = default;
};

// --- 4. Leave and on-duty -------------------------------------------------------

struct RequestLeave {
  static constexpr std::string_view kName = "RequestLeave";
  std::string leave_id;
  std::string student_id;
  LeaveKind kind = LeaveKind::kLeave;
  events::Days from_date = 0;
  events::Days to_date = 0;
  std::string reason;
  bool operator==(const RequestLeave&) const = default;
};

struct ApproveLeave {
  static constexpr std::string_view kName = "ApproveLeave";
  std::string leave_id;
  std::optional<std::string> remark;
  bool operator==(const ApproveLeave&) const = default;
};

struct RejectLeave {
  static constexpr std::string_view kName = "RejectLeave";
  std::string leave_id;
  std::string remark;
  bool operator==(const RejectLeave&) const = default;
};

struct CancelLeave {
  static constexpr std::string_view kName = "CancelLeave";
  std::string leave_id;
  bool operator==(const CancelLeave&) const = default;
};

// Every command of DOMAIN.md sections 1-4.
using Command = std::variant<RegisterMentor, EnrollStudent, UpdateStudentProfile, AssignMentor,
                             RequestMentorChange, DecideMentorChange, ScheduleMeeting,
                             AcceptMeeting, RescheduleMeeting, DeclineMeeting, CancelMeeting,
                             AddAgendaItems, RecordObservation, ValidateMeeting, CompleteActionItem,
                             RecordAttendance, CorrectAttendance, AcknowledgeAlert, RequestLeave,
                             ApproveLeave, RejectLeave, CancelLeave>;

// The command's name as in the route POST /v1/commands/{name}.
std::string_view CommandName(const Command& command);

// Decodes the JSON body of command `name` against its CommandSpec (command_spec.h).
// Returns the typed command, or a Rejection:
//   kUnknownCommand  - no command is called `name`;
//   kInvalidArgument - the body is not an object (field ""), or a field is missing,
//                      unknown, mistyped, not matching its pattern, too long, out of
//                      range, not a valid time/date/enumeration value, or two fields
//                      are out of order (end <= start, to_date < from_date); `field`
//                      is the dotted path of the first offending field.
// A JSON null in an optional field means "absent"; in a required field, "missing".
// Pure; thread-safe.
std::expected<Command, Rejection> DecodeCommand(std::string_view name, const nlohmann::json& body);

}  // namespace mentorlog::commands
