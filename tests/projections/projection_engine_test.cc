// The engine over a real RocksDB log: order and exactly-once (duplicates, gaps,
// events it was never told about), read-your-writes, listeners, snapshots
// (load, version change, different log), as-of, online rebuild under appends,
// the timeline view (which reads the log), status and errors.

#include "projections/projection_engine.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "projections/snapshot_store.h"
#include "tests/projections/engine_test_support.h"

namespace mentorlog::projections::testing {
namespace {

using namespace std::chrono_literals;

const events::Actor kM1{"M-1", "mentor"}, kS1{"S-1", "mentee"};

void Enroll(LogAndEngine& t, int i, const std::string& mentor = "M-1") {
  const std::string id = "S-" + std::to_string(i);
  t.Append("StudentEnrolled", {{"student_id", id},
                               {"roll_number", "R" + std::to_string(i)},
                               {"name", "Student " + std::to_string(i)},
                               {"department", "CSE"}});
  t.Append("MentorAssigned", {{"student_id", id}, {"mentor_id", mentor}});
}

json Students(const ProjectionEngine& engine) {
  auto r = engine.Query(Read("students", kAdmin, {}, {{"limit", "1000"}}));
  EXPECT_TRUE(r.has_value());
  return r ? r->data : json();
}

TEST(ProjectionEngineTest, AppliesCommittedEventsAndReadsItsOwnWrites) {
  LogAndEngine t;
  auto& engine = t.Attach();
  std::atomic<std::uint64_t> heard{0};
  engine.AddListener([&](std::uint64_t p) { heard = p; });
  t.Append("MentorRegistered", {{"mentor_id", "M-1"}, {"name", "A"}, {"department", "CSE"}});
  for (int i = 1; i <= 20; ++i) Enroll(t, i);
  ASSERT_TRUE(engine.WaitForPosition(t.Head(), 5s));
  EXPECT_EQ(engine.Position(), 41u);
  EXPECT_EQ(Students(engine)["total"], 20);
  auto r = engine.Query(Read("my-mentees", kM1));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->position, 41u);
  EXPECT_EQ(r->data["total"], 20);
  EXPECT_FALSE(engine.WaitForPosition(t.Head() + 1, 20ms));
  for (int i = 0; i < 100 && heard != 41u; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(heard, 41u);
  EXPECT_EQ(engine.SaveAll(), FoldFromScratch(t.log()));
}

TEST(ProjectionEngineTest, DuplicatesAreSkippedAndGapsReadFromTheLog) {
  LogAndEngine t;
  Enroll(t, 1);  // before any engine: read at Open
  auto& engine = t.Attach();
  ASSERT_EQ(engine.Position(), 2u);
  // Events appended while detached reach the engine through the head check.
  auto* detached = &engine;
  (void)detached;
  Enroll(t, 2);
  ASSERT_TRUE(engine.WaitForPosition(4, 5s));
  // Hand the whole log again (duplicates) and a later event alone (a gap).
  auto all = t.log().ReadAll(0, 100);
  ASSERT_TRUE(all.has_value());
  engine.OnCommitted(*all);
  Enroll(t, 3);
  Enroll(t, 4);
  auto last = t.log().ReadAll(7, 1);
  ASSERT_TRUE(last.has_value());
  engine.OnCommitted(*last);
  ASSERT_TRUE(engine.WaitForPosition(8, 5s));
  EXPECT_EQ(Students(engine)["total"], 4);
  EXPECT_EQ(engine.SaveAll(), FoldFromScratch(t.log()));
}

TEST(ProjectionEngineTest, SnapshotsRestoreStateAndPosition) {
  LogAndEngine t;
  ProjectionEngine::Options options;
  options.snapshot_dir = t.dir() / "snapshots";
  options.snapshot_every_events = 10;
  t.Attach(options);
  for (int i = 1; i <= 12; ++i) Enroll(t, i);
  ASSERT_TRUE(t.engine().WaitForPosition(24, 5s));
  ASSERT_TRUE(t.engine().SnapshotNow().has_value());
  t.Detach();
  {
    auto snapshots = SnapshotStore::Open(t.dir() / "snapshots");
    ASSERT_TRUE(snapshots.has_value());
    const auto positions = (*snapshots)->Positions("students");
    ASSERT_FALSE(positions.empty());
    EXPECT_EQ(positions.back(), 24u);
    EXPECT_LE(positions.size(), 3u);
  }
  Enroll(t, 13);  // the tail after the snapshot
  auto& engine = t.Attach(options);
  EXPECT_EQ(engine.Position(), 26u);
  EXPECT_EQ(engine.SaveAll(), FoldFromScratch(t.log()));
}

// Besides every N events (or a tenth of the log), a snapshot is taken on a
// timer once any event came, the timer stretched as the count is.
TEST(ProjectionEngineTest, SnapshotsOnATimerThatStretchesWithTheLog) {
  LogAndEngine t;
  ProjectionEngine::Options options;
  options.snapshot_dir = t.dir() / "snapshots";
  options.snapshot_every_events = 10;
  options.snapshot_every = 1s;
  auto& engine = t.Attach(options);
  const auto snapshot_at = [&](std::uint64_t position, std::chrono::milliseconds within) {
    const auto until = std::chrono::steady_clock::now() + within;
    while (engine.SnapshotPosition() != position && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(10ms);
    }
    return engine.SnapshotPosition() == position;
  };
  Enroll(t, 1);  // 2 events, fewer than 10: the timer (1 s from the start) takes them
  EXPECT_FALSE(snapshot_at(2, 300ms));
  EXPECT_TRUE(snapshot_at(2, 5s));

  // At 400 events a snapshot is due every 40, so the timer is 4 s.
  for (int i = 2; i <= 200; ++i) Enroll(t, i);
  ASSERT_TRUE(engine.WaitForPosition(400, 10s));
  ASSERT_TRUE(snapshot_at(400, 10s));  // by the count or the timer
  Enroll(t, 201);
  EXPECT_FALSE(snapshot_at(402, 1500ms));  // an unstretched timer would have taken it
  EXPECT_TRUE(snapshot_at(402, 8s));
}

TEST(ProjectionEngineTest, SnapshotOfAnotherVersionOrLogIsNotUsed) {
  LogAndEngine t;
  for (int i = 1; i <= 3; ++i) Enroll(t, i);
  {
    auto snapshots = SnapshotStore::Open(t.dir() / "snapshots");
    ASSERT_TRUE(snapshots.has_value());
    auto hash = t.log().ReadAll(5, 1);
    ASSERT_TRUE(hash.has_value());
    auto bogus = MakeProjection("students")->SaveBinary();  // empty state
    ASSERT_TRUE((*snapshots)
                    ->Write({{"students", 99, 6, (*hash)[0].hash, bogus},
                             {"attendance", 1, 6, std::string(64, 'f'), bogus}},
                            3)
                    .has_value());
  }
  ProjectionEngine::Options options;
  options.snapshot_dir = t.dir() / "snapshots";
  auto& engine = t.Attach(options);
  EXPECT_EQ(Students(engine)["total"], 3);
  EXPECT_EQ(engine.SaveAll(), FoldFromScratch(t.log()));
}

TEST(ProjectionEngineTest, AsOfFoldsUpToAPositionOrTime) {
  LogAndEngine t;
  ProjectionEngine::Options options;
  options.snapshot_dir = t.dir() / "snapshots";
  auto& engine = t.Attach(options);
  for (int i = 1; i <= 3; ++i) Enroll(t, i);  // positions 1-6, times 08:00:00 .. 08:00:05
  ASSERT_TRUE(engine.WaitForPosition(6, 5s));
  ASSERT_TRUE(engine.SnapshotNow().has_value());
  for (int i = 4; i <= 5; ++i) Enroll(t, i);
  ASSERT_TRUE(engine.WaitForPosition(10, 5s));

  auto request = Read("students", kAuditor);
  request.as_of = "4";
  auto at4 = engine.Query(request);
  ASSERT_TRUE(at4.has_value());
  EXPECT_EQ(at4->position, 4u);
  EXPECT_EQ(at4->data["total"], 2);
  request.as_of = "2026-11-01T08:00:07.500Z";  // position 8 was recorded at 08:00:07
  auto at_time = engine.Query(request);
  ASSERT_TRUE(at_time.has_value());
  EXPECT_EQ(at_time->position, 8u);
  EXPECT_EQ(at_time->data["total"], 4);
  request.as_of = "2020-01-01T00:00:00Z";
  EXPECT_EQ(engine.Query(request)->position, 0u);
  request.as_of = "10";  // from the snapshot at 6 plus the tail
  auto now = engine.Query(request);
  ASSERT_TRUE(now.has_value());
  EXPECT_EQ(now->data, engine.Query(Read("students", kAuditor))->data);
  request.as_of = "11";
  EXPECT_EQ(engine.Query(request).error().code, "invalid_argument");
  request.as_of = "last tuesday";
  EXPECT_EQ(engine.Query(request).error().code, "invalid_argument");
  auto mentor = Read("students", kM1);
  mentor.as_of = "4";
  EXPECT_EQ(engine.Query(mentor).error().code, "forbidden");
}

TEST(ProjectionEngineTest, TimelineNewestFirstFromTheLog) {
  LogAndEngine t;
  auto& engine = t.Attach();
  t.Append("MentorRegistered", {{"mentor_id", "M-1"}, {"name", "A"}, {"department", "CSE"}});
  Enroll(t, 1);
  Enroll(t, 2);
  t.Append("MeetingScheduled",
           {{"meeting_id", "MT-1"},
            {"mentor_id", "M-1"},
            {"student_ids", {"S-1"}},
            {"title", "t"},
            {"mode", "online"},
            {"start", "2026-11-24T10:00:00Z"},
            {"end", "2026-11-24T11:00:00Z"},
            {"status", "proposed"},
            {"proposed_by", "mentor"}},
           kM1);
  t.Append("AttendanceRecorded",
           {{"course_id", "C-1"},
            {"date", "2026-11-01"},
            {"period", 1},
            {"entries", {{{"student_id", "S-1"}, {"status", "present"}}}}},
           kM1);
  t.Append("MeetingAccepted", {{"meeting_id", "MT-1"}, {"by", "mentee"}}, kS1);
  t.Append("LeaveRequested", {{"leave_id", "L-1"},
                              {"student_id", "S-2"},
                              {"kind", "leave"},
                              {"from_date", "2026-11-10"},
                              {"to_date", "2026-11-10"},
                              {"reason", "x"}});
  ASSERT_TRUE(engine.WaitForPosition(t.Head(), 5s));
  auto r = engine.Query(Read("mentee-timeline", kS1, "S-1", {{"limit", "2"}}));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->data["total"], 4);  // enrolled, assigned, scheduled, accepted (not attendance)
  EXPECT_EQ(r->data["next_offset"], 2);
  ASSERT_EQ(r->data["items"].size(), 2u);
  EXPECT_EQ(r->data["items"][0], json::parse(R"({"position": 8, "time": "2026-11-01T08:00:07.000Z",
    "type": "MeetingAccepted", "actor": {"id": "S-1", "role": "mentee"},
    "data": {"meeting_id": "MT-1", "by": "mentee"}})"));
  EXPECT_EQ(r->data["items"][1]["type"], "MeetingScheduled");
  auto rest = engine.Query(Read("mentee-timeline", kM1, "S-1", {{"offset", "2"}}));
  ASSERT_TRUE(rest.has_value());
  EXPECT_EQ(rest->data["items"][0]["type"], "MentorAssigned");
  EXPECT_EQ(rest->data["items"][1]["type"], "StudentEnrolled");
  EXPECT_EQ(engine.Query(Read("mentee-timeline", kS1, "S-2")).error().code, "forbidden");
  EXPECT_EQ(engine.Query(Read("mentee-timeline", {"M-2", "mentor"}, "S-1")).error().code,
            "forbidden");
  EXPECT_EQ(engine.Query(Read("mentee-timeline", kAdmin, "S-9")).error().code, "not_found");
  EXPECT_EQ(engine.Query(Read("mentee-timeline", kAdmin, "S-2"))->data["total"], 3);
}

TEST(ProjectionEngineTest, UnknownViewsAndProjections) {
  LogAndEngine t;
  auto& engine = t.Attach();
  EXPECT_EQ(engine.Query(Read("nope", kAdmin)).error().code, "not_found");
  EXPECT_EQ(engine.StartRebuild("nope").error().code, "not_found");
  const auto status = engine.Status();
  ASSERT_EQ(status.size(), 9u);
  EXPECT_EQ(status[0].name, "my-mentees");
  EXPECT_EQ(status[0].state, "running");
  EXPECT_EQ(status[0].lag, 0u);
}

// A real projection that throws on "Poison" events while `armed`: how a fold bug
// would show.
class Poisonable final : public Projection {
 public:
  Poisonable(std::unique_ptr<Projection> inner, const std::atomic<bool>& armed)
      : inner_(std::move(inner)), armed_(armed) {}
  std::string_view Name() const override { return inner_->Name(); }
  int Version() const override { return inner_->Version(); }
  std::expected<json, ViewError> Query(const ViewRequest& r, const QueryContext& c) const override {
    return inner_->Query(r, c);
  }
  json Save() const override { return inner_->Save(); }
  std::string SaveBinary() const override { return inner_->SaveBinary(); }

 protected:
  void Apply(const events::Envelope& e) override {
    if (armed_ && e.type == "Poison") throw std::runtime_error("poisoned");
    inner_->Fold(e);
  }
  bool Load(const json& state) override { return inner_->Restore(state, 0); }
  bool LoadBinary(std::string_view state) override { return inner_->RestoreBinary(state, 0); }

 private:
  std::unique_ptr<Projection> inner_;
  const std::atomic<bool>& armed_;
};

const ProjectionStatus& StatusOf(const std::vector<ProjectionStatus>& all,
                                 const std::string& name) {
  return *std::ranges::find(all, name, &ProjectionStatus::name);
}

TEST(ProjectionEngineTest, AFoldThatThrowsFaultsOnlyItsViewUntilRebuilt) {
  LogAndEngine t;
  std::atomic<bool> armed{true};
  ProjectionEngine::Options options;
  options.make_projection = [&armed](std::string_view name) -> std::unique_ptr<Projection> {
    if (name == "students") return std::make_unique<Poisonable>(MakeProjection(name), armed);
    return MakeProjection(name);
  };
  auto& engine = t.Attach(options);
  t.Append("MentorRegistered", {{"mentor_id", "M-1"}, {"name", "A"}, {"department", "CSE"}});
  Enroll(t, 1);
  const std::uint64_t poison = t.Append("Poison", json::object());
  Enroll(t, 2);
  ASSERT_TRUE(engine.WaitForPosition(t.Head(), 10s));

  const auto faulted = StatusOf(engine.Status(), "students");
  EXPECT_EQ(faulted.state, "faulted");
  EXPECT_EQ(faulted.position, poison - 1);  // stopped before the event it could not fold
  const auto refused = engine.Query(Read("students", kAdmin));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, "unavailable");
  // Every other view kept folding, past the poison.
  EXPECT_EQ(StatusOf(engine.Status(), "my-mentees").state, "running");
  auto mentees = engine.Query(Read("my-mentees", kM1));
  ASSERT_TRUE(mentees.has_value());
  EXPECT_EQ(mentees->data["total"], 2);

  // Fixed (disarmed), a rebuild brings it back, equal to a fold from scratch.
  armed = false;
  ASSERT_TRUE(engine.StartRebuild("students").has_value());
  for (int i = 0; i < 2000 && StatusOf(engine.Status(), "students").state != "running"; ++i) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(StatusOf(engine.Status(), "students").state, "running");
  EXPECT_EQ(Students(engine)["total"], 2);
  EXPECT_EQ(engine.SaveAll(), FoldFromScratch(t.log()));
}

TEST(ProjectionEngineTest, BatchesDroppedWhenTheQueueIsFullAreReadBackFromTheLog) {
  LogAndEngine t;
  ProjectionEngine::Options options;
  options.max_queued_batches = 1;
  auto& engine = t.Attach(options);
  // The apply thread calls listeners after each batch: hold it there while ten
  // batches are committed, so one is queued and nine are dropped.
  std::mutex mu;
  std::condition_variable cv;
  bool hold = true, held = false;
  engine.AddListener([&](std::uint64_t) {
    std::unique_lock lock(mu);
    held = true;
    cv.notify_all();
    cv.wait(lock, [&] { return !hold; });
  });
  t.Append("MentorRegistered", {{"mentor_id", "M-1"}, {"name", "A"}, {"department", "CSE"}});
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return held; }));
  }
  for (int i = 1; i <= 5; ++i) Enroll(t, i);  // ten batches of one event
  EXPECT_EQ(engine.DroppedBatches(), 9u);
  {
    std::lock_guard lock(mu);
    hold = false;
  }
  cv.notify_all();
  ASSERT_TRUE(engine.WaitForPosition(t.Head(), 10s));
  EXPECT_EQ(engine.Position(), t.Head());
  EXPECT_EQ(Students(engine)["total"], 5);
  EXPECT_EQ(engine.SaveAll(), FoldFromScratch(t.log()));
}

TEST(ProjectionEngineTest, RebuildUnderConcurrentAppendsLosesNothing) {
  LogAndEngine t;
  ProjectionEngine::Options options;
  options.read_batch = 64;  // many steps, so appends interleave with the rebuild
  auto& engine = t.Attach(options);
  t.Append("MentorRegistered", {{"mentor_id", "M-1"}, {"name", "A"}, {"department", "CSE"}});
  for (int i = 1; i <= 300; ++i) Enroll(t, i);
  std::atomic<bool> stop{false};
  std::thread appender([&] {
    for (int i = 1000; !stop; ++i) {
      Enroll(t, i, i % 2 == 0 ? "M-1" : "M-2");
      t.Append("AttendanceRecorded",
               {{"course_id", "C-" + std::to_string(i)},
                {"date", "2026-11-01"},
                {"period", 1},
                {"entries", {{{"student_id", "S-" + std::to_string(i)}, {"status", "absent"}}}}},
               kM1);
    }
  });
  for (const std::string& name : ProjectionNames()) ASSERT_TRUE(engine.StartRebuild(name));
  bool saw_progress = false;
  for (int i = 0; i < 3000; ++i) {
    bool any = false;
    for (const auto& s : engine.Status()) {
      if (s.state == "rebuilding") {
        any = true;
        if (s.rebuild && s.rebuild->contains("events_per_second")) saw_progress = true;
      }
      EXPECT_NE(s.state, "faulted");
    }
    if (!any) break;
    std::this_thread::sleep_for(5ms);
  }
  stop = true;
  appender.join();
  EXPECT_TRUE(saw_progress);
  ASSERT_TRUE(engine.WaitForPosition(t.Head(), 10s));
  for (const auto& s : engine.Status()) {
    EXPECT_EQ(s.state, "running") << s.name;
    EXPECT_EQ(s.position, t.Head()) << s.name;
  }
  EXPECT_EQ(engine.SaveAll(), FoldFromScratch(t.log()));
  // And a fresh engine (its own rebuild from 0) agrees.
  const json incremental = engine.SaveAll();
  t.Detach();
  EXPECT_EQ(t.Attach().SaveAll(), incremental);
}

}  // namespace
}  // namespace mentorlog::projections::testing
