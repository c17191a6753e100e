#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "commands/command.h"
#include "commands/command_spec.h"

namespace mentorlog::commands {
namespace {

using Json = nlohmann::json;

Json ValidSchedule() {
  return {{"meeting_id", "MT-1"},         {"mentor_id", "M-1"}, {"student_ids", {"S-1"}},
          {"title", "Weekly check-in"},   {"mode", "online"},   {"start", "2026-11-24T10:00:00Z"},
          {"end", "2026-11-24T11:00:00Z"}};
}

Json ValidAttendance() {
  return {{"course_id", "CS101"},
          {"date", "2026-11-23"},
          {"period", 3},
          {"entries",
           {{{"student_id", "S-1"}, {"status", "present"}},
            {{"student_id", "S-2"}, {"status", "absent"}}}}};
}

// Given the body of `name`, decoding is refused as invalid_argument on `field`.
void ExpectInvalid(std::string_view name, const Json& body, std::string_view field) {
  const auto got = DecodeCommand(name, body);
  ASSERT_FALSE(got.has_value()) << body.dump();
  EXPECT_EQ(got.error().code, ErrorCode::kInvalidArgument) << body.dump();
  EXPECT_EQ(got.error().field, field) << body.dump() << " -> " << got.error().message;
  EXPECT_FALSE(got.error().message.empty());
}

TEST(DecodeCommand, DecodesAValidScheduleMeetingIntoTypedFields) {
  const auto got = DecodeCommand("ScheduleMeeting", ValidSchedule());
  ASSERT_TRUE(got.has_value());
  const auto& c = std::get<ScheduleMeeting>(*got);
  EXPECT_EQ(c.meeting_id, "MT-1");
  EXPECT_EQ(c.student_ids, std::vector<std::string>{"S-1"});
  EXPECT_EQ(c.mode, MeetingMode::kOnline);
  EXPECT_EQ(c.start, *events::ParseTime("2026-11-24T10:00:00Z"));
  EXPECT_EQ(c.end - c.start, 3'600'000);
  EXPECT_FALSE(c.description.has_value());
  EXPECT_EQ(CommandName(*got), "ScheduleMeeting");
}

TEST(DecodeCommand, DecodesNestedObjectsListsAndDefaults) {
  const auto enroll = DecodeCommand(
      "EnrollStudent", {{"student_id", "S-1"},
                        {"roll_number", "21CS017"},
                        {"name", "Priya"},
                        {"department", "CSE"},
                        {"year", 2},
                        {"guardian", {{"name", "Mala"}, {"phone", "+91 98400 00000"}}}});
  ASSERT_TRUE(enroll.has_value());
  EXPECT_EQ(std::get<EnrollStudent>(*enroll).guardian, (Guardian{"Mala", "+91 98400 00000"}));
  EXPECT_EQ(std::get<EnrollStudent>(*enroll).year, 2);

  const auto mentor = DecodeCommand(
      "RegisterMentor", {{"mentor_id", "M-1"}, {"name", "Asha"}, {"department", "CSE"}});
  ASSERT_TRUE(mentor.has_value());
  EXPECT_EQ(std::get<RegisterMentor>(*mentor).max_mentees, 20);
  EXPECT_TRUE(std::get<RegisterMentor>(*mentor).expertise.empty());

  const auto attendance = DecodeCommand("RecordAttendance", ValidAttendance());
  ASSERT_TRUE(attendance.has_value());
  const auto& a = std::get<RecordAttendance>(*attendance);
  EXPECT_EQ(a.date, *events::ParseDate("2026-11-23"));
  EXPECT_EQ(a.entries[1], (AttendanceEntry{"S-2", AttendanceStatus::kAbsent}));

  const auto update = DecodeCommand("UpdateStudentProfile",
                                    {{"student_id", "S-1"}, {"changes", {{"phone", "123"}}}});
  ASSERT_TRUE(update.has_value());
  EXPECT_EQ(std::get<UpdateStudentProfile>(*update).changes.phone, "123");
}

TEST(DecodeCommand, NullInAnOptionalFieldMeansAbsent) {
  Json body = ValidSchedule();
  body["description"] = nullptr;
  const auto got = DecodeCommand("ScheduleMeeting", body);
  ASSERT_TRUE(got.has_value());
  EXPECT_FALSE(std::get<ScheduleMeeting>(*got).description.has_value());
}

TEST(DecodeCommand, UnknownCommandName) {
  const auto got = DecodeCommand("ScheduleMeetings", ValidSchedule());
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code, ErrorCode::kUnknownCommand);
  EXPECT_EQ(got.error().field, "");
}

TEST(DecodeCommand, BodyNotAnObject) {
  ExpectInvalid("AcceptMeeting", Json::array({"MT-1"}), "");
  ExpectInvalid("AcceptMeeting", "MT-1", "");
  ExpectInvalid("AcceptMeeting", nullptr, "");
}

TEST(DecodeCommand, MissingField) {
  Json body = ValidSchedule();
  body.erase("title");
  ExpectInvalid("ScheduleMeeting", body, "title");
  body = ValidSchedule();
  body["start"] = nullptr;
  ExpectInvalid("ScheduleMeeting", body, "start");
  ExpectInvalid("RejectLeave", {{"leave_id", "L-1"}}, "remark");
  ExpectInvalid("RecordAttendance",
                {{"course_id", "C"},
                 {"date", "2026-11-23"},
                 {"period", 1},
                 {"entries", {{{"student_id", "S-1"}}}}},
                "entries[0].status");
}

TEST(DecodeCommand, UnknownFieldIsRefused) {
  Json body = ValidSchedule();
  body["strat"] = "2026-11-24T10:00:00Z";
  ExpectInvalid("ScheduleMeeting", body, "strat");
  ExpectInvalid("UpdateStudentProfile", {{"student_id", "S-1"}, {"changes", {{"shoe_size", 9}}}},
                "changes.shoe_size");
  ExpectInvalid("UpdateStudentProfile",
                {{"student_id", "S-1"},
                 {"changes", {{"guardian", {{"name", "A"}, {"phone", "1"}, {"age", 50}}}}}},
                "changes.guardian.age");
  Json attendance = ValidAttendance();
  attendance["entries"][1]["late"] = true;
  ExpectInvalid("RecordAttendance", attendance, "entries[1].late");
}

TEST(DecodeCommand, MistypedField) {
  Json body = ValidSchedule();
  body["student_ids"] = "S-1";
  ExpectInvalid("ScheduleMeeting", body, "student_ids");
  body = ValidSchedule();
  body["title"] = 42;
  ExpectInvalid("ScheduleMeeting", body, "title");
  ExpectInvalid("ValidateMeeting", {{"meeting_id", "MT-1"}, {"occurred", "yes"}}, "occurred");
  ExpectInvalid("CompleteActionItem", {{"meeting_id", "MT-1"}, {"item", 1.5}}, "item");
  ExpectInvalid("CompleteActionItem", {{"meeting_id", "MT-1"}, {"item", "1"}}, "item");
  ExpectInvalid("EnrollStudent",
                {{"student_id", "S-1"},
                 {"roll_number", "R"},
                 {"name", "N"},
                 {"department", "D"},
                 {"guardian", "Mala"}},
                "guardian");
  Json attendance = ValidAttendance();
  attendance["entries"][0] = "S-1";
  ExpectInvalid("RecordAttendance", attendance, "entries[0]");
}

TEST(DecodeCommand, BadIdPattern) {
  for (const Json& bad :
       {Json("has space"), Json("a/b"), Json(std::string(200, 'a')), Json(std::string(65, 'a')),
        Json(""), Json("-starts-with-dash"), Json("ünïcode")}) {
    ExpectInvalid("AcceptMeeting", {{"meeting_id", bad}}, "meeting_id");
  }
  EXPECT_TRUE(DecodeCommand("AcceptMeeting", {{"meeting_id", std::string(64, 'a')}}));
  EXPECT_TRUE(DecodeCommand("AcceptMeeting", {{"meeting_id", "a.b_c:d-E9"}}));
  Json body = ValidSchedule();
  body["student_ids"] = {"S-1", "S 2"};
  ExpectInvalid("ScheduleMeeting", body, "student_ids[1]");
}

TEST(DecodeCommand, StringOver4KiB) {
  Json body = ValidSchedule();
  body["description"] = std::string(4096, 'x');
  EXPECT_TRUE(DecodeCommand("ScheduleMeeting", body));
  body["description"] = std::string(4097, 'x');
  ExpectInvalid("ScheduleMeeting", body, "description");
  ExpectInvalid("AddAgendaItems",
                {{"meeting_id", "MT-1"}, {"items", {"a", std::string(5000, 'x')}}}, "items[1]");
  ExpectInvalid("DeclineMeeting", {{"meeting_id", "MT-1"}, {"reason", ""}}, "reason");
}

TEST(DecodeCommand, ArrayOver500Entries) {
  Json items = Json::array();
  for (int i = 0; i < 500; ++i) items.push_back("item");
  EXPECT_TRUE(DecodeCommand("AddAgendaItems", {{"meeting_id", "MT-1"}, {"items", items}}));
  items.push_back("one too many");
  ExpectInvalid("AddAgendaItems", {{"meeting_id", "MT-1"}, {"items", items}}, "items");
  ExpectInvalid("AddAgendaItems", {{"meeting_id", "MT-1"}, {"items", Json::array()}}, "items");
  Json body = ValidSchedule();
  body["student_ids"] = Json::array();
  ExpectInvalid("ScheduleMeeting", body, "student_ids");
}

TEST(DecodeCommand, DuplicateListEntries) {
  Json body = ValidSchedule();
  body["student_ids"] = {"S-1", "S-2", "S-1"};
  ExpectInvalid("ScheduleMeeting", body, "student_ids[2]");
  Json attendance = ValidAttendance();
  attendance["entries"][1]["student_id"] = "S-1";
  ExpectInvalid("RecordAttendance", attendance, "entries[1].student_id");
}

TEST(DecodeCommand, BadTimeAndDate) {
  for (const char* bad : {"2026-11-24 10:00:00Z", "2026-11-24T10:00:00", "2026-02-30T10:00:00Z",
                          "tomorrow", "2026-11-24T25:00:00Z"}) {
    Json body = ValidSchedule();
    body["start"] = bad;
    ExpectInvalid("ScheduleMeeting", body, "start");
  }
  Json body = ValidSchedule();
  body["end"] = 1764000000;
  ExpectInvalid("ScheduleMeeting", body, "end");
  for (const char* bad : {"2026-11-31", "23-11-2026", "2026-11-23T00:00:00Z", "2026-1-5"}) {
    Json a = ValidAttendance();
    a["date"] = bad;
    ExpectInvalid("RecordAttendance", a, "date");
  }
  ExpectInvalid("RecordObservation",
                {{"meeting_id", "MT-1"},
                 {"points_for_mentee", "p"},
                 {"next_action_items", {"a"}},
                 {"observations", "o"},
                 {"next_follow_up_date", "next week"}},
                "next_follow_up_date");
}

TEST(DecodeCommand, BadEnum) {
  Json body = ValidSchedule();
  body["mode"] = "telepathy";
  ExpectInvalid("ScheduleMeeting", body, "mode");
  Json attendance = ValidAttendance();
  attendance["entries"][0]["status"] = "Present";
  ExpectInvalid("RecordAttendance", attendance, "entries[0].status");
  ExpectInvalid("AcknowledgeAlert", {{"alert_id", "alert-1"}, {"action", "ignored"}}, "action");
  ExpectInvalid("RequestLeave",
                {{"leave_id", "L-1"},
                 {"student_id", "S-1"},
                 {"kind", "holiday"},
                 {"from_date", "2026-11-23"},
                 {"to_date", "2026-11-24"},
                 {"reason", "r"}},
                "kind");
}

TEST(DecodeCommand, OutOfRangeNumbers) {
  for (const int period : {0, 25, -1}) {
    Json a = ValidAttendance();
    a["period"] = period;
    ExpectInvalid("RecordAttendance", a, "period");
  }
  Json a = ValidAttendance();
  a["period"] = 18446744073709551615ULL;
  ExpectInvalid("RecordAttendance", a, "period");
  a["period"] = 24;
  EXPECT_TRUE(DecodeCommand("RecordAttendance", a));
  ExpectInvalid("RegisterMentor",
                {{"mentor_id", "M-1"}, {"name", "A"}, {"department", "D"}, {"max_mentees", 0}},
                "max_mentees");
  ExpectInvalid("CompleteActionItem", {{"meeting_id", "MT-1"}, {"item", -1}}, "item");
  ExpectInvalid("UpdateStudentProfile", {{"student_id", "S-1"}, {"changes", {{"year", 11}}}},
                "changes.year");
}

TEST(DecodeCommand, EndNotAfterStartOrLongerThan8Hours) {
  Json body = ValidSchedule();
  body["end"] = body["start"];
  ExpectInvalid("ScheduleMeeting", body, "end");
  body["end"] = "2026-11-24T09:00:00Z";
  ExpectInvalid("ScheduleMeeting", body, "end");
  body["end"] = "2026-11-24T18:00:00Z";  // exactly 8 h
  EXPECT_TRUE(DecodeCommand("ScheduleMeeting", body));
  body["end"] = "2026-11-24T18:00:00.001Z";
  ExpectInvalid("ScheduleMeeting", body, "end");
  ExpectInvalid("RescheduleMeeting",
                {{"meeting_id", "MT-1"},
                 {"start", "2026-11-24T10:00:00Z"},
                 {"end", "2026-11-24T10:00:00+01:00"}},
                "end");
  const Json leave = {{"leave_id", "L-1"},         {"student_id", "S-1"},     {"kind", "leave"},
                      {"from_date", "2026-11-24"}, {"to_date", "2026-11-23"}, {"reason", "r"}};
  ExpectInvalid("RequestLeave", leave, "to_date");
  Json one_day = leave;
  one_day["to_date"] = "2026-11-24";
  EXPECT_TRUE(DecodeCommand("RequestLeave", one_day));
}

TEST(DecodeCommand, NestedRecordsOfSectionsFiveToSeven) {
  const Json counselling = {{"counselling_id", "C-1"},
                            {"name", "n"},
                            {"at", "2026-11-24T10:00:00Z"},
                            {"notes", "x"},
                            {"attachments", {{{"name", "a.pdf"}}}},
                            {"student_ids", {"S-1"}}};
  ExpectInvalid("CreateCounselling", counselling, "attachments[0].uri");
  Json no_attachments = counselling;
  no_attachments.erase("attachments");
  const auto decoded = DecodeCommand("CreateCounselling", no_attachments);
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(std::get<CreateCounselling>(*decoded).attachments.empty());
  ExpectInvalid("DefineTimetable",
                {{"timetable_id", "TT-1"},
                 {"kind", "regular"},
                 {"slots", {{{"start", "2026-11-24T10:00:00Z"}, {"end", "soon"}}}}},
                "slots[0].end");
  ExpectInvalid("DefineTimetable",
                {{"timetable_id", "TT-1"}, {"kind", "weekly"}, {"slots", Json::array()}}, "kind");
  ExpectInvalid("CreateProgram",
                {{"program_id", "P-1"}, {"name", "n"}, {"milestones", Json::array()}},
                "milestones");
  const auto program = DecodeCommand(
      "CreateProgram", {{"program_id", "P-1"},
                        {"name", "n"},
                        {"milestones", {{{"milestone_id", "MS-1"}, {"title", "t"}}}}});
  ASSERT_TRUE(program);
  EXPECT_EQ(std::get<CreateProgram>(*program).milestones, (std::vector<Milestone>{{"MS-1", "t"}}));
  EXPECT_FALSE(std::get<CreateProgram>(*program).mentor_can_customise);
  ExpectInvalid("BookSlot",
                {{"timetable_id", "TT-1"},
                 {"slot_start", "2026-11-24T10:00:00Z"},
                 {"session_number", 0},
                 {"team_or_student", "T-1"}},
                "session_number");
}

TEST(DecodeCommand, ProfileChangesNeedAtLeastOneField) {
  ExpectInvalid("UpdateStudentProfile", {{"student_id", "S-1"}, {"changes", Json::object()}},
                "changes");
}

TEST(CommandSpecs, DescribeEveryCommandOfTheVariantInOrder) {
  const auto& specs = CommandSpecs();
  ASSERT_EQ(specs.size(), std::variant_size_v<Command>);
  EXPECT_EQ(specs.front().name, "RegisterMentor");
  EXPECT_EQ(specs.back().name, "AssignMentorshipRequest");
  for (const CommandSpec& spec : specs) {
    EXPECT_FALSE(spec.fields.empty()) << spec.name;
    EXPECT_FALSE(spec.events.empty()) << spec.name;
    EXPECT_FALSE(spec.roles.empty()) << spec.name;
    EXPECT_EQ(FindCommandSpec(spec.name), &spec);
  }
  EXPECT_EQ(FindCommandSpec("Nope"), nullptr);
}

TEST(CommandSpecs, NestedObjectsCarryTheirMembers) {
  const CommandSpec* spec = FindCommandSpec("RecordAttendance");
  ASSERT_NE(spec, nullptr);
  const FieldSpec& entries = spec->fields.back();
  EXPECT_EQ(entries.name, "entries");
  EXPECT_EQ(entries.kind, FieldKind::kObjectList);
  ASSERT_EQ(entries.fields.size(), 2u);
  EXPECT_EQ(entries.fields[1].kind, FieldKind::kEnum);
  EXPECT_EQ(entries.fields[1].values,
            (std::vector<std::string>{"present", "absent", "on_duty", "leave"}));
  const FieldSpec& period = spec->fields[2];
  EXPECT_EQ(period.min, 1);
  EXPECT_EQ(period.max, 24);
}

TEST(ErrorCodeName, MatchesApiMd) {
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInvalidArgument), "invalid_argument");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kForbidden), "forbidden");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kNotFound), "not_found");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kConflict), "conflict");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kDoubleBooking), "double_booking");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInvalidState), "invalid_state");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kUnknownCommand), "unknown_command");
}

}  // namespace
}  // namespace mentorlog::commands
