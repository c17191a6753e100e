// Deciders of DOMAIN.md 3: attendance and alerts.

#include "commands/decider_support.h"

namespace mentorlog::commands::internal {
namespace {

// Attendance is taken by a registered mentor (as course faculty) or an admin.
std::optional<Rejection> CheckFaculty(const WriteState& s, const Context& c) {
  if (Is(c, "mentor") && !s.mentors.contains(c.actor.id)) {
    return Rejection{ErrorCode::kForbidden, "the actor is not a registered mentor", ""};
  }
  return std::nullopt;
}

}  // namespace

Decision DecideFor(const WriteState& s, const RecordAttendance& c, const Context& ctx) {
  for (std::size_t i = 0; i < c.entries.size(); ++i) {
    if (!s.students.contains(c.entries[i].student_id)) {
      return Reject(ErrorCode::kNotFound, "no such student",
                    "entries[" + std::to_string(i) + "].student_id");
    }
  }
  if (auto r = CheckFaculty(s, ctx)) return std::unexpected(*r);
  if (s.attendance.contains(ClassKey{c.course_id, c.date, c.period})) {
    return Reject(ErrorCode::kConflict, "this course, date and period is already recorded",
                  "period");
  }
  if (c.date > events::DayOf(ctx.now)) {
    return Reject(ErrorCode::kInvalidState, "attendance cannot be recorded for a future date",
                  "date");
  }
  Json entries = Json::array();
  for (const AttendanceEntry& e : c.entries) {
    entries.push_back({{"student_id", e.student_id}, {"status", ToString(e.status)}});
  }
  return One(AttendanceStream(c.course_id), "AttendanceRecorded",
             {{"course_id", c.course_id},
              {"date", events::FormatDate(c.date)},
              {"period", c.period},
              {"entries", std::move(entries)}});
}

Decision DecideFor(const WriteState& s, const CorrectAttendance& c, const Context& ctx) {
  const auto sheet = s.attendance.find(ClassKey{c.course_id, c.date, c.period});
  if (sheet == s.attendance.end()) {
    return Reject(ErrorCode::kNotFound, "no attendance recorded for this course, date and period",
                  "period");
  }
  const auto previous = StatusOn(s, sheet->second, c.student_id);
  if (!previous) {
    return Reject(ErrorCode::kNotFound, "the student is not on this attendance record",
                  "student_id");
  }
  if (auto r = CheckFaculty(s, ctx)) return std::unexpected(*r);
  if (*previous == c.status) {
    return Reject(ErrorCode::kInvalidState, "the student already has this status", "status");
  }
  return One(AttendanceStream(c.course_id), "AttendanceCorrected",
             {{"course_id", c.course_id},
              {"date", events::FormatDate(c.date)},
              {"period", c.period},
              {"student_id", c.student_id},
              {"status", ToString(c.status)},
              {"previous_status", ToString(*previous)},
              {"reason", c.reason}});
}

Decision DecideFor(const WriteState& s, const AcknowledgeAlert& c, const Context& ctx) {
  const auto alert = s.alerts.find(c.alert_id);
  if (alert == s.alerts.end()) return Reject(ErrorCode::kNotFound, "no such alert", "alert_id");
  const auto student = s.students.find(alert->second.student_id);
  if (student == s.students.end() || !IsMentorOf(student->second, ctx.actor.id)) {
    return Reject(ErrorCode::kForbidden, "only the student's mentor acknowledges an alert",
                  "alert_id");
  }
  if (alert->second.acknowledged) {
    return Reject(ErrorCode::kInvalidState, "the alert is already acknowledged", "alert_id");
  }
  Json data = {{"alert_id", c.alert_id},
               {"student_id", alert->second.student_id},
               {"action", ToString(c.action)}};
  SetIf(data, "note", c.note);
  return One(StudentStream(alert->second.student_id), "AlertAcknowledged", std::move(data));
}

}  // namespace mentorlog::commands::internal
