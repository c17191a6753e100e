// DOMAIN.md 3: attendance and alerts (the alert policy is in attendance_alerts_test.cc).

#include <gtest/gtest.h>

#include "tests/commands/given_when_then.h"

namespace mentorlog::commands::testing {
namespace {

Json Sheet(std::string date, int period, Json entries, std::string course = "CS101") {
  return {{"course_id", std::move(course)},
          {"date", std::move(date)},
          {"period", period},
          {"entries", std::move(entries)}};
}

class Attendance : public ::testing::Test {
 protected:
  void SetUp() override { s.Standard(); }
  Scenario s;
};

TEST_F(Attendance, RecordByAnyRegisteredMentorForAnyEnrolledStudent) {
  const Json body = Sheet("2026-11-23", 1,
                          {{{"student_id", "S-1"}, {"status", "present"}},
                           {{"student_id", "S-2"}, {"status", "on_duty"}}});
  EXPECT_TRUE(EventsAre(s.When(Mentor("M-1"), "RecordAttendance", body),
                        {{"attendance-CS101",
                          "AttendanceRecorded",
                          {{"course_id", "CS101"},
                           {"date", "2026-11-23"},
                           {"period", 1},
                           {"entries",
                            {{{"student_id", "S-1"}, {"status", "present"}},
                             {{"student_id", "S-2"}, {"status", "on_duty"}}}}}}}));
  EXPECT_TRUE(Accepted(s.When(Admin(), "RecordAttendance", body)));
  EXPECT_TRUE(
      RejectedWith(s.When(Mentor("M-404"), "RecordAttendance", body), ErrorCode::kForbidden, ""));
  EXPECT_TRUE(
      RejectedWith(s.When(Mentee("S-1"), "RecordAttendance", body), ErrorCode::kForbidden, ""));
}

TEST_F(Attendance, RecordUnknownStudent) {
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "RecordAttendance",
                                  Sheet("2026-11-23", 1,
                                        {{{"student_id", "S-1"}, {"status", "present"}},
                                         {{"student_id", "S-9"}, {"status", "absent"}}})),
                           ErrorCode::kNotFound, "entries[1].student_id"));
}

TEST_F(Attendance, RecordNotForAFutureDateTodayIsFine) {
  const Json entries = {{{"student_id", "S-1"}, {"status", "present"}}};
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "RecordAttendance", Sheet("2026-11-24", 1, entries)),
                           ErrorCode::kInvalidState, "date"));
  // "now" is 08:00 on the 23rd: the whole of the 23rd (UTC) is today.
  EXPECT_TRUE(Accepted(s.When(Admin(), "RecordAttendance", Sheet("2026-11-23", 8, entries))));
  EXPECT_TRUE(Accepted(s.When(Admin(), "RecordAttendance", Sheet("2026-11-24", 1, entries),
                              T("2026-11-24T00:00:00Z"))));
}

TEST_F(Attendance, ACourseDatePeriodIsRecordedOnce) {
  const Json entries = {{{"student_id", "S-1"}, {"status", "present"}}};
  s.Run(Admin(), "RecordAttendance", Sheet("2026-11-23", 1, entries));
  EXPECT_TRUE(
      RejectedWith(s.When(Mentor("M-2"), "RecordAttendance",
                          Sheet("2026-11-23", 1, {{{"student_id", "S-2"}, {"status", "present"}}})),
                   ErrorCode::kConflict, "period"));
  EXPECT_TRUE(Accepted(s.When(Admin(), "RecordAttendance", Sheet("2026-11-23", 2, entries))));
  EXPECT_TRUE(Accepted(s.When(Admin(), "RecordAttendance", Sheet("2026-11-22", 1, entries))));
  EXPECT_TRUE(
      Accepted(s.When(Admin(), "RecordAttendance", Sheet("2026-11-23", 1, entries, "CS102"))));
}

TEST_F(Attendance, CorrectTheRecordThatExists) {
  s.Run(Admin(), "RecordAttendance",
        Sheet("2026-11-23", 1, {{{"student_id", "S-1"}, {"status", "absent"}}}));
  const Json fix = {{"course_id", "CS101"}, {"date", "2026-11-23"}, {"period", 1},
                    {"student_id", "S-1"},  {"status", "present"},  {"reason", "late entry"}};
  EXPECT_TRUE(
      EventsAre(s.When(Mentor("M-2"), "CorrectAttendance", fix), {{"attendance-CS101",
                                                                   "AttendanceCorrected",
                                                                   {{"course_id", "CS101"},
                                                                    {"date", "2026-11-23"},
                                                                    {"period", 1},
                                                                    {"student_id", "S-1"},
                                                                    {"status", "present"},
                                                                    {"previous_status", "absent"},
                                                                    {"reason", "late entry"}}}}));
  Json other = fix;
  other["period"] = 2;
  EXPECT_TRUE(
      RejectedWith(s.When(Admin(), "CorrectAttendance", other), ErrorCode::kNotFound, "period"));
  other = fix;
  other["student_id"] = "S-2";
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "CorrectAttendance", other), ErrorCode::kNotFound,
                           "student_id"));
  EXPECT_TRUE(
      RejectedWith(s.When(Mentee("S-1"), "CorrectAttendance", fix), ErrorCode::kForbidden, ""));
  s.Run(Admin(), "CorrectAttendance", fix);
  EXPECT_TRUE(
      RejectedWith(s.When(Admin(), "CorrectAttendance", fix), ErrorCode::kInvalidState, "status"));
  const AttendanceTally& t = s.state().tallies.at("S-1");
  EXPECT_EQ(t.present, 1);
  EXPECT_EQ(t.absent, 0);
  EXPECT_TRUE(t.absences_by_date.empty());
}

// S-1 falls to 5/10 = 50 % with 10 classes: one alert at 50.
void DropS1ToHalf(Scenario& s) {
  for (int p = 1; p <= 10; ++p) {
    s.Run(Admin(), "RecordAttendance",
          Sheet("2026-11-20", p,
                {{{"student_id", "S-1"}, {"status", p <= 5 ? "present" : "absent"}}}));
  }
}

TEST_F(Attendance, AcknowledgeAlertByTheStudentsMentorWhileOpen) {
  DropS1ToHalf(s);
  ASSERT_EQ(s.Alerts().size(), 1u);
  const Json ack = {{"alert_id", "alert-1"}, {"action", "contacted_guardian"}, {"note", "called"}};
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-2"), "AcknowledgeAlert", ack), ErrorCode::kForbidden,
                           "alert_id"));
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "AcknowledgeAlert", ack), ErrorCode::kForbidden, ""));
  EXPECT_TRUE(RejectedWith(
      s.When(Mentor("M-1"), "AcknowledgeAlert", {{"alert_id", "alert-9"}, {"action", "referred"}}),
      ErrorCode::kNotFound, "alert_id"));
  EXPECT_TRUE(
      EventsAre(s.When(Mentor("M-1"), "AcknowledgeAlert", ack), {{"student-S-1",
                                                                  "AlertAcknowledged",
                                                                  {{"alert_id", "alert-1"},
                                                                   {"student_id", "S-1"},
                                                                   {"action", "contacted_guardian"},
                                                                   {"note", "called"}}}}));
  s.Run(Mentor("M-1"), "AcknowledgeAlert", ack);
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "AcknowledgeAlert", ack), ErrorCode::kInvalidState,
                           "alert_id"));
}

}  // namespace
}  // namespace mentorlog::commands::testing
