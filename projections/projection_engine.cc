#include "projections/projection_engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "projections/log_prefetcher.h"
#include "projections/projection_registry.h"

namespace mentorlog::projections {
namespace {

// Chunks read ahead of the fold when replaying a range of the log.
constexpr std::size_t kPrefetchDepth = 4;

// Runs at least this long are folded by two threads (below, starting one costs
// more than it saves).
constexpr std::size_t kParallelRun = 256;

}  // namespace

struct ProjectionEngine::Slot {
  std::string name;
  std::unique_ptr<Projection> live;  // guarded by mu_
  std::string fault;                 // guarded by mu_; non-empty = faulted

  std::mutex rebuild_mu;  // guards rebuild_thread
  std::thread rebuild_thread;
  std::atomic<bool> rebuilding{false};
  std::atomic<std::uint64_t> rebuild_position{0};
  std::atomic<std::uint64_t> rebuild_total{0};
  std::atomic<double> rebuild_rate{0};
  std::string rebuild_error;  // guarded by mu_: why the last rebuild failed
};

ProjectionEngine::ProjectionEngine(ConstructionKey, const store::EventStore& store, Options options)
    : store_(store), options_(std::move(options)) {
  if (options_.read_batch == 0) options_.read_batch = 1;
}

std::expected<std::unique_ptr<ProjectionEngine>, ViewError> ProjectionEngine::Open(
    const store::EventStore& store, Options options) {
  auto engine = std::make_unique<ProjectionEngine>(ConstructionKey{}, store, std::move(options));
  if (!engine->options_.snapshot_dir.empty()) {
    auto opened = SnapshotStore::Open(engine->options_.snapshot_dir);
    if (!opened) return std::unexpected(opened.error());
    engine->snapshots_ = std::move(*opened);
  }
  for (const std::string& name : ProjectionNames()) {
    auto slot = std::make_unique<Slot>();
    slot->name = name;
    slot->live = engine->Make(name);
    engine->slots_.push_back(std::move(slot));
  }
  if (auto loaded = engine->LoadAndCatchUp(); !loaded) return std::unexpected(loaded.error());
  engine->last_snapshot_ = std::chrono::steady_clock::now();
  engine->apply_thread_ = std::thread(&ProjectionEngine::ApplyLoop, engine.get());
  return engine;
}

ProjectionEngine::~ProjectionEngine() {
  stop_rebuilds_ = true;
  for (auto& slot : slots_) {
    std::lock_guard lock(slot->rebuild_mu);
    if (slot->rebuild_thread.joinable()) slot->rebuild_thread.join();
  }
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (apply_thread_.joinable()) apply_thread_.join();
  if (snapshots_) {
    bool due = false;
    {
      std::lock_guard lock(snapshot_mu_);
      due = applied_ > snapshot_position_;
    }
    if (due) {
      if (auto written = WriteSnapshots(Wait::kYes); !written) {
        spdlog::warn("projections: last snapshot failed: {}", written.error().message);
      }
    }
  }
}

std::string ProjectionEngine::HashAt(std::uint64_t position) const {
  if (position == 0) return std::string(events::kZeroHash);
  auto read = store_.ReadAll(position - 1, 1, events::DataForm::kText);
  if (!read || read->empty() || read->front().position != position) return "";
  return read->front().hash;
}

namespace {

// Folds `run` into one slot, from the first event it has not seen; a fold that
// throws faults the slot, which then stops.
template <typename Slot>
void FoldInto(Slot& slot, std::span<const events::Envelope> run) {
  for (const events::Envelope& e : run) {
    if (!slot.fault.empty()) return;
    if (e.position <= slot.live->Position()) continue;
    try {
      slot.live->Fold(e);
    } catch (const std::exception& ex) {
      slot.fault = "applying position " + std::to_string(e.position) + ": " + ex.what();
      spdlog::error("projections: {} faulted {}", slot.name, slot.fault);
    }
  }
}

// The end of the run of consecutive positions in `events` that starts at `from`.
std::size_t RunEnd(std::span<const events::Envelope> events, std::size_t from) {
  std::size_t end = from + 1;
  while (end < events.size() && events[end].position == events[end - 1].position + 1) ++end;
  return end;
}

// Calls `fn` on every slot, on this thread and (when `parallel`) one more, each
// taking the next whole slot: slots are independent, so none is touched by two
// threads and the busier thread never waits for the other.
template <typename Slots, typename Fn>
void ForEachSlot(Slots& slots, bool parallel, const Fn& fn) {
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < slots.size();) fn(*slots[i]);
  };
  if (!parallel || slots.size() < 2) return work();
  std::jthread helper(work);
  work();
}

}  // namespace

std::unique_ptr<Projection> ProjectionEngine::FromSnapshot(const std::string& name,
                                                           std::uint64_t at_most) const {
  if (!snapshots_) return nullptr;
  auto fresh = Make(name);
  const int version = fresh->Version();
  const auto restore = [&](const StoredState& snap) {
    return fresh->RestoreBinary(snap.state, snap.position);
  };
  if (snapshots_->RestoreNewest("projections: " + name, name, version, store_, restore, at_most) ==
      0) {
    return nullptr;
  }
  return fresh;
}

std::expected<void, ViewError> ProjectionEngine::LoadAndCatchUp() {
  const std::uint64_t head = store_.GetHead().position;
  // Restoring a snapshot is mostly rebuilding hash maps: two threads halve it.
  ForEachSlot(slots_, snapshots_ != nullptr, [&](Slot& slot) {
    if (auto restored = FromSnapshot(slot.name, UINT64_MAX)) slot.live = std::move(restored);
  });
  std::uint64_t lowest = UINT64_MAX;
  for (const auto& slot : slots_) lowest = std::min(lowest, slot->live->Position());
  applied_ = lowest == UINT64_MAX ? 0 : lowest;
  {
    std::lock_guard lock(snapshot_mu_);
    snapshot_position_ = applied_;
  }
  if (!CatchUpTo(head)) return std::unexpected(Unavailable("the log could not be read"));
  return {};
}

void ProjectionEngine::ApplyRun(std::span<const events::Envelope> run) {
  ForEachSlot(slots_, run.size() >= kParallelRun, [&](Slot& slot) { FoldInto(slot, run); });
}

bool ProjectionEngine::CatchUpTo(std::uint64_t last) {
  if (applied_ >= last) return true;
  LogPrefetcher reader(store_, applied_, last, options_.read_batch, kPrefetchDepth);
  while (applied_ < last) {
    auto chunk = reader.Next();
    if (!chunk || chunk->empty()) {
      spdlog::error("projections: reading the log after {}: {}", applied_.load(),
                    chunk ? "it ended early" : chunk.error());
      return false;
    }
    // The run of the chunk that extends applied_ (chunks are read gapless from it).
    const std::span<const events::Envelope> read(*chunk);
    const auto first = static_cast<std::size_t>(
        std::ranges::find_if(read, [&](const auto& e) { return e.position == applied_ + 1; }) -
        read.begin());
    if (first < read.size()) {
      const std::size_t end = RunEnd(read, first);
      std::unique_lock lock(mu_);
      ApplyRun(read.subspan(first, end - first));
      applied_ = read[end - 1].position;
    }
    reader.Recycle(std::move(*chunk));
    Publish();
  }
  return true;
}

void ProjectionEngine::OnCommitted(const std::vector<events::Envelope>& committed) {
  if (committed.empty()) return;
  OnCommitted(std::make_shared<const std::vector<events::Envelope>>(committed));
}

void ProjectionEngine::OnCommitted(store::CommittedBatch committed) {
  if (committed == nullptr || committed->empty()) return;
  {
    std::lock_guard lock(queue_mu_);
    // Dropped batches are read back from the store as a gap.
    if (queue_.size() >= options_.max_queued_batches) {
      ++dropped_;
      return;
    }
    queue_.push_back(std::move(committed));
  }
  queue_cv_.notify_one();
}

void ProjectionEngine::ApplyLoop() {
  for (;;) {
    std::deque<store::CommittedBatch> batches;
    bool stopping = false;
    {
      std::unique_lock lock(queue_mu_);
      queue_cv_.wait_for(lock, options_.idle_poll, [&] { return stopping_ || !queue_.empty(); });
      batches.swap(queue_);
      stopping = stopping_;
    }
    const std::uint64_t before = applied_;
    bool ok = true;
    for (const auto& shared : batches) {
      const std::vector<events::Envelope>& batch = *shared;
      std::size_t i = 0;
      while (ok && i < batch.size()) {
        if (batch[i].position <= applied_) {
          ++i;
        } else if (batch[i].position > applied_ + 1) {
          ok = CatchUpTo(batch[i].position - 1);  // a gap: events we were not handed
        } else {
          const std::size_t end = RunEnd(batch, i);
          std::unique_lock lock(mu_);
          ApplyRun(std::span(batch).subspan(i, end - i));
          applied_ = batch[end - 1].position;
          i = end;
        }
      }
    }
    // Events committed without reaching OnCommitted (before the hook was wired, or
    // dropped): the head says so.
    if (ok && batches.empty()) {
      const std::uint64_t head = store_.GetHead().position;
      if (head > applied_) CatchUpTo(head);
    }
    if (applied_ != before) Publish();
    MaybeSnapshot();
    if (stopping) {
      std::lock_guard lock(queue_mu_);
      if (queue_.empty()) return;
    }
  }
}

void ProjectionEngine::Publish() {
  { std::lock_guard lock(position_mu_); }
  position_cv_.notify_all();
  std::vector<std::function<void(std::uint64_t)>> listeners;
  {
    std::lock_guard lock(listeners_mu_);
    listeners = listeners_;
  }
  const std::uint64_t position = applied_;
  for (const auto& listener : listeners) listener(position);
}

std::uint64_t ProjectionEngine::Position() const { return applied_; }

std::uint64_t ProjectionEngine::SnapshotPosition() const {
  std::lock_guard lock(snapshot_mu_);
  return snapshot_position_;
}

std::uint64_t ProjectionEngine::DroppedBatches() const { return dropped_; }

std::unique_ptr<Projection> ProjectionEngine::Make(std::string_view name) const {
  return options_.make_projection ? options_.make_projection(name) : MakeProjection(name);
}

bool ProjectionEngine::WaitForPosition(std::uint64_t position,
                                       std::chrono::milliseconds timeout) const {
  std::unique_lock lock(position_mu_);
  return position_cv_.wait_for(lock, timeout, [&] { return applied_ >= position; });
}

void ProjectionEngine::AddListener(std::function<void(std::uint64_t position)> listener) {
  std::lock_guard lock(listeners_mu_);
  listeners_.push_back(std::move(listener));
}

void ProjectionEngine::MaybeSnapshot() {
  if (!snapshots_) return;
  {
    std::lock_guard lock(snapshot_mu_);
    const std::uint64_t since = applied_ - std::min<std::uint64_t>(applied_, snapshot_position_);
    const std::uint64_t every = std::max<std::uint64_t>(1, options_.snapshot_every_events);
    const std::uint64_t interval = SnapshotInterval(applied_, every);
    // The timer stretches as the count does: a snapshot of a large state costs
    // as much after a trickle of events as after many.
    const auto period = options_.snapshot_every * static_cast<std::int64_t>(interval / every);
    const bool due = since >= interval ||
                     (since > 0 && std::chrono::steady_clock::now() - last_snapshot_ >= period);
    if (!due) return;
  }
  if (auto written = WriteSnapshots(Wait::kNo); !written) {
    spdlog::warn("projections: snapshot failed: {}", written.error().message);
  }
}

std::expected<void, ViewError> ProjectionEngine::SnapshotNow() {
  if (!snapshots_) return std::unexpected(InvalidArgument("no snapshot_dir configured"));
  return WriteSnapshots(Wait::kYes);
}

std::expected<void, ViewError> ProjectionEngine::WriteSnapshots(Wait wait) {
  std::lock_guard snapshot_lock(snapshot_mu_);
  std::vector<Snapshot> snapshots;
  std::uint64_t position = 0;
  {
    std::shared_lock lock(mu_);
    position = applied_;
    if (position == 0) return {};
    const std::string hash = HashAt(position);
    for (const auto& slot : slots_) {
      if (!slot->fault.empty() || slot->live->Position() != position) continue;
      snapshots.push_back(
          {slot->name, slot->live->Version(), position, hash, slot->live->SaveBinary()});
    }
  }
  if (wait == Wait::kYes) {
    auto written = snapshots_->Write(std::move(snapshots), options_.snapshots_kept);
    if (!written) return written;
  } else {
    // On the store's thread: the apply loop goes on folding meanwhile.
    snapshots_->WriteAsync(std::move(snapshots), options_.snapshots_kept);
  }
  snapshot_position_ = position;
  last_snapshot_ = std::chrono::steady_clock::now();
  return {};
}

std::expected<void, ViewError> ProjectionEngine::StartRebuild(const std::string& name) {
  const auto it = std::ranges::find_if(slots_, [&](const auto& s) { return s->name == name; });
  if (it == slots_.end()) return std::unexpected(NotFound("no such projection", "name"));
  Slot* slot = it->get();
  std::lock_guard lock(slot->rebuild_mu);
  if (slot->rebuilding || stop_rebuilds_) return {};
  if (slot->rebuild_thread.joinable()) slot->rebuild_thread.join();
  slot->rebuild_position = 0;
  slot->rebuild_total = store_.GetHead().position;
  slot->rebuild_rate = 0;
  slot->rebuilding = true;
  slot->rebuild_thread = std::thread(&ProjectionEngine::RebuildLoop, this, slot);
  return {};
}

void ProjectionEngine::RebuildLoop(Slot* slot) {
  auto fresh = Make(slot->name);
  const auto start = std::chrono::steady_clock::now();
  const auto fail = [&](std::string why) {
    spdlog::error("projections: rebuild of {} failed: {}", slot->name, why);
    std::unique_lock lock(mu_);
    slot->rebuild_error = std::move(why);
    slot->rebuilding = false;
  };
  // In the background, up to what the engine has applied (never ahead of it, so
  // the swapped-in copy reflects exactly the engine's position).
  for (;;) {
    if (stop_rebuilds_) {
      slot->rebuilding = false;
      return;
    }
    const std::uint64_t target = applied_;
    if (target - std::min(target, fresh->Position()) <= options_.read_batch) break;
    LogPrefetcher reader(store_, fresh->Position(), target, options_.read_batch, kPrefetchDepth);
    for (;;) {
      auto chunk = reader.Next();
      if (!chunk) {
        fail(chunk.error());
        return;
      }
      if (chunk->empty() || stop_rebuilds_) break;
      try {
        for (const events::Envelope& e : *chunk) {
          if (e.position == fresh->Position() + 1) fresh->Fold(e);
        }
      } catch (const std::exception& ex) {
        fail(ex.what());
        return;
      }
      reader.Recycle(std::move(*chunk));
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      slot->rebuild_position = fresh->Position();
      slot->rebuild_total = std::max<std::uint64_t>(slot->rebuild_total, applied_);
      slot->rebuild_rate = seconds > 0 ? static_cast<double>(fresh->Position()) / seconds : 0;
    }
  }
  // The last stretch with the apply thread held off, then the swap.
  std::unique_lock lock(mu_);
  while (fresh->Position() < applied_) {
    auto read =
        store_.ReadAll(fresh->Position(),
                       std::min<std::uint64_t>(options_.read_batch, applied_ - fresh->Position()),
                       events::DataForm::kText);
    if (!read || read->empty()) {
      slot->rebuild_error = read ? "the log ended early" : read.error().message;
      slot->rebuilding = false;
      return;
    }
    try {
      for (const events::Envelope& e : *read) {
        if (e.position == fresh->Position() + 1 && e.position <= applied_) fresh->Fold(e);
      }
    } catch (const std::exception& ex) {
      slot->rebuild_error = ex.what();
      slot->rebuilding = false;
      return;
    }
  }
  slot->rebuild_position = fresh->Position();
  slot->live = std::move(fresh);
  slot->fault.clear();
  slot->rebuild_error.clear();
  slot->rebuilding = false;
  spdlog::info("projections: rebuilt {} at position {}", slot->name, applied_.load());
}

std::vector<ProjectionStatus> ProjectionEngine::Status() const {
  const std::uint64_t head = store_.GetHead().position;
  std::vector<ProjectionStatus> out;
  std::shared_lock lock(mu_);
  for (const auto& slot : slots_) {
    ProjectionStatus s;
    s.name = slot->name;
    s.version = slot->live->Version();
    s.position = slot->live->Position();
    s.lag = head > s.position ? head - s.position : 0;
    s.state = !slot->fault.empty() ? "faulted" : slot->rebuilding ? "rebuilding" : "running";
    if (slot->rebuilding) {
      s.rebuild = nlohmann::json{{"position", slot->rebuild_position.load()},
                                 {"total", std::max<std::uint64_t>(slot->rebuild_total, head)},
                                 {"events_per_second", slot->rebuild_rate.load()}};
    } else if (!slot->rebuild_error.empty()) {
      s.rebuild = nlohmann::json{{"error", slot->rebuild_error}};
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::expected<std::uint64_t, ViewError> ProjectionEngine::ResolveAsOf(
    const std::string& as_of) const {
  const std::uint64_t head = store_.GetHead().position;
  if (!as_of.empty() && std::ranges::all_of(as_of, [](char c) { return c >= '0' && c <= '9'; })) {
    std::uint64_t position = 0;
    const auto [ptr, ec] = std::from_chars(as_of.data(), as_of.data() + as_of.size(), position);
    if (ec != std::errc() || position > head) {
      return std::unexpected(InvalidArgument("as_of is after the log head", "as_of"));
    }
    return position;
  }
  const auto t = events::ParseTime(as_of);
  if (!t) {
    return std::unexpected(
        InvalidArgument("as_of must be an RFC 3339 time or a position", "as_of"));
  }
  // The last position recorded at or before t (recorded time never decreases).
  std::uint64_t lo = 0, hi = head;  // answer in [lo, hi]
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo + 1) / 2;
    auto read = store_.ReadAll(mid - 1, 1, events::DataForm::kText);
    if (!read || read->empty()) return std::unexpected(Unavailable("the log could not be read"));
    if (read->front().time <= *t) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

std::expected<std::unique_ptr<Projection>, ViewError> ProjectionEngine::FoldUpTo(
    const std::string& name, std::uint64_t position) const {
  auto projection = FromSnapshot(name, position);
  if (!projection) projection = Make(name);
  if (projection->Position() >= position) return projection;
  LogPrefetcher reader(store_, projection->Position(), position, options_.read_batch,
                       kPrefetchDepth);
  while (projection->Position() < position) {
    auto chunk = reader.Next();
    if (!chunk || chunk->empty()) return std::unexpected(Unavailable("the log could not be read"));
    try {
      for (const events::Envelope& e : *chunk) {
        if (e.position == projection->Position() + 1) projection->Fold(e);
      }
    } catch (const std::exception& ex) {
      return std::unexpected(Unavailable(std::string("folding failed: ") + ex.what()));
    }
    reader.Recycle(std::move(*chunk));
  }
  return projection;
}

std::expected<ViewResult, ViewError> ProjectionEngine::Query(const ViewRequest& request) const {
  const auto it =
      std::ranges::find_if(slots_, [&](const auto& s) { return s->name == request.view; });
  if (it == slots_.end()) return std::unexpected(NotFound("no such view", "view"));
  const Slot& slot = **it;
  const QueryContext context{&store_};
  try {
    if (request.as_of) {
      if (request.reader.role != "admin" && request.reader.role != "auditor") {
        return std::unexpected(Forbidden("as_of is for admins and auditors", "as_of"));
      }
      const auto position = ResolveAsOf(*request.as_of);
      if (!position) return std::unexpected(position.error());
      auto projection = FoldUpTo(slot.name, *position);
      if (!projection) return std::unexpected(projection.error());
      auto data = (*projection)->Query(request, context);
      if (!data) return std::unexpected(data.error());
      return ViewResult{request.view, request.key, *position, std::move(*data)};
    }
    std::shared_lock lock(mu_);
    if (!slot.fault.empty()) {
      return std::unexpected(Unavailable("the " + slot.name + " projection is faulted"));
    }
    auto data = slot.live->Query(request, context);
    if (!data) return std::unexpected(data.error());
    return ViewResult{request.view, request.key, slot.live->Position(), std::move(*data)};
  } catch (const std::exception& ex) {
    return std::unexpected(Unavailable(std::string("query failed: ") + ex.what()));
  }
}

nlohmann::json ProjectionEngine::SaveAll() const {
  nlohmann::json out = nlohmann::json::object();
  std::shared_lock lock(mu_);
  for (const auto& slot : slots_) {
    if (slot->fault.empty()) out[slot->name] = slot->live->Save();
  }
  return out;
}

}  // namespace mentorlog::projections
