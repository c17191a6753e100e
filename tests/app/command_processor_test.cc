#include "app/command_processor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <set>

#include "events/time.h"
#include "store/rocksdb_event_store.h"
#include "tests/store/store_test_support.h"
#include "tests/support/temp_dir.h"

namespace mentorlog::app {
namespace {

using nlohmann::json;

const events::TimeMs kNow = *events::ParseTime("2026-11-23T10:00:00Z");
const events::Actor kAdmin{"A-1", "admin"};
const events::Actor kMentor{"M-1", "mentor"};

// A real store in a temp dir and a processor on it, both on a fixed clock.
class CommandProcessorTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open(std::function<bool()> inject_failure = {}) {
    processor_.reset();
    store_.reset();
    store::StoreOptions options;
    options.clock = [] { return kNow; };
    options.inject_write_failure = std::move(inject_failure);
    store_ = testing::OpenStore(dir_.path(), options);
    auto started = CommandProcessor::Start(*store_, {.clock = [] { return kNow; }});
    ASSERT_TRUE(started.has_value()) << started.error().message;
    processor_ = std::move(*started);
  }

  CommandOutcome Send(const events::Actor& actor, std::string name, json body,
                      std::optional<std::string> key = std::nullopt,
                      std::optional<std::uint64_t> if_match = std::nullopt) {
    return processor_->Submit({std::move(name), std::move(body), actor, std::move(key), if_match});
  }

  void Seed() {
    ASSERT_TRUE(Send(
        kAdmin, "RegisterMentor",
        {{"mentor_id", "M-1"}, {"name", "Asha Rao"}, {"department", "CSE"}, {"max_mentees", 2}}));
    for (const char* id : {"S-1", "S-2"}) {
      ASSERT_TRUE(Send(kAdmin, "EnrollStudent",
                       {{"student_id", id},
                        {"roll_number", std::string("R") + id},
                        {"name", std::string("Student ") + id},
                        {"department", "CSE"}}));
      ASSERT_TRUE(Send(kAdmin, "AssignMentor", {{"student_id", id}, {"mentor_id", "M-1"}}));
    }
  }

  json Meeting(const std::string& id, const std::string& start, const std::string& end) {
    return {{"meeting_id", id},  {"mentor_id", "M-1"}, {"student_ids", {"S-1"}},
            {"title", "Weekly"}, {"mode", "online"},   {"start", start},
            {"end", end}};
  }

  std::uint64_t Head() { return store_->GetHead().position; }

  testing::TempDir dir_;
  std::unique_ptr<store::RocksDbEventStore> store_;
  std::unique_ptr<CommandProcessor> processor_;
};

TEST_F(CommandProcessorTest, AcceptedCommandsAreDurableEventsWithTheirActor) {
  Seed();
  const auto scheduled = Send(kMentor, "ScheduleMeeting",
                              Meeting("MT-1", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z"));
  ASSERT_TRUE(scheduled.has_value()) << scheduled.error().message;
  EXPECT_EQ(scheduled->position, Head());
  ASSERT_EQ(scheduled->events.size(), 1u);
  EXPECT_EQ(scheduled->events[0].stream, "meeting-MT-1");
  EXPECT_EQ(scheduled->events[0].type, "MeetingScheduled");
  const auto stored = store_->ReadAll(Head() - 1, 1);
  ASSERT_TRUE(stored.has_value());
  const events::Envelope& e = stored->front();
  EXPECT_EQ(e.actor, kMentor);
  EXPECT_EQ(e.command_id, scheduled->command_id);
  EXPECT_EQ(e.correlation_id, scheduled->command_id);
  EXPECT_EQ(e.data["meeting_id"], "MT-1");
}

TEST_F(CommandProcessorTest, RefusalsAppendNothing) {
  Seed();
  const std::uint64_t head = Head();
  const auto cases = std::vector<std::pair<CommandOutcome, std::string>>{
      {Send(kMentor, "NoSuchCommand", json::object()), "unknown_command"},
      {Send(kMentor, "ScheduleMeeting", json::array()), "invalid_argument"},
      {Send(kMentor, "ScheduleMeeting",
            Meeting("MT 1", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z")),
       "invalid_argument"},
      {Send({"X-1", "auditor"}, "RegisterMentor",
            {{"mentor_id", "M-2"}, {"name", "N"}, {"department", "CSE"}}),
       "forbidden"},
      {Send(kAdmin, "RegisterMentor", {{"mentor_id", "M-1"}, {"name", "N"}, {"department", "CSE"}}),
       "conflict"},
      {Send(kMentor, "AcceptMeeting", {{"meeting_id", "MT-404"}}), "not_found"},
  };
  for (const auto& [outcome, code] : cases) {
    ASSERT_FALSE(outcome.has_value());
    EXPECT_EQ(outcome.error().code, code) << outcome.error().message;
  }
  EXPECT_EQ(Head(), head);
}

// A decision sees every earlier decision, including ones not yet fsync'd.
TEST_F(CommandProcessorTest, ADecisionSeesEarlierDecisionsStillOnTheirWayToDisk) {
  Seed();
  std::promise<CommandOutcome> first, second;
  processor_->SubmitAsync(
      {"ScheduleMeeting", Meeting("MT-1", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z"), kMentor},
      [&](CommandOutcome o) { first.set_value(std::move(o)); });
  processor_->SubmitAsync(
      {"ScheduleMeeting", Meeting("MT-2", "2026-11-24T10:30:00Z", "2026-11-24T11:30:00Z"), kMentor},
      [&](CommandOutcome o) { second.set_value(std::move(o)); });
  EXPECT_TRUE(first.get_future().get().has_value());
  const CommandOutcome clash = second.get_future().get();
  ASSERT_FALSE(clash.has_value());
  EXPECT_EQ(clash.error().code, "double_booking");
}

TEST_F(CommandProcessorTest, IdempotentRetriesReturnTheFirstResult) {
  Seed();
  const json body = Meeting("MT-1", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z");
  const auto first = Send(kMentor, "ScheduleMeeting", body, "key-1");
  ASSERT_TRUE(first.has_value());
  const std::uint64_t head = Head();

  const auto retry = Send(kMentor, "ScheduleMeeting", body, "key-1");
  ASSERT_TRUE(retry.has_value()) << retry.error().message;
  EXPECT_TRUE(retry->replayed);
  EXPECT_EQ(retry->command_id, first->command_id);
  EXPECT_EQ(retry->position, first->position);
  EXPECT_EQ(Head(), head);

  // Another body under the same key is refused; the key is the sender's own.
  const auto other = Send(kMentor, "ScheduleMeeting",
                          Meeting("MT-2", "2026-11-25T10:00:00Z", "2026-11-25T11:00:00Z"), "key-1");
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code, "idempotency_mismatch");
  const auto admins =
      Send(kAdmin, "ScheduleMeeting",
           Meeting("MT-2", "2026-11-25T10:00:00Z", "2026-11-25T11:00:00Z"), "key-1");
  EXPECT_TRUE(admins.has_value()) << admins.error().message;

  // Remembered across a restart.
  Open();
  const auto after_restart = Send(kMentor, "ScheduleMeeting", body, "key-1");
  ASSERT_TRUE(after_restart.has_value());
  EXPECT_EQ(after_restart->command_id, first->command_id);

  const auto bad_key = Send(kMentor, "ScheduleMeeting", body, std::string(129, 'k'));
  ASSERT_FALSE(bad_key.has_value());
  EXPECT_EQ(bad_key.error().field, "Idempotency-Key");
}

TEST_F(CommandProcessorTest, ConcurrentRetriesOfOneKeyAppendOnce) {
  Seed();
  const std::uint64_t head = Head();
  const json body = Meeting("MT-1", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z");
  std::vector<std::promise<CommandOutcome>> outcomes(8);
  for (auto& p : outcomes) {
    processor_->SubmitAsync({"ScheduleMeeting", body, kMentor, "same"},
                            [&p](CommandOutcome o) { p.set_value(std::move(o)); });
  }
  std::set<std::string> command_ids;
  for (auto& p : outcomes) {
    const CommandOutcome o = p.get_future().get();
    ASSERT_TRUE(o.has_value()) << o.error().message;
    command_ids.insert(o->command_id);
  }
  EXPECT_EQ(command_ids.size(), 1u);
  EXPECT_EQ(Head(), head + 1);
}

TEST_F(CommandProcessorTest, IfMatchChecksThePrimaryStreamVersion) {
  Seed();
  ASSERT_TRUE(Send(kMentor, "ScheduleMeeting",
                   Meeting("MT-1", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z")));
  const std::uint64_t head = Head();
  const auto stale =
      Send({"S-1", "mentee"}, "AcceptMeeting", {{"meeting_id", "MT-1"}}, std::nullopt, 0);
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().code, "version_mismatch");
  EXPECT_EQ(stale.error().field, "If-Match");
  EXPECT_EQ(Head(), head);
  const auto current =
      Send({"S-1", "mentee"}, "AcceptMeeting", {{"meeting_id", "MT-1"}}, std::nullopt, 1);
  ASSERT_TRUE(current.has_value()) << current.error().message;
  EXPECT_EQ(current->events[0].version, 2u);
}

json Attendance(int day, const std::string& status) {
  const std::string date = events::FormatDate(*events::ParseDate("2026-11-01") + day - 1);
  return {{"course_id", "CS101"},
          {"date", date},
          {"period", 1},
          {"entries", {{{"student_id", "S-1"}, {"status", status}}}}};
}

TEST_F(CommandProcessorTest, AttendanceAlertsFollowTheirCauseOncePerCrossing) {
  Seed();
  // 6 present then absences: 6/10 = 60 %, 6/11 = 54.5 % crosses 60.
  for (int day = 1; day <= 6; ++day) {
    ASSERT_TRUE(Send(kMentor, "RecordAttendance", Attendance(day, "present")));
  }
  for (int day = 7; day <= 11; ++day) {
    ASSERT_TRUE(Send(kMentor, "RecordAttendance", Attendance(day, "absent")));
  }
  const auto alerts_in = [&] {
    std::vector<events::Envelope> alerts;
    const auto all = store_->ReadAll(0, 1000);
    for (const auto& e : *all) {
      if (e.type == "AttendanceAlertRaised") alerts.push_back(e);
    }
    return alerts;
  };
  // Reactions are appended asynchronously; a synced round trip flushes them.
  ASSERT_TRUE(
      Send(kAdmin, "RegisterMentor", {{"mentor_id", "M-9"}, {"name", "N"}, {"department", "X"}}));
  auto alerts = alerts_in();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].data["level"], 60);
  EXPECT_EQ(alerts[0].data["student_id"], "S-1");
  EXPECT_EQ(alerts[0].actor, (events::Actor{"system", "system"}));
  const auto all = store_->ReadAll(0, 1000);
  const auto cause = std::find_if(all->begin(), all->end(), [&](const events::Envelope& e) {
    return e.id == alerts[0].causation_id;
  });
  ASSERT_NE(cause, all->end());
  EXPECT_EQ(cause->type, "AttendanceRecorded");
  EXPECT_LT(cause->position, alerts[0].position);

  // After a restart (state rebuilt from the log) the same band raises nothing new.
  Open();
  ASSERT_TRUE(Send(kMentor, "RecordAttendance", Attendance(12, "present")));
  ASSERT_TRUE(
      Send(kAdmin, "RegisterMentor", {{"mentor_id", "M-8"}, {"name", "N"}, {"department", "X"}}));
  EXPECT_EQ(alerts_in().size(), 1u);
}

// A crash after a class's commit and before its alert's: the log holds the
// cause without the alert. Start raises what the policy still owes, once.
TEST_F(CommandProcessorTest, AlertsLostInACrashAreRaisedAtStart) {
  Seed();
  for (int day = 1; day <= 6; ++day) {
    ASSERT_TRUE(Send(kMentor, "RecordAttendance", Attendance(day, "present")));
  }
  for (int day = 7; day <= 11; ++day) {
    ASSERT_TRUE(Send(kMentor, "RecordAttendance", Attendance(day, "absent")));
  }
  ASSERT_TRUE(  // a synced round trip flushes the asynchronous alert
      Send(kAdmin, "RegisterMentor", {{"mentor_id", "M-9"}, {"name", "N"}, {"department", "X"}}));
  processor_.reset();
  const auto original = store_->ReadAll(0, 1000);
  ASSERT_TRUE(original.has_value());

  // The same log without its alert, as a crash in that window leaves it.
  testing::TempDir crashed_dir;
  store::StoreOptions options;
  options.clock = [] { return kNow; };
  auto crashed = testing::OpenStore(crashed_dir.path(), options);
  std::optional<events::Envelope> lost;
  for (const auto& e : *original) {
    if (e.type == "AttendanceAlertRaised") {
      lost = e;
      continue;
    }
    store::AppendRequest request;
    request.events.push_back({e.stream, e.type, e.schema, e.data, e.actor, e.id, e.command_id,
                              e.correlation_id, e.causation_id});
    ASSERT_TRUE(crashed->Append(std::move(request)).has_value());
  }
  ASSERT_TRUE(lost.has_value());
  const std::uint64_t head = crashed->GetHead().position;

  auto restarted = CommandProcessor::Start(*crashed, {.clock = [] { return kNow; }});
  ASSERT_TRUE(restarted.has_value()) << restarted.error().message;
  ASSERT_EQ(crashed->GetHead().position, head + 1);
  const auto raised = crashed->ReadAll(head, 10);
  ASSERT_EQ(raised->size(), 1u);
  EXPECT_EQ(raised->front().type, "AttendanceAlertRaised");
  EXPECT_EQ(raised->front().stream, lost->stream);
  EXPECT_EQ(raised->front().data, lost->data);  // same id, level and percentage
  EXPECT_EQ(raised->front().actor, (events::Actor{"system", "system"}));

  // Owed once: the next start finds nothing to raise.
  restarted->reset();
  auto again = CommandProcessor::Start(*crashed, {.clock = [] { return kNow; }});
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(crashed->GetHead().position, head + 1);
}

TEST_F(CommandProcessorTest, StateRebuiltFromTheLogEqualsTheLiveState) {
  Seed();
  ASSERT_TRUE(Send(kMentor, "ScheduleMeeting",
                   Meeting("MT-1", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z")));
  ASSERT_TRUE(Send({"S-1", "mentee"}, "AcceptMeeting", {{"meeting_id", "MT-1"}}));
  for (int day = 1; day <= 3; ++day) {
    ASSERT_TRUE(Send(kMentor, "RecordAttendance", Attendance(day, "absent")));
  }
  const commands::WriteState live = processor_->StateCopy();
  Open();
  EXPECT_TRUE(processor_->StateCopy() == live);
}

// After a failed fsync nothing more is acknowledged.
TEST_F(CommandProcessorTest, AFailedWriteRefusesEverythingAfterIt) {
  std::atomic<bool> fail = false;
  Open([&fail] { return fail.load(); });
  Seed();
  fail = true;
  const auto failed =
      Send(kAdmin, "RegisterMentor", {{"mentor_id", "M-2"}, {"name", "N"}, {"department", "CSE"}});
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, "unavailable");
  fail = false;
  const auto later =
      Send(kAdmin, "RegisterMentor", {{"mentor_id", "M-3"}, {"name", "N"}, {"department", "CSE"}});
  ASSERT_FALSE(later.has_value());
  EXPECT_EQ(later.error().code, "unavailable");
}

}  // namespace
}  // namespace mentorlog::app
