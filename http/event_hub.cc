#include "http/event_hub.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace mentorlog::http {

void EventHub::Join(std::weak_ptr<HubSubscriber> subscriber) {
  std::lock_guard lock(mu_);
  subscribers_.push_back(std::move(subscriber));
}

std::vector<std::shared_ptr<HubSubscriber>> EventHub::Live() {
  std::vector<std::shared_ptr<HubSubscriber>> live;
  std::lock_guard lock(mu_);
  std::erase_if(subscribers_, [&](const std::weak_ptr<HubSubscriber>& weak) {
    auto strong = weak.lock();
    if (!strong) return true;
    live.push_back(std::move(strong));
    return false;
  });
  return live;
}

EventHub::EventHub(Audience& audience) : audience_(audience) {
  thread_ = std::thread([this] { Run(); });
}

EventHub::~EventHub() {
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  thread_.join();
  // A background snapshot under way is abandoned (at 10 M events its fold takes
  // seconds); nothing is published any more, so the live Audience is quiescent
  // and is written itself.
  if (snapshotter_) snapshotter_->Stop();
  if (snapshots_ && audience_.Position() != written_position_.load()) WriteSnapshot(audience_);
}

void EventHub::Publish(store::CommittedBatch committed) {
  // The Audience moves here, before the store acknowledges the batch, not on
  // the hub's thread: a client told that its AssignMentor committed may
  // subscribe to the mentee at once, and the read rules must already know it.
  // Only three event types touch it, under a short exclusive lock.
  for (const auto& e : *committed) audience_.Apply(e);
  {
    std::lock_guard lock(queue_mu_);
    queue_.push_back(std::move(committed));
  }
  queue_cv_.notify_one();
}

std::uint64_t EventHub::Position() const { return position_.load(); }

std::expected<void, std::string> EventHub::LoadFrom(const store::EventStore& store,
                                                    projections::SnapshotStore* snapshots,
                                                    std::uint64_t snapshot_every_events) {
  store_ = &store;
  snapshots_ = snapshots;
  snapshot_every_events_ = snapshot_every_events;
  const std::uint64_t head = store.GetHead().position;
  const std::uint64_t restored = snapshots_ ? RestoreAudience(audience_) : 0;
  snapshot_position_ = restored;
  written_position_ = restored;
  if (auto folded = FoldLog(audience_, restored, head); !folded) return folded;
  position_ = head;
  spdlog::info("audience at {}: snapshot at {}, then {} events folded", head, restored,
               head - restored);
  if (snapshots_ &&
      projections::SnapshotDue(head - snapshot_position_, head, snapshot_every_events_)) {
    WriteSnapshot(audience_);  // nothing is committed before the hub serves
    snapshot_position_ = head;
  }
  if (snapshots_) {
    snapshotter_ = std::make_unique<projections::BackgroundWorker>(
        projections::BackgroundWorker::Options{.thread_name = "mentorlog-asnap"},
        [this](std::stop_token stop) { SnapshotLog(stop); });
  }
  return {};
}

std::expected<void, std::string> EventHub::FoldLog(Audience& audience, std::uint64_t from,
                                                   std::uint64_t to, std::stop_token stop) const {
  std::string error;
  const auto scanned =
      store_->ScanRecords(from, [&](std::uint64_t position, std::string_view record) {
        if (position > to) return false;
        if (stop.stop_requested()) {
          error = "stopped at " + std::to_string(position - 1);
          return false;
        }
        const auto e = events::DecodeRecord(record, events::DataForm::kText);
        if (!e) {
          error = "undecodable record at " + std::to_string(position);
          return false;
        }
        audience.Apply(*e);
        return true;
      });
  if (!scanned) return std::unexpected(scanned.error().message);
  if (!error.empty()) return std::unexpected(error);
  return {};
}

std::uint64_t EventHub::RestoreAudience(Audience& audience) {
  return snapshots_->RestoreNewest("audience", kSnapshotName, Audience::kSnapshotVersion, *store_,
                                   [&](const projections::StoredState& snap) {
                                     return audience.Restore(snap.position, snap.state);
                                   });
}

void EventHub::WriteSnapshot(const Audience& audience) {
  Audience::Saved saved = audience.Save();
  if (saved.position == 0) return;
  const auto at = store_->ReadAt(saved.position);
  if (!at) {
    spdlog::warn("audience: snapshot at {} not written: {}", saved.position, at.error().message);
    return;
  }
  snapshots_->WriteAsync({{kSnapshotName, Audience::kSnapshotVersion, saved.position, at->hash,
                           std::move(saved.state)}},
                         /*keep=*/2);
  written_position_ = saved.position;
}

void EventHub::SnapshotLog(std::stop_token stop) {
  const std::uint64_t at = background_at_.load();
  Audience second;
  const std::uint64_t restored = RestoreAudience(second);
  if (auto folded = FoldLog(second, restored, at, stop); !folded) {
    if (stop.stop_requested()) {
      spdlog::info("audience: background snapshot abandoned (stopping): {}", folded.error());
    } else {
      spdlog::warn("audience: background snapshot not taken: {}", folded.error());
    }
    return;
  }
  WriteSnapshot(second);
}

void EventHub::Run() {
  pthread_setname_np(pthread_self(), "mentorlog-hub");
  for (;;) {
    store::CommittedBatch committed;
    {
      std::unique_lock lock(queue_mu_);
      queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      committed = std::move(queue_.front());
      queue_.pop_front();
    }
    if (!committed->empty()) position_ = committed->back().position;
    // Every event up to the batch's end is durable (the store publishes after
    // its write), so a snapshot of the log up to it can be folded apart.
    if (const std::uint64_t at = position_.load();
        snapshotter_ &&
        projections::SnapshotDue(at - snapshot_position_, at, snapshot_every_events_)) {
      background_at_ = at;  // read when the run starts: a later position is as good
      if (snapshotter_->Request()) snapshot_position_ = at;
    }
    // Taken after the position moved: a subscriber that joins later reads this
    // batch as history. With nobody listening (plain HTTP load) nothing is rendered.
    const auto live = Live();
    if (live.empty()) continue;
    auto batch = std::make_shared<std::vector<PublishedEvent>>();
    batch->reserve(committed->size());
    for (const auto& e : *committed) {
      events::Envelope copy = e;
      // The store's events carry their data's canonical text: no second
      // canonicalisation (an envelope made by hand has none).
      std::string json = e.data_text.empty() ? events::Seal(copy) : events::Seal(copy, e.data_text);
      batch->push_back({std::move(copy), std::move(json), audience_.ReadersOf(e)});
    }
    const PublishedBatch shared = std::move(batch);
    for (const auto& subscriber : live) subscriber->OnCommitted(shared);
  }
}

void EventHub::PublishViewsAdvanced(std::uint64_t position) {
  for (const auto& subscriber : Live()) subscriber->OnViewsAdvanced(position);
}

size_t EventHub::Size() const {
  std::lock_guard lock(mu_);
  return subscribers_.size();
}

}  // namespace mentorlog::http
