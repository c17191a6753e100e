#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <expected>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "events/envelope.h"
#include "projections/projection.h"
#include "projections/snapshot_store.h"
#include "projections/view.h"
#include "store/event_store.h"

namespace mentorlog::projections {

// Runs every projection (one per view) over the committed log and answers view
// queries. Committed events reach it through OnCommitted (the store's commit
// hook); one apply thread folds them in position order, each exactly once,
// reading any missing range back from the store. Queries run concurrently with
// each other and see whole batches only. Snapshots, online rebuild and as-of
// reads are described on each method. All public methods are thread-safe.
//
// Lifecycle of each projection: running -> rebuilding (a fresh copy folds the
// log in the background while the current one serves) -> running (swapped in);
// faulted when applying an event failed (it then stops at that position and its
// view answers `unavailable` until a rebuild succeeds).
class ProjectionEngine {
  struct ConstructionKey {};

 public:
  struct Options {
    // Where snapshots live (a RocksDB database of its own). Empty: no snapshots;
    // every start folds the whole log. Default: empty.
    std::filesystem::path snapshot_dir;
    // Snapshot after this many applied events since the last one, or a tenth of
    // the log if that is more (SnapshotDue). Default: 100000.
    std::uint64_t snapshot_every_events = 100'000;
    // ... or once this much time has passed with at least one event applied,
    // stretched as the count is (x SnapshotInterval / snapshot_every_events: at
    // 10 M events with the defaults, ten minutes). Default: 60 s.
    std::chrono::seconds snapshot_every{60};
    // Snapshots kept per projection (the older ones serve as-of reads). Default: 3.
    std::size_t snapshots_kept = 3;
    // Events read from the store per request when catching up or rebuilding.
    // Default: 4096.
    std::size_t read_batch = 4096;
    // Committed batches queued for the apply thread beyond which OnCommitted drops
    // them (the gap is then read back from the store), so the writer never waits
    // and memory stays bounded. Default: 4096.
    std::size_t max_queued_batches = 4096;
    // How often the idle apply thread checks the log head for events it was not
    // told about. Default: 50 ms.
    std::chrono::milliseconds idle_poll{50};
    // Makes the projection serving each view name. Default: empty, meaning
    // MakeProjection of projection_registry.h (tests substitute one that fails).
    std::function<std::unique_ptr<Projection>(std::string_view name)> make_projection;
  };

  // Opens the snapshot store (when configured), restores each projection from its
  // newest snapshot whose version matches and whose position and hash still match
  // the log (otherwise the projection starts empty), catches every projection up
  // to the log head, and starts the apply thread. The store must outlive the
  // engine. Errors: unavailable (snapshot store cannot open, log cannot be read).
  static std::expected<std::unique_ptr<ProjectionEngine>, ViewError> Open(
      const store::EventStore& store, Options options);
  // Use Open.
  ProjectionEngine(ConstructionKey, const store::EventStore& store, Options options);

  // Stops rebuilds and the apply thread (events still queued are applied first),
  // and writes a last snapshot if anything was applied since the previous one.
  ~ProjectionEngine();

  ProjectionEngine(const ProjectionEngine&) = delete;
  ProjectionEngine& operator=(const ProjectionEngine&) = delete;

  // Hands a committed batch to the apply thread; returns at once (called on the
  // store's writer thread). Duplicates (positions already applied) are skipped and
  // gaps are read from the store, so each event is applied once, in order.
  void OnCommitted(const std::vector<events::Envelope>& committed);

  // As above, sharing the store's immutable batch instead of copying it.
  void OnCommitted(store::CommittedBatch committed);

  // The position every running view reflects.
  std::uint64_t Position() const;

  // The position of the newest snapshot written (or restored at start); 0 when
  // none. For tests and diagnostics.
  std::uint64_t SnapshotPosition() const;

  // Committed batches OnCommitted dropped because max_queued_batches were waiting
  // (their events were read back from the store instead).
  std::uint64_t DroppedBatches() const;

  // Waits until Position() >= `position` or `timeout` passes; true when reached.
  bool WaitForPosition(std::uint64_t position, std::chrono::milliseconds timeout) const;

  // Answers a view read. Checks, in order: the view exists (not_found), `as_of` is
  // only used by admin and auditor (forbidden) and parses (invalid_argument), the
  // projection is not faulted (unavailable), then the view's own read rules and
  // parameters. With `as_of` the view is folded afresh up to that position (a time
  // maps to the last position recorded at or before it), starting from the newest
  // snapshot at or before it; `position` in the result is then that position.
  std::expected<ViewResult, ViewError> Query(const ViewRequest& request) const;

  // Each projection's name, version, position, lag behind the log head, state,
  // and rebuild progress while rebuilding.
  std::vector<ProjectionStatus> Status() const;

  // Starts an online rebuild of `name`: a fresh instance folds the log from 0 on
  // a background thread while the current one keeps serving, then is swapped in
  // atomically once caught up. A rebuild already running is left alone. Errors:
  // not_found for an unknown name.
  std::expected<void, ViewError> StartRebuild(const std::string& name);

  // Registers `listener`, called on the apply thread after each applied batch with
  // the new position (for WebSocket "watch"). It must not block or call back into
  // methods that wait for the apply thread (WaitForPosition).
  void AddListener(std::function<void(std::uint64_t position)> listener);

  // Writes a snapshot of every running projection now (also done every N events
  // or T seconds by the apply thread). Errors: unavailable; invalid_argument when
  // no snapshot_dir is configured.
  std::expected<void, ViewError> SnapshotNow();

  // Each running projection's saved state, keyed by name (for tests comparing an
  // engine with an independent fold).
  nlohmann::json SaveAll() const;

 private:
  struct Slot;

  std::expected<void, ViewError> LoadAndCatchUp();
  std::unique_ptr<Projection> Make(std::string_view name) const;
  // Projection `name` restored from its newest usable snapshot at or before
  // `at_most`, or nullptr when there is none.
  std::unique_ptr<Projection> FromSnapshot(const std::string& name, std::uint64_t at_most) const;
  void ApplyLoop();
  // Folds consecutive events into every running slot that has not seen them; a
  // long run is folded by two threads, each taking whole slots (caller holds mu_
  // exclusively).
  void ApplyRun(std::span<const events::Envelope> run);
  // Reads and applies events after applied_ up to `last` from the store.
  bool CatchUpTo(std::uint64_t last);
  void Publish();
  void MaybeSnapshot();
  // Snapshots every live projection at the position applied; with kNo the
  // write is queued (SnapshotStore::WriteAsync) and a failure only logged.
  enum class Wait { kNo, kYes };
  std::expected<void, ViewError> WriteSnapshots(Wait wait);
  void RebuildLoop(Slot* slot);
  std::expected<std::uint64_t, ViewError> ResolveAsOf(const std::string& as_of) const;
  std::expected<std::unique_ptr<Projection>, ViewError> FoldUpTo(const std::string& name,
                                                                 std::uint64_t position) const;
  std::string HashAt(std::uint64_t position) const;

  const store::EventStore& store_;
  Options options_;
  std::unique_ptr<SnapshotStore> snapshots_;

  // Guards every slot's projection: exclusive to apply or swap, shared to query.
  mutable std::shared_mutex mu_;
  std::vector<std::unique_ptr<Slot>> slots_;
  // The last position applied (written by the apply thread under mu_).
  std::atomic<std::uint64_t> applied_{0};
  std::atomic<std::uint64_t> dropped_{0};

  mutable std::mutex position_mu_;
  mutable std::condition_variable position_cv_;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<store::CommittedBatch> queue_;
  bool stopping_ = false;
  std::atomic<bool> stop_rebuilds_{false};

  std::mutex listeners_mu_;
  std::vector<std::function<void(std::uint64_t)>> listeners_;

  // Under snapshot_mu_ (one snapshot write at a time); written by the apply
  // thread, SnapshotNow and the destructor, read by SnapshotPosition.
  std::uint64_t snapshot_position_ = 0;
  std::chrono::steady_clock::time_point last_snapshot_;
  mutable std::mutex snapshot_mu_;

  std::thread apply_thread_;
};

}  // namespace mentorlog::projections
