#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <expected>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "commands/decide.h"
#include "commands/write_state.h"
#include "projections/background_worker.h"
#include "projections/snapshot_store.h"
#include "store/event_store.h"

namespace mentorlog::app {

// One command as it arrives from a client.
struct CommandRequest {
  std::string name;  // e.g. "ScheduleMeeting"
  nlohmann::json body;
  events::Actor actor;                              // from the verified token
  std::optional<std::string> idempotency_key = {};  // the Idempotency-Key header
  std::optional<std::uint64_t> if_match = {};       // the If-Match header
};

// A command whose events are durable (or a retry answered from the first result).
struct CommandAccepted {
  std::string command_id;
  std::uint64_t position = 0;  // of the command's last event
  std::vector<store::AppendedEvent> events;
  bool replayed = false;
};

// A refused command: nothing was appended. `code` is API.md's error code.
struct CommandError {
  std::string code;
  std::string message;
  std::string field;

  bool operator==(const CommandError&) const = default;
};

using CommandOutcome = std::expected<CommandAccepted, CommandError>;

// The write side's command path (DESIGN.md): decode on the caller's thread,
// then one decider thread decides each command in arrival order against the
// in-memory write state and hands the append to the store's group commit. The
// state already holds every earlier decision, including ones whose fsync is
// still pending, so a decision never contradicts one before it. If such an
// fsync fails the store refuses everything after it, and nothing later is
// acknowledged either.
//
// Also runs the attendance alert policy: after an AttendanceRecorded,
// AttendanceCorrected or LeaveApproved it appends the AttendanceAlertRaised
// events (actor system, causation = the triggering event) right behind the
// command's own.
class CommandProcessor {
 public:
  struct Options {
    // "Now" for decisions, ms since the epoch. Default: the system clock.
    std::function<events::TimeMs()> clock;
    // Where the write state is snapshotted (a store of its own, outliving the
    // processor). Default: none, and every start folds the whole log.
    projections::SnapshotStore* snapshots = nullptr;
    // Snapshot the state once this many events were applied since the last
    // request for one (or a tenth of the log if that is more:
    // projections::SnapshotDue), and when the processor stops. Default: 100000.
    std::uint64_t snapshot_every_events = 100'000;
    // While serving, snapshots are made on a background thread of low priority
    // (nice 10), never the decider's: it restores the newest snapshot into a
    // second state, folds the durable log after it and encodes that, so the
    // decider is never paused (at 10 M events the encoding alone takes ~3 s) and
    // the snapshot holds exactly what the log does. This bounds the share of one
    // core that thread takes: after a snapshot that took T, the next waits until
    // T / share has passed since it began. 1 spaces them by events alone.
    // Default: 0.1.
    double snapshot_max_share = 0.1;
    // Called on the snapshot thread once it has folded the state at `position`,
    // before encoding it. Default: none (for tests: it may block).
    std::function<void(std::uint64_t position)> before_background_snapshot = {};
  };

  // The snapshot's name in `Options::snapshots`.
  static constexpr const char* kSnapshotName = "write-state";

  // Restores the write state from its newest snapshot when there is one of
  // this log and of the current form (app/write_state_codec.h), folds the log
  // after it (all of it otherwise), and starts the decider thread. Errors: the
  // log cannot be read.
  static std::expected<std::unique_ptr<CommandProcessor>, CommandError> Start(
      store::EventStore& store, Options options);
  static std::expected<std::unique_ptr<CommandProcessor>, CommandError> Start(
      store::EventStore& store) {
    return Start(store, Options{});
  }

  // Drains (see Drain), stops the decider thread and snapshots the state if it
  // changed since the last snapshot.
  ~CommandProcessor();

  // Refuses every later command with `unavailable`, then waits until every
  // command submitted before has been answered (its append durable or refused).
  // For a graceful shutdown: the caller's I/O can still deliver the answers.
  void Drain();

  // Decodes `request` on the calling thread, then queues it; `done` runs once,
  // on the decider thread (refusals) or the store's syncer (appends), and must
  // not block. Thread-safe.
  void SubmitAsync(CommandRequest request, std::function<void(CommandOutcome)> done);

  // As SubmitAsync, waiting for the outcome.
  CommandOutcome Submit(CommandRequest request);

  // A copy of the write state as of every command submitted before the call
  // (for tests and diagnostics; the copy is taken on the decider thread).
  commands::WriteState StateCopy();

 private:
  struct Item;
  struct KeyInFlight;
  struct ConstructionKey {};

 public:
  CommandProcessor(ConstructionKey, store::EventStore& store, Options options);

 private:
  void Run();
  void Decide(Item& item);
  // Applies appended events to the state and appends the alert policy's reactions.
  void ApplyAndReact(const std::vector<events::Envelope>& appended,
                     const std::string& correlation_id, events::TimeMs now);
  // The stream's version including every decision made so far.
  std::uint64_t& Version(const std::string& stream);
  // The newest usable snapshot at or before `at_most` into `state`; returns its
  // position (0: none).
  std::uint64_t Restore(commands::WriteState& state, std::string_view who,
                        std::uint64_t at_most = UINT64_MAX) const;
  // Waits until every append is durable, then snapshots the decider's state at
  // the head. Only while no command is decided: at start and stop.
  void Snapshot();
  // Decider thread: asks the snapshot thread for a snapshot when one is due.
  void MaybeRequestSnapshot();
  // Encodes `state`, which reflects the log up to `head`, and queues it on the
  // snapshot store (either thread).
  void WriteSnapshot(const commands::WriteState& state, const store::Head& head);
  // Restores the newest snapshot into a state of its own, folds the durable log
  // after it up to the head and snapshots that, unless `stop` is requested.
  void SnapshotLog(std::stop_token stop);

  store::EventStore& store_;
  Options options_;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<std::unique_ptr<Item>> queue_;
  bool stopping_ = false;
  bool draining_ = false;

  // Commands queued or deciding or waiting for their append; Drain waits for 0.
  struct InFlight {
    std::mutex mu;
    std::condition_variable cv;
    std::size_t count = 0;
  };
  std::shared_ptr<InFlight> in_flight_ = std::make_shared<InFlight>();

  // Appends handed to the store and not yet answered. A snapshot waits until
  // there are none, so that the store's head is exactly what the state folded.
  struct Pending {
    std::mutex mu;
    std::condition_variable cv;
    std::size_t count = 0;
    bool failed = false;  // an append the state applied was refused: no more snapshots

    void Add();
    // `refused_after_applied`: the store refused an append whose events the
    // state already holds (any refusal but one made inline, before Apply).
    void Done(bool refused_after_applied);
  };
  std::shared_ptr<Pending> pending_ = std::make_shared<Pending>();

  // Decider thread only.
  commands::WriteState state_;
  std::unordered_map<std::string, std::uint64_t> stream_versions_;
  std::uint64_t applied_since_snapshot_ = 0;
  // The log's head when the last snapshot was asked for or taken (or restored
  // at start): with the events applied since, about the head now.
  std::uint64_t requested_at_ = 0;

  // The newest snapshot's position, taken or restored (0: none).
  std::atomic<std::uint64_t> snapshot_position_ = 0;

  // Idempotency keys whose first append is on its way to disk, with the retries
  // that arrived meanwhile; they all get the first append's outcome.
  std::shared_ptr<std::mutex> keys_mu_ = std::make_shared<std::mutex>();
  std::shared_ptr<std::unordered_map<std::string, KeyInFlight>> keys_in_flight_;

  std::thread decider_;
  // Runs SnapshotLog when the decider asks; stopped after the decider.
  std::unique_ptr<projections::BackgroundWorker> snapshotter_;
};

// The error of API.md for a refusal from the deciders or the store.
CommandError ToCommandError(const commands::Rejection& rejection);
CommandError ToCommandError(const store::StoreError& error);

}  // namespace mentorlog::app
