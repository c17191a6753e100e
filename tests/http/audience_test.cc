// The Audience: who may read a raw event (WebSocket fan-out, /v1/streams),
// given the events folded before it.

#include "http/audience.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace mentorlog::http {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

events::Envelope Event(std::string stream, std::string type, json data) {
  events::Envelope e;
  e.stream = std::move(stream);
  e.type = std::move(type);
  e.SetData(std::move(data));
  return e;
}

const events::Actor kAdmin{"A-1", "admin"};
const events::Actor kAuditor{"AU-1", "auditor"};

class AudienceTest : public ::testing::Test {
 protected:
  void Given(const std::vector<events::Envelope>& events) {
    for (const auto& e : events) audience_.Apply(e);
  }
  Audience audience_;
};

TEST_F(AudienceTest, MeetingEventsReachTheirParticipantsAndTheStudentsCurrentMentors) {
  Given({Event("student-S-1", "MentorAssigned", {{"student_id", "S-1"}, {"mentor_id", "M-1"}}),
         Event("student-S-2", "MentorAssigned", {{"student_id", "S-2"}, {"mentor_id", "M-2"}}),
         Event("meeting-MT-1", "MeetingScheduled",
               {{"mentor_id", "M-3"}, {"student_ids", {"S-1", "S-2"}}})});
  // A later event of the meeting names nobody itself.
  const auto validated = Event("meeting-MT-1", "MeetingValidated", {{"by", "mentee"}});

  const Audience::People readers = audience_.ReadersOf(validated);
  EXPECT_THAT(readers.students, ElementsAre("S-1", "S-2"));
  EXPECT_THAT(readers.mentors, UnorderedElementsAre("M-3", "M-1", "M-2"));

  for (const events::Actor& reader :
       {kAdmin, kAuditor, events::Actor{"S-1", "mentee"}, events::Actor{"M-1", "mentor"},
        events::Actor{"M-3", "mentor"}}) {
    EXPECT_TRUE(Audience::MayRead(reader, readers)) << reader.id;
    EXPECT_TRUE(audience_.MayRead(reader, validated)) << reader.id;
  }
  for (const events::Actor& reader :
       {events::Actor{"S-3", "mentee"}, events::Actor{"M-4", "mentor"},
        events::Actor{"S-1", "mentor"}, events::Actor{"M-1", "mentee"},
        events::Actor{"M-1", "stranger"}}) {
    EXPECT_FALSE(Audience::MayRead(reader, readers)) << reader.id << " " << reader.role;
    EXPECT_FALSE(audience_.MayRead(reader, validated)) << reader.id << " " << reader.role;
  }
}

TEST_F(AudienceTest, AMentorAppearsOnceHoweverManyOfTheirStudentsAnEventNames) {
  Given({Event("student-S-1", "MentorAssigned", {{"student_id", "S-1"}, {"mentor_id", "M-1"}}),
         Event("student-S-2", "MentorAssigned", {{"student_id", "S-2"}, {"mentor_id", "M-1"}})});
  const auto sheet = Event(
      "course-C-1", "AttendanceRecorded",
      {{"entries", {{{"student_id", "S-1"}}, {{"student_id", "S-2"}}}}, {"mentor_id", "M-1"}});
  const Audience::People readers = audience_.ReadersOf(sheet);
  EXPECT_THAT(readers.students, ElementsAre("S-1", "S-2"));
  EXPECT_THAT(readers.mentors, ElementsAre("M-1"));
}

TEST_F(AudienceTest, AReassignedStudentsEventsReachTheNewMentorOnly) {
  Given({Event("student-S-1", "MentorAssigned", {{"student_id", "S-1"}, {"mentor_id", "M-1"}}),
         Event("student-S-1", "MentorAssigned", {{"student_id", "S-1"}, {"mentor_id", "M-2"}})});
  const auto updated = Event("student-S-1", "StudentProfileUpdated", {{"changes", json::object()}});
  const Audience::People readers = audience_.ReadersOf(updated);
  EXPECT_THAT(readers.students, ElementsAre("S-1"));
  EXPECT_THAT(readers.mentors, ElementsAre("M-2"));
  EXPECT_FALSE(audience_.MayRead({"M-1", "mentor"}, updated));
  EXPECT_TRUE(audience_.MayRead({"M-2", "mentor"}, updated));
}

TEST_F(AudienceTest, LeaveEventsReachTheStudentWhoAskedAndTheirMentor) {
  Given({Event("student-S-1", "MentorAssigned", {{"student_id", "S-1"}, {"mentor_id", "M-1"}}),
         Event("leave-L-1", "LeaveRequested", {{"student_id", "S-1"}})});
  const auto approved = Event("leave-L-1", "LeaveApproved", json::object());
  const Audience::People readers = audience_.ReadersOf(approved);
  EXPECT_THAT(readers.students, ElementsAre("S-1"));
  EXPECT_THAT(readers.mentors, ElementsAre("M-1"));
}

TEST_F(AudienceTest, AnEventAboutNoOneIsForAdminsAndAuditorsOnly) {
  const auto registered = Event("programme-P-1", "ProgrammeCreated", {{"name", "x"}});
  const Audience::People readers = audience_.ReadersOf(registered);
  EXPECT_THAT(readers.students, IsEmpty());
  EXPECT_THAT(readers.mentors, IsEmpty());
  EXPECT_TRUE(Audience::MayRead(kAdmin, readers));
  EXPECT_TRUE(Audience::MayRead(kAuditor, readers));
  EXPECT_FALSE(Audience::MayRead({"S-1", "mentee"}, readers));
  EXPECT_FALSE(Audience::MayRead({"M-1", "mentor"}, readers));
}

TEST_F(AudienceTest, AMentorsOwnStreamIsTheirs) {
  const auto e = Event("mentor-M-1", "MentorRegistered", {{"name", "x"}});
  const Audience::People readers = audience_.ReadersOf(e);
  EXPECT_THAT(readers.students, IsEmpty());
  EXPECT_THAT(readers.mentors, ElementsAre("M-1"));
  EXPECT_TRUE(Audience::MayRead({"M-1", "mentor"}, readers));
  EXPECT_FALSE(Audience::MayRead({"M-2", "mentor"}, readers));
}

// The start-up snapshot's form: a restored Audience answers as the one saved.
TEST_F(AudienceTest, ASavedAudienceRestoresToTheSameAnswersAndDamagedBytesAreRefused) {
  std::vector<events::Envelope> events = {
      Event("student-S-1", "MentorAssigned", {{"student_id", "S-1"}, {"mentor_id", "M-1"}}),
      Event("meeting-MT-1", "MeetingScheduled",
            {{"mentor_id", "M-3"}, {"student_ids", {"S-1", "S-2"}}}),
      Event("leave-L-1", "LeaveRequested", {{"student_id", "S-2"}})};
  for (std::size_t i = 0; i < events.size(); ++i) events[i].position = i + 1;
  Given(events);
  const Audience::Saved saved = audience_.Save();
  EXPECT_EQ(saved.position, 3u);

  Audience restored;
  ASSERT_TRUE(restored.Restore(saved.position, saved.state));
  EXPECT_EQ(restored.Position(), 3u);
  for (const auto& probe :
       {Event("meeting-MT-1", "MeetingValidated", {{"by", "mentee"}}),
        Event("leave-L-1", "LeaveApproved", json::object()),
        Event("student-S-1", "StudentProfileUpdated", {{"changes", json::object()}})}) {
    const Audience::People want = audience_.ReadersOf(probe);
    const Audience::People got = restored.ReadersOf(probe);
    EXPECT_EQ(got.students, want.students) << probe.stream;
    EXPECT_EQ(got.mentors, want.mentors) << probe.stream;
  }
  EXPECT_EQ(restored.MentorOf("S-1"), "M-1");

  Audience untouched;
  const std::string& bytes = saved.state;
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(untouched.Restore(9, std::string_view(bytes).substr(0, n))) << n;
  }
  EXPECT_FALSE(untouched.Restore(9, bytes + '\0'));
  EXPECT_EQ(untouched.Position(), 0u);
  EXPECT_EQ(untouched.MentorOf("S-1"), "");
}

}  // namespace
}  // namespace mentorlog::http
