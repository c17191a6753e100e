// DOMAIN.md 2: meetings.

#include <gtest/gtest.h>

#include "tests/commands/given_when_then.h"

namespace mentorlog::commands::testing {
namespace {

Json Meeting(std::string id, std::string start, std::string end,
             std::vector<std::string> students = {"S-1"}, std::string mentor = "M-1") {
  return {{"meeting_id", std::move(id)},
          {"mentor_id", std::move(mentor)},
          {"student_ids", std::move(students)},
          {"title", "Check-in"},
          {"mode", "offline"},
          {"start", std::move(start)},
          {"end", std::move(end)}};
}

const char* kStart = "2026-11-24T10:00:00Z";
const char* kEnd = "2026-11-24T11:00:00Z";

class Meetings : public ::testing::Test {
 protected:
  void SetUp() override {
    s.Standard();
    // S-3 joins M-1 too (M-1 has room for 2), for group meetings.
    s.Run(Admin(), "AssignMentor", {{"student_id", "S-3"}, {"mentor_id", "M-1"}});
  }
  // MT-1 proposed by the mentor at [kStart, kEnd) with S-1.
  void Proposed(std::vector<std::string> students = {"S-1"}) {
    s.Run(Mentor("M-1"), "ScheduleMeeting", Meeting("MT-1", kStart, kEnd, students));
  }
  void AcceptedMeeting(std::vector<std::string> students = {"S-1"}) {
    Proposed(students);
    s.Run(Mentee(students.front()), "AcceptMeeting", {{"meeting_id", "MT-1"}});
  }
  Scenario s;
};

TEST_F(Meetings, ScheduleByMentorIsProposedAwaitingTheMentee) {
  Json body = Meeting("MT-1", kStart, kEnd);
  body["description"] = "first";
  body["location"] = "Room 4";
  EXPECT_TRUE(EventsAre(s.When(Mentor("M-1"), "ScheduleMeeting", body),
                        {{"meeting-MT-1",
                          "MeetingScheduled",
                          {{"meeting_id", "MT-1"},
                           {"mentor_id", "M-1"},
                           {"student_ids", {"S-1"}},
                           {"title", "Check-in"},
                           {"description", "first"},
                           {"mode", "offline"},
                           {"location", "Room 4"},
                           {"start", "2026-11-24T10:00:00.000Z"},
                           {"end", "2026-11-24T11:00:00.000Z"},
                           {"status", "proposed"},
                           {"proposed_by", "mentor"}}}}));
}

TEST_F(Meetings, ScheduleByMenteeIsARequestToTheirOwnMentor) {
  const auto got = s.When(Mentee("S-1"), "ScheduleMeeting", Meeting("MT-1", kStart, kEnd));
  ASSERT_TRUE(Accepted(got));
  EXPECT_EQ((*got)[0].data["proposed_by"], "mentee");
  EXPECT_TRUE(RejectedWith(
      s.When(Mentee("S-1"), "ScheduleMeeting", Meeting("MT-1", kStart, kEnd, {"S-2"}, "M-2")),
      ErrorCode::kForbidden, "student_ids"));
  EXPECT_TRUE(RejectedWith(
      s.When(Mentee("S-1"), "ScheduleMeeting", Meeting("MT-1", kStart, kEnd, {"S-1"}, "M-2")),
      ErrorCode::kForbidden, "student_ids[0]"));
  EXPECT_TRUE(RejectedWith(
      s.When(Mentee("S-1"), "ScheduleMeeting", Meeting("MT-1", kStart, kEnd, {"S-1", "S-3"})),
      ErrorCode::kForbidden, "student_ids"));
}

TEST_F(Meetings, ScheduleStudentsMustBeAssignedToTheMentor) {
  EXPECT_TRUE(RejectedWith(
      s.When(Mentor("M-1"), "ScheduleMeeting", Meeting("MT-1", kStart, kEnd, {"S-1", "S-2"})),
      ErrorCode::kForbidden, "student_ids[1]"));
  EXPECT_TRUE(
      RejectedWith(s.When(Admin(), "ScheduleMeeting", Meeting("MT-1", kStart, kEnd, {"S-2"})),
                   ErrorCode::kForbidden, "student_ids[0]"));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-2"), "ScheduleMeeting", Meeting("MT-1", kStart, kEnd)),
                           ErrorCode::kForbidden, "mentor_id"));
}

TEST_F(Meetings, ScheduleUnknownPeopleAndReusedId) {
  EXPECT_TRUE(RejectedWith(
      s.When(Admin(), "ScheduleMeeting", Meeting("MT-1", kStart, kEnd, {"S-1"}, "M-9")),
      ErrorCode::kNotFound, "mentor_id"));
  EXPECT_TRUE(RejectedWith(
      s.When(Admin(), "ScheduleMeeting", Meeting("MT-1", kStart, kEnd, {"S-1", "S-9"})),
      ErrorCode::kNotFound, "student_ids[1]"));
  Proposed();
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "ScheduleMeeting",
                                  Meeting("MT-1", "2026-11-25T10:00:00Z", "2026-11-25T11:00:00Z")),
                           ErrorCode::kConflict, "meeting_id"));
}

TEST_F(Meetings, ScheduleEndAfterStartAtMost8Hours) {
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "ScheduleMeeting", Meeting("MT-1", kEnd, kStart)),
                           ErrorCode::kInvalidArgument, "end"));
  EXPECT_TRUE(RejectedWith(
      s.When(Mentor("M-1"), "ScheduleMeeting", Meeting("MT-1", kStart, "2026-11-24T18:00:01Z")),
      ErrorCode::kInvalidArgument, "end"));
}

TEST_F(Meetings, BackDatedByMentorOrAdminIsCreatedAcceptedMenteeCannotBackDate) {
  const Json past = Meeting("MT-1", "2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z");
  for (const auto& actor : {Mentor("M-1"), Admin()}) {
    const auto got = s.When(actor, "ScheduleMeeting", past);
    ASSERT_TRUE(Accepted(got));
    EXPECT_EQ((*got)[0].data["status"], "accepted");
  }
  EXPECT_TRUE(
      RejectedWith(s.When(Mentee("S-1"), "ScheduleMeeting", past), ErrorCode::kForbidden, "end"));
  // Ending exactly now counts as the past.
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "ScheduleMeeting",
                                  Meeting("MT-1", "2026-11-23T07:00:00Z", std::string(kNow))),
                           ErrorCode::kForbidden, "end"));
}

TEST_F(Meetings, NoDoubleBookingForMentorOrAnyStudentHalfOpen) {
  Proposed();
  // Overlapping the mentor.
  EXPECT_TRUE(
      RejectedWith(s.When(Mentor("M-1"), "ScheduleMeeting",
                          Meeting("MT-2", "2026-11-24T10:30:00Z", "2026-11-24T11:30:00Z", {"S-3"})),
                   ErrorCode::kDoubleBooking, "mentor_id"));
  // The mentor is checked first, then each student.
  EXPECT_TRUE(RejectedWith(
      s.When(Admin(), "ScheduleMeeting",
             Meeting("MT-2", "2026-11-24T09:00:00Z", "2026-11-24T10:00:01Z", {"S-3", "S-1"})),
      ErrorCode::kDoubleBooking, "mentor_id"));
  // Touching intervals do not overlap: [09:00, 10:00) and [11:00, 12:00) are free.
  EXPECT_TRUE(Accepted(s.When(Mentor("M-1"), "ScheduleMeeting",
                              Meeting("MT-2", "2026-11-24T09:00:00Z", kStart, {"S-3"}))));
  EXPECT_TRUE(Accepted(s.When(Mentor("M-1"), "ScheduleMeeting",
                              Meeting("MT-2", kEnd, "2026-11-24T12:00:00Z", {"S-1"}))));
}

TEST_F(Meetings, DoubleBookingOfAStudentWithAnotherMentor) {
  // S-1 requests a meeting with M-1; then S-1 moves to M-2, and M-2 schedules at the same time.
  Proposed();
  s.Run(Admin(), "AssignMentor", {{"student_id", "S-1"}, {"mentor_id", "M-2"}});
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-2"), "ScheduleMeeting",
                                  Meeting("MT-2", kStart, kEnd, {"S-2", "S-1"}, "M-2")),
                           ErrorCode::kDoubleBooking, "student_ids[1]"));
}

TEST_F(Meetings, OnlyLiveMeetingsBlockASlot) {
  Proposed();
  s.Run(Mentee("S-1"), "DeclineMeeting", {{"meeting_id", "MT-1"}, {"reason", "exam"}});
  EXPECT_TRUE(Accepted(s.When(Mentor("M-1"), "ScheduleMeeting", Meeting("MT-2", kStart, kEnd))));
  s.Run(Mentor("M-1"), "ScheduleMeeting", Meeting("MT-2", kStart, kEnd));
  s.Run(Mentor("M-1"), "CancelMeeting", {{"meeting_id", "MT-2"}, {"reason", "ill"}});
  EXPECT_TRUE(Accepted(s.When(Mentor("M-1"), "ScheduleMeeting", Meeting("MT-3", kStart, kEnd))));
}

TEST_F(Meetings, AcceptByTheOtherSideOnly) {
  Proposed();
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "AcceptMeeting", {{"meeting_id", "MT-1"}}),
                           ErrorCode::kForbidden, "meeting_id"));
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "AcceptMeeting", {{"meeting_id", "MT-1"}}),
                           ErrorCode::kForbidden, "meeting_id"));
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-3"), "AcceptMeeting", {{"meeting_id", "MT-1"}}),
                           ErrorCode::kForbidden, "meeting_id"));
  EXPECT_TRUE(
      EventsAre(s.When(Mentee("S-1"), "AcceptMeeting", {{"meeting_id", "MT-1"}}),
                {{"meeting-MT-1", "MeetingAccepted", {{"meeting_id", "MT-1"}, {"by", "mentee"}}}}));
  s.Run(Mentee("S-1"), "AcceptMeeting", {{"meeting_id", "MT-1"}});
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "AcceptMeeting", {{"meeting_id", "MT-1"}}),
                           ErrorCode::kInvalidState, "meeting_id"));
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "AcceptMeeting", {{"meeting_id", "MT-9"}}),
                           ErrorCode::kNotFound, "meeting_id"));
}

TEST_F(Meetings, AMenteeRequestIsAcceptedByTheMentorOrAdmin) {
  s.Run(Mentee("S-1"), "ScheduleMeeting", Meeting("MT-1", kStart, kEnd));
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "AcceptMeeting", {{"meeting_id", "MT-1"}}),
                           ErrorCode::kForbidden, "meeting_id"));
  EXPECT_TRUE(Accepted(s.When(Admin(), "AcceptMeeting", {{"meeting_id", "MT-1"}})));
  EXPECT_TRUE(
      EventsAre(s.When(Mentor("M-1"), "AcceptMeeting", {{"meeting_id", "MT-1"}}),
                {{"meeting-MT-1", "MeetingAccepted", {{"meeting_id", "MT-1"}, {"by", "mentor"}}}}));
}

TEST_F(Meetings, RescheduleReturnsToProposedAwaitingTheOtherSide) {
  AcceptedMeeting();
  EXPECT_TRUE(EventsAre(s.When(Mentee("S-1"), "RescheduleMeeting",
                               {{"meeting_id", "MT-1"},
                                {"start", "2026-11-25T10:00:00Z"},
                                {"end", "2026-11-25T11:00:00Z"},
                                {"reason", "lab"}}),
                        {{"meeting-MT-1",
                          "MeetingRescheduled",
                          {{"meeting_id", "MT-1"},
                           {"start", "2026-11-25T10:00:00.000Z"},
                           {"end", "2026-11-25T11:00:00.000Z"},
                           {"previous_start", "2026-11-24T10:00:00.000Z"},
                           {"previous_end", "2026-11-24T11:00:00.000Z"},
                           {"reason", "lab"},
                           {"proposed_by", "mentee"}}}}));
  s.Run(
      Mentee("S-1"), "RescheduleMeeting",
      {{"meeting_id", "MT-1"}, {"start", "2026-11-25T10:00:00Z"}, {"end", "2026-11-25T11:00:00Z"}});
  EXPECT_EQ(s.state().meetings.at(events::Symbol("MT-1")).status, MeetingStatus::kProposed);
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "AcceptMeeting", {{"meeting_id", "MT-1"}}),
                           ErrorCode::kForbidden, "meeting_id"));
  EXPECT_TRUE(Accepted(s.When(Mentor("M-1"), "AcceptMeeting", {{"meeting_id", "MT-1"}})));
  // The old slot is free again, the new one taken.
  EXPECT_TRUE(Accepted(s.When(Mentor("M-1"), "ScheduleMeeting", Meeting("MT-2", kStart, kEnd))));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "ScheduleMeeting",
                                  Meeting("MT-2", "2026-11-25T10:30:00Z", "2026-11-25T10:45:00Z")),
                           ErrorCode::kDoubleBooking, "mentor_id"));
}

TEST_F(Meetings, RescheduleSameBookingRules) {
  Proposed();
  s.Run(Mentor("M-1"), "ScheduleMeeting",
        Meeting("MT-2", "2026-11-25T10:00:00Z", "2026-11-25T11:00:00Z", {"S-3"}));
  // Moving within its own slot is fine; onto MT-2 (same mentor) is not.
  EXPECT_TRUE(Accepted(s.When(Mentor("M-1"), "RescheduleMeeting",
                              {{"meeting_id", "MT-1"},
                               {"start", "2026-11-24T10:30:00Z"},
                               {"end", "2026-11-24T11:30:00Z"}})));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "RescheduleMeeting",
                                  {{"meeting_id", "MT-1"},
                                   {"start", "2026-11-25T10:59:00Z"},
                                   {"end", "2026-11-25T11:30:00Z"}}),
                           ErrorCode::kDoubleBooking, "start"));
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "RescheduleMeeting",
                                  {{"meeting_id", "MT-1"},
                                   {"start", "2026-11-20T10:00:00Z"},
                                   {"end", "2026-11-20T11:00:00Z"}}),
                           ErrorCode::kForbidden, "end"));
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-2"), "RescheduleMeeting",
                                  {{"meeting_id", "MT-1"}, {"start", kStart}, {"end", kEnd}}),
                           ErrorCode::kForbidden, "meeting_id"));
  s.Run(Mentor("M-1"), "CancelMeeting", {{"meeting_id", "MT-1"}, {"reason", "r"}});
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "RescheduleMeeting",
                                  {{"meeting_id", "MT-1"}, {"start", kStart}, {"end", kEnd}}),
                           ErrorCode::kInvalidState, "meeting_id"));
}

TEST_F(Meetings, DeclineByEitherSideNotOnceHeld) {
  Proposed();
  EXPECT_TRUE(EventsAre(
      s.When(Mentor("M-1"), "DeclineMeeting", {{"meeting_id", "MT-1"}, {"reason", "busy"}}),
      {{"meeting-MT-1",
        "MeetingDeclined",
        {{"meeting_id", "MT-1"}, {"reason", "busy"}, {"by", "mentor"}}}}));
  EXPECT_TRUE(Accepted(
      s.When(Mentee("S-1"), "DeclineMeeting", {{"meeting_id", "MT-1"}, {"reason", "busy"}})));
  EXPECT_TRUE(RejectedWith(
      s.When(Mentee("S-2"), "DeclineMeeting", {{"meeting_id", "MT-1"}, {"reason", "x"}}),
      ErrorCode::kForbidden, "meeting_id"));
  s.Run(Mentee("S-1"), "AcceptMeeting", {{"meeting_id", "MT-1"}});
  const auto after = T("2026-11-24T12:00:00Z");
  s.Run(Mentor("M-1"), "ValidateMeeting", {{"meeting_id", "MT-1"}, {"occurred", true}}, after);
  s.Run(Mentee("S-1"), "ValidateMeeting", {{"meeting_id", "MT-1"}, {"occurred", true}}, after);
  EXPECT_EQ(s.state().meetings.at(events::Symbol("MT-1")).status, MeetingStatus::kHeld);
  EXPECT_TRUE(RejectedWith(
      s.When(Mentee("S-1"), "DeclineMeeting", {{"meeting_id", "MT-1"}, {"reason", "x"}}, after),
      ErrorCode::kInvalidState, "meeting_id"));
  EXPECT_TRUE(RejectedWith(
      s.When(Mentor("M-1"), "CancelMeeting", {{"meeting_id", "MT-1"}, {"reason", "x"}}, after),
      ErrorCode::kInvalidState, "meeting_id"));
}

TEST_F(Meetings, CancelByMentorOrAdminOnly) {
  Proposed();
  EXPECT_TRUE(RejectedWith(
      s.When(Mentee("S-1"), "CancelMeeting", {{"meeting_id", "MT-1"}, {"reason", "x"}}),
      ErrorCode::kForbidden, ""));
  EXPECT_TRUE(RejectedWith(
      s.When(Mentor("M-2"), "CancelMeeting", {{"meeting_id", "MT-1"}, {"reason", "x"}}),
      ErrorCode::kForbidden, "meeting_id"));
  EXPECT_TRUE(
      Accepted(s.When(Admin(), "CancelMeeting", {{"meeting_id", "MT-1"}, {"reason", "x"}})));
  EXPECT_TRUE(
      EventsAre(s.When(Mentor("M-1"), "CancelMeeting", {{"meeting_id", "MT-1"}, {"reason", "x"}}),
                {{"meeting-MT-1", "MeetingCancelled", {{"meeting_id", "MT-1"}, {"reason", "x"}}}}));
}

TEST_F(Meetings, AgendaItemsByParticipantsBeforeTheEnd) {
  Proposed();
  EXPECT_TRUE(EventsAre(
      s.When(Mentee("S-1"), "AddAgendaItems", {{"meeting_id", "MT-1"}, {"items", {"marks"}}}),
      {{"meeting-MT-1", "AgendaItemsAdded", {{"meeting_id", "MT-1"}, {"items", {"marks"}}}}}));
  EXPECT_TRUE(Accepted(
      s.When(Mentor("M-1"), "AddAgendaItems", {{"meeting_id", "MT-1"}, {"items", {"a"}}})));
  EXPECT_TRUE(
      RejectedWith(s.When(Admin(), "AddAgendaItems", {{"meeting_id", "MT-1"}, {"items", {"a"}}}),
                   ErrorCode::kForbidden, ""));
  EXPECT_TRUE(RejectedWith(
      s.When(Mentee("S-3"), "AddAgendaItems", {{"meeting_id", "MT-1"}, {"items", {"a"}}}),
      ErrorCode::kForbidden, "meeting_id"));
  EXPECT_TRUE(RejectedWith(
      s.When(Mentee("S-1"), "AddAgendaItems", {{"meeting_id", "MT-1"}, {"items", {"a"}}}, T(kEnd)),
      ErrorCode::kInvalidState, "meeting_id"));
}

TEST_F(Meetings, ObservationAfterStartByTheMeetingsMentorAmendableWithHistory) {
  AcceptedMeeting();
  const Json body = {{"meeting_id", "MT-1"},
                     {"points_for_mentee", "read ch. 3"},
                     {"next_action_items", {"ch. 3", "lab 2"}},
                     {"observations", "engaged"},
                     {"next_follow_up_date", "2026-12-01"}};
  EXPECT_TRUE(
      RejectedWith(s.When(Mentor("M-1"), "RecordObservation", body, T("2026-11-24T09:59:59Z")),
                   ErrorCode::kInvalidState, "meeting_id"));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-2"), "RecordObservation", body, T(kStart)),
                           ErrorCode::kForbidden, "meeting_id"));
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "RecordObservation", body, T(kStart)),
                           ErrorCode::kForbidden, ""));
  EXPECT_TRUE(EventsAre(s.When(Mentor("M-1"), "RecordObservation", body, T(kStart)),
                        {{"meeting-MT-1",
                          "ObservationRecorded",
                          {{"meeting_id", "MT-1"},
                           {"revision", 1},
                           {"points_for_mentee", "read ch. 3"},
                           {"next_action_items", {"ch. 3", "lab 2"}},
                           {"observations", "engaged"},
                           {"next_follow_up_date", "2026-12-01"},
                           {"resources", Json::array()}}}}));
  s.Run(Mentor("M-1"), "RecordObservation", body, T(kStart));
  s.Run(Mentee("S-1"), "CompleteActionItem", {{"meeting_id", "MT-1"}, {"item", 0}}, T(kEnd));
  Json amended = body;
  amended["observations"] = "engaged; asked for extra lab";
  amended["next_action_items"] = {"ch. 3", "lab 3"};
  const auto got = s.When(Mentor("M-1"), "RecordObservation", amended, T(kEnd));
  ASSERT_TRUE(Accepted(got));
  EXPECT_EQ((*got)[0].data["revision"], 2);
  s.Run(Mentor("M-1"), "RecordObservation", amended, T(kEnd));
  const MeetingState& m = s.state().meetings.at(events::Symbol("MT-1"));
  EXPECT_EQ(m.observations, 2);
  EXPECT_EQ(m.action_items.List(),
            (std::vector<ActionItems::Item>{{"ch. 3", true}, {"lab 3", false}}));
}

TEST_F(Meetings, ObservationNotOnProposedOrCancelledMeetings) {
  Proposed();
  const Json body = {{"meeting_id", "MT-1"},
                     {"points_for_mentee", "p"},
                     {"next_action_items", Json::array()},
                     {"observations", "o"}};
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "RecordObservation", body, T(kEnd)),
                           ErrorCode::kInvalidState, "meeting_id"));
}

TEST_F(Meetings, ValidationByEveryParticipantAfterEndConfirms) {
  AcceptedMeeting({"S-1", "S-3"});
  const auto after = T("2026-11-24T11:00:00Z");
  const Json yes = {{"meeting_id", "MT-1"}, {"occurred", true}};
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "ValidateMeeting", yes, T("2026-11-24T10:59:59Z")),
                           ErrorCode::kInvalidState, "meeting_id"));
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-2"), "ValidateMeeting", yes, after),
                           ErrorCode::kForbidden, "meeting_id"));
  EXPECT_TRUE(
      RejectedWith(s.When(Admin(), "ValidateMeeting", yes, after), ErrorCode::kForbidden, ""));
  EXPECT_TRUE(
      EventsAre(s.When(Mentor("M-1"), "ValidateMeeting", yes, after), {{"meeting-MT-1",
                                                                        "MeetingValidated",
                                                                        {{"meeting_id", "MT-1"},
                                                                         {"participant_id", "M-1"},
                                                                         {"role", "mentor"},
                                                                         {"occurred", true}}}}));
  s.Run(Mentor("M-1"), "ValidateMeeting", yes, after);
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "ValidateMeeting", yes, after),
                           ErrorCode::kInvalidState, "meeting_id"));
  s.Run(Mentee("S-3"), "ValidateMeeting", yes, after);
  EXPECT_TRUE(
      EventsAre(s.When(Mentee("S-1"), "ValidateMeeting",
                       {{"meeting_id", "MT-1"}, {"occurred", true}, {"note", "useful"}}, after),
                {{"meeting-MT-1",
                  "MeetingValidated",
                  {{"meeting_id", "MT-1"},
                   {"participant_id", "S-1"},
                   {"role", "mentee"},
                   {"occurred", true},
                   {"note", "useful"}}},
                 {"meeting-MT-1", "MeetingConfirmed", {{"meeting_id", "MT-1"}}}}));
}

TEST_F(Meetings, AnyNoDisputesTheMeeting) {
  AcceptedMeeting();
  const auto after = T("2026-11-25T00:00:00Z");
  s.Run(Mentor("M-1"), "ValidateMeeting", {{"meeting_id", "MT-1"}, {"occurred", true}}, after);
  EXPECT_TRUE(EventsAre(s.When(Mentee("S-1"), "ValidateMeeting",
                               {{"meeting_id", "MT-1"}, {"occurred", false}}, after),
                        {{"meeting-MT-1",
                          "MeetingValidated",
                          {{"meeting_id", "MT-1"},
                           {"participant_id", "S-1"},
                           {"role", "mentee"},
                           {"occurred", false}}},
                         {"meeting-MT-1", "MeetingDisputed", {{"meeting_id", "MT-1"}}}}));
}

TEST_F(Meetings, ValidationOnlyOfAcceptedMeetings) {
  Proposed();
  EXPECT_TRUE(
      RejectedWith(s.When(Mentor("M-1"), "ValidateMeeting",
                          {{"meeting_id", "MT-1"}, {"occurred", true}}, T("2026-11-25T00:00:00Z")),
                   ErrorCode::kInvalidState, "meeting_id"));
}

TEST_F(Meetings, BackDatedMeetingIsReadyForObservationAndValidation) {
  s.Run(Mentor("M-1"), "ScheduleMeeting",
        Meeting("MT-1", "2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z"));
  EXPECT_TRUE(Accepted(s.When(Mentor("M-1"), "RecordObservation",
                              {{"meeting_id", "MT-1"},
                               {"points_for_mentee", "p"},
                               {"next_action_items", Json::array()},
                               {"observations", "o"}})));
  EXPECT_TRUE(Accepted(
      s.When(Mentee("S-1"), "ValidateMeeting", {{"meeting_id", "MT-1"}, {"occurred", true}})));
}

TEST_F(Meetings, CompleteActionItemByTheMenteeItemMustExist) {
  AcceptedMeeting();
  s.Run(Mentor("M-1"), "RecordObservation",
        {{"meeting_id", "MT-1"},
         {"points_for_mentee", "p"},
         {"next_action_items", {"read"}},
         {"observations", "o"}},
        T(kEnd));
  EXPECT_TRUE(RejectedWith(
      s.When(Mentee("S-1"), "CompleteActionItem", {{"meeting_id", "MT-1"}, {"item", 1}}),
      ErrorCode::kNotFound, "item"));
  EXPECT_TRUE(RejectedWith(
      s.When(Mentor("M-1"), "CompleteActionItem", {{"meeting_id", "MT-1"}, {"item", 0}}),
      ErrorCode::kForbidden, ""));
  EXPECT_TRUE(RejectedWith(
      s.When(Mentee("S-3"), "CompleteActionItem", {{"meeting_id", "MT-1"}, {"item", 0}}),
      ErrorCode::kForbidden, "meeting_id"));
  EXPECT_TRUE(EventsAre(
      s.When(Mentee("S-1"), "CompleteActionItem", {{"meeting_id", "MT-1"}, {"item", 0}}),
      {{"meeting-MT-1",
        "ActionItemCompleted",
        {{"meeting_id", "MT-1"}, {"item", 0}, {"text", "read"}, {"student_id", "S-1"}}}}));
  s.Run(Mentee("S-1"), "CompleteActionItem", {{"meeting_id", "MT-1"}, {"item", 0}});
  EXPECT_TRUE(RejectedWith(
      s.When(Mentee("S-1"), "CompleteActionItem", {{"meeting_id", "MT-1"}, {"item", 0}}),
      ErrorCode::kInvalidState, "item"));
}

}  // namespace
}  // namespace mentorlog::commands::testing
