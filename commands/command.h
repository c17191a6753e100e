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

// The typed commands of DOMAIN.md sections 1-7: one plain struct per command,
// fields named as in the JSON body. Times are events::TimeMs, dates events::Days,
// enumerations C++ enums. Absent optional lists are empty. The field rules
// (patterns, limits, ranges) are data, in command_spec.h.
namespace mentorlog::commands {

// Enumerations, each with its wire names (index = enumerator value).
enum class MeetingMode { kOnline, kOffline };
enum class AttendanceStatus { kPresent, kAbsent, kOnDuty, kLeave };
enum class LeaveKind { kLeave, kOnDuty };
enum class AlertAction { kContactedStudent, kContactedGuardian, kMeetingArranged, kReferred };
enum class FeedbackKind { kLearningBehaviour, kGeneral };
enum class TimetableKind { kRegular, kCustom };

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

template <>
struct EnumNames<FeedbackKind> {
  static constexpr std::array<std::string_view, 2> kNames = {"learning_behaviour", "general"};
};
template <>
struct EnumNames<TimetableKind> {
  static constexpr std::array<std::string_view, 2> kNames = {"regular", "custom"};
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

// A counselling attachment: a name and where the file is (files are not stored).
struct Attachment {
  std::string name;
  std::string uri;
  bool operator==(const Attachment&) const = default;
};

// A programme milestone (CreateProgram, CustomiseMilestones).
struct Milestone {
  std::string milestone_id;
  std::string title;
  bool operator==(const Milestone&) const = default;
};

// A bookable slot of a timetable, [start, end).
struct Slot {
  events::TimeMs start = 0;
  events::TimeMs end = 0;
  bool operator==(const Slot&) const = default;
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

// --- 5. Academic record and counselling ------------------------------------------

struct RecordExamResult {
  static constexpr std::string_view kName = "RecordExamResult";
  std::string student_id;
  std::string exam;
  std::string subject;
  std::int64_t marks = 0;
  std::int64_t max_marks = 0;
  std::optional<std::string> term;
  bool operator==(const RecordExamResult&) const = default;
};

struct RecordAchievement {
  static constexpr std::string_view kName = "RecordAchievement";
  std::string student_id;
  std::string title;
  std::string category;
  events::Days date = 0;
  std::optional<std::string> description;
  bool operator==(const RecordAchievement&) const = default;
};

struct RecordEnrollment {
  static constexpr std::string_view kName = "RecordEnrollment";
  std::string student_id;
  std::string term;
  std::string programme;
  std::vector<std::string> courses;
  std::string status;
  bool operator==(const RecordEnrollment&) const = default;
};

struct CreateCounselling {
  static constexpr std::string_view kName = "CreateCounselling";
  std::string counselling_id;
  std::string name;
  events::TimeMs at = 0;
  std::string notes;
  std::vector<Attachment> attachments;
  std::vector<std::string> student_ids;
  // The CounsellingRequested this session answers, if any (an extension of DOMAIN.md 5).
  std::optional<std::string> request_id;
  bool operator==(const CreateCounselling&) const = default;
};

struct RecordCounsellingOutcome {
  static constexpr std::string_view kName = "RecordCounsellingOutcome";
  std::string counselling_id;
  std::string outcome;
  std::vector<std::string> goals;
  bool operator==(const RecordCounsellingOutcome&) const = default;
};

struct RequestCounselling {
  static constexpr std::string_view kName = "RequestCounselling";
  std::string request_id;
  std::string student_id;
  std::string topic;
  std::optional<std::string> details;
  bool operator==(const RequestCounselling&) const = default;
};

// --- 6. Programmes, milestones and feedback ----------------------------------------

struct CreateProgram {
  static constexpr std::string_view kName = "CreateProgram";
  std::string program_id;
  std::string name;
  std::vector<Milestone> milestones;
  bool mentor_can_customise = false;
  bool operator==(const CreateProgram&) const = default;
};

struct EnrollInProgram {
  static constexpr std::string_view kName = "EnrollInProgram";
  std::string program_id;
  std::string student_id;
  bool operator==(const EnrollInProgram&) const = default;
};

struct CustomiseMilestones {
  static constexpr std::string_view kName = "CustomiseMilestones";
  std::string program_id;
  std::string student_id;
  std::vector<Milestone> milestones;
  bool operator==(const CustomiseMilestones&) const = default;
};

struct CompleteMilestone {
  static constexpr std::string_view kName = "CompleteMilestone";
  std::string program_id;
  std::string student_id;
  std::string milestone_id;
  bool operator==(const CompleteMilestone&) const = default;
};

struct RateSkill {
  static constexpr std::string_view kName = "RateSkill";
  std::string student_id;
  std::string skill;
  std::int64_t rating = 0;
  std::optional<std::string> program_id;
  bool operator==(const RateSkill&) const = default;
};

struct GiveFeedback {
  static constexpr std::string_view kName = "GiveFeedback";
  std::string student_id;
  FeedbackKind kind = FeedbackKind::kGeneral;
  std::string text;
  bool operator==(const GiveFeedback&) const = default;
};

struct NominateStakeholder {
  static constexpr std::string_view kName = "NominateStakeholder";
  std::string program_id;
  std::string student_id;
  std::string name;
  std::string email;
  bool operator==(const NominateStakeholder&) const = default;
};

struct SubmitSatisfaction {
  static constexpr std::string_view kName = "SubmitSatisfaction";
  std::optional<std::string> program_id;
  std::int64_t rating = 0;
  std::optional<std::string> comment;
  bool operator==(const SubmitSatisfaction&) const = default;
};

// --- 7. Timetables and 1:1 session booking -----------------------------------------

struct DefineTimetable {
  static constexpr std::string_view kName = "DefineTimetable";
  std::string timetable_id;
  TimetableKind kind = TimetableKind::kRegular;
  std::optional<std::string> mentor_id;
  std::vector<Slot> slots;
  bool operator==(const DefineTimetable&) const = default;
};

struct BookSlot {
  static constexpr std::string_view kName = "BookSlot";
  std::string timetable_id;
  events::TimeMs slot_start = 0;
  std::int64_t session_number = 0;
  std::string team_or_student;
  std::optional<std::string> description;
  bool operator==(const BookSlot&) const = default;
};

struct ReleaseSlot {
  static constexpr std::string_view kName = "ReleaseSlot";
  std::string timetable_id;
  events::TimeMs slot_start = 0;
  std::string reason;
  bool operator==(const ReleaseSlot&) const = default;
};

struct RequestMentorship {
  static constexpr std::string_view kName = "RequestMentorship";
  std::string request_id;
  std::string team_or_student;
  std::string topic;
  std::optional<std::string> details;
  bool operator==(const RequestMentorship&) const = default;
};

struct AssignMentorshipRequest {
  static constexpr std::string_view kName = "AssignMentorshipRequest";
  std::string request_id;
  std::string mentor_id;
  std::optional<std::string> timetable_id;
  std::optional<events::TimeMs> slot_start;
  std::optional<std::int64_t> session_number;
  bool operator==(const AssignMentorshipRequest&) const = default;
};

// Every command of DOMAIN.md sections 1-7.
using Command =
    std::variant<RegisterMentor, EnrollStudent, UpdateStudentProfile, AssignMentor,
                 RequestMentorChange, DecideMentorChange, ScheduleMeeting, AcceptMeeting,
                 RescheduleMeeting, DeclineMeeting, CancelMeeting, AddAgendaItems,
                 RecordObservation, ValidateMeeting, CompleteActionItem, RecordAttendance,
                 CorrectAttendance, AcknowledgeAlert, RequestLeave, ApproveLeave, RejectLeave,
                 CancelLeave, RecordExamResult, RecordAchievement, RecordEnrollment,
                 CreateCounselling, RecordCounsellingOutcome, RequestCounselling, CreateProgram,
                 EnrollInProgram, CustomiseMilestones, CompleteMilestone, RateSkill, GiveFeedback,
                 NominateStakeholder, SubmitSatisfaction, DefineTimetable, BookSlot, ReleaseSlot,
                 RequestMentorship, AssignMentorshipRequest>;

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
