// The write state's snapshot: its binary form (app/write_state_codec.h) and how
// CommandProcessor writes and restores it, on a real store and a real snapshot
// database in temp dirs.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include "app/command_processor.h"
#include "app/demo.h"
#include "app/write_state_codec.h"
#include "events/date_counts.h"
#include "events/time.h"
#include "store/rocksdb_event_store.h"
#include "tests/store/store_test_support.h"
#include "tests/support/temp_dir.h"

namespace mentorlog::app {
namespace {

using nlohmann::json;

const events::TimeMs kNow = *events::ParseTime("2026-11-23T10:00:00Z");
const events::Actor kAdmin{"A-1", "admin"};

// A log, a processor on it and the write state's snapshot database, each in a
// temp dir and reopened at will.
class WriteStateSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto snapshots = projections::SnapshotStore::Open(snapshot_dir_.path());
    ASSERT_TRUE(snapshots.has_value());
    snapshots_ = std::move(*snapshots);
    OpenStore();
  }

  void OpenStore(std::function<bool()> inject_failure = {}) {
    processor_.reset();
    store_.reset();
    store::StoreOptions options;
    options.clock = [] { return kNow; };
    options.durability = store::Durability::kNone;  // fsync is not what this is about
    options.inject_write_failure = std::move(inject_failure);
    store_ = testing::OpenStore(log_dir_.path(), options);
  }

  // Starts a processor; with `snapshots` false it folds the whole log.
  // `share` 1 spaces snapshots by events alone.
  std::unique_ptr<CommandProcessor> Start(
      bool snapshots = true, std::uint64_t every = 100'000, double share = 1.0,
      std::function<void(std::uint64_t)> before_background_snapshot = {}) {
    CommandProcessor::Options options{.clock = [] { return kNow; }};
    if (snapshots) options.snapshots = snapshots_.get();
    options.snapshot_every_events = every;
    options.snapshot_max_share = share;
    options.before_background_snapshot = std::move(before_background_snapshot);
    auto started = CommandProcessor::Start(*store_, std::move(options));
    EXPECT_TRUE(started.has_value()) << started.error().message;
    return started ? std::move(*started) : nullptr;
  }

  // The state a processor folding the whole log has.
  commands::WriteState Folded() { return Start(/*snapshots=*/false)->StateCopy(); }

  bool Register(CommandProcessor& processor, const std::string& mentor_id) {
    return processor
        .Submit({"RegisterMentor",
                 {{"mentor_id", mentor_id}, {"name", "N"}, {"department", "CSE"}},
                 kAdmin})
        .has_value();
  }

  std::uint64_t Head() { return store_->GetHead().position; }

  std::vector<std::uint64_t> Positions() {
    return snapshots_->Positions(CommandProcessor::kSnapshotName);
  }

  // Waits up to 10 s for the processor's snapshot thread to have written `n`
  // snapshots; returns their positions.
  std::vector<std::uint64_t> AwaitSnapshots(std::size_t n) {
    for (int i = 0; i < 2'000 && Positions().size() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return Positions();
  }

  // Writes a snapshot of `state` named and placed as the processor's own.
  void Plant(std::uint64_t position, std::string hash, std::string state,
             int version = kWriteStateVersion) {
    ASSERT_TRUE(snapshots_
                    ->Write({{CommandProcessor::kSnapshotName, version, position, std::move(hash),
                              std::move(state)}},
                            2)
                    .has_value());
  }

  testing::TempDir log_dir_;
  testing::TempDir snapshot_dir_;
  std::unique_ptr<projections::SnapshotStore> snapshots_;
  std::unique_ptr<store::RocksDbEventStore> store_;
  std::unique_ptr<CommandProcessor> processor_;
};

// The demo programme fills most of the state: every struct round-trips, and
// no prefix or extension of the bytes decodes.
TEST_F(WriteStateSnapshotTest, TheDemoStateRoundTripsAndDamagedBytesAreRefused) {
  auto processor = Start(/*snapshots=*/false);
  ASSERT_TRUE(SeedDemo(*processor, kNow).has_value());
  const commands::WriteState state = processor->StateCopy();
  ASSERT_FALSE(state.meetings.empty());
  ASSERT_FALSE(state.attendance.empty());
  ASSERT_FALSE(state.leaves.empty());
  ASSERT_FALSE(state.alerts.empty());

  const std::string bytes = EncodeWriteState(state);
  const auto decoded = DecodeWriteState(bytes);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_TRUE(*decoded == state);

  for (std::size_t n = 0; n < bytes.size(); n += 1 + n / 64) {
    EXPECT_FALSE(DecodeWriteState(std::string_view(bytes).substr(0, n)).has_value()) << n;
  }
  EXPECT_FALSE(DecodeWriteState(bytes + '\0').has_value());
}

// Sheet entries are numbers the decoder checks against the state's numbering.
TEST_F(WriteStateSnapshotTest, SheetsNamingUnknownNumbersOrMalformedAreRefused) {
  auto processor = Start(/*snapshots=*/false);
  ASSERT_TRUE(SeedDemo(*processor, kNow).has_value());
  const commands::WriteState state = processor->StateCopy();
  ASSERT_GE(state.attendance.begin()->second.Entries().size(), 2u);
  const auto damaged = [&](auto damage) {
    commands::WriteState copy = state;
    damage(copy);
    return DecodeWriteState(EncodeWriteState(copy)).has_value();
  };
  EXPECT_TRUE(damaged([](commands::WriteState&) {}));
  EXPECT_FALSE(damaged([](commands::WriteState& s) {  // a number no student has
    auto& sheet = s.attendance.begin()->second;
    sheet.Set(static_cast<std::uint32_t>(s.sheet_ids.size()), commands::AttendanceStatus::kAbsent);
  }));
  EXPECT_FALSE(damaged([](commands::WriteState& s) {  // not a status
    s.attendance.begin()->second.packed[0] |= 7;
  }));
  EXPECT_FALSE(damaged([](commands::WriteState& s) {  // a varint cut short
    s.attendance.begin()->second.packed.push_back(static_cast<char>(0x80));
  }));
  EXPECT_FALSE(damaged([](commands::WriteState& s) {  // ids and numbers disagree
    std::swap(s.sheet_ids[0], s.sheet_ids[1]);
  }));
}

// A meeting's student validations are a code per student of the meeting: the
// decoder refuses another count or an unknown code.
TEST_F(WriteStateSnapshotTest, StudentValidationsOfAnotherShapeAreRefused) {
  commands::WriteState state;
  commands::MeetingState& m = state.meetings[events::Symbol("MT-1")];
  m.student_ids = {events::Symbol("S-1"), events::Symbol("S-2")};
  m.SetStudentValidation("S-2", false);
  const auto decodes = [&](const commands::WriteState& s) {
    return DecodeWriteState(EncodeWriteState(s)).has_value();
  };
  EXPECT_TRUE(decodes(state));
  commands::WriteState longer = state;
  longer.meetings[events::Symbol("MT-1")].student_validations += 'y';
  EXPECT_FALSE(decodes(longer));
  commands::WriteState unknown = state;
  unknown.meetings[events::Symbol("MT-1")].student_validations[0] = 'x';
  EXPECT_FALSE(decodes(unknown));
}

// Packed action items, absences by date and profile texts are read without
// further checks once restored: the decoder refuses them malformed.
TEST_F(WriteStateSnapshotTest, MalformedItemsAbsencesOrProfilesAreRefused) {
  commands::WriteState state;
  state.meetings[events::Symbol("MT-1")].action_items.Replace(
      {"read ch. 3", std::string(300, 'x')});
  state.meetings[events::Symbol("MT-1")].action_items.Complete(1);
  events::AddCount(state.tallies["S-1"].absences_by_date, 20, 1);
  events::AddCount(state.tallies["S-1"].absences_by_date, 10, 2);
  state.students["S-1"].profile = R"({"name":"Asha"})";
  const auto decodes = [](const commands::WriteState& s) {
    const auto decoded = DecodeWriteState(EncodeWriteState(s));
    return decoded.has_value() && *decoded == s;
  };
  ASSERT_TRUE(decodes(state));
  const auto damaged = [&](auto&& damage) {
    commands::WriteState copy = state;
    damage(copy);
    return decodes(copy);
  };
  EXPECT_FALSE(damaged([](commands::WriteState& s) {  // an item's flag neither 0 nor 1
    s.meetings[events::Symbol("MT-1")].action_items.packed[0] = 2;
  }));
  EXPECT_FALSE(damaged([](commands::WriteState& s) {  // the last text cut short
    s.meetings[events::Symbol("MT-1")].action_items.packed.pop_back();
  }));
  EXPECT_FALSE(damaged([](commands::WriteState& s) {  // a length with no end
    s.meetings[events::Symbol("MT-1")].action_items.packed = std::string("\0\xff\xff", 3);
  }));
  EXPECT_FALSE(damaged([](commands::WriteState& s) {  // dates out of order
    std::ranges::reverse(s.tallies["S-1"].absences_by_date);
  }));
  EXPECT_FALSE(damaged([](commands::WriteState& s) {  // a zero count kept
    s.tallies["S-1"].absences_by_date[0].count = 0;
  }));
  EXPECT_FALSE(damaged([](commands::WriteState& s) { s.students["S-1"].profile = "[1]"; }));
  EXPECT_FALSE(damaged([](commands::WriteState& s) { s.students["S-1"].profile = "{\"a\":"; }));
}

TEST_F(WriteStateSnapshotTest, StoppingSnapshotsAtTheHeadAndStartingRestoresIt) {
  processor_ = Start();
  ASSERT_TRUE(Register(*processor_, "M-1"));
  ASSERT_TRUE(Register(*processor_, "M-2"));
  processor_.reset();
  const auto snap = snapshots_->Newest(CommandProcessor::kSnapshotName);
  ASSERT_TRUE(snap.has_value());
  EXPECT_EQ(snap->position, Head());
  EXPECT_EQ(snap->hash, store_->GetHead().hash);
  EXPECT_EQ(snap->version, kWriteStateVersion);

  // Proof that a start reads the snapshot rather than the log: a snapshot with
  // a mentor the log never registered, planted at the head, is what it restores.
  auto planted = DecodeWriteState(snap->state);
  ASSERT_TRUE(planted.has_value());
  planted->mentors["M-planted"].max_mentees = 7;
  Plant(Head(), store_->GetHead().hash, EncodeWriteState(*planted));
  EXPECT_TRUE(Start()->StateCopy() == *planted);
}

TEST_F(WriteStateSnapshotTest, EventsAfterTheSnapshotAreFoldedOnTopOfIt) {
  processor_ = Start();
  ASSERT_TRUE(Register(*processor_, "M-1"));
  processor_.reset();
  const std::uint64_t snapshot_at = Head();
  processor_ = Start(/*snapshots=*/false);  // a tail the snapshot does not hold
  ASSERT_TRUE(Register(*processor_, "M-2"));
  ASSERT_TRUE(Register(*processor_, "M-3"));
  processor_.reset();
  ASSERT_EQ(snapshots_->Newest(CommandProcessor::kSnapshotName)->position, snapshot_at);

  const commands::WriteState restored = Start()->StateCopy();
  EXPECT_EQ(restored.mentors.size(), 3u);
  EXPECT_TRUE(restored == Folded());
}

TEST_F(WriteStateSnapshotTest, ASnapshotOfAnotherLogOrFormOrUnreadableIsIgnored) {
  processor_ = Start(/*snapshots=*/false);
  ASSERT_TRUE(Register(*processor_, "M-1"));
  processor_.reset();
  const commands::WriteState folded = Folded();
  commands::WriteState other = folded;
  other.mentors["M-other"];
  const std::string head_hash = store_->GetHead().hash;

  Plant(Head(), std::string(64, 'a'), EncodeWriteState(other));  // another log's hash
  EXPECT_TRUE(Start(true)->StateCopy() == folded);
  Plant(Head() + 5, head_hash, EncodeWriteState(other));  // past this log's head
  EXPECT_TRUE(Start(true)->StateCopy() == folded);
  Plant(Head(), head_hash, EncodeWriteState(other), kWriteStateVersion + 1);  // another form
  EXPECT_TRUE(Start(true)->StateCopy() == folded);
  Plant(Head(), head_hash, "\x05garbage");  // unreadable
  EXPECT_TRUE(Start(true)->StateCopy() == folded);
}

// While serving, a snapshot is made on the snapshot thread from the durable log,
// so commands are decided while it is under way.
TEST_F(WriteStateSnapshotTest, SnapshotsEveryNEventsWhileRunningWithoutHoldingUpCommands) {
  std::promise<std::uint64_t> reached;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> first = true;
  processor_ = Start(true, /*every=*/3, /*share=*/1.0, [&](std::uint64_t position) {
    if (!first.exchange(false)) return;
    reached.set_value(position);
    released.wait();
  });
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Register(*processor_, "M-" + std::to_string(i)));
  // Asked for once the 3rd event was decided; the thread folded the durable log,
  // which may not hold that event yet.
  auto reached_future = reached.get_future();
  ASSERT_EQ(reached_future.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  const std::uint64_t held_at = reached_future.get();
  EXPECT_GE(held_at, 1u);
  EXPECT_LE(held_at, 3u);
  // The snapshot is held before encoding: commands are still decided.
  for (int i = 3; i < 10; ++i) ASSERT_TRUE(Register(*processor_, "M-" + std::to_string(i)));
  EXPECT_TRUE(Positions().empty());
  release.set_value();

  // Written at the position it was taken. Another, of the log at its head, may
  // follow at once: the decider asked again while this one was under way.
  const std::vector<std::uint64_t> written = AwaitSnapshots(1);
  ASSERT_FALSE(written.empty());
  EXPECT_EQ(written.front(), held_at);
  EXPECT_LE(written.size(), 2u);
  const auto snap = snapshots_->Newest(CommandProcessor::kSnapshotName, held_at);
  ASSERT_TRUE(snap.has_value());
  const auto state = DecodeWriteState(snap->state);
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->mentors.size(), held_at);  // one event a mentor: exactly the log up to it
  for (std::uint64_t i = 0; i < held_at; ++i)
    EXPECT_TRUE(state->mentors.contains("M-" + std::to_string(i)));
  processor_.reset();
  EXPECT_EQ(snapshots_->Newest(CommandProcessor::kSnapshotName)->position, 10u);
  EXPECT_TRUE(Start()->StateCopy() == Folded());
}

// A snapshot that took T holds the next back until T / share has passed; the
// one taken when the processor stops is not held back.
TEST_F(WriteStateSnapshotTest, SnapshotsTakeAtMostTheirShareOfACore) {
  processor_ = Start(true, /*every=*/3, /*share=*/1e-9);  // T of 0.1 µs: the next after 100 s
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(Register(*processor_, "M-" + std::to_string(i)));
  const auto first = AwaitSnapshots(1);
  ASSERT_EQ(first.size(), 1u);
  for (int i = 4; i < 12; ++i) ASSERT_TRUE(Register(*processor_, "M-" + std::to_string(i)));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(Positions(), first);
  processor_.reset();
  EXPECT_EQ(Positions(), (std::vector<std::uint64_t>{first.front(), 12}));
}

// A state holding an event the log refused must never be snapshotted.
TEST_F(WriteStateSnapshotTest, NoSnapshotAfterAFailedWrite) {
  std::atomic<bool> fail = false;
  OpenStore([&fail] { return fail.load(); });
  processor_ = Start();
  ASSERT_TRUE(Register(*processor_, "M-1"));
  fail = true;
  EXPECT_FALSE(Register(*processor_, "M-2"));
  processor_.reset();
  EXPECT_FALSE(snapshots_->Newest(CommandProcessor::kSnapshotName).has_value());
}

}  // namespace
}  // namespace mentorlog::app
