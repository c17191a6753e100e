// The authorisation matrix: every command x role x relationship, table-driven. The
// same table is in docs/authorization.md; DocsShowThisMatrix keeps them equal.

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <sstream>

#include "commands/command_spec.h"
#include "tests/commands/given_when_then.h"

namespace mentorlog::commands::testing {
namespace {

// The columns. The acting mentor is always M-1 and the acting mentee S-1; the
// relationship picks the student the command is about: S-1 (M-1's mentee) or S-2
// (M-2's mentee). Admins and auditors act about S-1.
struct Column {
  const char* title;
  events::Actor actor;
  const char* student;
};

const std::vector<Column>& Columns() {
  static const std::vector<Column> columns = {
      {"admin", Admin(), "S-1"},
      {"mentor, own mentee", Mentor("M-1"), "S-1"},
      {"mentor, other mentor's mentee", Mentor("M-1"), "S-2"},
      {"mentee, self", Mentee("S-1"), "S-1"},
      {"mentee, other student", Mentee("S-1"), "S-2"},
      {"auditor", Auditor(), "S-1"},
  };
  return columns;
}

std::string MentorOf(const std::string& student) { return student == "S-1" ? "M-1" : "M-2"; }

// One row: how to set up the world for a student, the command about that student,
// when it is sent, and the expected outcome per column ('Y' allowed, '-' forbidden).
struct Row {
  std::string label;
  std::string command;
  std::function<void(Scenario&, const std::string& student)> prepare;
  std::function<Json(const std::string& student)> body;
  std::string now;
  std::string expect;
};

const char* kStart = "2026-11-24T10:00:00Z";
const char* kEnd = "2026-11-24T11:00:00Z";
const char* kAfterEnd = "2026-11-24T12:00:00Z";

Json MeetingBody(const std::string& student) {
  return {{"meeting_id", "MT-1"},
          {"mentor_id", MentorOf(student)},
          {"student_ids", {student}},
          {"title", "t"},
          {"mode", "online"},
          {"start", kStart},
          {"end", kEnd}};
}

void Nothing(Scenario&, const std::string&) {}

void ProposedByMentor(Scenario& s, const std::string& student) {
  s.Run(Mentor(MentorOf(student)), "ScheduleMeeting", MeetingBody(student));
}

void ProposedByMentee(Scenario& s, const std::string& student) {
  s.Run(Mentee(student), "ScheduleMeeting", MeetingBody(student));
}

void AcceptedMeeting(Scenario& s, const std::string& student) {
  ProposedByMentor(s, student);
  s.Run(Mentee(student), "AcceptMeeting", {{"meeting_id", "MT-1"}});
}

void Observed(Scenario& s, const std::string& student) {
  AcceptedMeeting(s, student);
  s.Run(Mentor(MentorOf(student)), "RecordObservation",
        {{"meeting_id", "MT-1"},
         {"points_for_mentee", "p"},
         {"next_action_items", {"read"}},
         {"observations", "o"}},
        T(kEnd));
}

void Recorded(Scenario& s, const std::string& student) {
  s.Run(Admin(), "RecordAttendance",
        {{"course_id", "CS101"},
         {"date", "2026-11-20"},
         {"period", 1},
         {"entries", {{{"student_id", student}, {"status", "absent"}}}}});
}

void Alerted(Scenario& s, const std::string& student) {
  for (int p = 1; p <= 10; ++p) {
    s.Run(Admin(), "RecordAttendance",
          {{"course_id", "CS101"},
           {"date", "2026-11-20"},
           {"period", p},
           {"entries", {{{"student_id", student}, {"status", "absent"}}}}});
  }
}

void ChangeRequested(Scenario& s, const std::string& student) {
  s.Run(Mentee(student), "RequestMentorChange",
        {{"request_id", "CR-1"}, {"student_id", student}, {"reason", "r"}});
}

void LeaveRequested(Scenario& s, const std::string& student) {
  s.Run(Mentee(student), "RequestLeave",
        {{"leave_id", "L-1"},
         {"student_id", student},
         {"kind", "leave"},
         {"from_date", "2026-11-24"},
         {"to_date", "2026-11-24"},
         {"reason", "r"}});
}

Json Meeting(const std::string&) { return {{"meeting_id", "MT-1"}}; }

// Sections 5-7.
void Counselled(Scenario& s, const std::string& student) {
  s.Run(Mentor(MentorOf(student)), "CreateCounselling",
        {{"counselling_id", "C-1"},
         {"name", "n"},
         {"at", "2026-11-23T07:00:00Z"},
         {"notes", "x"},
         {"student_ids", {student}}});
}

void ProgramCreated(Scenario& s, const std::string&) {
  s.Run(Admin(), "CreateProgram",
        {{"program_id", "P-1"},
         {"name", "n"},
         {"milestones", {{{"milestone_id", "MS-1"}, {"title", "t"}}}},
         {"mentor_can_customise", true}});
}

void ProgramEnrolled(Scenario& s, const std::string& student) {
  ProgramCreated(s, student);
  s.Run(Admin(), "EnrollInProgram", {{"program_id", "P-1"}, {"student_id", student}});
}

const char* kSlotStart = "2026-11-24T10:00:00Z";

void TimetableDefined(Scenario& s, const std::string& student) {
  s.Run(Admin(), "DefineTimetable",
        {{"timetable_id", "TT-1"},
         {"kind", "custom"},
         {"mentor_id", MentorOf(student)},
         {"slots", {{{"start", kSlotStart}, {"end", "2026-11-24T10:30:00Z"}}}}});
}

void MentorshipRequested(Scenario& s, const std::string& student) {
  s.Run(Mentee(student), "RequestMentorship",
        {{"request_id", "MR-1"}, {"team_or_student", "TEAM-1"}, {"topic", "t"}});
}

void SlotBooked(Scenario& s, const std::string& student) {
  TimetableDefined(s, student);
  s.Run(Admin(), "BookSlot",
        {{"timetable_id", "TT-1"},
         {"slot_start", kSlotStart},
         {"session_number", 1},
         {"team_or_student", "TEAM-1"}});
}

const std::vector<Row>& Rows() {
  static const std::vector<Row> rows = {
      {"RegisterMentor", "RegisterMentor", Nothing,
       [](auto&) -> Json {
         return {{"mentor_id", "M-9"}, {"name", "n"}, {"department", "d"}};
       },
       std::string(kNow), "Y-----"},
      {"EnrollStudent", "EnrollStudent", Nothing,
       [](auto&) -> Json {
         return {{"student_id", "S-9"}, {"roll_number", "R9"}, {"name", "n"}, {"department", "d"}};
       },
       std::string(kNow), "Y-----"},
      {"UpdateStudentProfile (contact field)", "UpdateStudentProfile", Nothing,
       [](auto& st) -> Json {
         return {{"student_id", st}, {"changes", {{"phone", "1"}}}};
       },
       std::string(kNow), "YY-Y--"},
      {"AssignMentor", "AssignMentor", Nothing,
       [](auto& st) -> Json {
         return {{"student_id", st}, {"mentor_id", st == "S-1" ? "M-2" : "M-1"}};
       },
       std::string(kNow), "Y-----"},
      {"RequestMentorChange", "RequestMentorChange", Nothing,
       [](auto& st) -> Json {
         return {{"request_id", "CR-1"}, {"student_id", st}, {"reason", "r"}};
       },
       std::string(kNow), "---Y--"},
      {"DecideMentorChange", "DecideMentorChange", ChangeRequested,
       [](auto&) -> Json {
         return {{"request_id", "CR-1"}, {"approve", false}};
       },
       std::string(kNow), "Y-----"},
      {"ScheduleMeeting", "ScheduleMeeting", Nothing, MeetingBody, std::string(kNow), "YY-Y--"},
      {"AcceptMeeting (proposed by the mentor side)", "AcceptMeeting", ProposedByMentor, Meeting,
       std::string(kNow), "---Y--"},
      {"AcceptMeeting (proposed by the mentee)", "AcceptMeeting", ProposedByMentee, Meeting,
       std::string(kNow), "YY----"},
      {"RescheduleMeeting", "RescheduleMeeting", ProposedByMentor,
       [](auto&) -> Json {
         return {{"meeting_id", "MT-1"},
                 {"start", "2026-11-25T10:00:00Z"},
                 {"end", "2026-11-25T11:00:00Z"}};
       },
       std::string(kNow), "YY-Y--"},
      {"DeclineMeeting", "DeclineMeeting", ProposedByMentor,
       [](auto&) -> Json {
         return {{"meeting_id", "MT-1"}, {"reason", "r"}};
       },
       std::string(kNow), "YY-Y--"},
      {"CancelMeeting", "CancelMeeting", ProposedByMentor,
       [](auto&) -> Json {
         return {{"meeting_id", "MT-1"}, {"reason", "r"}};
       },
       std::string(kNow), "YY----"},
      {"AddAgendaItems", "AddAgendaItems", ProposedByMentor,
       [](auto&) -> Json {
         return {{"meeting_id", "MT-1"}, {"items", {"i"}}};
       },
       std::string(kNow), "-Y-Y--"},
      {"RecordObservation", "RecordObservation", AcceptedMeeting,
       [](auto&) -> Json {
         return {{"meeting_id", "MT-1"},
                 {"points_for_mentee", "p"},
                 {"next_action_items", Json::array()},
                 {"observations", "o"}};
       },
       kEnd, "-Y----"},
      {"ValidateMeeting", "ValidateMeeting", AcceptedMeeting,
       [](auto&) -> Json {
         return {{"meeting_id", "MT-1"}, {"occurred", true}};
       },
       kAfterEnd, "-Y-Y--"},
      {"CompleteActionItem", "CompleteActionItem", Observed,
       [](auto&) -> Json {
         return {{"meeting_id", "MT-1"}, {"item", 0}};
       },
       kAfterEnd, "---Y--"},
      {"RecordAttendance", "RecordAttendance", Nothing,
       [](auto& st) -> Json {
         return {{"course_id", "CS101"},
                 {"date", "2026-11-20"},
                 {"period", 1},
                 {"entries", {{{"student_id", st}, {"status", "present"}}}}};
       },
       std::string(kNow), "YYY---"},
      {"CorrectAttendance", "CorrectAttendance", Recorded,
       [](auto& st) -> Json {
         return {{"course_id", "CS101"}, {"date", "2026-11-20"}, {"period", 1},
                 {"student_id", st},     {"status", "present"},  {"reason", "r"}};
       },
       std::string(kNow), "YYY---"},
      {"AcknowledgeAlert", "AcknowledgeAlert", Alerted,
       [](auto&) -> Json {
         return {{"alert_id", "alert-1"}, {"action", "contacted_student"}};
       },
       std::string(kNow), "-Y----"},
      {"RequestLeave", "RequestLeave", Nothing,
       [](auto& st) -> Json {
         return {{"leave_id", "L-1"},         {"student_id", st},        {"kind", "on_duty"},
                 {"from_date", "2026-11-24"}, {"to_date", "2026-11-24"}, {"reason", "r"}};
       },
       std::string(kNow), "-Y-Y--"},
      {"ApproveLeave", "ApproveLeave", LeaveRequested,
       [](auto&) -> Json {
         return {{"leave_id", "L-1"}};
       },
       std::string(kNow), "YY----"},
      {"RejectLeave", "RejectLeave", LeaveRequested,
       [](auto&) -> Json {
         return {{"leave_id", "L-1"}, {"remark", "r"}};
       },
       std::string(kNow), "YY----"},
      {"CancelLeave", "CancelLeave", LeaveRequested,
       [](auto&) -> Json {
         return {{"leave_id", "L-1"}};
       },
       std::string(kNow), "---Y--"},
      {"RecordExamResult", "RecordExamResult", Nothing,
       [](auto& st) -> Json {
         return {
             {"student_id", st}, {"exam", "e"}, {"subject", "s"}, {"marks", 10}, {"max_marks", 50}};
       },
       std::string(kNow), "YY----"},
      {"RecordAchievement", "RecordAchievement", Nothing,
       [](auto& st) -> Json {
         return {{"student_id", st}, {"title", "t"}, {"category", "c"}, {"date", "2026-11-20"}};
       },
       std::string(kNow), "YY----"},
      {"RecordEnrollment", "RecordEnrollment", Nothing,
       [](auto& st) -> Json {
         return {{"student_id", st},
                 {"term", "t"},
                 {"programme", "p"},
                 {"courses", {"CS101"}},
                 {"status", "enrolled"}};
       },
       std::string(kNow), "Y-----"},
      {"CreateCounselling", "CreateCounselling", Nothing,
       [](auto& st) -> Json {
         return {{"counselling_id", "C-1"},
                 {"name", "n"},
                 {"at", "2026-11-24T10:00:00Z"},
                 {"notes", "x"},
                 {"student_ids", {st}}};
       },
       std::string(kNow), "-Y----"},
      {"RecordCounsellingOutcome (the counselling's mentor)", "RecordCounsellingOutcome",
       Counselled,
       [](auto&) -> Json {
         return {{"counselling_id", "C-1"}, {"outcome", "o"}};
       },
       std::string(kNow), "-Y----"},
      {"RequestCounselling", "RequestCounselling", Nothing,
       [](auto& st) -> Json {
         return {{"request_id", "CQ-1"}, {"student_id", st}, {"topic", "t"}};
       },
       std::string(kNow), "---Y--"},
      {"CreateProgram", "CreateProgram", Nothing,
       [](auto&) -> Json {
         return {{"program_id", "P-1"},
                 {"name", "n"},
                 {"milestones", {{{"milestone_id", "MS-1"}, {"title", "t"}}}}};
       },
       std::string(kNow), "Y-----"},
      {"EnrollInProgram", "EnrollInProgram", ProgramCreated,
       [](auto& st) -> Json {
         return {{"program_id", "P-1"}, {"student_id", st}};
       },
       std::string(kNow), "Y-----"},
      {"CustomiseMilestones (programme allows it)", "CustomiseMilestones", ProgramEnrolled,
       [](auto& st) -> Json {
         return {{"program_id", "P-1"},
                 {"student_id", st},
                 {"milestones", {{{"milestone_id", "MS-2"}, {"title", "t"}}}}};
       },
       std::string(kNow), "-Y----"},
      {"CompleteMilestone", "CompleteMilestone", ProgramEnrolled,
       [](auto& st) -> Json {
         return {{"program_id", "P-1"}, {"student_id", st}, {"milestone_id", "MS-1"}};
       },
       std::string(kNow), "-Y----"},
      {"RateSkill", "RateSkill", Nothing,
       [](auto& st) -> Json {
         return {{"student_id", st}, {"skill", "s"}, {"rating", 3}};
       },
       std::string(kNow), "-Y----"},
      {"GiveFeedback", "GiveFeedback", Nothing,
       [](auto& st) -> Json {
         return {{"student_id", st}, {"kind", "general"}, {"text", "t"}};
       },
       std::string(kNow), "-Y----"},
      {"NominateStakeholder", "NominateStakeholder", ProgramEnrolled,
       [](auto& st) -> Json {
         return {{"program_id", "P-1"}, {"student_id", st}, {"name", "n"}, {"email", "a@b.org"}};
       },
       std::string(kNow), "---Y--"},
      {"SubmitSatisfaction (in the student's programme)", "SubmitSatisfaction", ProgramEnrolled,
       [](auto&) -> Json {
         return {{"program_id", "P-1"}, {"rating", 4}};
       },
       std::string(kNow), "-Y-Y--"},
      {"DefineTimetable (custom, for the student's mentor)", "DefineTimetable", Nothing,
       [](auto& st) -> Json {
         return {{"timetable_id", "TT-1"},
                 {"kind", "custom"},
                 {"mentor_id", MentorOf(st)},
                 {"slots", {{{"start", kSlotStart}, {"end", "2026-11-24T10:30:00Z"}}}}};
       },
       std::string(kNow), "YY----"},
      {"BookSlot", "BookSlot", TimetableDefined,
       [](auto&) -> Json {
         return {{"timetable_id", "TT-1"},
                 {"slot_start", kSlotStart},
                 {"session_number", 1},
                 {"team_or_student", "TEAM-1"}};
       },
       std::string(kNow), "Y-----"},
      {"ReleaseSlot", "ReleaseSlot", SlotBooked,
       [](auto&) -> Json {
         return {{"timetable_id", "TT-1"}, {"slot_start", kSlotStart}, {"reason", "r"}};
       },
       std::string(kNow), "Y-----"},
      {"RequestMentorship", "RequestMentorship", Nothing,
       [](auto& st) -> Json {
         return {{"request_id", "MR-1"}, {"team_or_student", st}, {"topic", "t"}};
       },
       std::string(kNow), "---Y--"},
      {"AssignMentorshipRequest", "AssignMentorshipRequest", MentorshipRequested,
       [](auto& st) -> Json {
         return {{"request_id", "MR-1"}, {"mentor_id", MentorOf(st)}};
       },
       std::string(kNow), "Y-----"},
  };
  return rows;
}

class AuthorizationMatrix : public ::testing::TestWithParam<std::size_t> {};

TEST_P(AuthorizationMatrix, EachRoleAndRelationship) {
  const Row& row = Rows()[GetParam()];
  ASSERT_EQ(row.expect.size(), Columns().size());
  for (std::size_t c = 0; c < Columns().size(); ++c) {
    const Column& column = Columns()[c];
    SCOPED_TRACE(row.label + " as " + column.title);
    Scenario s;
    s.Standard();
    row.prepare(s, column.student);
    const Decision d = s.When(column.actor, row.command, row.body(column.student), T(row.now));
    if (row.expect[c] == 'Y') {
      EXPECT_TRUE(Accepted(d));
    } else {
      ASSERT_FALSE(d.has_value());
      EXPECT_EQ(d.error().code, ErrorCode::kForbidden) << d.error().message;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, AuthorizationMatrix, ::testing::Range<std::size_t>(0, 42),
                         [](const auto& info) {
                           std::string name;
                           for (const char ch : Rows()[info.param].label) {
                             if (std::isalnum(static_cast<unsigned char>(ch))) name += ch;
                           }
                           return name;
                         });

TEST(AuthorizationMatrixTable, CoversEveryCommand) {
  EXPECT_EQ(Rows().size(), 42u);
  for (const CommandSpec& spec : CommandSpecs()) {
    bool found = false;
    for (const Row& row : Rows()) found = found || row.command == spec.name;
    EXPECT_TRUE(found) << spec.name;
  }
}

// The markdown rows of the matrix, as docs/authorization.md shows them.
std::vector<std::string> MarkdownRows() {
  std::vector<std::string> out;
  std::string header = "| command |";
  std::string rule = "|---|";
  for (const Column& c : Columns()) {
    header += std::string(" ") + c.title + " |";
    rule += "---|";
  }
  out.push_back(header);
  out.push_back(rule);
  for (const Row& row : Rows()) {
    std::string line = "| " + row.label + " |";
    for (const char e : row.expect) line += e == 'Y' ? " yes |" : " no |";
    out.push_back(line);
  }
  return out;
}

TEST(AuthorizationMatrixTable, DocsShowThisMatrix) {
  std::ifstream in(std::string(MENTORLOG_SOURCE_DIR) + "/docs/authorization.md");
  ASSERT_TRUE(in.good()) << "docs/authorization.md missing";
  std::stringstream doc;
  doc << in.rdbuf();
  for (const std::string& line : MarkdownRows()) {
    EXPECT_NE(doc.str().find(line + "\n"), std::string::npos) << "missing from the docs:\n" << line;
  }
}

}  // namespace
}  // namespace mentorlog::commands::testing
