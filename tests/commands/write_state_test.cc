// Evolve (Apply) and the write-side indexes.

#include <gtest/gtest.h>

#include "tests/commands/given_when_then.h"

namespace mentorlog::commands::testing {
namespace {

Calendar Bookings(std::vector<std::tuple<events::TimeMs, events::TimeMs, std::string>> spans) {
  Calendar c;
  for (auto& [start, end, id] : spans) c.emplace(start, Booking{end, id});
  return c;
}

TEST(Overlaps, HalfOpenIntervals) {
  const Calendar c = Bookings({{10, 20, "a"}, {30, 40, "b"}});
  EXPECT_FALSE(Overlaps(c, 0, 10, ""));
  EXPECT_FALSE(Overlaps(c, 20, 30, ""));
  EXPECT_FALSE(Overlaps(c, 40, 50, ""));
  EXPECT_TRUE(Overlaps(c, 19, 21, ""));
  EXPECT_TRUE(Overlaps(c, 0, 11, ""));
  EXPECT_TRUE(Overlaps(c, 5, 45, ""));
  EXPECT_TRUE(Overlaps(c, 31, 32, ""));
  EXPECT_FALSE(Overlaps(Calendar{}, 0, 100, ""));
}

TEST(Overlaps, IgnoresTheMeetingBeingRescheduled) {
  const Calendar c = Bookings({{10, 20, "a"}, {30, 40, "b"}});
  EXPECT_FALSE(Overlaps(c, 35, 45, "b"));
  EXPECT_FALSE(Overlaps(c, 15, 30, "a"));
  EXPECT_TRUE(Overlaps(c, 15, 31, "a"));
  EXPECT_TRUE(Overlaps(c, 15, 31, "b"));
}

TEST(Overlaps, LeaveDatesAreInclusive) {
  LeaveCalendar c;
  c.emplace(10, LeaveSpan{12, "L-1"});
  EXPECT_TRUE(Overlaps(c, 12, 14));
  EXPECT_TRUE(Overlaps(c, 8, 10));
  EXPECT_TRUE(Overlaps(c, 11, 11));
  EXPECT_FALSE(Overlaps(c, 13, 14));
  EXPECT_FALSE(Overlaps(c, 5, 9));
}

events::Envelope Event(std::string type, Json data) {
  events::Envelope e;
  e.type = std::move(type);
  e.data = std::move(data);
  return e;
}

TEST(AttendanceSheet, SetKeepsEntriesSortedByNumberAndReplacesAStatus) {
  using E = AttendanceSheet::Entry;
  AttendanceSheet sheet;
  sheet.Set(7, AttendanceStatus::kAbsent);
  sheet.Set(2, AttendanceStatus::kPresent);
  sheet.Set(5, AttendanceStatus::kLeave);
  sheet.Set(2, AttendanceStatus::kOnDuty);
  EXPECT_EQ(sheet.Entries(), (std::vector<E>{{2, AttendanceStatus::kOnDuty},
                                             {5, AttendanceStatus::kLeave},
                                             {7, AttendanceStatus::kAbsent}}));
  EXPECT_EQ(sheet.Find(2), AttendanceStatus::kOnDuty);
  EXPECT_EQ(sheet.Find(5), AttendanceStatus::kLeave);
  EXPECT_EQ(sheet.Find(7), AttendanceStatus::kAbsent);
  EXPECT_EQ(sheet.Find(0), std::nullopt);
  EXPECT_EQ(sheet.Find(3), std::nullopt);
  EXPECT_EQ(sheet.Find(8), std::nullopt);
  EXPECT_TRUE(sheet.WellFormed(8));
  EXPECT_FALSE(sheet.WellFormed(7));  // names student 7
}

// A byte a student for a class list numbered together; wider gaps and numbers
// take more (a varint), up to the largest number there is.
TEST(AttendanceSheet, PacksAClassListInAByteAStudentAndAnyNumberInAFew) {
  using E = AttendanceSheet::Entry;
  AttendanceSheet sheet;
  std::vector<E> list;
  for (std::uint32_t n = 100; n < 160; ++n) {
    list.push_back({n, n % 7 == 0 ? AttendanceStatus::kAbsent : AttendanceStatus::kPresent});
  }
  sheet.SetAll(list);
  EXPECT_EQ(sheet.Entries(), list);
  EXPECT_EQ(sheet.packed.size(), 60u + 1);  // the first's gap from -1 (100) takes two
  const std::uint32_t last = UINT32_MAX;
  sheet.Set(last, AttendanceStatus::kLeave);
  sheet.Set(0, AttendanceStatus::kOnDuty);
  EXPECT_EQ(sheet.Find(last), AttendanceStatus::kLeave);
  EXPECT_EQ(sheet.Find(0), AttendanceStatus::kOnDuty);
  EXPECT_EQ(sheet.Find(130), list[30].status);
  EXPECT_EQ(sheet.Entries().size(), 62u);
  EXPECT_TRUE(sheet.WellFormed(std::size_t{last} + 1));
}

TEST(AttendanceSheet, SetAllMergesWithTheSheetAndTheLastEntryForANumberWins) {
  using E = AttendanceSheet::Entry;
  AttendanceSheet sheet;
  sheet.SetAll({{4, AttendanceStatus::kPresent}, {1, AttendanceStatus::kPresent}});
  sheet.SetAll({{3, AttendanceStatus::kAbsent},
                {4, AttendanceStatus::kAbsent},
                {3, AttendanceStatus::kLeave}});
  EXPECT_EQ(sheet.Entries(), (std::vector<E>{{1, AttendanceStatus::kPresent},
                                             {3, AttendanceStatus::kLeave},
                                             {4, AttendanceStatus::kAbsent}}));
  sheet.SetAll({});
  EXPECT_EQ(sheet.Entries().size(), 3u);
}

TEST(AttendanceSheet, MalformedBytesAreNotWellFormed) {
  const auto well_formed = [](std::string packed) {
    AttendanceSheet sheet;
    sheet.packed = std::move(packed);
    return sheet.WellFormed(1'000);
  };
  EXPECT_TRUE(well_formed(""));
  EXPECT_TRUE(well_formed(std::string("\x00\x09", 2)));   // 0 present, 2 absent
  EXPECT_FALSE(well_formed("\x07"));                      // status 7: none
  EXPECT_FALSE(well_formed("\x80"));                      // a varint cut short
  EXPECT_FALSE(well_formed("\xff\xff\xff\xff\xff\x01"));  // longer than any number
  EXPECT_FALSE(well_formed("\xff\xff\xff\xff\x7f"));      // past the largest number
  EXPECT_FALSE(well_formed(std::string("\xc0\x3e", 2)));  // number 1,000: too large here
}

TEST(MeetingState, StudentValidationsByStudentAreReplacedAndOthersIgnored) {
  MeetingState m;
  m.student_ids = {events::Symbol("S-2"), events::Symbol("S-1"), events::Symbol("S-3")};
  EXPECT_EQ(m.StudentValidation("S-2"), std::nullopt);
  EXPECT_TRUE(m.student_validations.empty());
  m.SetStudentValidation("S-1", false);
  EXPECT_EQ(m.student_validations, " n ");
  m.SetStudentValidation("S-3", true);
  m.SetStudentValidation("S-1", true);  // replaces
  m.SetStudentValidation("S-4", true);  // not a student of the meeting: nothing
  EXPECT_EQ(m.student_validations, " yy");
  EXPECT_EQ(m.StudentValidation("S-1"), true);
  EXPECT_EQ(m.StudentValidation("S-3"), true);
  EXPECT_EQ(m.StudentValidation("S-2"), std::nullopt);
  EXPECT_EQ(m.StudentValidation("S-4"), std::nullopt);
  m.SetStudentValidation("S-2", false);
  EXPECT_EQ(m.StudentValidation("S-2"), false);
}

TEST(Apply, AttendanceSheetsNameStudentsByNumber) {
  WriteState s;
  const auto recorded = [&](std::string course, Json entries) {
    Apply(s, Event("AttendanceRecorded", {{"course_id", std::move(course)},
                                          {"date", "2026-11-02"},
                                          {"period", 1},
                                          {"entries", std::move(entries)}}));
  };
  recorded("C-1", {{{"student_id", "S-2"}, {"status", "absent"}},
                   {{"student_id", "S-1"}, {"status", "present"}}});
  recorded("C-2", {{{"student_id", "S-1"}, {"status", "leave"}}});
  EXPECT_EQ(s.sheet_ids, (std::vector<std::string>{"S-2", "S-1"}));
  EXPECT_EQ(SheetNumber(s, "S-1"), 1u);
  EXPECT_EQ(SheetNumber(s, "S-3"), std::nullopt);
  const AttendanceSheet& c1 = s.attendance.begin()->second;
  EXPECT_EQ(StatusOn(s, c1, "S-2"), AttendanceStatus::kAbsent);
  EXPECT_EQ(StatusOn(s, c1, "S-1"), AttendanceStatus::kPresent);
  EXPECT_EQ(StatusOn(s, c1, "S-3"), std::nullopt);

  Apply(s, Event("AttendanceCorrected", {{"course_id", "C-1"},
                                         {"date", "2026-11-02"},
                                         {"period", 1},
                                         {"student_id", "S-2"},
                                         {"status", "present"}}));
  EXPECT_EQ(StatusOn(s, c1, "S-2"), AttendanceStatus::kPresent);
  EXPECT_EQ(s.tallies["S-2"].absent, 0);
  EXPECT_EQ(s.tallies["S-2"].present, 1);
  EXPECT_EQ(s.tallies["S-1"].held, 2);
}

TEST(Apply, IgnoresUnknownTypesAndNonObjectData) {
  WriteState s;
  events::Envelope e;
  e.type = "SomethingNew";
  e.data = {{"student_id", "S-1"}};
  Apply(s, e);
  e.type = "StudentEnrolled";
  e.data = Json::array();
  Apply(s, e);
  EXPECT_EQ(s, WriteState{});
}

TEST(Apply, GivenEventsBuildTheStateDecideSees) {
  Scenario s;
  s.Given({{"mentor-M-1", "MentorRegistered", {{"mentor_id", "M-1"}, {"max_mentees", 1}}},
           {"student-S-1", "StudentEnrolled", {{"student_id", "S-1"}, {"roll_number", "R1"}}},
           {"student-S-2", "StudentEnrolled", {{"student_id", "S-2"}, {"roll_number", "R2"}}},
           {"student-S-1", "MentorAssigned", {{"student_id", "S-1"}, {"mentor_id", "M-1"}}}});
  EXPECT_TRUE(
      RejectedWith(s.When(Admin(), "AssignMentor", {{"student_id", "S-2"}, {"mentor_id", "M-1"}}),
                   ErrorCode::kConflict, "mentor_id"));
  EXPECT_TRUE(RejectedWith(
      s.When(Admin(), "EnrollStudent",
             {{"student_id", "S-3"}, {"roll_number", "R2"}, {"name", "n"}, {"department", "d"}}),
      ErrorCode::kConflict, "roll_number"));
}

TEST(Apply, LiveAndRebuiltStatesAreEqualAndMeetingsLeaveCalendarsWhenNotLive) {
  Scenario s;
  s.Standard();
  s.Run(Mentor("M-1"), "ScheduleMeeting",
        {{"meeting_id", "MT-1"},
         {"mentor_id", "M-1"},
         {"student_ids", {"S-1"}},
         {"title", "t"},
         {"mode", "online"},
         {"start", "2026-11-24T10:00:00Z"},
         {"end", "2026-11-24T11:00:00Z"}});
  EXPECT_EQ(s.state().mentors.at("M-1").calendar.size(), 1u);
  EXPECT_EQ(s.state().students.at("S-1").calendar.size(), 1u);
  s.Run(Mentee("S-1"), "DeclineMeeting", {{"meeting_id", "MT-1"}, {"reason", "r"}});
  EXPECT_TRUE(s.state().mentors.at("M-1").calendar.empty());
  EXPECT_TRUE(s.state().students.at("S-1").calendar.empty());
  s.Run(Mentee("S-1"), "RequestLeave",
        {{"leave_id", "L-1"},
         {"student_id", "S-1"},
         {"kind", "on_duty"},
         {"from_date", "2026-11-20"},
         {"to_date", "2026-11-21"},
         {"reason", "r"}});
  s.Run(Admin(), "ApproveLeave", {{"leave_id", "L-1"}});
  s.Run(Admin(), "RecordAttendance",
        {{"course_id", "C"},
         {"date", "2026-11-20"},
         {"period", 1},
         {"entries", {{{"student_id", "S-1"}, {"status", "absent"}}}}});
  EXPECT_EQ(SummarizeAttendance(s.state(), "S-1").attended, 1);
  EXPECT_EQ(Rebuild(s.log()), s.state());
  WriteState other = Rebuild(s.log());
  other.students.at("S-1").profile = R"({"phone":"changed"})";
  EXPECT_NE(other, s.state());
}

// The on-duty count leapfrogs spans and absence dates: it must equal walking every
// span, with leave of other kinds, pending and closed requests interleaved, and
// absences before, inside, between and after the spans.
TEST(SummarizeAttendance, CountsAbsencesUnderApprovedOnDutySpansOnly) {
  WriteState s;
  AttendanceTally& t = s.tallies["S-1"];
  LeaveCalendar& calendar = s.leave_calendars["S-1"];
  const auto leave = [&](const std::string& id, LeaveKind kind, LeaveStatus status,
                         events::Days from, events::Days to) {
    s.leaves[id] = LeaveState{"S-1", kind, from, to, status};
    calendar.emplace(from, LeaveSpan{to, id});
  };
  leave("A", LeaveKind::kOnDuty, LeaveStatus::kApproved, 10, 12);
  leave("B", LeaveKind::kLeave, LeaveStatus::kApproved, 13, 13);
  leave("C", LeaveKind::kOnDuty, LeaveStatus::kPending, 20, 25);
  leave("D", LeaveKind::kOnDuty, LeaveStatus::kApproved, 30, 30);
  for (events::Days day = 100; day < 1100; ++day) {  // many spans no absence touches
    leave("X" + std::to_string(day), LeaveKind::kLeave, LeaveStatus::kApproved, day, day);
  }
  leave("E", LeaveKind::kOnDuty, LeaveStatus::kApproved, 2000, 2010);
  for (const events::Days day : {5, 10, 11, 12, 13, 14, 22, 30, 31, 500, 2000, 2010, 2011}) {
    events::AddCount(t.absences_by_date, day, 2);
  }
  t.held = 40;
  t.absent = 26;
  t.present = 14;
  // Covered: 10, 11, 12 (A), 30 (D), 2000, 2010 (E): 6 dates x 2 absences.
  EXPECT_EQ(SummarizeAttendance(s, "S-1").attended, 14 + 12);
  calendar.clear();
  EXPECT_EQ(SummarizeAttendance(s, "S-1").attended, 14);
}

// A meeting's action items, packed in one string: listed, looked up and
// completed by index, replaced by an amendment that keeps the completion of an
// unchanged item at the same index, whatever the texts' lengths.
TEST(ActionItems, ListLookUpCompleteAndReplace) {
  ActionItems items;
  EXPECT_TRUE(items.List().empty());
  EXPECT_FALSE(items.At(0).has_value());
  const std::string long_text(200, 'l');  // a two-byte length
  items.Replace({"ch. 3", long_text, ""});
  using Item = ActionItems::Item;
  EXPECT_EQ(items.List(), (std::vector<Item>{{"ch. 3", false}, {long_text, false}, {"", false}}));
  items.Complete(1);
  items.Complete(2);
  items.Complete(3);   // past the end: nothing
  items.Complete(-1);  // nothing
  EXPECT_EQ(items.At(1), (Item{long_text, true}));
  EXPECT_EQ(items.At(0), (Item{"ch. 3", false}));
  EXPECT_FALSE(items.At(3).has_value());
  EXPECT_FALSE(items.At(-1).has_value());
  EXPECT_TRUE(items.WellFormed());
  items.Replace({"ch. 4", long_text, "lab"});  // same text at 1 keeps it; 2 changed
  EXPECT_EQ(items.List(), (std::vector<Item>{{"ch. 4", false}, {long_text, true}, {"lab", false}}));
  items.Replace({long_text});  // moved to another index: open again
  EXPECT_EQ(items.List(), (std::vector<Item>{{long_text, false}}));
  items.Replace({});
  EXPECT_TRUE(items.packed.empty());
}

}  // namespace
}  // namespace mentorlog::commands::testing
