// The EventHub: the Audience it keeps and what it fans out to subscribers.

#include "http/event_hub.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "store/rocksdb_event_store.h"
#include "tests/store/store_test_support.h"
#include "tests/support/temp_dir.h"

namespace mentorlog::http {
namespace {

using ::testing::ElementsAre;

events::Envelope Committed(std::uint64_t position, std::string stream, std::string type,
                           nlohmann::json data) {
  events::Envelope e;
  e.position = position;
  e.version = 1;
  e.stream = std::move(stream);
  e.type = std::move(type);
  e.SetData(std::move(data));
  return e;
}

store::CommittedBatch Batch(std::vector<events::Envelope> events) {
  return std::make_shared<const std::vector<events::Envelope>>(std::move(events));
}

// Records the batches the hub fans out.
class Recorder final : public HubSubscriber {
 public:
  void OnCommitted(PublishedBatch batch) override {
    std::lock_guard lock(mu_);
    batches_.push_back(std::move(batch));
    cv_.notify_all();
  }
  void OnViewsAdvanced(std::uint64_t) override {}

  std::vector<PublishedBatch> WaitFor(std::size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return batches_.size() >= n; });
    return batches_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<PublishedBatch> batches_;
};

TEST(EventHubTest, TheReadRulesKnowAPublishedAssignmentAsSoonAsPublishReturns) {
  // The store acknowledges an append after its commit hook returns, so a client
  // told that AssignMentor committed may subscribe to the mentee straight away.
  Audience audience;
  EventHub hub(audience);
  for (int i = 0; i < 200; ++i) {
    const std::string student = "S-" + std::to_string(i);
    hub.Publish(
        Batch({Committed(static_cast<std::uint64_t>(i + 1), "student-" + student, "MentorAssigned",
                         {{"student_id", student}, {"mentor_id", "M-1"}})}));
    ASSERT_EQ(audience.MentorOf(student), "M-1") << "after publishing position " << i + 1;
    ASSERT_TRUE(audience.MayReadStream({"M-1", "mentor"}, "student-" + student));
  }
}

TEST(EventHubTest, FansOutEachEventWithItsJsonAndItsReaders) {
  Audience audience;
  EventHub hub(audience);
  const auto recorder = std::make_shared<Recorder>();
  hub.Join(recorder);
  hub.Publish(Batch(
      {Committed(1, "student-S-1", "MentorAssigned", {{"student_id", "S-1"}, {"mentor_id", "M-1"}}),
       Committed(2, "meeting-MT-1", "MeetingScheduled",
                 {{"mentor_id", "M-2"}, {"student_ids", {"S-1"}}})}));
  const auto batches = recorder->WaitFor(1);
  ASSERT_EQ(batches.size(), 1u);
  const auto& published = *batches.front();
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[1].envelope.position, 2u);
  EXPECT_EQ(nlohmann::json::parse(published[1].json).at("type"), "MeetingScheduled");
  EXPECT_THAT(published[1].readers.students, ElementsAre("S-1"));
  EXPECT_THAT(published[1].readers.mentors, ElementsAre("M-2", "M-1"));
  EXPECT_EQ(hub.Position(), 2u);
}

// The Audience's start-up snapshot, on a real store and snapshot database.
class EventHubSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::StoreOptions options;
    options.durability = store::Durability::kNone;
    options.commit_hook = [this](store::CommittedBatch batch) {
      if (EventHub* hub = publishing_.load()) hub->Publish(std::move(batch));
    };
    store_ = testing::OpenStore(log_dir_.path(), std::move(options));
    ASSERT_NE(store_, nullptr);
    auto snapshots = projections::SnapshotStore::Open(snapshot_dir_.path());
    ASSERT_TRUE(snapshots.has_value());
    snapshots_ = std::move(*snapshots);
  }

  void Assign(const std::string& student, const std::string& mentor) {
    store::AppendRequest request;
    request.events.push_back(testing::MakeEvent("student-" + student, "MentorAssigned",
                                                {{"student_id", student}, {"mentor_id", mentor}}));
    ASSERT_TRUE(store_->Append(std::move(request)).has_value());
  }

  // A hub loaded from the store and publishing its commits until destroyed.
  struct Running {
    Audience audience;
    std::unique_ptr<EventHub> hub = std::make_unique<EventHub>(audience);
    std::atomic<EventHub*>* publishing;
    ~Running() {
      publishing->store(nullptr);
      hub.reset();
    }
  };
  std::unique_ptr<Running> Load(std::uint64_t every = 100'000) {
    auto running = std::make_unique<Running>();
    running->publishing = &publishing_;
    EXPECT_TRUE(running->hub->LoadFrom(*store_, snapshots_.get(), every).has_value());
    publishing_.store(running->hub.get());
    return running;
  }

  std::optional<std::uint64_t> SnapshotAt() {
    const auto snap = snapshots_->Newest(EventHub::kSnapshotName);
    return snap ? std::optional(snap->position) : std::nullopt;
  }

  // Waits (10 s at most) for a snapshot at `at_least` or later, then restores
  // the newest into `restored`; returns its position (0: none, or unreadable).
  std::uint64_t AwaitRestored(std::uint64_t at_least, Audience& restored) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (SnapshotAt().value_or(0) < at_least && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    const auto snap = snapshots_->Newest(EventHub::kSnapshotName);
    if (!snap || !restored.Restore(snap->position, snap->state)) return 0;
    return snap->position;
  }

  testing::TempDir log_dir_;
  testing::TempDir snapshot_dir_;
  std::atomic<EventHub*> publishing_{nullptr};
  std::unique_ptr<store::RocksDbEventStore> store_;
  std::unique_ptr<projections::SnapshotStore> snapshots_;
};

TEST_F(EventHubSnapshotTest, AStoppingHubSnapshotsAndTheNextStartsFromItAndTheTail) {
  Assign("S-1", "M-1");
  Load().reset();
  EXPECT_EQ(SnapshotAt(), 1u);
  Assign("S-2", "M-2");  // after the snapshot: folded from the log
  {
    // Proof that the snapshot is read: one naming a mentor the log never
    // assigned, planted at position 1, is what the next start restores.
    Audience planted;
    auto assigned = store_->ReadAll(0, 1);
    ASSERT_TRUE(assigned.has_value());
    events::Envelope forged = assigned->front();
    forged.SetData({{"student_id", "S-9"}, {"mentor_id", "M-9"}});
    planted.Apply(assigned->front());
    planted.Apply(forged);
    ASSERT_TRUE(snapshots_
                    ->Write({{EventHub::kSnapshotName, Audience::kSnapshotVersion, 1,
                              assigned->front().hash, planted.Save().state}},
                            2)
                    .has_value());
  }
  auto running = Load();
  EXPECT_EQ(running->audience.MentorOf("S-9"), "M-9");
  EXPECT_EQ(running->audience.MentorOf("S-1"), "M-1");
  EXPECT_EQ(running->audience.MentorOf("S-2"), "M-2");
  EXPECT_EQ(running->hub->Position(), 2u);
}

TEST_F(EventHubSnapshotTest, ASnapshotOfAnotherLogOrFormIsIgnored) {
  Assign("S-1", "M-1");
  Audience planted;
  planted.Apply(
      Committed(1, "student-S-9", "MentorAssigned", {{"student_id", "S-9"}, {"mentor_id", "M-9"}}));
  const std::string head_hash = store_->GetHead().hash;
  for (const auto& [hash, version] : {std::pair{std::string(64, 'a'), Audience::kSnapshotVersion},
                                      std::pair{head_hash, Audience::kSnapshotVersion + 1}}) {
    ASSERT_TRUE(
        snapshots_->Write({{EventHub::kSnapshotName, version, 1, hash, planted.Save().state}}, 2)
            .has_value());
    auto running = Load();
    EXPECT_EQ(running->audience.MentorOf("S-9"), "");
    EXPECT_EQ(running->audience.MentorOf("S-1"), "M-1");
    running->publishing->store(nullptr);
  }
}

TEST_F(EventHubSnapshotTest, SnapshotsEveryNEventsWhileServing) {
  auto running = Load(/*every=*/3);
  for (int i = 1; i <= 7; ++i) Assign("S-" + std::to_string(i), "M-1");
  // Asked for by the hub's thread as the batches arrive, at the end of the
  // batch it has seen, and folded from the log up to there. (The one due at 6
  // is not asked for while the one at 3 is under way, as on a loaded machine.)
  Audience restored;
  const std::uint64_t at = AwaitRestored(3, restored);
  ASSERT_GE(at, 3u);
  // The state is the one at its position: students up to it assigned, none after.
  for (std::uint64_t i = 1; i <= 7; ++i) {
    EXPECT_EQ(restored.MentorOf("S-" + std::to_string(i)), i <= at ? "M-1" : "") << i;
  }
  running.reset();
  EXPECT_EQ(SnapshotAt(), 7u);
}

// While serving, a snapshot is folded from the last snapshot and the log on a
// thread of its own, never read from the live Audience (whose lock the commit
// path takes): what only the live Audience holds is not in it.
TEST_F(EventHubSnapshotTest, SnapshotsWhileServingAreFoldedFromTheLogNotTheLiveAudience) {
  auto running = Load(/*every=*/3);
  Assign("S-1", "M-1");
  running->audience.Apply(
      Committed(2, "student-S-9", "MentorAssigned", {{"student_id", "S-9"}, {"mentor_id", "M-9"}}));
  for (int i = 2; i <= 4; ++i) Assign("S-" + std::to_string(i), "M-1");
  Audience restored;
  ASSERT_GE(AwaitRestored(3, restored), 3u);
  EXPECT_EQ(restored.MentorOf("S-1"), "M-1");
  EXPECT_EQ(restored.MentorOf("S-9"), "");
  EXPECT_EQ(running->audience.MentorOf("S-9"), "M-9");
}

// A stop abandons a background snapshot under way (its fold can take seconds)
// and writes the live Audience, which nothing moves any more, at the head.
TEST_F(EventHubSnapshotTest, AStopAbandonsABackgroundSnapshotAndWritesTheLiveAudience) {
  auto running = Load(/*every=*/20'000);
  constexpr int kEvents = 40'000;
  for (int first = 1; first <= kEvents; first += 500) {
    store::AppendRequest request;
    for (int i = first; i < first + 500; ++i) {
      const std::string student = "S-" + std::to_string(i);
      request.events.push_back(testing::MakeEvent("student-" + student, "MentorAssigned",
                                                  {{"student_id", student}, {"mentor_id", "M-1"}}));
    }
    ASSERT_TRUE(store_->Append(std::move(request)).has_value());
  }
  running.reset();  // while the one asked for at 40,000 (or 20,000) folds
  EXPECT_EQ(SnapshotAt(), std::uint64_t{kEvents});
  Audience restored;
  ASSERT_EQ(AwaitRestored(kEvents, restored), std::uint64_t{kEvents});
  EXPECT_EQ(restored.MentorOf("S-1"), "M-1");
  EXPECT_EQ(restored.MentorOf("S-" + std::to_string(kEvents)), "M-1");
}

}  // namespace
}  // namespace mentorlog::http
