// DOMAIN.md 5: exam results, achievements, enrolment history, counselling.

#include <gtest/gtest.h>

#include "tests/commands/given_when_then.h"

namespace mentorlog::commands::testing {
namespace {

class Academic : public ::testing::Test {
 protected:
  void SetUp() override { s.Standard(); }
  Scenario s;
};

Json Exam(std::int64_t marks, std::int64_t max, std::string student = "S-1") {
  return {{"student_id", std::move(student)},
          {"exam", "Midterm"},
          {"subject", "Data Structures"},
          {"marks", marks},
          {"max_marks", max}};
}

Json Counselling(std::string id, std::vector<std::string> students,
                 std::string at = "2026-11-23T07:00:00Z") {
  return {{"counselling_id", std::move(id)},
          {"name", "Study plan"},
          {"at", std::move(at)},
          {"notes", "exam stress"},
          {"attachments", {{{"name", "plan.pdf"}, {"uri", "https://files.example/plan.pdf"}}}},
          {"student_ids", std::move(students)}};
}

TEST_F(Academic, ExamResultFlagsAConcernBelowFortyPercentOfTheMaximum) {
  EXPECT_TRUE(EventsAre(s.When(Mentor("M-1"), "RecordExamResult", Exam(19, 50)),
                        {{"student-S-1",
                          "ExamResultRecorded",
                          {{"student_id", "S-1"},
                           {"exam", "Midterm"},
                           {"subject", "Data Structures"},
                           {"marks", 19},
                           {"max_marks", 50},
                           {"percentage", 38.0},
                           {"concern", true}}}}));
  // Exactly 40 % is not a concern.
  const auto at_forty = s.When(Admin(), "RecordExamResult", Exam(20, 50));
  ASSERT_TRUE(Accepted(at_forty));
  EXPECT_EQ(at_forty->front().data["concern"], false);
  EXPECT_EQ(at_forty->front().data["percentage"], 40.0);
  Json with_term = Exam(2, 3);
  with_term["term"] = "2026-odd";
  const auto termed = s.When(Admin(), "RecordExamResult", with_term);
  ASSERT_TRUE(Accepted(termed));
  EXPECT_EQ(termed->front().data["term"], "2026-odd");
  EXPECT_EQ(termed->front().data["percentage"], 66.66);  // truncated, two decimals
}

TEST_F(Academic, ExamResultRules) {
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "RecordExamResult", Exam(51, 50)),
                           ErrorCode::kInvalidArgument, "marks"));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "RecordExamResult", Exam(1, 0)),
                           ErrorCode::kInvalidArgument, "max_marks"));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "RecordExamResult", Exam(10, 50, "S-2")),
                           ErrorCode::kForbidden, "student_id"));
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "RecordExamResult", Exam(10, 50)),
                           ErrorCode::kForbidden, ""));
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "RecordExamResult", Exam(10, 50, "S-9")),
                           ErrorCode::kNotFound, "student_id"));
}

TEST_F(Academic, AchievementsAndEnrolmentHistory) {
  EXPECT_TRUE(EventsAre(s.When(Mentor("M-1"), "RecordAchievement",
                               {{"student_id", "S-1"},
                                {"title", "Hackathon winner"},
                                {"category", "extracurricular"},
                                {"date", "2026-11-20"}}),
                        {{"student-S-1",
                          "AchievementRecorded",
                          {{"student_id", "S-1"},
                           {"title", "Hackathon winner"},
                           {"category", "extracurricular"},
                           {"date", "2026-11-20"}}}}));
  EXPECT_TRUE(RejectedWith(
      s.When(Mentor("M-2"), "RecordAchievement",
             {{"student_id", "S-1"}, {"title", "t"}, {"category", "c"}, {"date", "2026-11-20"}}),
      ErrorCode::kForbidden, "student_id"));
  const Json enrolment = {{"student_id", "S-1"},
                          {"term", "2026-odd"},
                          {"programme", "B.E. CSE"},
                          {"courses", {"CS301", "CS302"}},
                          {"status", "enrolled"}};
  EXPECT_TRUE(EventsAre(s.When(Admin(), "RecordEnrollment", enrolment),
                        {{"student-S-1", "EnrollmentRecorded", enrolment}}));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "RecordEnrollment", enrolment),
                           ErrorCode::kForbidden, ""));
}

TEST_F(Academic, CounsellingForOneOrManyOwnMenteesWithAttachments) {
  s.Run(Admin(), "AssignMentor", {{"student_id", "S-3"}, {"mentor_id", "M-1"}});
  EXPECT_TRUE(EventsAre(
      s.When(Mentor("M-1"), "CreateCounselling", Counselling("C-1", {"S-1", "S-3"})),
      {{"counselling-C-1",
        "CounsellingCreated",
        {{"counselling_id", "C-1"},
         {"mentor_id", "M-1"},
         {"name", "Study plan"},
         {"at", "2026-11-23T07:00:00.000Z"},
         {"notes", "exam stress"},
         {"attachments", {{{"name", "plan.pdf"}, {"uri", "https://files.example/plan.pdf"}}}},
         {"student_ids", {"S-1", "S-3"}}}}}));
  EXPECT_TRUE(
      RejectedWith(s.When(Mentor("M-1"), "CreateCounselling", Counselling("C-1", {"S-1", "S-2"})),
                   ErrorCode::kForbidden, "student_ids[1]"));
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "CreateCounselling", Counselling("C-1", {"S-1"})),
                           ErrorCode::kForbidden, ""));
  EXPECT_TRUE(
      RejectedWith(s.When(Mentor("M-1"), "CreateCounselling", Counselling("C-1", {"S-1", "S-9"})),
                   ErrorCode::kNotFound, "student_ids[1]"));
  Json bad_uri = Counselling("C-1", {"S-1"});
  bad_uri["attachments"][0]["uri"] = "plan.pdf";
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "CreateCounselling", bad_uri),
                           ErrorCode::kInvalidArgument, "attachments[0].uri"));
  Json two_same = Counselling("C-1", {"S-1"});
  two_same["attachments"].push_back(two_same["attachments"][0]);
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "CreateCounselling", two_same),
                           ErrorCode::kInvalidArgument, "attachments[1].name"));
  s.Run(Mentor("M-1"), "CreateCounselling", Counselling("C-1", {"S-1"}));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "CreateCounselling", Counselling("C-1", {"S-1"})),
                           ErrorCode::kConflict, "counselling_id"));
}

TEST_F(Academic, OutcomeOnlyByTheCounsellingsMentorAfterItStarts) {
  s.Run(Mentor("M-1"), "CreateCounselling", Counselling("C-1", {"S-1"}, "2026-11-23T09:00:00Z"));
  const Json outcome = {
      {"counselling_id", "C-1"}, {"outcome", "calmer"}, {"goals", {"sleep 8 h", "revise daily"}}};
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "RecordCounsellingOutcome", outcome),
                           ErrorCode::kInvalidState, "counselling_id"));
  const auto later = T("2026-11-23T10:00:00Z");
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-2"), "RecordCounsellingOutcome", outcome, later),
                           ErrorCode::kForbidden, "counselling_id"));
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "RecordCounsellingOutcome", outcome, later),
                           ErrorCode::kForbidden, ""));
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "RecordCounsellingOutcome", outcome, later),
                           ErrorCode::kForbidden, ""));
  EXPECT_TRUE(EventsAre(s.When(Mentor("M-1"), "RecordCounsellingOutcome", outcome, later),
                        {{"counselling-C-1",
                          "CounsellingOutcomeRecorded",
                          {{"counselling_id", "C-1"},
                           {"mentor_id", "M-1"},
                           {"student_ids", {"S-1"}},
                           {"outcome", "calmer"},
                           {"goals", {"sleep 8 h", "revise daily"}},
                           {"revision", 1}}}}));
  s.Run(Mentor("M-1"), "RecordCounsellingOutcome", outcome, later);
  // An update keeps the history: a second outcome is revision 2.
  const auto second = s.When(Mentor("M-1"), "RecordCounsellingOutcome",
                             {{"counselling_id", "C-1"}, {"outcome", "better"}}, later);
  ASSERT_TRUE(Accepted(second));
  EXPECT_EQ(second->front().data["revision"], 2);
  EXPECT_EQ(second->front().data["goals"], Json::array());
  // The mentor stays the counselling's mentor after the student moves on.
  s.Run(Admin(), "AssignMentor", {{"student_id", "S-1"}, {"mentor_id", "M-2"}});
  EXPECT_TRUE(Accepted(s.When(Mentor("M-1"), "RecordCounsellingOutcome", outcome, later)));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "RecordCounsellingOutcome",
                                  {{"counselling_id", "C-9"}, {"outcome", "x"}}, later),
                           ErrorCode::kNotFound, "counselling_id"));
}

TEST_F(Academic, RequestedCounsellingIsAnsweredByCreatingASession) {
  const Json request = {{"request_id", "CQ-1"}, {"student_id", "S-1"}, {"topic", "exam anxiety"}};
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-2"), "RequestCounselling", request),
                           ErrorCode::kForbidden, "student_id"));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "RequestCounselling", request),
                           ErrorCode::kForbidden, ""));
  EXPECT_TRUE(EventsAre(s.When(Mentee("S-1"), "RequestCounselling", request),
                        {{"student-S-1", "CounsellingRequested", request}}));
  s.Run(Mentee("S-1"), "RequestCounselling", request);
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "RequestCounselling", request),
                           ErrorCode::kConflict, "request_id"));

  Json answer = Counselling("C-1", {"S-1"});
  answer["request_id"] = "CQ-9";
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "CreateCounselling", answer), ErrorCode::kNotFound,
                           "request_id"));
  s.Run(Admin(), "AssignMentor", {{"student_id", "S-3"}, {"mentor_id", "M-1"}});
  Json wrong_student = Counselling("C-1", {"S-3"});
  wrong_student["request_id"] = "CQ-1";
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "CreateCounselling", wrong_student),
                           ErrorCode::kInvalidArgument, "request_id"));
  answer["request_id"] = "CQ-1";
  const auto answered = s.When(Mentor("M-1"), "CreateCounselling", answer);
  ASSERT_TRUE(Accepted(answered));
  EXPECT_EQ(answered->front().data["request_id"], "CQ-1");
  s.Run(Mentor("M-1"), "CreateCounselling", answer);
  EXPECT_EQ(s.state().counselling_requests.at("CQ-1").answered_by, "C-1");
  answer["counselling_id"] = "C-2";
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "CreateCounselling", answer),
                           ErrorCode::kInvalidState, "request_id"));
  EXPECT_TRUE(Rebuild(s.log()) == s.state());
}

}  // namespace
}  // namespace mentorlog::commands::testing
