// meetings, my-mentees and mentor-load from given events: exact contents,
// ordering, filters, paging, "now"-dependent fields and read rules.

#include "tests/projections/engine_test_support.h"

namespace mentorlog::projections::testing {
namespace {

const events::Actor kM1{"M-1", "mentor"}, kM2{"M-2", "mentor"};
const events::Actor kS1{"S-1", "mentee"}, kS2{"S-2", "mentee"};
const events::TimeMs kNow = T("2026-11-23T10:00:00Z");

json Meeting(const std::string& id, const std::string& mentor, const std::string& student,
             const std::string& start, const std::string& end, const std::string& status) {
  return {{"meeting_id", id},
          {"mentor_id", mentor},
          {"student_ids", {student}},
          {"title", "Review " + id},
          {"mode", "online"},
          {"start", start},
          {"end", end},
          {"status", status},
          {"proposed_by", "mentor"}};
}

class MeetingViewsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Seed(log_);
    log_.Add("MeetingScheduled",
             Meeting("MT-1", "M-1", "S-1", "2026-11-24T10:00:00.000Z", "2026-11-24T11:00:00.000Z",
                     "proposed"),
             kM1);
    log_.Add("MeetingScheduled",
             Meeting("MT-2", "M-1", "S-2", "2026-11-20T09:00:00.000Z", "2026-11-20T10:00:00.000Z",
                     "accepted"),
             kM1);
    log_.Add("MeetingScheduled",
             Meeting("MT-3", "M-2", "S-3", "2026-11-25T09:00:00.000Z", "2026-11-25T09:30:00.000Z",
                     "proposed"),
             kM2);
    log_.Add("MeetingAccepted", {{"meeting_id", "MT-1"}, {"by", "mentee"}}, kS1);
    log_.Add("ObservationRecorded",
             {{"meeting_id", "MT-2"},
              {"revision", 1},
              {"points_for_mentee", "focus"},
              {"next_action_items", {"read ch. 3", "solve set 2"}},
              {"observations", "good progress"},
              {"resources", json::array()},
              {"next_follow_up_date", "2026-11-21"}},
             kM1);
    log_.Add("ActionItemCompleted",
             {{"meeting_id", "MT-2"}, {"item", 0}, {"text", "read ch. 3"}, {"student_id", "S-2"}},
             kS2);
    log_.Add(
        "MeetingValidated",
        {{"meeting_id", "MT-2"}, {"participant_id", "M-1"}, {"role", "mentor"}, {"occurred", true}},
        kM1);
    log_.Add(
        "MeetingValidated",
        {{"meeting_id", "MT-2"}, {"participant_id", "S-2"}, {"role", "mentee"}, {"occurred", true}},
        kS2);
    log_.Add("MeetingConfirmed", {{"meeting_id", "MT-2"}}, kS2);
    log_.Add("MeetingCancelled", {{"meeting_id", "MT-3"}, {"reason", "travel"}}, kM2);
    // Recorded afterwards, not yet validated.
    log_.Add("MeetingScheduled",
             Meeting("MT-4", "M-1", "S-1", "2026-11-22T09:00:00.000Z", "2026-11-22T10:00:00.000Z",
                     "accepted"),
             kM1);
    log_.Add("LeaveRequested",
             {{"leave_id", "L-1"},
              {"student_id", "S-1"},
              {"kind", "leave"},
              {"from_date", "2026-11-26"},
              {"to_date", "2026-11-27"},
              {"reason", "family"}},
             kS1);
  }

  std::vector<std::string> MeetingIds(const json& page) {
    std::vector<std::string> out;
    for (const json& item : page["items"]) out.push_back(item["meeting_id"]);
    return out;
  }

  LogBuilder log_;
};

using Ids = std::vector<std::string>;

TEST_F(MeetingViewsTest, MeetingsAreOrderedByStartAndFiltered) {
  auto p = Fold("meetings", log_);
  EXPECT_EQ(MeetingIds(Ok(*p, Read("meetings", kAdmin))), (Ids{"MT-2", "MT-4", "MT-1", "MT-3"}));
  EXPECT_EQ(MeetingIds(Ok(*p, Read("meetings", kAdmin, {}, {{"status", "held"}}))), (Ids{"MT-2"}));
  EXPECT_EQ(MeetingIds(Ok(*p, Read("meetings", kAdmin, {}, {{"mentor", "M-1"}}))),
            (Ids{"MT-2", "MT-4", "MT-1"}));
  EXPECT_EQ(MeetingIds(Ok(*p, Read("meetings", kAdmin, {}, {{"student", "S-1"}}))),
            (Ids{"MT-4", "MT-1"}));
  EXPECT_EQ(
      MeetingIds(Ok(*p, Read("meetings", kAdmin, {},
                             {{"from", "2026-11-21T00:00:00Z"}, {"to", "2026-11-25T00:00:00Z"}}))),
      (Ids{"MT-4", "MT-1"}));
  const json page = Ok(*p, Read("meetings", kAdmin, {}, {{"limit", "3"}, {"offset", "1"}}));
  EXPECT_EQ(MeetingIds(page), (Ids{"MT-4", "MT-1", "MT-3"}));
  EXPECT_EQ(page["total"], 4);
  EXPECT_EQ(page["next_offset"], nullptr);
  EXPECT_EQ(page["items"][2],
            json::parse(R"({"meeting_id": "MT-3", "kind": "meeting", "mentor_id": "M-2",
    "student_ids": ["S-3"], "title": "Review MT-3", "mode": "online",
    "start": "2026-11-25T09:00:00.000Z", "end": "2026-11-25T09:30:00.000Z",
    "status": "cancelled", "program_id": null, "timetable_id": null})"));
  EXPECT_EQ(Err(*p, Read("meetings", kAdmin, {}, {{"from", "yesterday"}})), "invalid_argument");
}

// The detail is folded from the meeting's events in the log at query time.
TEST_F(MeetingViewsTest, OneMeetingInFull) {
  LogAndEngine log;
  log.Append(log_);
  const auto read = log.Attach().Query(Read("meetings", kM1, "MT-2"));
  ASSERT_TRUE(read.has_value()) << read.error().message;
  const json& m = read->data;
  EXPECT_EQ(m["status"], "held");
  EXPECT_EQ(m["action_items"], json::parse(R"([
    {"item": 0, "text": "read ch. 3", "completed": true},
    {"item": 1, "text": "solve set 2", "completed": false}])"));
  ASSERT_EQ(m["observations"].size(), 1u);
  EXPECT_EQ(m["observations"][0]["observations"], "good progress");
  EXPECT_EQ(m["observations"][0]["position"], 13);
  ASSERT_EQ(m["validations"].size(), 2u);
  EXPECT_EQ(m["validations"][1]["participant_id"], "S-2");
  EXPECT_EQ(m["scheduled_by"], "M-1");
  EXPECT_EQ(m["description"], nullptr);
  EXPECT_EQ(m["agenda"], json::array());

  // Cancelled with a reason; without a log to read the detail is unavailable.
  const auto cancelled = log.engine().Query(Read("meetings", kM2, "MT-3"));
  ASSERT_TRUE(cancelled.has_value());
  EXPECT_EQ(cancelled->data["closed_reason"], "travel");
  EXPECT_EQ(cancelled->data["status"], "cancelled");
  EXPECT_EQ(Err(*Fold("meetings", log_), Read("meetings", kM1, "MT-2")), "unavailable");
}

// An as-of read folds the detail only from events up to that position.
TEST_F(MeetingViewsTest, OneMeetingAsOfShowsTheDetailOfThatPosition) {
  LogAndEngine log;
  log.Append(log_);
  auto request = Read("meetings", kAdmin, "MT-2");
  request.as_of = "12";  // before the observation (13)
  const auto read = log.Attach().Query(request);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(read->data["observations"], json::array());
  EXPECT_EQ(read->data["action_items"], json::array());
  EXPECT_EQ(read->data["status"], "accepted");
}

TEST_F(MeetingViewsTest, MeetingsReadRules) {
  auto p = Fold("meetings", log_);
  EXPECT_EQ(MeetingIds(Ok(*p, Read("meetings", kS1))), (Ids{"MT-4", "MT-1"}));
  EXPECT_EQ(MeetingIds(Ok(*p, Read("meetings", kM2))), (Ids{"MT-3"}));
  EXPECT_EQ(Err(*p, Read("meetings", kM2, {}, {{"mentor", "M-1"}})), "forbidden");
  EXPECT_EQ(Err(*p, Read("meetings", kS1, {}, {{"student", "S-2"}})), "forbidden");
  EXPECT_EQ(Err(*p, Read("meetings", kS1, "MT-2")), "forbidden");
  EXPECT_EQ(Err(*p, Read("meetings", kM2, "MT-404")), "forbidden");
  EXPECT_EQ(Err(*p, Read("meetings", kAdmin, "MT-404")), "not_found");
}

TEST_F(MeetingViewsTest, MyMenteesExactRows) {
  auto p = Fold("my-mentees", log_);
  EXPECT_EQ(Ok(*p, Read("my-mentees", kM1, {}, {}, kNow)), json::parse(R"({
    "mentor_id": "M-1", "total": 2, "offset": 0, "limit": 50, "next_offset": null,
    "items": [
      {"student_id": "S-1", "name": "Asha Rao", "roll_number": "21CS001",
       "next_follow_up_date": null, "classes_held": 0, "attendance_percentage": null,
       "alert_level": null, "pending_leaves": 1, "open_action_items": 0,
       "last_meeting": {"meeting_id": "MT-4", "start": "2026-11-22T09:00:00.000Z",
                        "status": "accepted"},
       "reviews_due": [], "open_counselling_requests": []},
      {"student_id": "S-2", "name": "Ravi Kumar", "roll_number": "21CS002",
       "next_follow_up_date": "2026-11-21", "classes_held": 0, "attendance_percentage": null,
       "alert_level": null, "pending_leaves": 0, "open_action_items": 1,
       "last_meeting": {"meeting_id": "MT-2", "start": "2026-11-20T09:00:00.000Z",
                        "status": "held"},
       "reviews_due": [], "open_counselling_requests": []}]})"));
  // "Last meeting" depends on now: before MT-4 started, S-1 had none.
  const json earlier = Ok(*p, Read("my-mentees", kM1, {}, {}, T("2026-11-21T00:00:00Z")));
  EXPECT_EQ(earlier["items"][0]["last_meeting"], nullptr);
  const json paged = Ok(*p, Read("my-mentees", kAdmin, "M-1", {{"limit", "1"}, {"offset", "1"}}));
  ASSERT_EQ(paged["items"].size(), 1u);
  EXPECT_EQ(paged["items"][0]["student_id"], "S-2");
}

// An amended observation keeps a completion only where the item at that index
// is unchanged; completing an item twice, or one the list does not have, counts
// nothing.
TEST_F(MeetingViewsTest, MyMenteesOpenActionItemsFollowAmendments) {
  const auto open_of_s2 = [&] {
    auto p = Fold("my-mentees", log_);
    return Ok(*p, Read("my-mentees", kM1, {}, {}, kNow))["items"][1]["open_action_items"];
  };
  const auto amend = [&](std::vector<std::string> items) {
    log_.Add("ObservationRecorded", {{"meeting_id", "MT-2"}, {"next_action_items", items}}, kM1);
  };
  const auto complete = [&](int item, const std::string& text) {
    log_.Add("ActionItemCompleted",
             {{"meeting_id", "MT-2"}, {"item", item}, {"text", text}, {"student_id", "S-2"}}, kS2);
  };
  EXPECT_EQ(open_of_s2(), 1);  // "read ch. 3" completed, "solve set 2" open
  amend({"read ch. 3", "solve set 2", "new"});
  EXPECT_EQ(open_of_s2(), 2);
  complete(2, "new");
  complete(2, "new");
  complete(7, "none");
  EXPECT_EQ(open_of_s2(), 1);
  amend({"read ch. 4", "solve set 2", "new"});  // item 0 changed, item 2 kept
  EXPECT_EQ(open_of_s2(), 2);
  amend({"read ch. 4"});  // item 2 gone
  EXPECT_EQ(open_of_s2(), 1);
  amend({});
  EXPECT_EQ(open_of_s2(), 0);
}

TEST_F(MeetingViewsTest, MyMenteesReadRules) {
  auto p = Fold("my-mentees", log_);
  EXPECT_EQ(Err(*p, Read("my-mentees", kM1, "M-2")), "forbidden");
  EXPECT_EQ(Err(*p, Read("my-mentees", kS1)), "forbidden");
  EXPECT_EQ(Err(*p, Read("my-mentees", kAdmin)), "invalid_argument");
  EXPECT_EQ(Ok(*p, Read("my-mentees", kAuditor, "M-2"))["items"][0]["student_id"], "S-3");
}

TEST_F(MeetingViewsTest, MentorLoadIsComputedAtQueryTime) {
  auto p = Fold("mentor-load", log_);
  EXPECT_EQ(Ok(*p, Read("mentor-load", kAdmin, "M-1", {}, kNow)), json::parse(R"({
    "mentor_id": "M-1", "name": "Dr. Anand", "department": "CSE", "mentees": 2, "capacity": 2,
    "meetings_next_7_days": 1, "meetings_last_30_days": 2, "hours_last_30_days": 2.0,
    "pending_validations": 1, "overdue_follow_ups": 1, "pending_leave_decisions": 1,
    "reviews_due": 0, "open_counselling_requests": 0})"));
  // A week later MT-1 has passed and nothing is ahead; the follow-up is still overdue.
  const json later = Ok(*p, Read("mentor-load", kAdmin, "M-1", {}, T("2026-11-30T10:00:00Z")));
  EXPECT_EQ(later["meetings_next_7_days"], 0);
  EXPECT_EQ(later["meetings_last_30_days"], 3);
  EXPECT_EQ(later["pending_validations"], 2);
  // Before the follow-up date nothing is overdue.
  const json before = Ok(*p, Read("mentor-load", kAdmin, "M-1", {}, T("2026-11-21T10:00:00Z")));
  EXPECT_EQ(before["overdue_follow_ups"], 0);
  const json list = Ok(*p, Read("mentor-load", kAdmin, {}, {}, kNow));
  EXPECT_EQ(list["total"], 2);
  EXPECT_EQ(list["items"][1]["mentor_id"], "M-2");
  EXPECT_EQ(list["items"][1]["meetings_next_7_days"], 0);
}

TEST_F(MeetingViewsTest, MentorLoadReadRules) {
  auto p = Fold("mentor-load", log_);
  const json own = Ok(*p, Read("mentor-load", kM1));
  ASSERT_EQ(own["items"].size(), 1u);
  EXPECT_EQ(own["items"][0]["mentor_id"], "M-1");
  EXPECT_EQ(Err(*p, Read("mentor-load", kM1, "M-2")), "forbidden");
  EXPECT_EQ(Err(*p, Read("mentor-load", kS1)), "forbidden");
  EXPECT_EQ(Err(*p, Read("mentor-load", kAdmin, "M-404")), "not_found");
}

TEST_F(MeetingViewsTest, FollowUpIsAnsweredByALaterMeeting) {
  log_.Add("MeetingScheduled",
           Meeting("MT-5", "M-1", "S-2", "2026-11-26T09:00:00.000Z", "2026-11-26T10:00:00.000Z",
                   "proposed"),
           kM1);
  auto p = Fold("mentor-load", log_);
  EXPECT_EQ(Ok(*p, Read("mentor-load", kAdmin, "M-1", {}, kNow))["overdue_follow_ups"], 0);
  auto q = Fold("my-mentees", log_);
  EXPECT_EQ(Ok(*q, Read("my-mentees", kM1, {}, {}, kNow))["items"][1]["next_follow_up_date"],
            nullptr);
}

}  // namespace
}  // namespace mentorlog::projections::testing
