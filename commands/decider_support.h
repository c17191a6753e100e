#pragma once

// Helpers shared by the deciders of each DOMAIN.md section. Internal to commands/.

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "commands/decide.h"

namespace mentorlog::commands::internal {

using Json = nlohmann::json;
using Decision = std::expected<std::vector<DomainEvent>, Rejection>;

inline std::unexpected<Rejection> Reject(ErrorCode code, std::string message,
                                         std::string field = "") {
  return std::unexpected(Rejection{code, std::move(message), std::move(field)});
}

inline bool Is(const Context& c, std::string_view role) { return c.actor.role == role; }

// Whether `mentor_id` is the mentor currently assigned to `student`.
inline bool IsMentorOf(const StudentState& student, const std::string& mentor_id) {
  return student.mentor_id && *student.mentor_id == mentor_id;
}

// The relationship rule for a command about one student: an admin may act for any
// student; a mentor only for their assigned mentees; a mentee only for themself.
// (The role gate has already run.) Returns the rejection, on `field`, if any.
inline std::optional<Rejection> CheckActsFor(const Context& c, const std::string& student_id,
                                             const StudentState& student,
                                             const std::string& field) {
  if (Is(c, "admin")) return std::nullopt;
  if (Is(c, "mentor") && IsMentorOf(student, c.actor.id)) return std::nullopt;
  if (Is(c, "mentee") && c.actor.id == student_id) return std::nullopt;
  return Rejection{ErrorCode::kForbidden,
                   Is(c, "mentee") ? "a mentee may act only for themself"
                                   : "a mentor may act only for their assigned mentees",
                   field};
}

inline Decision One(std::string stream, std::string type, Json data) {
  std::vector<DomainEvent> out;
  out.push_back({std::move(stream), std::move(type), std::move(data)});
  return out;
}

inline std::string StudentStream(std::string_view id) { return "student-" + std::string(id); }
inline std::string MentorStream(std::string_view id) { return "mentor-" + std::string(id); }
inline std::string MeetingStream(std::string_view id) { return "meeting-" + std::string(id); }
inline std::string LeaveStream(std::string_view id) { return "leave-" + std::string(id); }
inline std::string AttendanceStream(std::string_view course) {
  return "attendance-" + std::string(course);
}

inline std::string CounsellingStream(std::string_view id) {
  return "counselling-" + std::string(id);
}
inline std::string ProgramStream(std::string_view id) { return "program-" + std::string(id); }
inline std::string TimetableStream(std::string_view id) { return "timetable-" + std::string(id); }

// The student named by a command's `field`, or not_found on that field.
inline std::expected<const StudentState*, Rejection> FindStudent(const WriteState& s,
                                                                 const std::string& id,
                                                                 const std::string& field) {
  const auto it = s.students.find(id);
  if (it == s.students.end()) {
    return std::unexpected(Rejection{ErrorCode::kNotFound, "no such student", field});
  }
  return &it->second;
}

template <class T>
void SetIf(Json& data, const char* key, const std::optional<T>& value) {
  if (value) data[key] = *value;
}

// One decider per command, defined in the section files.
Decision DecideFor(const WriteState&, const RegisterMentor&, const Context&);
Decision DecideFor(const WriteState&, const EnrollStudent&, const Context&);
Decision DecideFor(const WriteState&, const UpdateStudentProfile&, const Context&);
Decision DecideFor(const WriteState&, const AssignMentor&, const Context&);
Decision DecideFor(const WriteState&, const RequestMentorChange&, const Context&);
Decision DecideFor(const WriteState&, const DecideMentorChange&, const Context&);
Decision DecideFor(const WriteState&, const ScheduleMeeting&, const Context&);
Decision DecideFor(const WriteState&, const AcceptMeeting&, const Context&);
Decision DecideFor(const WriteState&, const RescheduleMeeting&, const Context&);
Decision DecideFor(const WriteState&, const DeclineMeeting&, const Context&);
Decision DecideFor(const WriteState&, const CancelMeeting&, const Context&);
Decision DecideFor(const WriteState&, const AddAgendaItems&, const Context&);
Decision DecideFor(const WriteState&, const RecordObservation&, const Context&);
Decision DecideFor(const WriteState&, const ValidateMeeting&, const Context&);
Decision DecideFor(const WriteState&, const CompleteActionItem&, const Context&);
Decision DecideFor(const WriteState&, const RecordAttendance&, const Context&);
Decision DecideFor(const WriteState&, const CorrectAttendance&, const Context&);
Decision DecideFor(const WriteState&, const AcknowledgeAlert&, const Context&);
Decision DecideFor(const WriteState&, const RequestLeave&, const Context&);
Decision DecideFor(const WriteState&, const ApproveLeave&, const Context&);
Decision DecideFor(const WriteState&, const RejectLeave&, const Context&);
Decision DecideFor(const WriteState&, const CancelLeave&, const Context&);
Decision DecideFor(const WriteState&, const RecordExamResult&, const Context&);
Decision DecideFor(const WriteState&, const RecordAchievement&, const Context&);
Decision DecideFor(const WriteState&, const RecordEnrollment&, const Context&);
Decision DecideFor(const WriteState&, const CreateCounselling&, const Context&);
Decision DecideFor(const WriteState&, const RecordCounsellingOutcome&, const Context&);
Decision DecideFor(const WriteState&, const RequestCounselling&, const Context&);
Decision DecideFor(const WriteState&, const CreateProgram&, const Context&);
Decision DecideFor(const WriteState&, const EnrollInProgram&, const Context&);
Decision DecideFor(const WriteState&, const CustomiseMilestones&, const Context&);
Decision DecideFor(const WriteState&, const CompleteMilestone&, const Context&);
Decision DecideFor(const WriteState&, const RateSkill&, const Context&);
Decision DecideFor(const WriteState&, const GiveFeedback&, const Context&);
Decision DecideFor(const WriteState&, const NominateStakeholder&, const Context&);
Decision DecideFor(const WriteState&, const SubmitSatisfaction&, const Context&);
Decision DecideFor(const WriteState&, const DefineTimetable&, const Context&);
Decision DecideFor(const WriteState&, const BookSlot&, const Context&);
Decision DecideFor(const WriteState&, const ReleaseSlot&, const Context&);
Decision DecideFor(const WriteState&, const RequestMentorship&, const Context&);
Decision DecideFor(const WriteState&, const AssignMentorshipRequest&, const Context&);

}  // namespace mentorlog::commands::internal
