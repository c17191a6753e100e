// The attendance alert policy (DOMAIN.md 3).

#include <gtest/gtest.h>

#include "tests/commands/given_when_then.h"

namespace mentorlog::commands::testing {
namespace {

class AlertPolicy : public ::testing::Test {
 protected:
  void SetUp() override { s.Standard(); }

  // Records the next class for S-1 (and S-2 present) with `status`, on 2026-11-<day>.
  std::vector<DomainEvent> Class(const char* status, int day = 10) {
    if (period_ == 24) {
      period_ = 0;
      ++day_offset_;
    }
    ++period_;
    const std::string date = "2026-11-" + std::to_string(day + day_offset_);
    const std::size_t before = s.Alerts().size();
    s.Run(Admin(), "RecordAttendance",
          {{"course_id", "CS101"},
           {"date", date},
           {"period", period_},
           {"entries",
            {{{"student_id", "S-1"}, {"status", status}},
             {{"student_id", "S-2"}, {"status", "present"}}}}});
    const auto all = s.Alerts();
    return {all.begin() + static_cast<std::ptrdiff_t>(before), all.end()};
  }
  void Classes(int n, const char* status) {
    for (int i = 0; i < n; ++i) Class(status);
  }

  static DomainEvent Alert(int n, int level, double percentage) {
    return {"student-S-1",
            "AttendanceAlertRaised",
            {{"alert_id", "alert-" + std::to_string(n)},
             {"student_id", "S-1"},
             {"level", level},
             {"percentage", percentage}}};
  }

  Scenario s;
  int period_ = 0;
  int day_offset_ = 0;
};

TEST_F(AlertPolicy, Crossing60Then50) {
  Classes(6, "present");
  Classes(4, "absent");  // 6/10 = 60 %: not below 60
  EXPECT_TRUE(s.Alerts().empty());
  EXPECT_EQ(Class("absent"), (std::vector<DomainEvent>{Alert(1, 60, 54.54)}));  // 6/11
  EXPECT_TRUE(Class("absent").empty());                                         // 6/12 = 50 %
  EXPECT_EQ(Class("absent"), (std::vector<DomainEvent>{Alert(2, 50, 46.15)}));  // 6/13
  EXPECT_TRUE(Class("absent").empty());  // 6/14, still 50 band
  EXPECT_EQ(s.state().tallies.at("S-1").alerted_level, 50);
}

// After a restart the policy runs over the whole state: nothing is owed when
// every proposed alert was committed, and a lost one is owed again.
TEST_F(AlertPolicy, OwedAlertsAreTheOnesMissingFromTheLog) {
  Classes(6, "present");
  Classes(4, "absent");
  EXPECT_TRUE(OwedAttendanceAlerts(s.state()).empty());
  EXPECT_EQ(Class("absent"), (std::vector<DomainEvent>{Alert(1, 60, 54.54)}));
  EXPECT_TRUE(OwedAttendanceAlerts(s.state()).empty());

  WriteState without_alert;  // the log as a crash before the alert's commit leaves it
  for (const auto& e : s.log()) {
    if (e.type != "AttendanceAlertRaised") Apply(without_alert, e);
  }
  EXPECT_EQ(OwedAttendanceAlerts(without_alert), (std::vector<DomainEvent>{Alert(1, 60, 54.54)}));
}

TEST_F(AlertPolicy, NothingBefore10ClassesThenOnlyTheLowestLevel) {
  Classes(9, "absent");
  EXPECT_TRUE(s.Alerts().empty());
  EXPECT_EQ(Class("absent"), (std::vector<DomainEvent>{Alert(1, 40, 0)}));
  EXPECT_TRUE(Class("absent").empty());
}

// One class moves a percentage by at most 1/held, so levels are jumped when the 10th
// class is held: 30 % then crosses 60, 50 and 40 at once.
TEST_F(AlertPolicy, AJumpPastSeveralLevelsRaisesOnlyTheLowest) {
  Classes(3, "present");
  Classes(6, "absent");
  EXPECT_TRUE(s.Alerts().empty());
  EXPECT_EQ(Class("absent"), (std::vector<DomainEvent>{Alert(1, 40, 30)}));
}

TEST_F(AlertPolicy, RecoveryThenANewDropRaisesAgain) {
  Classes(6, "present");
  Classes(5, "absent");  // 6/11: alert 60
  ASSERT_EQ(s.Alerts().size(), 1u);
  Classes(5, "present");  // 11/16 = 68.75 %: re-armed
  EXPECT_EQ(s.state().tallies.at("S-1").alerted_level, 0);
  Classes(2, "absent");                                                         // 11/18 = 61.1
  EXPECT_EQ(Class("absent"), (std::vector<DomainEvent>{Alert(2, 60, 57.89)}));  // 11/19
}

TEST_F(AlertPolicy, RecoveryAbove40ButBelow50RaisesAt40Again) {
  Classes(10, "absent");  // 0 %: alert 40
  Classes(8, "present");  // 8/18 = 44.4 %: above 40, below 50
  EXPECT_EQ(s.state().tallies.at("S-1").alerted_level, 50);
  ASSERT_EQ(s.Alerts().size(), 1u);
  // Falling below 40 again is a new crossing of 40.
  Classes(2, "absent");  // 8/20 = 40 %: not below
  EXPECT_EQ(s.Alerts().size(), 1u);
  EXPECT_EQ(Class("absent"), (std::vector<DomainEvent>{Alert(2, 40, 38.09)}));  // 8/21
}

TEST_F(AlertPolicy, ApprovedOnDutyLiftsThePercentageAndReArms) {
  // 5 present on the 10th, 5 absent on the 11th: 50 % -> band 60.
  for (int p = 1; p <= 5; ++p) Class("present");
  period_ = 0;
  for (int p = 1; p <= 5; ++p) Class("absent", 11);
  ASSERT_EQ(s.Alerts(), (std::vector<DomainEvent>{Alert(1, 60, 50)}));
  // The 11th was an approved on-duty day: its absences count, 100 %, re-armed.
  s.Run(Mentee("S-1"), "RequestLeave",
        {{"leave_id", "OD-1"},
         {"student_id", "S-1"},
         {"kind", "on_duty"},
         {"from_date", "2026-11-11"},
         {"to_date", "2026-11-11"},
         {"reason", "symposium"}});
  EXPECT_EQ(SummarizeAttendance(s.state(), "S-1").hundredths, 5000);  // pending: no effect
  s.Run(Mentor("M-1"), "ApproveLeave", {{"leave_id", "OD-1"}});
  EXPECT_EQ(SummarizeAttendance(s.state(), "S-1").hundredths, 10000);
  EXPECT_EQ(s.state().tallies.at("S-1").alerted_level, 0);
  EXPECT_EQ(s.Alerts().size(), 1u);
  // Correcting a covered absence to `leave` takes it out of the on-duty count: 9/10.
  s.Run(Admin(), "CorrectAttendance",
        {{"course_id", "CS101"},
         {"date", "2026-11-11"},
         {"period", 1},
         {"student_id", "S-1"},
         {"status", "leave"},
         {"reason", "r"}});
  EXPECT_EQ(SummarizeAttendance(s.state(), "S-1").hundredths, 9000);
}

TEST_F(AlertPolicy, ApprovedLeaveOfKindLeaveDoesNotCount) {
  s.Run(Mentee("S-1"), "RequestLeave",
        {{"leave_id", "L-1"},
         {"student_id", "S-1"},
         {"kind", "leave"},
         {"from_date", "2026-11-10"},
         {"to_date", "2026-11-10"},
         {"reason", "ill"}});
  s.Run(Mentor("M-1"), "ApproveLeave", {{"leave_id", "L-1"}});
  Classes(10, "absent");
  EXPECT_EQ(s.Alerts(), (std::vector<DomainEvent>{Alert(1, 40, 0)}));
}

TEST_F(AlertPolicy, ReplayingTheLogRaisesNothingNew) {
  Classes(6, "present");
  Classes(8, "absent");
  Classes(10, "present");
  Classes(9, "absent");
  ASSERT_GE(s.Alerts().size(), 3u);
  const WriteState rebuilt = Rebuild(s.log());
  EXPECT_EQ(rebuilt, s.state());
  for (const events::Envelope& e : s.log()) {
    EXPECT_TRUE(AttendanceAlerts(rebuilt, e).empty()) << e.type << " at " << e.position;
  }
}

TEST_F(AlertPolicy, OnlyAttendanceAndLeaveApprovalTriggerThePolicy) {
  Classes(10, "absent");
  events::Envelope other = s.log().front();
  EXPECT_TRUE(AttendanceAlerts(s.state(), other).empty());
}

}  // namespace
}  // namespace mentorlog::commands::testing
