// DOMAIN.md 5-7 over the real `mentorlog serve` binary: commands decoded from the
// spec tables (and listed in /v1/openapi.json), their refusals as API.md errors,
// and the views they change, read back with min_position.
#include <gtest/gtest.h>

#include "tests/support/http_client.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace mentorlog::http {
namespace {

using nlohmann::json;
using testing::HttpClient;
using testing::ServerProcess;

class DomainSectionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(MENTORLOG_BINARY, dir_.path() / "data");
    admin_ = ServerProcess::Token("A-1", "admin");
    mentor_ = ServerProcess::Token("M-1", "mentor");
    mentee_ = ServerProcess::Token("S-1", "mentee");
    Command("RegisterMentor", {{"mentor_id", "M-1"}, {"name", "M"}, {"department", "CSE"}}, admin_);
    for (const char* s : {"S-1", "S-2"}) {
      Command("EnrollStudent",
              {{"student_id", s},
               {"roll_number", std::string("R") + s},
               {"name", s},
               {"department", "CSE"}},
              admin_);
      Command("AssignMentor", {{"student_id", s}, {"mentor_id", "M-1"}}, admin_);
    }
  }

  HttpClient Client() { return HttpClient(server_->port()); }

  // Sends a command; returns the body (success or error) and checks the status.
  json Command(const std::string& name, const json& body, const std::string& token,
               unsigned expected_status = 200) {
    auto reply = Client().Post("/v1/commands/" + name, body.dump(), token);
    EXPECT_EQ(reply.status, expected_status) << name << ": " << reply.body;
    if (reply.status == 200) last_position_ = reply.Json().value("position", last_position_);
    return reply.Json();
  }

  // A view's data once it reflects every command sent so far.
  json View(const std::string& target, const std::string& token) {
    const char sep = target.find('?') == std::string::npos ? '?' : '&';
    auto reply =
        Client().Get(target + sep + "min_position=" + std::to_string(last_position_), token);
    EXPECT_EQ(reply.status, 200u) << target << ": " << reply.body;
    return reply.Json()["data"];
  }

  testing::TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string admin_, mentor_, mentee_;
  std::uint64_t last_position_ = 0;
};

TEST_F(DomainSectionsTest, CompletedMilestoneMakesAReviewDueUntilAReviewIsHeld) {
  Command("CreateProgram",
          {{"program_id", "P-1"},
           {"name", "Leadership"},
           {"milestones", {{{"milestone_id", "MS-1"}, {"title", "Goals"}}}}},
          admin_);
  Command("EnrollInProgram", {{"program_id", "P-1"}, {"student_id", "S-1"}}, admin_);
  const json done =
      Command("CompleteMilestone",
              {{"program_id", "P-1"}, {"student_id", "S-1"}, {"milestone_id", "MS-1"}}, mentor_);
  EXPECT_EQ(done["events"][0]["stream"], "program-P-1");
  EXPECT_EQ(done["events"][0]["type"], "MilestoneCompleted");
  const json again = Command(
      "CompleteMilestone", {{"program_id", "P-1"}, {"student_id", "S-1"}, {"milestone_id", "MS-1"}},
      mentor_, 409);
  EXPECT_EQ(again["error"]["code"], "invalid_state");
  EXPECT_EQ(again["error"]["field"], "milestone_id");

  json rows = View("/v1/views/my-mentees", mentor_)["items"];
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_EQ(rows[0]["reviews_due"].size(), 1u);
  EXPECT_EQ(rows[0]["reviews_due"][0]["milestone_id"], "MS-1");
  EXPECT_EQ(View("/v1/views/mentor-load/M-1", mentor_)["reviews_due"], 1);

  // A review meeting linked to the programme, recorded afterwards and validated by both.
  Command("ScheduleMeeting",
          {{"meeting_id", "MT-R"},
           {"mentor_id", "M-1"},
           {"student_ids", {"S-1"}},
           {"title", "Milestone review"},
           {"mode", "online"},
           {"start", "2026-01-10T10:00:00Z"},
           {"end", "2026-01-10T10:30:00Z"},
           {"program_id", "P-1"}},
          mentor_);
  Command("RecordObservation",
          {{"meeting_id", "MT-R"},
           {"points_for_mentee", "keep going"},
           {"next_action_items", {"draft goals"}},
           {"observations", "on track"}},
          mentor_);
  Command("ValidateMeeting", {{"meeting_id", "MT-R"}, {"occurred", true}}, mentor_);
  Command("ValidateMeeting", {{"meeting_id", "MT-R"}, {"occurred", true}}, mentee_);
  rows = View("/v1/views/my-mentees", mentor_)["items"];
  EXPECT_EQ(rows[0]["reviews_due"], json::array());
  EXPECT_EQ(View("/v1/views/mentor-load/M-1", mentor_)["reviews_due"], 0);

  // One meeting's detail is read from its stream (meeting-MT-R) in the log.
  const json meeting = View("/v1/views/meetings/MT-R", mentee_);
  EXPECT_EQ(meeting["status"], "held");
  EXPECT_EQ(meeting["scheduled_by"], "M-1");
  ASSERT_EQ(meeting["observations"].size(), 1u);
  EXPECT_EQ(meeting["observations"][0]["observations"], "on track");
  EXPECT_EQ(meeting["action_items"],
            json::parse(R"([{"item": 0, "text": "draft goals", "completed": false}])"));
  ASSERT_EQ(meeting["validations"].size(), 2u);
  EXPECT_EQ(meeting["validations"][1]["participant_id"], "S-1");
}

TEST_F(DomainSectionsTest, SlotBookingRefusalsAndTheMeetingsViewByTimetable) {
  const json timetable = {{"timetable_id", "TT-1"},
                          {"kind", "custom"},
                          {"mentor_id", "M-1"},
                          {"slots",
                           {{{"start", "2030-01-10T10:00:00Z"}, {"end", "2030-01-10T10:30:00Z"}},
                            {{"start", "2030-01-10T10:30:00Z"}, {"end", "2030-01-10T11:00:00Z"}}}}};
  Command("DefineTimetable", timetable, mentor_);
  const auto book = [](const char* start, int number, const char* team) {
    return json{{"timetable_id", "TT-1"},
                {"slot_start", start},
                {"session_number", number},
                {"team_or_student", team}};
  };
  EXPECT_EQ(
      Command("BookSlot", book("2030-01-10T10:00:00Z", 1, "TEAM-A"), mentor_, 403)["error"]["code"],
      "forbidden");
  Command("BookSlot", book("2030-01-10T10:00:00Z", 1, "TEAM-A"), admin_);
  const json taken = Command("BookSlot", book("2030-01-10T10:00:00Z", 2, "TEAM-B"), admin_, 409);
  EXPECT_EQ(taken["error"]["code"], "double_booking");
  EXPECT_EQ(taken["error"]["field"], "slot_start");
  const json number = Command("BookSlot", book("2030-01-10T10:30:00Z", 1, "TEAM-B"), admin_, 409);
  EXPECT_EQ(number["error"]["code"], "conflict");
  EXPECT_EQ(number["error"]["field"], "session_number");
  const json bad = Command("BookSlot", book("2030-01-10T10:30:00Z", 0, "TEAM-B"), admin_, 400);
  EXPECT_EQ(bad["error"]["code"], "invalid_argument");
  EXPECT_EQ(bad["error"]["field"], "session_number");
  Command("BookSlot", book("2030-01-10T10:30:00Z", 2, "S-2"), admin_);

  const json page = View("/v1/views/meetings?timetable=TT-1", admin_);
  ASSERT_EQ(page["total"], 2);
  EXPECT_EQ(page["items"][0]["meeting_id"], "TT-1~1");
  EXPECT_EQ(page["items"][0]["kind"], "slot");
  EXPECT_EQ(page["items"][0]["team_or_student"], "TEAM-A");
  EXPECT_EQ(page["items"][1]["status"], "booked");
  EXPECT_EQ(View("/v1/views/meetings?timetable=TT-1", mentor_)["total"], 2);
  EXPECT_EQ(
      View("/v1/views/meetings/TT-1~2", ServerProcess::Token("S-2", "mentee"))["session_number"],
      2);
}

TEST_F(DomainSectionsTest, CounsellingFieldErrorsAndTheOpenApiDocument) {
  const json bad = Command("CreateCounselling",
                           {{"counselling_id", "C-1"},
                            {"name", "n"},
                            {"at", "2026-01-10T10:00:00Z"},
                            {"notes", "x"},
                            {"attachments", {{{"name", "a"}, {"uri", "not a uri"}}}},
                            {"student_ids", {"S-1"}}},
                           mentor_, 400);
  EXPECT_EQ(bad["error"]["field"], "attachments[0].uri");
  const json request =
      Command("RequestCounselling", {{"request_id", "CQ-1"}, {"student_id", "S-1"}, {"topic", "t"}},
              mentee_);
  EXPECT_EQ(request["events"][0]["stream"], "student-S-1");
  EXPECT_EQ(View("/v1/views/my-mentees", mentor_)["items"][0]["open_counselling_requests"].size(),
            1u);

  auto openapi = Client().Get("/v1/openapi.json", admin_);
  ASSERT_EQ(openapi.status, 200u);
  const json paths = openapi.Json()["paths"];
  for (const char* name :
       {"RecordExamResult", "RecordAchievement", "RecordEnrollment", "CreateCounselling",
        "RecordCounsellingOutcome", "RequestCounselling", "CreateProgram", "EnrollInProgram",
        "CustomiseMilestones", "CompleteMilestone", "RateSkill", "GiveFeedback",
        "NominateStakeholder", "SubmitSatisfaction", "DefineTimetable", "BookSlot", "ReleaseSlot",
        "RequestMentorship", "AssignMentorshipRequest"}) {
    EXPECT_TRUE(paths.contains(std::string("/v1/commands/") + name)) << name;
  }
}

}  // namespace
}  // namespace mentorlog::http
