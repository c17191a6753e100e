#include "app/demo.h"

#include <gtest/gtest.h>

#include <memory>
#include <tuple>
#include <vector>

#include "events/time.h"
#include "projections/projection_registry.h"
#include "store/rocksdb_event_store.h"
#include "tests/store/store_test_support.h"
#include "tests/support/temp_dir.h"

namespace mentorlog::app {
namespace {

// A real store and command processor in a temp dir, both on the clock `now`.
// Durability kNone: the demo sends a few hundred commands and fsync is not
// what these tests are about.
class DemoLog {
 public:
  explicit DemoLog(events::TimeMs now) : now_(now) { Open(); }

  void Open() {
    processor_.reset();
    store_.reset();
    store::StoreOptions options;
    options.durability = store::Durability::kNone;
    options.clock = [now = now_] { return now; };
    store_ = testing::OpenStore(dir_.path(), options);
    ASSERT_NE(store_, nullptr);
    auto started = CommandProcessor::Start(*store_, {.clock = [now = now_] { return now; }});
    ASSERT_TRUE(started.has_value()) << started.error().message;
    processor_ = std::move(*started);
  }

  // Closes the processor (which waits for every append, system alerts included)
  // and reopens both.
  void Reopen() { Open(); }

  std::expected<DemoSummary, std::string> Seed() { return SeedDemo(*processor_, now_); }

  // Every event's stream, type and data, in log order (ids and times left out).
  std::vector<std::tuple<std::string, std::string, std::string>> Events() {
    std::vector<std::tuple<std::string, std::string, std::string>> out;
    const auto all = store_->ReadAll(0, 1'000'000);
    EXPECT_TRUE(all.has_value());
    if (!all) return out;
    for (const events::Envelope& e : *all) out.emplace_back(e.stream, e.type, e.data.dump());
    return out;
  }

  CommandProcessor& processor() { return *processor_; }
  store::RocksDbEventStore& store() { return *store_; }

 private:
  events::TimeMs now_;
  testing::TempDir dir_;
  std::unique_ptr<store::RocksDbEventStore> store_;
  std::unique_ptr<CommandProcessor> processor_;
};

// Several "nows": a weekday morning, a Sunday night and a Monday just after
// midnight, so the term's calendar and the meeting times are placed differently.
class DemoTest : public ::testing::TestWithParam<const char*> {
 protected:
  events::TimeMs Now() const { return *events::ParseTime(GetParam()); }
};

TEST_P(DemoTest, SeedsABelievableProgrammeThroughAcceptedCommands) {
  DemoLog log(Now());
  const auto seeded = log.Seed();
  ASSERT_TRUE(seeded.has_value()) << seeded.error();
  const DemoSummary& s = *seeded;

  EXPECT_GT(s.commands, 400u);
  EXPECT_EQ(s.mentors, 5);
  EXPECT_EQ(s.students, 60);
  EXPECT_EQ(s.courses, 4);
  EXPECT_EQ(s.attendance_days, 40);  // 8 weeks of weekdays
  EXPECT_EQ(s.classes, 160);
  for (const char* status : {"proposed", "accepted", "held", "declined", "cancelled", "disputed"}) {
    EXPECT_GE(s.meetings_by_status.at(status), 1) << status;
  }
  EXPECT_GE(s.rescheduled_meetings, 1);
  for (const char* status : {"pending", "approved", "rejected"}) {
    EXPECT_GE(s.leaves_by_status.at(status), 1) << status;
  }
  EXPECT_EQ(s.mentor_change_requests, 2);
  for (const int level : {60, 50, 40}) {
    EXPECT_GE(s.alerts_by_level.count(level) ? s.alerts_by_level.at(level) : 0, 1) << level;
  }
  EXPECT_GE(s.alerts_acknowledged, 1);
  EXPECT_EQ(s.admin_id, "A-1");
  EXPECT_EQ(s.mentor_id, "M-1");
  EXPECT_EQ(s.mentee_id, "S-2026-001");
  EXPECT_EQ(s.auditor_id, "AU-1");

  // What the write side now holds agrees with the summary.
  const commands::WriteState state = log.processor().StateCopy();
  ASSERT_EQ(state.mentors.size(), 5u);
  for (const auto& [id, mentor] : state.mentors) EXPECT_EQ(mentor.mentees.size(), 12u) << id;
  EXPECT_EQ(state.students.size(), 60u);
  EXPECT_EQ(state.attendance.size(), 160u);
  EXPECT_EQ(static_cast<int>(state.meetings.size()), s.meetings);
  EXPECT_TRUE(state.students.at(s.mentee_id).mentor_id == s.mentor_id);
  EXPECT_EQ(state.alerts_raised, s.alerts_raised);
  // Exactly the drifting students' crossings: no noise from students hovering on a level.
  EXPECT_EQ(s.alerts_raised, 4 * 1 + 3 * 2 + 2 * 3 + 1);
  EXPECT_EQ(s.alerts_by_level.at(60), 9);
  EXPECT_EQ(s.alerts_by_level.at(50), 5);
  EXPECT_EQ(s.alerts_by_level.at(40), 3);

  // Every event the log holds came from a command or the alert policy.
  EXPECT_GE(log.store().GetHead().position, s.last_position);
  std::size_t raised = 0;
  for (const auto& [stream, type, data] : log.Events()) {
    if (type == "AttendanceAlertRaised") ++raised;
  }
  EXPECT_EQ(raised, static_cast<std::size_t>(s.alerts_raised));
}

// DOMAIN.md 5-7 in the demo: what was sent, what the write side holds, and what
// the views show for them.
TEST_P(DemoTest, CoversAcademicRecordProgrammesAndTimetables) {
  DemoLog log(Now());
  const auto seeded = log.Seed();
  ASSERT_TRUE(seeded.has_value()) << seeded.error();
  const DemoSummary& s = *seeded;
  EXPECT_EQ(s.enrollment_records, 66);
  EXPECT_EQ(s.exam_results, 60);
  EXPECT_EQ(s.exam_concerns, 10);  // the drifting students
  EXPECT_EQ(s.achievements, 5);
  EXPECT_EQ(s.counselling_sessions, 6);
  EXPECT_EQ(s.counselling_outcomes, 5);
  EXPECT_EQ(s.counselling_requests, 2);
  EXPECT_EQ(s.open_counselling_requests, 1);
  EXPECT_EQ(s.programs, 2);
  EXPECT_EQ(s.program_enrolments, 10);
  EXPECT_EQ(s.milestones_completed, 4);
  EXPECT_EQ(s.reviews_due, 3);
  EXPECT_EQ(s.skill_ratings, 5);
  EXPECT_EQ(s.feedback_given, 3);
  EXPECT_EQ(s.stakeholder_nominations, 1);
  EXPECT_EQ(s.timetables, 2);
  EXPECT_EQ(s.satisfaction_submissions, 4);
  EXPECT_EQ(s.mentorship_requests, 2);
  EXPECT_EQ(s.open_mentorship_requests, 1);
  EXPECT_EQ(s.slots_booked, 4);
  EXPECT_EQ(s.slots_released, 1);

  const commands::WriteState state = log.processor().StateCopy();
  EXPECT_EQ(state.counsellings.size(), 6u);
  EXPECT_EQ(state.counselling_requests.at("CQ-1").answered_by, "CNS-6");
  EXPECT_FALSE(state.counselling_requests.at("CQ-2").answered_by.has_value());
  const commands::ProgramState& lead = state.programs.at("P-LEAD");
  EXPECT_TRUE(lead.mentor_can_customise);
  EXPECT_EQ(lead.enrolled.size(), 6u);
  EXPECT_EQ(lead.enrolled.at("S-2026-003").milestones,
            (std::vector<std::string>{"MS-1", "MS-2", "MS-5", "MS-4"}));
  EXPECT_EQ(lead.enrolled.at("S-2026-001").stakeholders.size(), 1u);
  EXPECT_FALSE(state.programs.at("P-PLACE").mentor_can_customise);
  EXPECT_EQ(state.timetables.at("TT-M4-OFFICE").mentor_id, "M-4");
  EXPECT_EQ(state.session_numbers,
            (std::map<std::int64_t, std::string>{
                {101, "TT-HACK"}, {102, "TT-HACK"}, {201, "TT-M4-OFFICE"}, {202, "TT-M4-OFFICE"}}));
  EXPECT_TRUE(state.mentorship_requests.at("MR-1").assigned);
  EXPECT_FALSE(state.mentorship_requests.at("MR-2").assigned);
  EXPECT_EQ(state.meetings.at(events::Symbol("MT-REVIEW-1")).status,
            commands::MeetingStatus::kHeld);

  // The views, folded from the log.
  log.Reopen();
  const auto all = log.store().ReadAll(0, 1'000'000);
  ASSERT_TRUE(all.has_value());
  const auto fold = [&](std::string_view name) {
    auto p = projections::MakeProjection(name);
    for (const events::Envelope& e : *all) p->Fold(e);
    return p;
  };
  const events::Actor m1{"M-1", "mentor"};
  auto mentees = fold("my-mentees");
  auto rows = mentees->Query({"my-mentees", std::nullopt, {}, m1, Now(), {}}, {});
  ASSERT_TRUE(rows.has_value());
  const auto& items = (*rows)["items"];
  EXPECT_EQ(items[0]["student_id"], "S-2026-001");
  EXPECT_EQ(items[0]["reviews_due"], nlohmann::json::array());  // the review was held
  EXPECT_EQ(items[1]["reviews_due"].size(), 1u);
  EXPECT_EQ(items[1]["reviews_due"][0]["program_id"], "P-LEAD");
  EXPECT_EQ(items[2]["reviews_due"].size(), 1u);
  auto load = fold("mentor-load");
  const events::Actor admin{"A-1", "admin"};
  auto m2 = load->Query({"mentor-load", "M-2", {}, admin, Now(), {}}, {});
  ASSERT_TRUE(m2.has_value());
  EXPECT_EQ((*m2)["reviews_due"], 1);
  EXPECT_EQ((*m2)["open_counselling_requests"], 1);
  auto meetings = fold("meetings");
  auto hack =
      meetings->Query({"meetings", std::nullopt, {{"timetable", "TT-HACK"}}, admin, Now(), {}}, {});
  ASSERT_TRUE(hack.has_value());
  EXPECT_EQ((*hack)["total"], 3);
  EXPECT_EQ((*hack)["items"][2]["status"], "released");
  auto engagement = fold("engagement");
  auto e = engagement->Query({"engagement", std::nullopt, {}, admin, Now(), {}}, {});
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ((*e)["milestones_completed"], 4);
  EXPECT_EQ((*e)["feedback_given"], 3);
  EXPECT_EQ((*e)["counselling"]["sessions"], 6);
  EXPECT_EQ((*e)["counselling"]["held"], 5);  // CNS-6 is in two days
  // The later submission of S-2026-001 replaced the earlier one.
  EXPECT_EQ((*e)["satisfaction"]["mentees"],
            nlohmann::json::parse(R"({"average": 5.0, "count": 2})"));
  EXPECT_EQ((*e)["satisfaction"]["mentors"]["count"], 1);
  EXPECT_EQ((*e)["mentorship_requests"]["open"], 1);
  EXPECT_EQ((*e)["mentorship_requests"]["assigned"], 1);
}

INSTANTIATE_TEST_SUITE_P(Nows, DemoTest,
                         ::testing::Values("2026-11-25T10:00:00Z", "2026-11-29T23:30:00Z",
                                           "2027-03-01T00:10:00Z"));

TEST(DemoSeedTest, SameNowGivesTheSameLog) {
  const events::TimeMs now = *events::ParseTime("2026-11-25T10:00:00Z");
  DemoLog a(now);
  DemoLog b(now);
  ASSERT_TRUE(a.Seed().has_value());
  ASSERT_TRUE(b.Seed().has_value());
  a.Reopen();  // waits for the trailing system alerts
  b.Reopen();
  const auto events_a = a.Events();
  EXPECT_GT(events_a.size(), 400u);
  EXPECT_EQ(events_a, b.Events());
}

// Documented choice: seeding twice is refused, nothing is sent, even after a restart.
TEST(DemoSeedTest, SeedingANonEmptyLogIsRefusedAndAppendsNothing) {
  const events::TimeMs now = *events::ParseTime("2026-11-25T10:00:00Z");
  DemoLog log(now);
  ASSERT_TRUE(log.Seed().has_value());
  log.Reopen();
  const std::uint64_t head = log.store().GetHead().position;

  const auto again = log.Seed();
  ASSERT_FALSE(again.has_value());
  EXPECT_NE(again.error().find("already holds data"), std::string::npos) << again.error();
  log.Reopen();
  EXPECT_EQ(log.store().GetHead().position, head);
}

TEST(DemoSeedTest, RefusesALogWithSomeoneElsesData) {
  const events::TimeMs now = *events::ParseTime("2026-11-25T10:00:00Z");
  DemoLog log(now);
  ASSERT_TRUE(log.processor()
                  .Submit({"RegisterMentor",
                           {{"mentor_id", "M-9"}, {"name", "Someone"}, {"department", "ECE"}},
                           {"A-1", "admin"}})
                  .has_value());
  EXPECT_FALSE(log.Seed().has_value());
  EXPECT_EQ(log.store().GetHead().position, 1u);
}

}  // namespace
}  // namespace mentorlog::app
