// leaves, alerts, students and engagement from given events: exact contents,
// ordering, filters, paging and read rules.

#include "tests/projections/projection_test_support.h"

namespace mentorlog::projections::testing {
namespace {

const events::Actor kM1{"M-1", "mentor"}, kM2{"M-2", "mentor"};
const events::Actor kS1{"S-1", "mentee"}, kS2{"S-2", "mentee"};

std::vector<std::string> Ids(const json& page, const char* field) {
  std::vector<std::string> out;
  for (const json& item : page["items"]) out.push_back(item[field]);
  return out;
}
using Ids_ = std::vector<std::string>;

class LeavesViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Seed(log_);
    log_.Add("LeaveRequested",
             {{"leave_id", "L-1"},
              {"student_id", "S-1"},
              {"kind", "leave"},
              {"from_date", "2026-11-10"},
              {"to_date", "2026-11-11"},
              {"reason", "fever"}},
             kS1);
    log_.Add("LeaveRequested",
             {{"leave_id", "L-2"},
              {"student_id", "S-2"},
              {"kind", "on_duty"},
              {"from_date", "2026-11-12"},
              {"to_date", "2026-11-12"},
              {"reason", "symposium"}},
             kM1);
    log_.Add("LeaveRequested",
             {{"leave_id", "L-3"},
              {"student_id", "S-3"},
              {"kind", "leave"},
              {"from_date", "2026-11-13"},
              {"to_date", "2026-11-14"},
              {"reason", "trip"}},
             {"S-3", "mentee"});
    log_.Add("LeaveApproved",
             {{"leave_id", "L-2"},
              {"student_id", "S-2"},
              {"kind", "on_duty"},
              {"from_date", "2026-11-12"},
              {"to_date", "2026-11-12"},
              {"remark", "ok"}},
             kM1);
    log_.Add("LeaveRejected", {{"leave_id", "L-3"}, {"student_id", "S-3"}, {"remark", "exams"}},
             kM2);
  }
  LogBuilder log_;
};

TEST_F(LeavesViewTest, NewestFirstWithFilters) {
  auto p = Fold("leaves", log_);
  EXPECT_EQ(Ids(Ok(*p, Read("leaves", kAdmin)), "leave_id"), (Ids_{"L-3", "L-2", "L-1"}));
  EXPECT_EQ(Ids(Ok(*p, Read("leaves", kAdmin, {}, {{"status", "pending"}})), "leave_id"),
            (Ids_{"L-1"}));
  EXPECT_EQ(Ids(Ok(*p, Read("leaves", kAdmin, {}, {{"mentor", "M-1"}})), "leave_id"),
            (Ids_{"L-2", "L-1"}));
  EXPECT_EQ(Ids(Ok(*p, Read("leaves", kAdmin, {}, {{"kind", "leave"}})), "leave_id"),
            (Ids_{"L-3", "L-1"}));
  const json page = Ok(*p, Read("leaves", kAdmin, {}, {{"limit", "2"}}));
  EXPECT_EQ(Ids(page, "leave_id"), (Ids_{"L-3", "L-2"}));
  EXPECT_EQ(page["next_offset"], 2);
  EXPECT_EQ(Ok(*p, Read("leaves", kM1, "L-2")), json::parse(R"({
    "leave_id": "L-2", "student_id": "S-2", "mentor_id": "M-1", "kind": "on_duty",
    "from_date": "2026-11-12", "to_date": "2026-11-12", "reason": "symposium",
    "status": "approved", "requested_at": "2026-11-01T08:00:09.000Z", "requested_by": "M-1",
    "decided_at": "2026-11-01T08:00:11.000Z", "decided_by": "M-1", "remark": "ok"})"));
}

TEST_F(LeavesViewTest, ReadRules) {
  auto p = Fold("leaves", log_);
  EXPECT_EQ(Ids(Ok(*p, Read("leaves", kS1)), "leave_id"), (Ids_{"L-1"}));
  EXPECT_EQ(Ids(Ok(*p, Read("leaves", kM1)), "leave_id"), (Ids_{"L-2", "L-1"}));
  EXPECT_EQ(Err(*p, Read("leaves", kS1, {}, {{"student", "S-2"}})), "forbidden");
  EXPECT_EQ(Err(*p, Read("leaves", kM1, {}, {{"mentor", "M-2"}})), "forbidden");
  EXPECT_EQ(Err(*p, Read("leaves", kS1, "L-2")), "forbidden");
  EXPECT_EQ(Err(*p, Read("leaves", kM1, "L-3")), "forbidden");
  EXPECT_EQ(Err(*p, Read("leaves", kAdmin, "L-9")), "not_found");
}

TEST(AlertsViewTest, OpenAndAcknowledgedNewestFirst) {
  LogBuilder log;
  Seed(log);
  log.Add("AttendanceAlertRaised",
          {{"alert_id", "alert-1"}, {"student_id", "S-1"}, {"level", 60}, {"percentage", 55.5}},
          kSystem);
  log.Add("AttendanceAlertRaised",
          {{"alert_id", "alert-2"}, {"student_id", "S-3"}, {"level", 50}, {"percentage", 45.0}},
          kSystem);
  log.Add("AlertAcknowledged",
          {{"alert_id", "alert-1"},
           {"student_id", "S-1"},
           {"action", "contacted_student"},
           {"note", "called"}},
          kM1);
  auto p = Fold("alerts", log);
  EXPECT_EQ(Ids(Ok(*p, Read("alerts", kAdmin)), "alert_id"), (Ids_{"alert-2", "alert-1"}));
  EXPECT_EQ(Ids(Ok(*p, Read("alerts", kAdmin, {}, {{"status", "open"}})), "alert_id"),
            (Ids_{"alert-2"}));
  EXPECT_EQ(Ids(Ok(*p, Read("alerts", kAdmin, {}, {{"level", "60"}})), "alert_id"),
            (Ids_{"alert-1"}));
  EXPECT_EQ(Ids(Ok(*p, Read("alerts", kM1)), "alert_id"), (Ids_{"alert-1"}));
  EXPECT_EQ(Ok(*p, Read("alerts", kM1, "alert-1")), json::parse(R"({
    "alert_id": "alert-1", "student_id": "S-1", "mentor_id": "M-1", "level": 60,
    "percentage": 55.5, "raised_at": "2026-11-01T08:00:08.000Z", "status": "acknowledged",
    "acknowledged_at": "2026-11-01T08:00:10.000Z", "acknowledged_by": "M-1",
    "action": "contacted_student", "note": "called"})"));
  EXPECT_EQ(Err(*p, Read("alerts", kM1, "alert-2")), "forbidden");
  EXPECT_EQ(Err(*p, Read("alerts", kM1, {}, {{"mentor", "M-2"}})), "forbidden");
  EXPECT_EQ(Err(*p, Read("alerts", kS1)), "forbidden");
  EXPECT_EQ(Err(*p, Read("alerts", kAdmin, {}, {{"status", "closed"}})), "invalid_argument");
}

class StudentsViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Seed(log_);
    log_.Add("StudentProfileUpdated",
             {{"student_id", "S-1"},
              {"changes", {{"phone", "999"}}},
              {"previous", {{"phone", nullptr}}}},
             kS1);
    log_.Add("MentorAssigned",
             {{"student_id", "S-3"}, {"mentor_id", "M-1"}, {"previous_mentor_id", "M-2"}});
  }
  LogBuilder log_;
};

TEST_F(StudentsViewTest, SearchByNameWordOrRollNumberPrefixCaseInsensitive) {
  auto p = Fold("students", log_);
  EXPECT_EQ(Ids(Ok(*p, Read("students", kAdmin, {}, {{"q", "ra"}})), "student_id"),
            (Ids_{"S-1", "S-2"}));
  EXPECT_EQ(Ids(Ok(*p, Read("students", kAdmin, {}, {{"q", "IYER"}})), "student_id"),
            (Ids_{"S-3"}));
  EXPECT_EQ(Ids(Ok(*p, Read("students", kAdmin, {}, {{"q", "21cs003"}})), "student_id"),
            (Ids_{"S-3"}));
  EXPECT_EQ(
      Ids(Ok(*p, Read("students", kAdmin, {}, {{"q", "21CS"}, {"limit", "2"}})), "student_id"),
      (Ids_{"S-1", "S-2"}));
  EXPECT_EQ(Ok(*p, Read("students", kAdmin, {}, {{"q", "zz"}}))["total"], 0);
  EXPECT_EQ(Ok(*p, Read("students", kAdmin))["items"][2], json::parse(R"({
    "student_id": "S-3", "roll_number": "21CS003", "name": "Meera Iyer", "department": "CSE",
    "year": 2, "mentor_id": "M-1"})"));
}

TEST_F(StudentsViewTest, ProfileWithItsChangeHistory) {
  auto p = Fold("students", log_);
  EXPECT_EQ(Ok(*p, Read("students", kS1, "S-1")), json::parse(R"({
    "student_id": "S-1", "roll_number": "21CS001", "name": "Asha Rao", "department": "CSE",
    "year": 2, "phone": "999", "mentor_id": "M-1", "enrolled_at": "2026-11-01T08:00:02.000Z",
    "enrolled_position": 3,
    "history": [
      {"position": 6, "time": "2026-11-01T08:00:05.000Z", "actor": {"id": "A-1", "role": "admin"},
       "kind": "mentor_assigned", "changes": {"mentor_id": "M-1"},
       "previous": {"mentor_id": null}},
      {"position": 9, "time": "2026-11-01T08:00:08.000Z",
       "actor": {"id": "S-1", "role": "mentee"}, "kind": "profile_updated",
       "changes": {"phone": "999"}, "previous": {"phone": null}}]})"));
}

// Profiles and changes are kept as JSON text: a snapshot whose text is not a
// JSON object is refused, not served.
TEST_F(StudentsViewTest, ASnapshotWhoseProfileIsNotJsonIsRefused) {
  const auto p = Fold("students", log_);
  const std::string bytes = p->SaveBinary();
  ASSERT_TRUE(MakeProjection("students")->RestoreBinary(bytes, p->Position()));
  const std::size_t profile = bytes.find("{\"department\"");
  ASSERT_NE(profile, std::string::npos);
  std::string damaged = bytes;
  damaged[profile] = '[';
  EXPECT_FALSE(MakeProjection("students")->RestoreBinary(damaged, p->Position()));
  const std::size_t change = bytes.find("{\"mentor_id\"");  // a history entry's
  ASSERT_NE(change, std::string::npos);
  damaged = bytes;
  damaged[change] = 'x';
  EXPECT_FALSE(MakeProjection("students")->RestoreBinary(damaged, p->Position()));
}

TEST_F(StudentsViewTest, ReadRules) {
  auto p = Fold("students", log_);
  EXPECT_EQ(Err(*p, Read("students", kS1, "S-2")), "forbidden");
  EXPECT_EQ(Err(*p, Read("students", kS1)), "forbidden");
  EXPECT_EQ(Ids(Ok(*p, Read("students", kM1)), "student_id"), (Ids_{"S-1", "S-2", "S-3"}));
  EXPECT_EQ(Ok(*p, Read("students", kM2))["total"], 0);  // S-3 moved to M-1
  EXPECT_EQ(Err(*p, Read("students", kM2, "S-3")), "forbidden");
  EXPECT_EQ(Err(*p, Read("students", kAdmin, "S-9")), "not_found");
}

TEST(EngagementViewTest, ProgrammeEvaluation) {
  LogBuilder log;
  Seed(log);
  const auto meeting = [&](const std::string& id, const std::string& student,
                           const std::string& start, const std::string& end) {
    log.Add("MeetingScheduled",
            {{"meeting_id", id},
             {"mentor_id", "M-1"},
             {"student_ids", {student}},
             {"title", "t"},
             {"mode", "online"},
             {"start", start},
             {"end", end},
             {"status", "accepted"},
             {"proposed_by", "mentor"}},
            kM1);
  };
  meeting("MT-1", "S-1", "2026-11-10T09:00:00Z", "2026-11-10T10:00:00Z");
  meeting("MT-2", "S-2", "2026-11-11T09:00:00Z", "2026-11-11T10:00:00Z");
  meeting("MT-3", "S-1", "2026-11-12T09:00:00Z", "2026-11-12T10:00:00Z");
  meeting("MT-4", "S-1", "2026-12-12T09:00:00Z", "2026-12-12T10:00:00Z");
  log.Add("MeetingConfirmed", {{"meeting_id", "MT-1"}});
  log.Add("MeetingDisputed", {{"meeting_id", "MT-2"}});
  log.Add("ObservationRecorded", {{"meeting_id", "MT-1"}, {"next_action_items", {"x", "y"}}}, kM1);
  log.Add("ActionItemCompleted", {{"meeting_id", "MT-1"}, {"item", 0}}, kS1);
  log.Add("SatisfactionSubmitted", {{"rating", 4}}, kM1);
  log.Add("SatisfactionSubmitted", {{"rating", 5}}, kM2);
  log.Add("SatisfactionSubmitted", {{"rating", 3}}, kS1);
  log.Add("SatisfactionSubmitted", {{"rating", 5}}, kS1);  // replaces the 3
  log.Add("FeedbackGiven", {{"student_id", "S-1"}, {"kind", "general"}, {"text", "good"}}, kM1);
  log.Add("MilestoneCompleted",
          {{"program_id", "P-1"}, {"student_id", "S-1"}, {"milestone_id", "MS-1"}}, kM1);
  log.Add("CounsellingOutcomeRecorded",
          {{"counselling_id", "C-1"}, {"outcome", "ok"}, {"goals", {"g1", "g2"}}}, kM1);
  log.At(T("2026-11-20T08:00:00Z"));
  log.Add("MentorshipRequested",
          {{"request_id", "R-1"}, {"team_or_student", "T-1"}, {"topic", "APIs"}}, kS1);
  log.Add("MentorshipRequested",
          {{"request_id", "R-2"}, {"team_or_student", "T-2"}, {"topic", "ML"}}, kS2);
  log.At(T("2026-11-20T10:00:01Z"));
  log.Add("MentorshipRequestAssigned", {{"request_id", "R-2"}, {"mentor_id", "M-1"}});
  auto p = Fold("engagement", log);
  EXPECT_EQ(Ok(*p, Read("engagement", kAuditor, {}, {}, T("2026-11-20T20:00:00Z"))),
            json::parse(R"({
    "sessions_held": 1, "sessions_disputed": 1, "validation_rate": 33.33,
    "pairs": {"items": [{"mentor_id": "M-1", "student_id": "S-1", "sessions": 1}],
              "total": 1, "offset": 0, "limit": 50, "next_offset": null},
    "action_items": {"total": 2, "completed": 1},
    "milestones_completed": 1, "counselling_goals": 2, "feedback_given": 1,
    "counselling": {"sessions": 0, "held": 0, "with_outcome": 0, "goals": 2},
    "satisfaction": {"mentors": {"average": 4.5, "count": 2},
                     "mentees": {"average": 5.0, "count": 1}},
    "mentorship_requests": {
      "open": 1,
      "open_requests": [{"request_id": "R-1", "team_or_student": "T-1", "topic": "APIs",
                         "requested_at": "2026-11-20T08:00:00.000Z", "waited_hours": 12.0}],
      "average_open_wait_hours": 12.0, "assigned": 1, "average_assigned_wait_hours": 2.0}})"));
  EXPECT_EQ(Err(*p, Read("engagement", kM1)), "forbidden");
}

}  // namespace
}  // namespace mentorlog::projections::testing
