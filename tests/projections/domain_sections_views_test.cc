// DOMAIN.md 5-7 in the views: exam concerns, achievements, counselling, milestones,
// ratings and feedback in the mentee timeline; reviews due and open counselling
// requests in my-mentees and mentor-load; counselling in engagement; booked slots
// in meetings, filtered by timetable and team. Exact contents from given events.

#include "tests/projections/engine_test_support.h"

namespace mentorlog::projections::testing {
namespace {

using namespace std::chrono_literals;

const events::Actor kM1{"M-1", "mentor"}, kM2{"M-2", "mentor"};
const events::Actor kS1{"S-1", "mentee"}, kS2{"S-2", "mentee"}, kS3{"S-3", "mentee"};
const events::TimeMs kNow = T("2026-11-23T10:00:00Z");

json Meeting(const std::string& id, const std::string& student, const std::string& program) {
  return {{"meeting_id", id},
          {"mentor_id", "M-1"},
          {"student_ids", {student}},
          {"title", "Milestone review"},
          {"mode", "online"},
          {"start", "2026-11-20T09:00:00.000Z"},
          {"end", "2026-11-20T10:00:00.000Z"},
          {"status", "accepted"},
          {"proposed_by", "mentor"},
          {"program_id", program}};
}

// The events of sections 5-7 as the deciders write them, after Seed: S-1 and S-2
// are M-1's mentees, S-3 is M-2's.
void SectionsFiveToSeven(LogBuilder& log) {
  log.Add("ExamResultRecorded",
          {{"student_id", "S-1"},
           {"exam", "Midterm"},
           {"subject", "DS"},
           {"marks", 19},
           {"max_marks", 50},
           {"percentage", 38.0},
           {"concern", true}},
          kM1);
  log.Add("ExamResultRecorded",
          {{"student_id", "S-1"},
           {"exam", "Quiz"},
           {"subject", "OS"},
           {"marks", 45},
           {"max_marks", 50},
           {"percentage", 90.0},
           {"concern", false}},
          kM1);
  log.Add("AchievementRecorded",
          {{"student_id", "S-1"},
           {"title", "Hackathon winner"},
           {"category", "extracurricular"},
           {"date", "2026-11-05"}},
          kM1);
  log.At(T("2026-11-20T08:00:00Z"));
  log.Add("CounsellingRequested",
          {{"request_id", "CQ-1"}, {"student_id", "S-1"}, {"topic", "exam anxiety"}}, kS1);
  log.Add("CounsellingRequested",
          {{"request_id", "CQ-2"}, {"student_id", "S-2"}, {"topic", "career"}}, kS2);
  log.Add("CounsellingCreated",
          {{"counselling_id", "C-1"},
           {"mentor_id", "M-1"},
           {"name", "Calm before exams"},
           {"at", "2026-11-25T10:00:00.000Z"},
           {"notes", "breathing"},
           {"attachments", {{{"name", "plan.pdf"}, {"uri", "https://files.example/plan.pdf"}}}},
           {"student_ids", {"S-1"}},
           {"request_id", "CQ-1"}},
          kM1);
  log.Add("CounsellingCreated",
          {{"counselling_id", "C-2"},
           {"mentor_id", "M-2"},
           {"name", "Group check-in"},
           {"at", "2026-11-10T10:00:00.000Z"},
           {"notes", "n"},
           {"attachments", json::array()},
           {"student_ids", {"S-3"}}},
          kM2);
  log.Add("CounsellingOutcomeRecorded",
          {{"counselling_id", "C-2"},
           {"mentor_id", "M-2"},
           {"student_ids", {"S-3"}},
           {"outcome", "settled"},
           {"goals", {"attend labs", "meet weekly"}},
           {"revision", 1}},
          kM2);
  log.Add("ProgramCreated", {{"program_id", "P-1"},
                             {"name", "Leadership"},
                             {"milestones",
                              {{{"milestone_id", "MS-1"}, {"title", "Goals"}},
                               {{"milestone_id", "MS-2"}, {"title", "Review"}}}},
                             {"mentor_can_customise", true}});
  log.Add("ProgramEnrolled", {{"program_id", "P-1"}, {"student_id", "S-1"}});
  log.Add("ProgramEnrolled", {{"program_id", "P-1"}, {"student_id", "S-2"}});
  log.At(T("2026-11-21T08:00:00Z"));
  log.Add("MilestoneCompleted",
          {{"program_id", "P-1"},
           {"student_id", "S-1"},
           {"milestone_id", "MS-1"},
           {"mentor_id", "M-1"},
           {"review_due", true}},
          kM1);
  log.Add("MilestoneCompleted",
          {{"program_id", "P-1"},
           {"student_id", "S-2"},
           {"milestone_id", "MS-1"},
           {"mentor_id", "M-1"},
           {"review_due", true}},
          kM1);
  log.Add("SkillRated",
          {{"student_id", "S-1"}, {"skill", "communication"}, {"rating", 3}, {"mentor_id", "M-1"}},
          kM1);
  log.Add("SkillRated",
          {{"student_id", "S-1"},
           {"skill", "communication"},
           {"rating", 4},
           {"mentor_id", "M-1"},
           {"program_id", "P-1"}},
          kM1);
  log.Add("FeedbackGiven",
          {{"student_id", "S-1"},
           {"mentor_id", "M-1"},
           {"kind", "learning_behaviour"},
           {"text", "asks good questions"}},
          kM1);
  log.Add("StakeholderNominated",
          {{"program_id", "P-1"},
           {"student_id", "S-1"},
           {"name", "Lata"},
           {"email", "lata@example.org"}},
          kS1);
  log.Add("TimetableDefined",
          {{"timetable_id", "TT-1"},
           {"kind", "custom"},
           {"mentor_id", "M-1"},
           {"slots",
            {{{"start", "2026-11-24T10:00:00.000Z"}, {"end", "2026-11-24T10:30:00.000Z"}},
             {{"start", "2026-11-24T10:30:00.000Z"}, {"end", "2026-11-24T11:00:00.000Z"}}}}});
  log.Add("SlotBooked", {{"timetable_id", "TT-1"},
                         {"slot_start", "2026-11-24T10:00:00.000Z"},
                         {"slot_end", "2026-11-24T10:30:00.000Z"},
                         {"session_number", 7},
                         {"team_or_student", "TEAM-A"},
                         {"mentor_id", "M-1"}});
  log.Add("SlotBooked", {{"timetable_id", "TT-1"},
                         {"slot_start", "2026-11-24T10:30:00.000Z"},
                         {"slot_end", "2026-11-24T11:00:00.000Z"},
                         {"session_number", 8},
                         {"team_or_student", "S-2"},
                         {"mentor_id", "M-1"},
                         {"description", "API design"}});
  log.Add("SlotReleased", {{"timetable_id", "TT-1"},
                           {"slot_start", "2026-11-24T10:00:00.000Z"},
                           {"slot_end", "2026-11-24T10:30:00.000Z"},
                           {"session_number", 7},
                           {"team_or_student", "TEAM-A"},
                           {"reason", "team split"}});
  log.Add(
      "TimetableDefined",
      {{"timetable_id", "TT-R"},
       {"kind", "regular"},
       {"slots", {{{"start", "2026-11-24T12:00:00.000Z"}, {"end", "2026-11-24T12:30:00.000Z"}}}}});
  log.Add("SlotBooked", {{"timetable_id", "TT-R"},
                         {"slot_start", "2026-11-24T12:00:00.000Z"},
                         {"slot_end", "2026-11-24T12:30:00.000Z"},
                         {"session_number", 9},
                         {"team_or_student", "TEAM-B"}});
}

class DomainSectionsViews : public ::testing::Test {
 protected:
  void SetUp() override {
    Seed(log_);
    SectionsFiveToSeven(log_);
  }
  LogBuilder log_;
};

TEST_F(DomainSectionsViews, MyMenteesShowsReviewsDueAndOpenCounsellingRequests) {
  auto p = Fold("my-mentees", log_);
  const json page = Ok(*p, Read("my-mentees", kM1, {}, {}, kNow));
  ASSERT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["items"][0]["reviews_due"], json::parse(R"([
    {"program_id": "P-1", "milestone_id": "MS-1", "completed_at": "2026-11-21T08:00:00.000Z"}])"));
  // CQ-1 was answered by C-1; CQ-2 is still open.
  EXPECT_EQ(page["items"][0]["open_counselling_requests"], json::array());
  EXPECT_EQ(page["items"][1]["open_counselling_requests"], json::parse(R"([
    {"request_id": "CQ-2", "topic": "career", "requested_at": "2026-11-20T08:00:01.000Z"}])"));

  // A meeting linked to another programme does not clear the review; one linked to
  // P-1 clears it once held, and only for its students.
  log_.Add("MeetingScheduled", Meeting("MT-8", "S-1", "P-2"), kM1);
  log_.Add("MeetingConfirmed", {{"meeting_id", "MT-8"}}, kS1);
  log_.Add("MeetingScheduled", Meeting("MT-9", "S-1", "P-1"), kM1);
  auto before_held = Fold("my-mentees", log_);
  EXPECT_EQ(Ok(*before_held, Read("my-mentees", kM1))["items"][0]["reviews_due"].size(), 1u);
  log_.Add("MeetingConfirmed", {{"meeting_id", "MT-9"}}, kS1);
  auto after = Fold("my-mentees", log_);
  const json rows = Ok(*after, Read("my-mentees", kM1))["items"];
  EXPECT_EQ(rows[0]["reviews_due"], json::array());
  EXPECT_EQ(rows[1]["reviews_due"].size(), 1u);
}

TEST_F(DomainSectionsViews, MentorLoadCountsReviewsDueAndOpenRequests) {
  auto p = Fold("mentor-load", log_);
  const json m1 = Ok(*p, Read("mentor-load", kAdmin, "M-1", {}, kNow));
  EXPECT_EQ(m1["reviews_due"], 2);
  EXPECT_EQ(m1["open_counselling_requests"], 1);
  const json m2 = Ok(*p, Read("mentor-load", kAdmin, "M-2", {}, kNow));
  EXPECT_EQ(m2["reviews_due"], 0);
  EXPECT_EQ(m2["open_counselling_requests"], 0);
}

TEST_F(DomainSectionsViews, EngagementCountsCounsellingHeldAtQueryTime) {
  auto p = Fold("engagement", log_);
  const json now = Ok(*p, Read("engagement", kAdmin, {}, {}, kNow));
  EXPECT_EQ(now["counselling"],
            json::parse(R"({"sessions": 2, "held": 1, "with_outcome": 1, "goals": 2})"));
  EXPECT_EQ(now["milestones_completed"], 2);
  EXPECT_EQ(now["feedback_given"], 1);
  const json later = Ok(*p, Read("engagement", kAdmin, {}, {}, T("2026-11-26T00:00:00Z")));
  EXPECT_EQ(later["counselling"]["held"], 2);
}

TEST_F(DomainSectionsViews, MeetingsListBookedSlotsFilteredByTimetableAndTeam) {
  auto p = Fold("meetings", log_);
  const json tt1 = Ok(*p, Read("meetings", kAdmin, {}, {{"timetable", "TT-1"}}));
  EXPECT_EQ(tt1["items"], json::parse(R"([
    {"meeting_id": "TT-1~7", "kind": "slot", "mentor_id": "M-1", "student_ids": [],
     "team_or_student": "TEAM-A", "session_number": 7, "title": "Session 7",
     "start": "2026-11-24T10:00:00.000Z", "end": "2026-11-24T10:30:00.000Z",
     "status": "released", "timetable_id": "TT-1"},
    {"meeting_id": "TT-1~8", "kind": "slot", "mentor_id": "M-1", "student_ids": [],
     "team_or_student": "S-2", "session_number": 8, "title": "API design",
     "start": "2026-11-24T10:30:00.000Z", "end": "2026-11-24T11:00:00.000Z",
     "status": "booked", "timetable_id": "TT-1"}])"));
  const json team = Ok(*p, Read("meetings", kAdmin, {}, {{"team", "TEAM-B"}}));
  ASSERT_EQ(team["total"], 1);
  EXPECT_EQ(team["items"][0]["meeting_id"], "TT-R~9");
  EXPECT_EQ(team["items"][0]["mentor_id"], nullptr);
  EXPECT_EQ(
      Ok(*p, Read("meetings", kAdmin, {}, {{"timetable", "TT-1"}, {"status", "booked"}}))["total"],
      1);
  // The mentor of a custom timetable sees its sessions; a student sees the slot booked for them.
  EXPECT_EQ(Ok(*p, Read("meetings", kM1, {}, {{"timetable", "TT-1"}}))["total"], 2);
  EXPECT_EQ(Ok(*p, Read("meetings", kS2))["items"][0]["meeting_id"], "TT-1~8");
  const json one = Ok(*p, Read("meetings", kS2, "TT-1~8"));
  EXPECT_EQ(one["description"], "API design");
  EXPECT_EQ(one["released_reason"], nullptr);
  EXPECT_EQ(Ok(*p, Read("meetings", kAdmin, "TT-1~7"))["released_reason"], "team split");
  EXPECT_EQ(Err(*p, Read("meetings", kS1, "TT-1~8")), "forbidden");
}

TEST_F(DomainSectionsViews, TimelineShowsSectionsFiveAndSixAndTheLatestSkillRatings) {
  LogAndEngine t;
  auto& engine = t.Attach();
  t.Append(log_);
  ASSERT_TRUE(engine.WaitForPosition(t.Head(), 5s));
  auto r = engine.Query(Read("mentee-timeline", kS1, "S-1"));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  std::vector<std::string> types;
  for (const json& item : r->data["items"]) types.push_back(item["type"]);
  // Newest first; the non-concern exam result is not shown.
  EXPECT_EQ(types, (std::vector<std::string>{"StakeholderNominated", "FeedbackGiven", "SkillRated",
                                             "SkillRated", "MilestoneCompleted", "ProgramEnrolled",
                                             "CounsellingCreated", "CounsellingRequested",
                                             "AchievementRecorded", "ExamResultRecorded",
                                             "MentorAssigned", "StudentEnrolled"}));
  EXPECT_EQ(r->data["items"][9]["data"]["concern"], true);
  EXPECT_EQ(r->data["skills"], json::parse(R"({"communication": {"rating": 4,
    "program_id": "P-1", "mentor_id": "M-1", "rated_at": "2026-11-01T08:00:22.000Z"}})"));
  // S-3's counselling outcome reaches S-3's timeline through its student_ids.
  auto s3 = engine.Query(Read("mentee-timeline", kS3, "S-3"));
  ASSERT_TRUE(s3.has_value());
  EXPECT_EQ(s3->data["items"][0]["type"], "CounsellingOutcomeRecorded");
  EXPECT_EQ(s3->data["items"][1]["type"], "CounsellingCreated");
  EXPECT_EQ(s3->data["skills"], json::object());
}

}  // namespace
}  // namespace mentorlog::projections::testing
