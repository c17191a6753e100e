// DOMAIN.md 7: regular and custom timetables, booking and releasing slots.

#include <gtest/gtest.h>

#include "tests/commands/given_when_then.h"

namespace mentorlog::commands::testing {
namespace {

const char* kSlot1 = "2026-11-24T10:00:00Z";
const char* kSlot2 = "2026-11-24T10:30:00Z";

Json Slots() {
  return {{{"start", kSlot1}, {"end", "2026-11-24T10:30:00Z"}},
          {{"start", kSlot2}, {"end", "2026-11-24T11:00:00Z"}}};
}

Json Book(std::string slot, std::int64_t number, std::string team, std::string timetable = "TT-1") {
  return {{"timetable_id", std::move(timetable)},
          {"slot_start", std::move(slot)},
          {"session_number", number},
          {"team_or_student", std::move(team)}};
}

class Timetables : public ::testing::Test {
 protected:
  void SetUp() override {
    s.Standard();
    s.Run(Admin(), "DefineTimetable",
          {{"timetable_id", "TT-1"}, {"kind", "custom"}, {"mentor_id", "M-1"}, {"slots", Slots()}});
  }
  Scenario s;
};

TEST_F(Timetables, RegularByAdminCustomByItsMentor) {
  const Json regular = {{"timetable_id", "TT-R"}, {"kind", "regular"}, {"slots", Slots()}};
  EXPECT_TRUE(EventsAre(
      s.When(Admin(), "DefineTimetable", regular),
      {{"timetable-TT-R",
        "TimetableDefined",
        {{"timetable_id", "TT-R"},
         {"kind", "regular"},
         {"slots",
          {{{"start", "2026-11-24T10:00:00.000Z"}, {"end", "2026-11-24T10:30:00.000Z"}},
           {{"start", "2026-11-24T10:30:00.000Z"}, {"end", "2026-11-24T11:00:00.000Z"}}}}}}}));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "DefineTimetable", regular), ErrorCode::kForbidden,
                           "kind"));
  const Json custom = {
      {"timetable_id", "TT-2"}, {"kind", "custom"}, {"mentor_id", "M-2"}, {"slots", Slots()}};
  EXPECT_TRUE(Accepted(s.When(Mentor("M-2"), "DefineTimetable", custom)));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "DefineTimetable", custom), ErrorCode::kForbidden,
                           "mentor_id"));
  EXPECT_TRUE(
      RejectedWith(s.When(Mentee("S-1"), "DefineTimetable", custom), ErrorCode::kForbidden, ""));
  Json no_mentor = custom;
  no_mentor.erase("mentor_id");
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "DefineTimetable", no_mentor),
                           ErrorCode::kInvalidArgument, "mentor_id"));
  Json unknown = custom;
  unknown["mentor_id"] = "M-9";
  EXPECT_TRUE(
      RejectedWith(s.When(Admin(), "DefineTimetable", unknown), ErrorCode::kNotFound, "mentor_id"));
  // Another mentor may not take over M-1's timetable id.
  Json takeover = custom;
  takeover["timetable_id"] = "TT-1";
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-2"), "DefineTimetable", takeover), ErrorCode::kConflict,
                           "timetable_id"));
}

TEST_F(Timetables, SlotsAreWellFormedAndDisjoint) {
  Json body = {{"timetable_id", "TT-R"}, {"kind", "regular"}, {"slots", Slots()}};
  body["slots"][1]["end"] = kSlot2;
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "DefineTimetable", body), ErrorCode::kInvalidArgument,
                           "slots[1].end"));
  body["slots"] = Slots();
  body["slots"][0]["end"] = "2026-11-24T10:45:00Z";
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "DefineTimetable", body), ErrorCode::kInvalidArgument,
                           "slots[1].start"));
  body["slots"] = Slots();
  body["slots"][1]["start"] = kSlot1;
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "DefineTimetable", body), ErrorCode::kInvalidArgument,
                           "slots[1].start"));
}

TEST_F(Timetables, BookingRefusesATakenSlotAndADuplicateSessionNumber) {
  EXPECT_TRUE(EventsAre(s.When(Admin(), "BookSlot", Book(kSlot1, 7, "TEAM-A")),
                        {{"timetable-TT-1",
                          "SlotBooked",
                          {{"timetable_id", "TT-1"},
                           {"slot_start", "2026-11-24T10:00:00.000Z"},
                           {"slot_end", "2026-11-24T10:30:00.000Z"},
                           {"session_number", 7},
                           {"team_or_student", "TEAM-A"},
                           {"mentor_id", "M-1"}}}}));
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "BookSlot", Book(kSlot1, 7, "TEAM-A")),
                           ErrorCode::kForbidden, ""));
  s.Run(Admin(), "BookSlot", Book(kSlot1, 7, "TEAM-A"));
  // The seed rule: the booked slot's team cannot be changed without releasing it.
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "BookSlot", Book(kSlot1, 8, "TEAM-B")),
                           ErrorCode::kDoubleBooking, "slot_start"));
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "BookSlot", Book(kSlot2, 7, "TEAM-B")),
                           ErrorCode::kConflict, "session_number"));
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "BookSlot", Book("2026-11-24T09:00:00Z", 8, "TEAM-B")),
                           ErrorCode::kNotFound, "slot_start"));
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "BookSlot", Book(kSlot2, 8, "TEAM-B", "TT-9")),
                           ErrorCode::kNotFound, "timetable_id"));
  EXPECT_TRUE(Accepted(s.When(Admin(), "BookSlot", Book(kSlot2, 8, "TEAM-B"))));
}

TEST_F(Timetables, ReleasingFreesTheSlotAndItsNumber) {
  const Json release = {{"timetable_id", "TT-1"}, {"slot_start", kSlot1}, {"reason", "team split"}};
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "ReleaseSlot", release), ErrorCode::kInvalidState,
                           "slot_start"));
  s.Run(Admin(), "BookSlot", Book(kSlot1, 7, "TEAM-A"));
  EXPECT_TRUE(EventsAre(s.When(Admin(), "ReleaseSlot", release),
                        {{"timetable-TT-1",
                          "SlotReleased",
                          {{"timetable_id", "TT-1"},
                           {"slot_start", "2026-11-24T10:00:00.000Z"},
                           {"slot_end", "2026-11-24T10:30:00.000Z"},
                           {"session_number", 7},
                           {"team_or_student", "TEAM-A"},
                           {"reason", "team split"}}}}));
  EXPECT_TRUE(
      RejectedWith(s.When(Mentor("M-1"), "ReleaseSlot", release), ErrorCode::kForbidden, ""));
  s.Run(Admin(), "ReleaseSlot", release);
  EXPECT_TRUE(Accepted(s.When(Admin(), "BookSlot", Book(kSlot1, 7, "TEAM-B"))));
  EXPECT_TRUE(Rebuild(s.log()) == s.state());
}

TEST_F(Timetables, ARedefinitionKeepsBookedSlots) {
  s.Run(Admin(), "BookSlot", Book(kSlot1, 7, "TEAM-A"));
  Json only_second = {
      {"timetable_id", "TT-1"}, {"kind", "custom"}, {"mentor_id", "M-1"}, {"slots", {Slots()[1]}}};
  EXPECT_TRUE(RejectedWith(s.When(Mentor("M-1"), "DefineTimetable", only_second),
                           ErrorCode::kInvalidState, "slots"));
  Json more = only_second;
  more["slots"] = Slots();
  more["slots"].push_back({{"start", "2026-11-24T11:00:00Z"}, {"end", "2026-11-24T11:30:00Z"}});
  s.Run(Mentor("M-1"), "DefineTimetable", more);
  const TimetableState& t = s.state().timetables.at("TT-1");
  EXPECT_EQ(t.slots.size(), 3u);
  ASSERT_TRUE(t.slots.at(T(kSlot1)).booking.has_value());
  EXPECT_EQ(t.slots.at(T(kSlot1)).booking->team_or_student, "TEAM-A");
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "BookSlot", Book(kSlot1, 9, "TEAM-C")),
                           ErrorCode::kDoubleBooking, "slot_start"));
}

}  // namespace
}  // namespace mentorlog::commands::testing

namespace mentorlog::commands::testing {
namespace {

TEST_F(Timetables, MentorshipRequestsAreAssignedWithAnOptionalSlot) {
  const Json request = {{"request_id", "MR-1"}, {"team_or_student", "TEAM-A"}, {"topic", "APIs"}};
  Json want = request;
  want["student_id"] = "S-1";
  EXPECT_TRUE(EventsAre(s.When(Mentee("S-1"), "RequestMentorship", request),
                        {{"student-S-1", "MentorshipRequested", want}}));
  Json for_other = request;
  for_other["team_or_student"] = "S-2";
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "RequestMentorship", for_other),
                           ErrorCode::kForbidden, "team_or_student"));
  EXPECT_TRUE(
      RejectedWith(s.When(Admin(), "RequestMentorship", request), ErrorCode::kForbidden, ""));
  s.Run(Mentee("S-1"), "RequestMentorship", request);
  EXPECT_TRUE(RejectedWith(s.When(Mentee("S-1"), "RequestMentorship", request),
                           ErrorCode::kConflict, "request_id"));

  Json assign = {{"request_id", "MR-1"},
                 {"mentor_id", "M-1"},
                 {"timetable_id", "TT-1"},
                 {"slot_start", kSlot1}};
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "AssignMentorshipRequest", assign),
                           ErrorCode::kInvalidArgument, "session_number"));
  assign["session_number"] = 5;
  Json other_mentor = assign;
  other_mentor["mentor_id"] = "M-2";
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "AssignMentorshipRequest", other_mentor),
                           ErrorCode::kForbidden, "timetable_id"));
  s.Run(Admin(), "BookSlot", Book(kSlot1, 7, "TEAM-B"));
  EXPECT_TRUE(RejectedWith(s.When(Admin(), "AssignMentorshipRequest", assign),
                           ErrorCode::kDoubleBooking, "slot_start"));
  assign["slot_start"] = kSlot2;
  EXPECT_TRUE(EventsAre(s.When(Admin(), "AssignMentorshipRequest", assign),
                        {{"student-S-1",
                          "MentorshipRequestAssigned",
                          {{"request_id", "MR-1"},
                           {"student_id", "S-1"},
                           {"team_or_student", "TEAM-A"},
                           {"mentor_id", "M-1"}}},
                         {"timetable-TT-1",
                          "SlotBooked",
                          {{"timetable_id", "TT-1"},
                           {"slot_start", "2026-11-24T10:30:00.000Z"},
                           {"slot_end", "2026-11-24T11:00:00.000Z"},
                           {"session_number", 5},
                           {"team_or_student", "TEAM-A"},
                           {"mentor_id", "M-1"},
                           {"description", "APIs"},
                           {"request_id", "MR-1"}}}}));
  s.Run(Admin(), "AssignMentorshipRequest", {{"request_id", "MR-1"}, {"mentor_id", "M-2"}});
  EXPECT_TRUE(RejectedWith(
      s.When(Admin(), "AssignMentorshipRequest", {{"request_id", "MR-1"}, {"mentor_id", "M-1"}}),
      ErrorCode::kInvalidState, "request_id"));
  EXPECT_TRUE(RejectedWith(
      s.When(Admin(), "AssignMentorshipRequest", {{"request_id", "MR-9"}, {"mentor_id", "M-1"}}),
      ErrorCode::kNotFound, "request_id"));
  EXPECT_TRUE(Rebuild(s.log()) == s.state());
}

}  // namespace
}  // namespace mentorlog::commands::testing
