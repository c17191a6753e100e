// DOMAIN.md 1: people and assignment.

#include <gtest/gtest.h>

#include "tests/commands/given_when_then.h"

namespace mentorlog::commands::testing {
namespace {

class People : public ::testing::Test {
 protected:
  void SetUp() override { s.Standard(); }
  Scenario s;
};

TEST(RegisterMentor, AppendsMentorRegisteredWithDefaults) {
  Scenario s;
  EXPECT_TRUE(EventsAre(s.When(Admin(), "RegisterMentor",
                               {{"mentor_id", "M-7"},
                                {"name", "Asha"},
                                {"department", "CSE"},
                                {"email", "asha@example.edu"},
                                {"expertise", {"ML"}}}),
                        {{"mentor-M-7",
                          "MentorRegistered",
                          {{"mentor_id", "M-7"},
                           {"name", "Asha"},
                           {"department", "CSE"},
                           {"email", "asha@example.edu"},
                           {"expertise", {"ML"}},
                           {"max_mentees", 20}}}}));
}

TEST_F(People, RegisterMentorIdMustBeUnused) {
  EXPECT_TRUE(RejectedWith(
      s.When(Admin(), "RegisterMentor", {{"mentor_id", "M-1"}, {"name", "X"}, {"department", "D"}}),
      ErrorCode::kConflict, "mentor_id"));
}

TEST_F(People, EnrollStudentAppendsStudentEnrolled) {
  EXPECT_TRUE(EventsAre(s.When(Admin(), "EnrollStudent",
                               {{"student_id", "S-9"},
                                {"roll_number", "21CS009"},
                                {"name", "Priya"},
                                {"department", "CSE"},
                                {"year", 2},
                                {"guardian", {{"name", "Mala"}, {"phone", "555"}}}}),
                        {{"student-S-9",
                          "StudentEnrolled",
                          {{"student_id", "S-9"},
                           {"roll_number", "21CS009"},
                           {"name", "Priya"},
                           {"department", "CSE"},
                           {"year", 2},
                           {"guardian", {{"name", "Mala"}, {"phone", "555"}}}}}}));
}

TEST_F(People, EnrollStudentIdAndRollNumberMustBeUnused) {
  EXPECT_TRUE(RejectedWith(
      s.When(Admin(), "EnrollStudent",
             {{"student_id", "S-1"}, {"roll_number", "NEW"}, {"name", "N"}, {"department", "D"}}),
      ErrorCode::kConflict, "student_id"));
  EXPECT_TRUE(RejectedWith(
      s.When(Admin(), "EnrollStudent",
             {{"student_id", "S-9"}, {"roll_number", "RS-1"}, {"name", "N"}, {"department", "D"}}),
      ErrorCode::kConflict, "roll_number"));
}

TEST_F(People, UpdateStudentProfileRecordsChangesAndPreviousValues) {
  EXPECT_TRUE(
      EventsAre(s.When(Mentor("M-1"), "UpdateStudentProfile",
                       {{"student_id", "S-1"}, {"changes", {{"email", "new@x.edu"}, {"year", 3}}}}),
                {{"student-S-1",
                  "StudentProfileUpdated",
                  {{"student_id", "S-1"},
                   {"changes", {{"email", "new@x.edu"}, {"year", 3}}},
                   {"previous", {{"email", "S-1@example.edu"}, {"year", nullptr}}}}}}));
}

TEST_F(People, UpdateStudentProfileMenteeOnlyContactFields) {
  EXPECT_TRUE(Accepted(
      s.When(Mentee("S-1"), "UpdateStudentProfile",
             {{"student_id", "S-1"},
              {"changes", {{"phone", "1"}, {"guardian", {{"name", "G"}, {"phone", "2"}}}}}})));
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "UpdateStudentProfile",
                                  {{"student_id", "S-1"}, {"changes", {{"name", "Me"}}}}),
                           ErrorCode::kForbidden, "changes.name"));
}

TEST_F(People, UpdateStudentProfileOnlyKnownFieldsAndUnknownStudent) {
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "UpdateStudentProfile",
                                  {{"student_id", "S-1"}, {"changes", {{"mentor", "M-2"}}}}),
                           ErrorCode::kInvalidArgument, "changes.mentor"));
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "UpdateStudentProfile",
                                  {{"student_id", "S-404"}, {"changes", {{"phone", "1"}}}}),
                           ErrorCode::kNotFound, "student_id"));
}

TEST_F(People, UpdateStudentProfileRollNumberStaysUnique) {
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "UpdateStudentProfile",
                                  {{"student_id", "S-1"}, {"changes", {{"roll_number", "RS-2"}}}}),
                           ErrorCode::kConflict, "changes.roll_number"));
  s.Run(Admin(), "UpdateStudentProfile",
        {{"student_id", "S-1"}, {"changes", {{"roll_number", "R-NEW"}}}});
  EXPECT_EQ(s.state().roll_numbers.at("R-NEW"), "S-1");
  EXPECT_FALSE(s.state().roll_numbers.contains("RS-1"));
}

TEST_F(People, AssignMentorRecordsPreviousMentor) {
  EXPECT_TRUE(EventsAre(
      s.When(Admin(), "AssignMentor", {{"student_id", "S-3"}, {"mentor_id", "M-1"}}),
      {{"student-S-3", "MentorAssigned", {{"student_id", "S-3"}, {"mentor_id", "M-1"}}}}));
  EXPECT_TRUE(
      EventsAre(s.When(Admin(), "AssignMentor", {{"student_id", "S-2"}, {"mentor_id", "M-1"}}),
                {{"student-S-2",
                  "MentorAssigned",
                  {{"student_id", "S-2"}, {"mentor_id", "M-1"}, {"previous_mentor_id", "M-2"}}}}));
}

TEST_F(People, AssignMentorUnderMaxMentees) {
  s.Run(Admin(), "AssignMentor", {{"student_id", "S-3"}, {"mentor_id", "M-1"}});  // 2 of 2
  EXPECT_TRUE(
      RejectedWith(s.When(Admin(), "AssignMentor", {{"student_id", "S-2"}, {"mentor_id", "M-1"}}),
                   ErrorCode::kConflict, "mentor_id"));
  // Moving a mentee away frees a place.
  s.Run(Admin(), "AssignMentor", {{"student_id", "S-3"}, {"mentor_id", "M-2"}});
  EXPECT_TRUE(
      Accepted(s.When(Admin(), "AssignMentor", {{"student_id", "S-2"}, {"mentor_id", "M-1"}})));
}

TEST_F(People, AssignMentorNotFoundAndAlreadyAssigned) {
  EXPECT_TRUE(
      RejectedWith(s.When(Admin(), "AssignMentor", {{"student_id", "S-9"}, {"mentor_id", "M-1"}}),
                   ErrorCode::kNotFound, "student_id"));
  EXPECT_TRUE(
      RejectedWith(s.When(Admin(), "AssignMentor", {{"student_id", "S-3"}, {"mentor_id", "M-9"}}),
                   ErrorCode::kNotFound, "mentor_id"));
  EXPECT_TRUE(
      RejectedWith(s.When(Admin(), "AssignMentor", {{"student_id", "S-1"}, {"mentor_id", "M-1"}}),
                   ErrorCode::kInvalidState, "mentor_id"));
}

TEST_F(People, RequestMentorChangeOneOpenAtATime) {
  EXPECT_TRUE(EventsAre(s.When(Mentee("S-1"), "RequestMentorChange",
                               {{"request_id", "CR-1"},
                                {"student_id", "S-1"},
                                {"reason", "schedule clash"},
                                {"preferred_mentor_id", "M-2"}}),
                        {{"student-S-1",
                          "MentorChangeRequested",
                          {{"request_id", "CR-1"},
                           {"student_id", "S-1"},
                           {"reason", "schedule clash"},
                           {"preferred_mentor_id", "M-2"},
                           {"current_mentor_id", "M-1"}}}}));
  s.Run(Mentee("S-1"), "RequestMentorChange",
        {{"request_id", "CR-1"}, {"student_id", "S-1"}, {"reason", "r"}});
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "RequestMentorChange",
                                  {{"request_id", "CR-2"}, {"student_id", "S-1"}, {"reason", "r"}}),
                           ErrorCode::kConflict, "student_id"));
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-2"), "RequestMentorChange",
                                  {{"request_id", "CR-1"}, {"student_id", "S-2"}, {"reason", "r"}}),
                           ErrorCode::kConflict, "request_id"));
  // Once decided, a new request may be opened.
  s.Run(Admin(), "DecideMentorChange", {{"request_id", "CR-1"}, {"approve", false}});
  EXPECT_TRUE(Accepted(s.When(Mentee("S-1"), "RequestMentorChange",
                              {{"request_id", "CR-2"}, {"student_id", "S-1"}, {"reason", "r"}})));
}

TEST_F(People, RequestMentorChangeUnknownPreferredMentor) {
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "RequestMentorChange",
                                  {{"request_id", "CR-1"},
                                   {"student_id", "S-1"},
                                   {"reason", "r"},
                                   {"preferred_mentor_id", "M-9"}}),
                           ErrorCode::kNotFound, "preferred_mentor_id"));
}

TEST_F(People, DecideMentorChangeApproveAssignsInTheSameDecision) {
  s.Run(Mentee("S-1"), "RequestMentorChange",
        {{"request_id", "CR-1"},
         {"student_id", "S-1"},
         {"reason", "r"},
         {"preferred_mentor_id", "M-2"}});
  EXPECT_TRUE(EventsAre(s.When(Admin(), "DecideMentorChange",
                               {{"request_id", "CR-1"}, {"approve", true}, {"remark", "ok"}}),
                        {{"student-S-1",
                          "MentorChangeApproved",
                          {{"request_id", "CR-1"},
                           {"student_id", "S-1"},
                           {"new_mentor_id", "M-2"},
                           {"remark", "ok"}}},
                         {"student-S-1",
                          "MentorAssigned",
                          {{"student_id", "S-1"},
                           {"mentor_id", "M-2"},
                           {"request_id", "CR-1"},
                           {"previous_mentor_id", "M-1"}}}}));
  s.Run(Admin(), "DecideMentorChange", {{"request_id", "CR-1"}, {"approve", true}});
  EXPECT_EQ(s.state().students.at("S-1").mentor_id, "M-2");
  EXPECT_TRUE(s.state().mentors.at("M-2").mentees.contains("S-1"));
  EXPECT_FALSE(s.state().mentors.at("M-1").mentees.contains("S-1"));
}

TEST_F(People, DecideMentorChangeRejectAndDecidedOnce) {
  s.Run(Mentee("S-1"), "RequestMentorChange",
        {{"request_id", "CR-1"}, {"student_id", "S-1"}, {"reason", "r"}});
  EXPECT_TRUE(EventsAre(
      s.When(Admin(), "DecideMentorChange", {{"request_id", "CR-1"}, {"approve", false}}),
      {{"student-S-1", "MentorChangeRejected", {{"request_id", "CR-1"}, {"student_id", "S-1"}}}}));
  s.Run(Admin(), "DecideMentorChange", {{"request_id", "CR-1"}, {"approve", false}});
  EXPECT_TRUE(RejectedWith(
      s.When(Admin(), "DecideMentorChange", {{"request_id", "CR-1"}, {"approve", false}}),
      ErrorCode::kInvalidState, "request_id"));
  EXPECT_TRUE(
      RejectedWith(s.When(Admin(), "DecideMentorChange",
                          {{"request_id", "CR-1"}, {"approve", true}, {"new_mentor_id", "M-2"}}),
                   ErrorCode::kInvalidState, "request_id"));
  EXPECT_TRUE(RejectedWith(
      s.When(Admin(), "DecideMentorChange", {{"request_id", "CR-9"}, {"approve", false}}),
      ErrorCode::kNotFound, "request_id"));
}

TEST_F(People, DecideMentorChangeApproveNeedsAMentorWithRoom) {
  s.Run(Mentee("S-2"), "RequestMentorChange",
        {{"request_id", "CR-1"}, {"student_id", "S-2"}, {"reason", "r"}});
  EXPECT_TRUE(RejectedWith(
      s.When(Admin(), "DecideMentorChange", {{"request_id", "CR-1"}, {"approve", true}}),
      ErrorCode::kInvalidArgument, "new_mentor_id"));
  EXPECT_TRUE(
      RejectedWith(s.When(Admin(), "DecideMentorChange",
                          {{"request_id", "CR-1"}, {"approve", true}, {"new_mentor_id", "M-9"}}),
                   ErrorCode::kNotFound, "new_mentor_id"));
  EXPECT_TRUE(
      RejectedWith(s.When(Admin(), "DecideMentorChange",
                          {{"request_id", "CR-1"}, {"approve", true}, {"new_mentor_id", "M-2"}}),
                   ErrorCode::kInvalidState, "new_mentor_id"));
  EXPECT_TRUE(
      RejectedWith(s.When(Admin(), "DecideMentorChange",
                          {{"request_id", "CR-1"}, {"approve", false}, {"new_mentor_id", "M-1"}}),
                   ErrorCode::kInvalidArgument, "new_mentor_id"));
  s.Run(Admin(), "AssignMentor", {{"student_id", "S-3"}, {"mentor_id", "M-1"}});  // M-1 full
  EXPECT_TRUE(
      RejectedWith(s.When(Admin(), "DecideMentorChange",
                          {{"request_id", "CR-1"}, {"approve", true}, {"new_mentor_id", "M-1"}}),
                   ErrorCode::kConflict, "new_mentor_id"));
}

TEST_F(People, AuditorsNeverWrite) {
  EXPECT_TRUE(RejectedWith(s.When(Auditor(), "RegisterMentor",
                                  {{"mentor_id", "M-9"}, {"name", "X"}, {"department", "D"}}),
                           ErrorCode::kForbidden, ""));
}

}  // namespace
}  // namespace mentorlog::commands::testing
