// Deciders of DOMAIN.md 1: people and assignment.

#include "commands/decider_support.h"

namespace mentorlog::commands::internal {
namespace {

Json GuardianJson(const Guardian& g) { return {{"name", g.name}, {"phone", g.phone}}; }

// The changed fields as a JSON object, in the order of ProfileChanges.
Json ChangesJson(const ProfileChanges& c) {
  Json out = Json::object();
  SetIf(out, "roll_number", c.roll_number);
  SetIf(out, "name", c.name);
  SetIf(out, "department", c.department);
  SetIf(out, "year", c.year);
  SetIf(out, "email", c.email);
  SetIf(out, "phone", c.phone);
  if (c.guardian) out["guardian"] = GuardianJson(*c.guardian);
  return out;
}

bool IsContactField(std::string_view field) {
  return field == "email" || field == "phone" || field == "guardian";
}

// Capacity rule of AssignMentor / DecideMentorChange.
std::optional<Rejection> CheckCapacity(const MentorState& mentor, const std::string& field) {
  if (static_cast<std::int64_t>(mentor.mentees.size()) >= mentor.max_mentees) {
    return Rejection{
        ErrorCode::kConflict,
        "the mentor already has max_mentees (" + std::to_string(mentor.max_mentees) + ") mentees",
        field};
  }
  return std::nullopt;
}

}  // namespace

Decision DecideFor(const WriteState& s, const RegisterMentor& c, const Context&) {
  if (s.mentors.contains(c.mentor_id)) {
    return Reject(ErrorCode::kConflict, "mentor id already used", "mentor_id");
  }
  Json data = {{"mentor_id", c.mentor_id},
               {"name", c.name},
               {"department", c.department},
               {"expertise", c.expertise},
               {"max_mentees", c.max_mentees}};
  SetIf(data, "email", c.email);
  return One(MentorStream(c.mentor_id), "MentorRegistered", std::move(data));
}

Decision DecideFor(const WriteState& s, const EnrollStudent& c, const Context&) {
  if (s.students.contains(c.student_id)) {
    return Reject(ErrorCode::kConflict, "student id already used", "student_id");
  }
  if (s.roll_numbers.contains(c.roll_number)) {
    return Reject(ErrorCode::kConflict, "roll number already used", "roll_number");
  }
  Json data = {{"student_id", c.student_id},
               {"roll_number", c.roll_number},
               {"name", c.name},
               {"department", c.department}};
  SetIf(data, "year", c.year);
  SetIf(data, "email", c.email);
  SetIf(data, "phone", c.phone);
  if (c.guardian) data["guardian"] = GuardianJson(*c.guardian);
  return One(StudentStream(c.student_id), "StudentEnrolled", std::move(data));
}

Decision DecideFor(const WriteState& s, const UpdateStudentProfile& c, const Context& ctx) {
  const auto student = s.students.find(c.student_id);
  if (student == s.students.end()) {
    return Reject(ErrorCode::kNotFound, "no such student", "student_id");
  }
  if (auto r = CheckActsFor(ctx, c.student_id, student->second, "student_id")) {
    return std::unexpected(*r);
  }
  Json changes = ChangesJson(c.changes);
  if (Is(ctx, "mentee")) {
    for (const auto& [field, value] : changes.items()) {
      if (!IsContactField(field)) {
        return Reject(ErrorCode::kForbidden, "a mentee may change only email, phone and guardian",
                      "changes." + field);
      }
    }
  }
  if (c.changes.roll_number && *c.changes.roll_number != student->second.roll_number &&
      s.roll_numbers.contains(*c.changes.roll_number)) {
    return Reject(ErrorCode::kConflict, "roll number already used", "changes.roll_number");
  }
  const Json profile = Json::parse(student->second.profile);
  Json previous = Json::object();
  for (const auto& [field, value] : changes.items()) {
    if (field == "roll_number") {
      previous[field] = student->second.roll_number;
    } else {
      const auto old = profile.find(field);
      previous[field] = old == profile.end() ? Json() : *old;
    }
  }
  return One(StudentStream(c.student_id), "StudentProfileUpdated",
             {{"student_id", c.student_id},
              {"changes", std::move(changes)},
              {"previous", std::move(previous)}});
}

Decision DecideFor(const WriteState& s, const AssignMentor& c, const Context&) {
  const auto student = s.students.find(c.student_id);
  if (student == s.students.end()) {
    return Reject(ErrorCode::kNotFound, "no such student", "student_id");
  }
  const auto mentor = s.mentors.find(c.mentor_id);
  if (mentor == s.mentors.end()) {
    return Reject(ErrorCode::kNotFound, "no such mentor", "mentor_id");
  }
  if (IsMentorOf(student->second, c.mentor_id)) {
    return Reject(ErrorCode::kInvalidState, "the student is already assigned to this mentor",
                  "mentor_id");
  }
  if (auto r = CheckCapacity(mentor->second, "mentor_id")) return std::unexpected(*r);
  Json data = {{"student_id", c.student_id}, {"mentor_id", c.mentor_id}};
  SetIf(data, "previous_mentor_id", student->second.mentor_id);
  return One(StudentStream(c.student_id), "MentorAssigned", std::move(data));
}

Decision DecideFor(const WriteState& s, const RequestMentorChange& c, const Context& ctx) {
  const auto student = s.students.find(c.student_id);
  if (student == s.students.end()) {
    return Reject(ErrorCode::kNotFound, "no such student", "student_id");
  }
  if (c.preferred_mentor_id && !s.mentors.contains(*c.preferred_mentor_id)) {
    return Reject(ErrorCode::kNotFound, "no such mentor", "preferred_mentor_id");
  }
  if (auto r = CheckActsFor(ctx, c.student_id, student->second, "student_id")) {
    return std::unexpected(*r);
  }
  if (s.change_requests.contains(c.request_id)) {
    return Reject(ErrorCode::kConflict, "request id already used", "request_id");
  }
  if (student->second.open_change_request) {
    return Reject(ErrorCode::kConflict,
                  "the student already has an open mentor-change request " +
                      *student->second.open_change_request,
                  "student_id");
  }
  Json data = {{"request_id", c.request_id}, {"student_id", c.student_id}, {"reason", c.reason}};
  SetIf(data, "preferred_mentor_id", c.preferred_mentor_id);
  SetIf(data, "current_mentor_id", student->second.mentor_id);
  return One(StudentStream(c.student_id), "MentorChangeRequested", std::move(data));
}

Decision DecideFor(const WriteState& s, const DecideMentorChange& c, const Context&) {
  const auto request = s.change_requests.find(c.request_id);
  if (request == s.change_requests.end()) {
    return Reject(ErrorCode::kNotFound, "no such mentor-change request", "request_id");
  }
  const std::string& student_id = request->second.student_id;
  if (!c.approve) {
    if (c.new_mentor_id) {
      return Reject(ErrorCode::kInvalidArgument, "new_mentor_id is only for an approval",
                    "new_mentor_id");
    }
    if (request->second.decided) {
      return Reject(ErrorCode::kInvalidState, "the request is already decided", "request_id");
    }
    Json data = {{"request_id", c.request_id}, {"student_id", student_id}};
    SetIf(data, "remark", c.remark);
    return One(StudentStream(student_id), "MentorChangeRejected", std::move(data));
  }
  const std::optional<std::string> new_mentor =
      c.new_mentor_id ? c.new_mentor_id : request->second.preferred_mentor_id;
  if (!new_mentor) {
    return Reject(ErrorCode::kInvalidArgument,
                  "required to approve a request that names no preferred mentor", "new_mentor_id");
  }
  const auto mentor = s.mentors.find(*new_mentor);
  if (mentor == s.mentors.end()) {
    return Reject(ErrorCode::kNotFound, "no such mentor", "new_mentor_id");
  }
  if (request->second.decided) {
    return Reject(ErrorCode::kInvalidState, "the request is already decided", "request_id");
  }
  const auto student_it = s.students.find(student_id);
  if (student_it == s.students.end()) {
    return Reject(ErrorCode::kNotFound, "the request's student no longer exists", "request_id");
  }
  const StudentState& student = student_it->second;
  if (IsMentorOf(student, *new_mentor)) {
    return Reject(ErrorCode::kInvalidState, "the student is already assigned to this mentor",
                  "new_mentor_id");
  }
  if (auto r = CheckCapacity(mentor->second, "new_mentor_id")) return std::unexpected(*r);
  Json approved = {
      {"request_id", c.request_id}, {"student_id", student_id}, {"new_mentor_id", *new_mentor}};
  SetIf(approved, "remark", c.remark);
  Json assigned = {
      {"student_id", student_id}, {"mentor_id", *new_mentor}, {"request_id", c.request_id}};
  SetIf(assigned, "previous_mentor_id", student.mentor_id);
  std::vector<DomainEvent> out;
  out.push_back({StudentStream(student_id), "MentorChangeApproved", std::move(approved)});
  out.push_back({StudentStream(student_id), "MentorAssigned", std::move(assigned)});
  return out;
}

}  // namespace mentorlog::commands::internal
