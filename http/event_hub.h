#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <expected>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "events/envelope.h"
#include "http/audience.h"
#include "projections/background_worker.h"
#include "projections/snapshot_store.h"
#include "store/event_store.h"

namespace mentorlog::http {

// A committed event with its wire form and its readers, worked out once for
// every subscriber.
struct PublishedEvent {
  events::Envelope envelope;
  std::string json;          // the canonical envelope, as stored
  Audience::People readers;  // Audience::ReadersOf, as of the fan-out
};
using PublishedBatch = std::shared_ptr<const std::vector<PublishedEvent>>;

// Receives what the hub fans out. Called on the publishing thread; an
// implementation posts to its own executor and returns at once.
class HubSubscriber {
 public:
  virtual ~HubSubscriber() = default;
  virtual void OnCommitted(PublishedBatch batch) = 0;
  virtual void OnViewsAdvanced(std::uint64_t position) = 0;
};

// Fans committed events and view progress out to WebSocket sessions, and keeps
// the Audience current. Publishing applies the batch to the Audience (so the
// read rules know of every acknowledged event) and queues it: the hub's own
// thread renders each event's JSON once and fans out, so the store's commit
// path pays for no more than the Audience's fold.
// Broadcast copies weak pointers under the lock and calls after releasing it,
// so a slow or dying subscriber never holds up the others. Thread-safe.
class EventHub {
 public:
  explicit EventHub(Audience& audience);
  // Delivers everything already published, then stops the hub thread and
  // snapshots the Audience if LoadFrom was given a snapshot store.
  ~EventHub();
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  void Join(std::weak_ptr<HubSubscriber> subscriber);

  // From the store's commit hook: committed events in position order, once each.
  // The Audience reflects them when this returns.
  void Publish(store::CommittedBatch committed);

  // The last position fanned out (and applied to the Audience).
  std::uint64_t Position() const;

  // At start-up, before serving: folds the log up to the store's head into the
  // Audience and starts fanning out from there. With `snapshots` (which, like
  // `store`, must outlive the hub) the fold starts from the Audience's newest
  // snapshot of this log, and the Audience is snapshotted again after
  // `snapshot_every_events` more events (or a tenth of the log if that is more:
  // projections::SnapshotDue) and when the hub stops.
  std::expected<void, std::string> LoadFrom(const store::EventStore& store,
                                            projections::SnapshotStore* snapshots = nullptr,
                                            std::uint64_t snapshot_every_events = 100'000);

  // The Audience's snapshot's name in the snapshot store.
  static constexpr const char* kSnapshotName = "audience";

  // From the projection engine: every view reflects `position`.
  void PublishViewsAdvanced(std::uint64_t position);

  // Subscribers still alive.
  size_t Size() const;

 private:
  std::vector<std::shared_ptr<HubSubscriber>> Live();
  void Run();
  // The newest usable Audience snapshot into `audience`; its position (0: none).
  std::uint64_t RestoreAudience(Audience& audience);
  // Folds the log's events after `from` up to `to` into `audience`; an error
  // once `stop` is requested.
  std::expected<void, std::string> FoldLog(Audience& audience, std::uint64_t from, std::uint64_t to,
                                           std::stop_token stop = {}) const;
  // Writes `audience`'s state as the snapshot (queued on the store's thread).
  void WriteSnapshot(const Audience& audience);
  // While serving, on the snapshotter's thread: the snapshot of the log up to
  // `background_at_`, folded from the last snapshot and the log after it (never
  // read from the live Audience, whose lock the commit path takes).
  void SnapshotLog(std::stop_token stop);

  Audience& audience_;
  mutable std::mutex mu_;
  std::vector<std::weak_ptr<HubSubscriber>> subscribers_;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<store::CommittedBatch> queue_;
  bool stopping_ = false;
  std::atomic<std::uint64_t> position_{0};
  // Set by LoadFrom before the hub serves; the snapshot fields are the hub thread's after.
  const store::EventStore* store_ = nullptr;
  projections::SnapshotStore* snapshots_ = nullptr;
  std::uint64_t snapshot_every_events_ = 0;
  std::uint64_t snapshot_position_ = 0;             // the last asked for
  std::atomic<std::uint64_t> written_position_{0};  // the last written (either thread)
  std::atomic<std::uint64_t> background_at_{0};     // where the next background one ends
  std::unique_ptr<projections::BackgroundWorker> snapshotter_;  // stopped before the last write
  std::thread thread_;
};

}  // namespace mentorlog::http
