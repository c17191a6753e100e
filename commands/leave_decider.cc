// Deciders of DOMAIN.md 4: leave and on-duty.

#include "commands/decider_support.h"

namespace mentorlog::commands::internal {
namespace {

std::expected<const LeaveState*, Rejection> FindLeave(const WriteState& s, const std::string& id) {
  const auto it = s.leaves.find(id);
  if (it == s.leaves.end()) {
    return std::unexpected(Rejection{ErrorCode::kNotFound, "no such leave request", "leave_id"});
  }
  return &it->second;
}

// ApproveLeave / RejectLeave: the student's mentor or an admin, on a pending request.
std::optional<Rejection> CheckDecider(const WriteState& s, const LeaveState& leave,
                                      const Context& c) {
  if (Is(c, "mentor")) {
    const auto student = s.students.find(leave.student_id);
    if (student == s.students.end() || !IsMentorOf(student->second, c.actor.id)) {
      return Rejection{ErrorCode::kForbidden, "only the student's mentor decides leave",
                       "leave_id"};
    }
  }
  if (leave.status != LeaveStatus::kPending) {
    return Rejection{ErrorCode::kInvalidState, "the request is no longer pending", "leave_id"};
  }
  return std::nullopt;
}

}  // namespace

Decision DecideFor(const WriteState& s, const RequestLeave& c, const Context& ctx) {
  const auto student = s.students.find(c.student_id);
  if (student == s.students.end()) {
    return Reject(ErrorCode::kNotFound, "no such student", "student_id");
  }
  if (auto r = CheckActsFor(ctx, c.student_id, student->second, "student_id")) {
    return std::unexpected(*r);
  }
  if (s.leaves.contains(c.leave_id)) {
    return Reject(ErrorCode::kConflict, "leave id already used", "leave_id");
  }
  if (const auto cal = s.leave_calendars.find(c.student_id);
      cal != s.leave_calendars.end() && Overlaps(cal->second, c.from_date, c.to_date)) {
    return Reject(ErrorCode::kConflict,
                  "overlaps another pending or approved request of the student", "from_date");
  }
  return One(LeaveStream(c.leave_id), "LeaveRequested",
             {{"leave_id", c.leave_id},
              {"student_id", c.student_id},
              {"kind", ToString(c.kind)},
              {"from_date", events::FormatDate(c.from_date)},
              {"to_date", events::FormatDate(c.to_date)},
              {"reason", c.reason}});
}

Decision DecideFor(const WriteState& s, const ApproveLeave& c, const Context& ctx) {
  const auto leave = FindLeave(s, c.leave_id);
  if (!leave) return std::unexpected(leave.error());
  if (auto r = CheckDecider(s, **leave, ctx)) return std::unexpected(*r);
  Json data = {{"leave_id", c.leave_id},
               {"student_id", (*leave)->student_id},
               {"kind", ToString((*leave)->kind)},
               {"from_date", events::FormatDate((*leave)->from_date)},
               {"to_date", events::FormatDate((*leave)->to_date)}};
  SetIf(data, "remark", c.remark);
  return One(LeaveStream(c.leave_id), "LeaveApproved", std::move(data));
}

Decision DecideFor(const WriteState& s, const RejectLeave& c, const Context& ctx) {
  const auto leave = FindLeave(s, c.leave_id);
  if (!leave) return std::unexpected(leave.error());
  if (auto r = CheckDecider(s, **leave, ctx)) return std::unexpected(*r);
  return One(
      LeaveStream(c.leave_id), "LeaveRejected",
      {{"leave_id", c.leave_id}, {"student_id", (*leave)->student_id}, {"remark", c.remark}});
}

Decision DecideFor(const WriteState& s, const CancelLeave& c, const Context& ctx) {
  const auto leave = FindLeave(s, c.leave_id);
  if (!leave) return std::unexpected(leave.error());
  if (ctx.actor.id != (*leave)->student_id) {
    return Reject(ErrorCode::kForbidden, "only the student cancels their request", "leave_id");
  }
  if ((*leave)->status != LeaveStatus::kPending) {
    return Reject(ErrorCode::kInvalidState, "the request is no longer pending", "leave_id");
  }
  return One(LeaveStream(c.leave_id), "LeaveCancelled",
             {{"leave_id", c.leave_id}, {"student_id", (*leave)->student_id}});
}

}  // namespace mentorlog::commands::internal
