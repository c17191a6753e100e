// DOMAIN.md 4: leave and on-duty.

#include <gtest/gtest.h>

#include "tests/commands/given_when_then.h"

namespace mentorlog::commands::testing {
namespace {

Json Leave(std::string id, std::string from, std::string to, std::string student = "S-1",
           std::string kind = "leave") {
  return {{"leave_id", std::move(id)}, {"student_id", std::move(student)},
          {"kind", std::move(kind)},   {"from_date", std::move(from)},
          {"to_date", std::move(to)},  {"reason", "fever"}};
}

class Leaves : public ::testing::Test {
 protected:
  void SetUp() override { s.Standard(); }
  Scenario s;
};

TEST_F(Leaves, RequestByTheMenteeOrTheirMentor) {
  EXPECT_TRUE(
      EventsAre(s.When(Mentee("S-1"), "RequestLeave", Leave("L-1", "2026-11-24", "2026-11-25")),
                {{"leave-L-1",
                  "LeaveRequested",
                  {{"leave_id", "L-1"},
                   {"student_id", "S-1"},
                   {"kind", "leave"},
                   {"from_date", "2026-11-24"},
                   {"to_date", "2026-11-25"},
                   {"reason", "fever"}}}}));
  EXPECT_TRUE(
      Accepted(s.When(Mentor("M-1"), "RequestLeave", Leave("L-1", "2026-11-24", "2026-11-24"))));
  EXPECT_TRUE(
      RejectedWith(s.When(Mentor("M-2"), "RequestLeave", Leave("L-1", "2026-11-24", "2026-11-24")),
                   ErrorCode::kForbidden, "student_id"));
  EXPECT_TRUE(
      RejectedWith(s.When(Mentee("S-2"), "RequestLeave", Leave("L-1", "2026-11-24", "2026-11-24")),
                   ErrorCode::kForbidden, "student_id"));
  EXPECT_TRUE(
      RejectedWith(s.When(Admin(), "RequestLeave", Leave("L-1", "2026-11-24", "2026-11-24")),
                   ErrorCode::kForbidden, ""));
  EXPECT_TRUE(RejectedWith(
      s.When(Mentee("S-9"), "RequestLeave", Leave("L-1", "2026-11-24", "2026-11-24", "S-9")),
      ErrorCode::kNotFound, "student_id"));
}

TEST_F(Leaves, FromNotAfterTo) {
  EXPECT_TRUE(
      RejectedWith(s.When(Mentee("S-1"), "RequestLeave", Leave("L-1", "2026-11-25", "2026-11-24")),
                   ErrorCode::kInvalidArgument, "to_date"));
}

TEST_F(Leaves, NoOverlapWithPendingOrApprovedRequests) {
  s.Run(Mentee("S-1"), "RequestLeave", Leave("L-1", "2026-11-24", "2026-11-26"));
  EXPECT_TRUE(
      RejectedWith(s.When(Mentee("S-1"), "RequestLeave", Leave("L-2", "2026-11-26", "2026-11-28")),
                   ErrorCode::kConflict, "from_date"));
  EXPECT_TRUE(
      RejectedWith(s.When(Mentee("S-1"), "RequestLeave", Leave("L-2", "2026-11-20", "2026-11-24")),
                   ErrorCode::kConflict, "from_date"));
  EXPECT_TRUE(
      RejectedWith(s.When(Mentee("S-1"), "RequestLeave", Leave("L-2", "2026-11-20", "2026-11-30")),
                   ErrorCode::kConflict, "from_date"));
  EXPECT_TRUE(
      Accepted(s.When(Mentee("S-1"), "RequestLeave", Leave("L-2", "2026-11-27", "2026-11-28"))));
  EXPECT_TRUE(Accepted(
      s.When(Mentee("S-2"), "RequestLeave", Leave("L-2", "2026-11-24", "2026-11-26", "S-2"))));
  EXPECT_TRUE(
      RejectedWith(s.When(Mentee("S-1"), "RequestLeave", Leave("L-1", "2026-12-24", "2026-12-26")),
                   ErrorCode::kConflict, "leave_id"));
  s.Run(Mentor("M-1"), "ApproveLeave", {{"leave_id", "L-1"}});
  EXPECT_TRUE(
      RejectedWith(s.When(Mentee("S-1"), "RequestLeave", Leave("L-2", "2026-11-25", "2026-11-25")),
                   ErrorCode::kConflict, "from_date"));
}

TEST_F(Leaves, RejectedOrCancelledRequestsFreeTheirDates) {
  s.Run(Mentee("S-1"), "RequestLeave", Leave("L-1", "2026-11-24", "2026-11-26"));
  s.Run(Mentor("M-1"), "RejectLeave", {{"leave_id", "L-1"}, {"remark", "exams"}});
  s.Run(Mentee("S-1"), "RequestLeave", Leave("L-2", "2026-11-24", "2026-11-26"));
  s.Run(Mentee("S-1"), "CancelLeave", {{"leave_id", "L-2"}});
  EXPECT_TRUE(
      Accepted(s.When(Mentee("S-1"), "RequestLeave", Leave("L-3", "2026-11-24", "2026-11-26"))));
}

TEST_F(Leaves, ApproveByTheStudentsMentorOrAdminWhilePending) {
  s.Run(Mentee("S-1"), "RequestLeave", Leave("L-1", "2026-11-24", "2026-11-25", "S-1", "on_duty"));
  EXPECT_TRUE(
      EventsAre(s.When(Mentor("M-1"), "ApproveLeave", {{"leave_id", "L-1"}, {"remark", "ok"}}),
                {{"leave-L-1",
                  "LeaveApproved",
                  {{"leave_id", "L-1"},
                   {"student_id", "S-1"},
                   {"kind", "on_duty"},
                   {"from_date", "2026-11-24"},
                   {"to_date", "2026-11-25"},
                   {"remark", "ok"}}}}));
  EXPECT_TRUE(Accepted(s.When(Admin(), "ApproveLeave", {{"leave_id", "L-1"}})));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-2"), "ApproveLeave", {{"leave_id", "L-1"}}),
                           ErrorCode::kForbidden, "leave_id"));
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "ApproveLeave", {{"leave_id", "L-1"}}),
                           ErrorCode::kForbidden, ""));
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "ApproveLeave", {{"leave_id", "L-9"}}),
                           ErrorCode::kNotFound, "leave_id"));
  s.Run(Admin(), "ApproveLeave", {{"leave_id", "L-1"}});
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "ApproveLeave", {{"leave_id", "L-1"}}),
                           ErrorCode::kInvalidState, "leave_id"));
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "RejectLeave", {{"leave_id", "L-1"}, {"remark", "no"}}),
                           ErrorCode::kInvalidState, "leave_id"));
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "CancelLeave", {{"leave_id", "L-1"}}),
                           ErrorCode::kInvalidState, "leave_id"));
}

TEST_F(Leaves, RejectNeedsARemark) {
  s.Run(Mentee("S-1"), "RequestLeave", Leave("L-1", "2026-11-24", "2026-11-25"));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "RejectLeave", {{"leave_id", "L-1"}}),
                           ErrorCode::kInvalidArgument, "remark"));
  EXPECT_TRUE(
      RejectedWith(s.When(Mentor("M-1"), "RejectLeave", {{"leave_id", "L-1"}, {"remark", ""}}),
                   ErrorCode::kInvalidArgument, "remark"));
  EXPECT_TRUE(
      EventsAre(s.When(Mentor("M-1"), "RejectLeave", {{"leave_id", "L-1"}, {"remark", "exams"}}),
                {{"leave-L-1",
                  "LeaveRejected",
                  {{"leave_id", "L-1"}, {"student_id", "S-1"}, {"remark", "exams"}}}}));
  EXPECT_TRUE(
      RejectedWith(s.When(Mentor("M-2"), "RejectLeave", {{"leave_id", "L-1"}, {"remark", "x"}}),
                   ErrorCode::kForbidden, "leave_id"));
}

TEST_F(Leaves, CancelByTheMenteeWhilePending) {
  s.Run(Mentor("M-1"), "RequestLeave", Leave("L-1", "2026-11-24", "2026-11-25"));
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-2"), "CancelLeave", {{"leave_id", "L-1"}}),
                           ErrorCode::kForbidden, "leave_id"));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "CancelLeave", {{"leave_id", "L-1"}}),
                           ErrorCode::kForbidden, ""));
  EXPECT_TRUE(
      EventsAre(s.When(Mentee("S-1"), "CancelLeave", {{"leave_id", "L-1"}}),
                {{"leave-L-1", "LeaveCancelled", {{"leave_id", "L-1"}, {"student_id", "S-1"}}}}));
  s.Run(Mentee("S-1"), "CancelLeave", {{"leave_id", "L-1"}});
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "CancelLeave", {{"leave_id", "L-1"}}),
                           ErrorCode::kInvalidState, "leave_id"));
}

}  // namespace
}  // namespace mentorlog::commands::testing
