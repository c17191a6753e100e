// DOMAIN.md 6: programmes, milestones, skill ratings, feedback, nominations.

#include <gtest/gtest.h>

#include "tests/commands/given_when_then.h"

namespace mentorlog::commands::testing {
namespace {

Json Program(std::string id, bool customisable) {
  return {{"program_id", std::move(id)},
          {"name", "Leadership"},
          {"milestones",
           {{{"milestone_id", "MS-1"}, {"title", "Goal setting"}},
            {{"milestone_id", "MS-2"}, {"title", "Stakeholder review"}}}},
          {"mentor_can_customise", customisable}};
}

Json Done(std::string milestone, std::string student = "S-1", std::string program = "P-1") {
  return {{"program_id", std::move(program)},
          {"student_id", std::move(student)},
          {"milestone_id", std::move(milestone)}};
}

class Programmes : public ::testing::Test {
 protected:
  void SetUp() override {
    s.Standard();
    s.Run(Admin(), "CreateProgram", Program("P-1", true));
    s.Run(Admin(), "CreateProgram", Program("P-2", false));
    for (const char* p : {"P-1", "P-2"}) {
      for (const char* st : {"S-1", "S-2"}) {
        s.Run(Admin(), "EnrollInProgram", {{"program_id", p}, {"student_id", st}});
      }
    }
  }
  Scenario s;
};

TEST_F(Programmes, CreateAndEnrol) {
  Scenario fresh;
  fresh.Standard();
  Json body = Program("P-9", false);
  body.erase("mentor_can_customise");
  Json want = body;
  want["mentor_can_customise"] = false;  // the default
  EXPECT_TRUE(EventsAre(fresh.When(Admin(), "CreateProgram", body),
                        {{"program-P-9", "ProgramCreated", want}}));
  EXPECT_TRUE(
      RejectedWith(fresh.When(Mentor("M-1"), "CreateProgram", body), ErrorCode::kForbidden, ""));
  Json dup = body;
  dup["milestones"][1]["milestone_id"] = "MS-1";
  EXPECT_TRUE(RejectedWith(fresh.When(Admin(), "CreateProgram", dup), ErrorCode::kInvalidArgument,
                           "milestones[1].milestone_id"));
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "CreateProgram", Program("P-1", false)),
                           ErrorCode::kConflict, "program_id"));

  EXPECT_TRUE(EventsAre(
      s.When(Admin(), "EnrollInProgram", {{"program_id", "P-1"}, {"student_id", "S-3"}}),
      {{"program-P-1", "ProgramEnrolled", {{"program_id", "P-1"}, {"student_id", "S-3"}}}}));
  EXPECT_TRUE(RejectedWith(
      s.When(Admin(), "EnrollInProgram", {{"program_id", "P-1"}, {"student_id", "S-1"}}),
      ErrorCode::kConflict, "student_id"));
  EXPECT_TRUE(RejectedWith(
      s.When(Admin(), "EnrollInProgram", {{"program_id", "P-9"}, {"student_id", "S-1"}}),
      ErrorCode::kNotFound, "program_id"));
  EXPECT_TRUE(RejectedWith(
      s.When(Admin(), "EnrollInProgram", {{"program_id", "P-1"}, {"student_id", "S-9"}}),
      ErrorCode::kNotFound, "student_id"));
}

TEST_F(Programmes, MentorCustomisesOnlyWhereTheProgrammeAllows) {
  const Json custom = {{"program_id", "P-1"},
                       {"student_id", "S-1"},
                       {"milestones",
                        {{{"milestone_id", "MS-1"}, {"title", "Goal setting"}},
                         {{"milestone_id", "MS-3"}, {"title", "Public speaking"}}}}};
  Json want = custom;
  want["mentor_id"] = "M-1";
  EXPECT_TRUE(EventsAre(s.When(Mentor("M-1"), "CustomiseMilestones", custom),
                        {{"program-P-1", "MilestonesCustomised", want}}));
  Json not_allowed = custom;
  not_allowed["program_id"] = "P-2";
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "CustomiseMilestones", not_allowed),
                           ErrorCode::kForbidden, "program_id"));
  Json other = custom;
  other["student_id"] = "S-2";
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "CustomiseMilestones", other),
                           ErrorCode::kForbidden, "student_id"));
  EXPECT_TRUE(
      RejectedWith(s.When(Admin(), "CustomiseMilestones", custom), ErrorCode::kForbidden, ""));
  s.Run(Admin(), "AssignMentor", {{"student_id", "S-3"}, {"mentor_id", "M-1"}});
  Json unenrolled = custom;
  unenrolled["student_id"] = "S-3";
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "CustomiseMilestones", unenrolled),
                           ErrorCode::kInvalidState, "student_id"));

  // The customised list is the student's: MS-3 can now be completed, MS-2 cannot.
  s.Run(Mentor("M-1"), "CustomiseMilestones", custom);
  EXPECT_TRUE(Accepted(s.When(Mentor("M-1"), "CompleteMilestone", Done("MS-3"))));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "CompleteMilestone", Done("MS-2")),
                           ErrorCode::kNotFound, "milestone_id"));
  // A completed milestone cannot be customised away.
  s.Run(Mentor("M-1"), "CompleteMilestone", Done("MS-1"));
  Json drop = custom;
  drop["milestones"] = {{{"milestone_id", "MS-3"}, {"title", "Public speaking"}}};
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "CustomiseMilestones", drop),
                           ErrorCode::kInvalidState, "milestones"));
  EXPECT_TRUE(Rebuild(s.log()) == s.state());
}

TEST_F(Programmes, CompletingAMilestoneMakesAReviewDue) {
  EXPECT_TRUE(EventsAre(s.When(Mentor("M-1"), "CompleteMilestone", Done("MS-1")),
                        {{"program-P-1",
                          "MilestoneCompleted",
                          {{"program_id", "P-1"},
                           {"student_id", "S-1"},
                           {"milestone_id", "MS-1"},
                           {"mentor_id", "M-1"},
                           {"review_due", true}}}}));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-2"), "CompleteMilestone", Done("MS-1")),
                           ErrorCode::kForbidden, "student_id"));
  EXPECT_TRUE(
      RejectedWith(s.When(Admin(), "CompleteMilestone", Done("MS-1")), ErrorCode::kForbidden, ""));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "CompleteMilestone", Done("MS-9")),
                           ErrorCode::kNotFound, "milestone_id"));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "CompleteMilestone", Done("MS-1", "S-1", "P-9")),
                           ErrorCode::kNotFound, "program_id"));
  s.Run(Mentor("M-1"), "CompleteMilestone", Done("MS-1"));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "CompleteMilestone", Done("MS-1")),
                           ErrorCode::kInvalidState, "milestone_id"));
  // Not customisable (P-2) still lets the mentor complete the programme's milestones.
  EXPECT_TRUE(Accepted(s.When(Mentor("M-1"), "CompleteMilestone", Done("MS-2", "S-1", "P-2"))));
}

TEST_F(Programmes, SkillRatingsAndFeedbackByTheOwnMentor) {
  const Json rating = {
      {"student_id", "S-1"}, {"skill", "communication"}, {"rating", 4}, {"program_id", "P-1"}};
  Json want = rating;
  want["mentor_id"] = "M-1";
  EXPECT_TRUE(
      EventsAre(s.When(Mentor("M-1"), "RateSkill", rating), {{"student-S-1", "SkillRated", want}}));
  Json six = rating;
  six["rating"] = 6;
  EXPECT_TRUE(
      RejectedWith(s.When(Mentor("M-1"), "RateSkill", six), ErrorCode::kInvalidArgument, "rating"));
  Json unknown_program = rating;
  unknown_program["program_id"] = "P-9";
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "RateSkill", unknown_program),
                           ErrorCode::kNotFound, "program_id"));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-2"), "RateSkill", rating), ErrorCode::kForbidden,
                           "student_id"));
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "RateSkill", rating), ErrorCode::kForbidden, ""));

  const Json feedback = {
      {"student_id", "S-1"}, {"kind", "learning_behaviour"}, {"text", "asks good questions"}};
  Json fwant = feedback;
  fwant["mentor_id"] = "M-1";
  EXPECT_TRUE(EventsAre(s.When(Mentor("M-1"), "GiveFeedback", feedback),
                        {{"student-S-1", "FeedbackGiven", fwant}}));
  Json bad_kind = feedback;
  bad_kind["kind"] = "gossip";
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "GiveFeedback", bad_kind),
                           ErrorCode::kInvalidArgument, "kind"));
  EXPECT_TRUE(
      RejectedWith(s.When(Mentee("S-1"), "GiveFeedback", feedback), ErrorCode::kForbidden, ""));
}

TEST_F(Programmes, MenteeNominatesStakeholdersInTheirProgramme) {
  const Json nomination = {{"program_id", "P-1"},
                           {"student_id", "S-1"},
                           {"name", "Ms. Lata Rao"},
                           {"email", "lata@example.org"}};
  EXPECT_TRUE(EventsAre(s.When(Mentee("S-1"), "NominateStakeholder", nomination),
                        {{"program-P-1", "StakeholderNominated", nomination}}));
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-2"), "NominateStakeholder", nomination),
                           ErrorCode::kForbidden, "student_id"));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "NominateStakeholder", nomination),
                           ErrorCode::kForbidden, ""));
  Json bad_email = nomination;
  bad_email["email"] = "Lata Rao";
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "NominateStakeholder", bad_email),
                           ErrorCode::kInvalidArgument, "email"));
  Json not_enrolled = nomination;
  not_enrolled["student_id"] = "S-3";
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-3"), "NominateStakeholder", not_enrolled),
                           ErrorCode::kInvalidState, "student_id"));
  s.Run(Mentee("S-1"), "NominateStakeholder", nomination);
  Json again = nomination;
  again["email"] = "LATA@example.org";
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "NominateStakeholder", again),
                           ErrorCode::kConflict, "email"));
  Json other_programme = nomination;
  other_programme["program_id"] = "P-2";
  EXPECT_TRUE(Accepted(s.When(Mentee("S-1"), "NominateStakeholder", other_programme)));
}

}  // namespace
}  // namespace mentorlog::commands::testing

namespace mentorlog::commands::testing {
namespace {

TEST_F(Programmes, SatisfactionOnePerPersonPerProgrammeLaterReplaces) {
  EXPECT_TRUE(EventsAre(s.When(Mentee("S-1"), "SubmitSatisfaction",
                               {{"program_id", "P-1"}, {"rating", 4}, {"comment", "useful"}}),
                        {{"program-P-1",
                          "SatisfactionSubmitted",
                          {{"program_id", "P-1"},
                           {"rating", 4},
                           {"role", "mentee"},
                           {"replaces", false},
                           {"comment", "useful"}}}}));
  s.Run(Mentee("S-1"), "SubmitSatisfaction", {{"program_id", "P-1"}, {"rating", 4}});
  const auto later =
      s.When(Mentee("S-1"), "SubmitSatisfaction", {{"program_id", "P-1"}, {"rating", 5}});
  ASSERT_TRUE(Accepted(later));
  EXPECT_EQ(later->front().data["replaces"], true);
  // Without a programme it goes to the person's own stream.
  const auto general = s.When(Mentor("M-1"), "SubmitSatisfaction", {{"rating", 3}});
  ASSERT_TRUE(Accepted(general));
  EXPECT_EQ(general->front().stream, "mentor-M-1");
  EXPECT_TRUE(RejectedWith(
      s.When(Mentee("S-3"), "SubmitSatisfaction", {{"program_id", "P-1"}, {"rating", 3}}),
      ErrorCode::kForbidden, "program_id"));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-9"), "SubmitSatisfaction", {{"rating", 3}}),
                           ErrorCode::kForbidden, ""));
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "SubmitSatisfaction", {{"rating", 3}}),
                           ErrorCode::kForbidden, ""));
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "SubmitSatisfaction", {{"rating", 0}}),
                           ErrorCode::kInvalidArgument, "rating"));
  EXPECT_TRUE(RejectedWith(
      s.When(Mentee("S-1"), "SubmitSatisfaction", {{"program_id", "P-9"}, {"rating", 3}}),
      ErrorCode::kNotFound, "program_id"));
}

}  // namespace
}  // namespace mentorlog::commands::testing
