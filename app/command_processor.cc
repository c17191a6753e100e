#include "app/command_processor.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <utility>

#include "app/write_state_codec.h"
#include "events/canonical_json.h"
#include "events/event_types.h"

namespace mentorlog::app {
namespace {

std::unexpected<CommandError> Refusal(std::string code, std::string message,
                                      std::string field = "") {
  return std::unexpected(CommandError{std::move(code), std::move(message), std::move(field)});
}

template <typename E>
std::unexpected<CommandError> Refused(const E& error) {
  return std::unexpected(ToCommandError(error));
}

events::TimeMs SystemNow() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool IsValidIdempotencyKey(const std::string& key) {
  if (key.empty() || key.size() > 128) return false;
  for (const char c : key) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

bool TriggersAlertPolicy(const std::string& type) {
  return type == "AttendanceRecorded" || type == "AttendanceCorrected" || type == "LeaveApproved";
}

// Exchanges the fields a new event and its envelope share (the rest of the
// envelope is the store's to fill in).
void SwapShared(store::NewEvent& e, events::Envelope& env) {
  using std::swap;
  swap(e.stream, env.stream);
  swap(e.type, env.type);
  swap(e.schema, env.schema);
  swap(e.id, env.id);
  swap(e.actor, env.actor);
  swap(e.command_id, env.command_id);
  swap(e.correlation_id, env.correlation_id);
  swap(e.causation_id, env.causation_id);
  swap(e.data, env.data);
}

// `e` as the envelope Apply reads, committed at `now` (a copy).
events::Envelope ToEnvelope(store::NewEvent e, events::TimeMs now) {
  events::Envelope env;
  env.time = now;
  SwapShared(e, env);
  return env;
}

// Applies `e` to `state` as if committed at `now`. The envelope Apply reads
// borrows `e`'s fields (swapped in, swapped back) instead of copying them, so
// `e` is whole again on return, ready to be appended.
void ApplyLent(commands::WriteState& state, store::NewEvent& e, events::TimeMs now) {
  events::Envelope env;
  env.time = now;
  SwapShared(e, env);
  commands::Apply(state, env);
  SwapShared(e, env);
}

// An alert of the attendance policy as the system appends it.
store::NewEvent SystemEvent(commands::DomainEvent alert, std::string correlation_id,
                            std::string causation_id) {
  store::NewEvent raised;
  raised.stream = std::move(alert.stream);
  raised.type = std::move(alert.type);
  raised.schema = std::max(1, events::CurrentSchema(raised.type));
  raised.data = std::move(alert.data);
  raised.actor = {"system", "system"};
  raised.id = events::NewUuid();
  raised.command_id = events::NewUuid();
  raised.correlation_id = std::move(correlation_id);
  raised.causation_id = std::move(causation_id);
  return raised;
}

// Folds the log's events after `after`, up to `up_to`, into `state`; returns the
// position of the last one folded (`after` when none). Stops early, with the
// position reached, once `stop` is requested.
std::expected<std::uint64_t, store::StoreError> FoldLog(const store::EventStore& log,
                                                        commands::WriteState& state,
                                                        std::uint64_t after, std::uint64_t up_to,
                                                        std::stop_token stop) {
  while (after < up_to && !stop.stop_requested()) {
    auto page = log.ReadAll(after, std::min<std::uint64_t>(10'000, up_to - after));
    if (!page) return std::unexpected(page.error());
    if (page->empty()) break;
    for (const auto& e : *page) commands::Apply(state, e);
    after = page->back().position;
  }
  return after;
}

std::int64_t MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

}  // namespace

CommandError ToCommandError(const commands::Rejection& rejection) {
  return {std::string(commands::ErrorCodeName(rejection.code)), rejection.message, rejection.field};
}

CommandError ToCommandError(const store::StoreError& error) {
  return {std::string(store::StoreErrorCodeName(error.code)), error.message,
          error.code == store::StoreErrorCode::kVersionMismatch ? "If-Match" : ""};
}

// A queued command, or a task to run on the decider thread.
struct CommandProcessor::Item {
  CommandRequest request;
  std::optional<commands::Command> command;
  std::string fingerprint;
  std::function<void(CommandOutcome)> done;
  std::function<void()> task;
};

void CommandProcessor::Pending::Add() {
  std::lock_guard lock(mu);
  ++count;
}

void CommandProcessor::Pending::Done(bool refused_after_applied) {
  std::lock_guard lock(mu);
  failed = failed || refused_after_applied;
  if (--count == 0) cv.notify_all();
}

struct CommandProcessor::KeyInFlight {
  std::string fingerprint;
  std::vector<std::function<void(CommandOutcome)>> waiters;
};

CommandProcessor::CommandProcessor(ConstructionKey, store::EventStore& store, Options options)
    : store_(store),
      options_(std::move(options)),
      keys_in_flight_(std::make_shared<std::unordered_map<std::string, KeyInFlight>>()) {
  if (!options_.clock) options_.clock = SystemNow;
}

std::expected<std::unique_ptr<CommandProcessor>, CommandError> CommandProcessor::Start(
    store::EventStore& store, Options options) {
  auto processor = std::make_unique<CommandProcessor>(ConstructionKey{}, store, std::move(options));
  // Rebuild the write state from its snapshot and the log after it; every later
  // change goes through Run.
  commands::WriteState& state = processor->state_;
  const std::uint64_t restored =
      processor->options_.snapshots ? processor->Restore(state, "write state") : 0;
  processor->snapshot_position_ = restored;
  auto folded = FoldLog(store, state, restored, UINT64_MAX, {});
  if (!folded) return std::unexpected(ToCommandError(folded.error()));
  const std::uint64_t after = *folded;
  processor->applied_since_snapshot_ = after - restored;
  processor->requested_at_ = restored;
  spdlog::info("write state at {}: snapshot at {}, then {} events folded", after, restored,
               after - restored);
  // A crash between a command's commit and its alerts' loses the alerts; the
  // policy is a function of the state, so what it still owes is raised now,
  // before any command is decided.
  if (auto owed = commands::OwedAttendanceAlerts(processor->state_); !owed.empty()) {
    store::AppendRequest request;
    const std::string correlation_id = events::NewUuid();
    for (auto& alert : owed) {
      request.events.push_back(SystemEvent(std::move(alert), correlation_id, ""));
    }
    auto appended = store.Append(request);
    if (!appended) return std::unexpected(ToCommandError(appended.error()));
    const events::TimeMs now = processor->options_.clock();
    for (auto& e : request.events) ApplyLent(processor->state_, e, now);
    processor->applied_since_snapshot_ += request.events.size();
    spdlog::warn("raised {} attendance alerts owed since before a restart", request.events.size());
  }
  if (processor->options_.snapshots &&
      projections::SnapshotDue(processor->applied_since_snapshot_, after,
                               processor->options_.snapshot_every_events)) {
    processor->Snapshot();  // the next start need not fold all that again
  }
  if (processor->options_.snapshots) {  // before the decider, which asks it
    processor->snapshotter_ = std::make_unique<projections::BackgroundWorker>(
        projections::BackgroundWorker::Options{.thread_name = "mentorlog-snap",
                                               .max_share = processor->options_.snapshot_max_share},
        [p = processor.get()](std::stop_token stop) { p->SnapshotLog(stop); });
  }
  processor->decider_ = std::thread([p = processor.get()] { p->Run(); });
  return processor;
}

void CommandProcessor::Drain() {
  {
    std::lock_guard lock(queue_mu_);
    draining_ = true;
  }
  std::unique_lock lock(in_flight_->mu);
  in_flight_->cv.wait(lock, [this] { return in_flight_->count == 0; });
}

CommandProcessor::~CommandProcessor() {
  Drain();
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (decider_.joinable()) decider_.join();
  if (snapshotter_) snapshotter_->Stop();
  if (options_.snapshots && store_.GetHead().position != snapshot_position_) Snapshot();
}

void CommandProcessor::SubmitAsync(CommandRequest request,
                                   std::function<void(CommandOutcome)> done) {
  auto decoded = commands::DecodeCommand(request.name, request.body);
  if (!decoded) return done(Refused(decoded.error()));
  if (request.idempotency_key && !IsValidIdempotencyKey(*request.idempotency_key)) {
    return done(Refusal("invalid_argument",
                        "Idempotency-Key must be 1-128 printable ASCII characters",
                        "Idempotency-Key"));
  }
  auto item = std::make_unique<Item>();
  if (request.idempotency_key) {
    // Same key, same command and body: a retry. Anything else under the key is refused.
    item->fingerprint =
        events::Sha256Hex(request.name + "\n" + events::CanonicalJson(request.body));
  }
  item->request = std::move(request);
  item->command = std::move(*decoded);
  std::unique_lock lock(queue_mu_);
  if (stopping_ || draining_) {
    lock.unlock();
    return done(Refusal("unavailable", "the server is shutting down"));
  }
  {
    std::lock_guard count_lock(in_flight_->mu);
    ++in_flight_->count;
  }
  // Counted until answered, so Drain knows when every answer is out.
  item->done = [done = std::move(done), in_flight = in_flight_](CommandOutcome outcome) {
    done(std::move(outcome));
    std::lock_guard count_lock(in_flight->mu);
    if (--in_flight->count == 0) in_flight->cv.notify_all();
  };
  queue_.push_back(std::move(item));
  queue_cv_.notify_one();
}

CommandOutcome CommandProcessor::Submit(CommandRequest request) {
  std::promise<CommandOutcome> promise;
  auto future = promise.get_future();
  SubmitAsync(std::move(request),
              [&promise](CommandOutcome o) { promise.set_value(std::move(o)); });
  return future.get();
}

commands::WriteState CommandProcessor::StateCopy() {
  std::promise<commands::WriteState> promise;
  auto future = promise.get_future();
  auto item = std::make_unique<Item>();
  item->task = [this, &promise] { promise.set_value(state_); };
  {
    std::lock_guard lock(queue_mu_);
    queue_.push_back(std::move(item));
  }
  queue_cv_.notify_one();
  return future.get();
}

void CommandProcessor::Run() {
  // At most 15 characters, or Linux refuses the name (and perf shows "mentorlog").
  pthread_setname_np(pthread_self(), "mentorlog-cmd");
  for (;;) {
    std::unique_ptr<Item> item;
    {
      std::unique_lock lock(queue_mu_);
      queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    if (item->task) {
      item->task();
    } else {
      Decide(*item);
    }
    if (options_.snapshots &&
        projections::SnapshotDue(applied_since_snapshot_,
                                 requested_at_ + applied_since_snapshot_,  // about the head
                                 options_.snapshot_every_events)) {
      MaybeRequestSnapshot();
    }
  }
}

void CommandProcessor::Decide(Item& item) {
  const CommandRequest& request = item.request;
  std::optional<std::string> scoped_key;
  if (request.idempotency_key) {
    // Keys are scoped to the token's subject (API.md).
    scoped_key = request.actor.id + "\n" + *request.idempotency_key;
    {
      std::lock_guard lock(*keys_mu_);
      if (const auto it = keys_in_flight_->find(*scoped_key); it != keys_in_flight_->end()) {
        if (it->second.fingerprint != item.fingerprint) {
          return item.done(Refusal("idempotency_mismatch",
                                   "the Idempotency-Key was used for another request",
                                   "Idempotency-Key"));
        }
        it->second.waiters.push_back(std::move(item.done));
        return;
      }
    }
    // Not in flight, so any earlier use is durable and visible here.
    if (const auto first = store_.FindIdempotency(*scoped_key)) {
      if (first->fingerprint != item.fingerprint) {
        return item.done(Refusal("idempotency_mismatch",
                                 "the Idempotency-Key was used for another request",
                                 "Idempotency-Key"));
      }
      return item.done(CommandAccepted{first->result.command_id, first->result.last_position,
                                       first->result.events, true});
    }
  }

  const events::TimeMs now = options_.clock();
  auto decision = commands::Decide(state_, *item.command, {request.actor, now});
  if (!decision) return item.done(Refused(decision.error()));
  if (decision->empty()) {
    return item.done(Refusal("invalid_state", "the command changes nothing"));
  }

  const std::string primary = decision->front().stream;
  if (request.if_match && Version(primary) != *request.if_match) {
    return item.done(Refusal("version_mismatch",
                             primary + " is at version " + std::to_string(Version(primary)),
                             "If-Match"));
  }

  store::AppendRequest append;
  const std::string command_id = events::NewUuid();
  for (auto& decided : *decision) {
    store::NewEvent e;
    e.stream = std::move(decided.stream);
    e.type = std::move(decided.type);
    e.schema = std::max(1, events::CurrentSchema(e.type));
    e.data = std::move(decided.data);
    e.actor = request.actor;
    e.id = events::NewUuid();
    e.command_id = command_id;
    e.correlation_id = command_id;
    append.events.push_back(std::move(e));
  }
  if (request.if_match) append.expected = store::ExactVersion{*request.if_match};
  if (scoped_key) {
    append.idempotency = store::Idempotency{*scoped_key, item.fingerprint};
    std::lock_guard lock(*keys_mu_);
    (*keys_in_flight_)[*scoped_key] = KeyInFlight{item.fingerprint, {std::move(item.done)}};
  }
  // The state needs the events too: one copy, already in the shape Apply reads.
  // (Not lent like the alerts: the store owns the events once queued, and Apply
  // must wait until the store has not refused them inline.)
  std::vector<events::Envelope> applied;
  applied.reserve(append.events.size());
  for (const auto& e : append.events) applied.push_back(ToEnvelope(e, now));

  // Refusals the store makes before queueing (limits) arrive here, inline, and
  // leave the state untouched; later ones mean the store can no longer write.
  const auto decider_thread = std::this_thread::get_id();
  bool refused_inline = false;
  pending_->Add();
  store_.AppendAsync(
      std::move(append), [done = std::move(item.done), scoped_key, keys_mu = keys_mu_,
                          keys = keys_in_flight_, decider_thread, refused = &refused_inline,
                          pending = pending_](store::AppendOutcome result) mutable {
        const bool inline_refusal = !result && std::this_thread::get_id() == decider_thread;
        if (inline_refusal) *refused = true;
        pending->Done(!result && !inline_refusal);
        CommandOutcome outcome =
            result ? CommandOutcome(CommandAccepted{result->command_id, result->last_position,
                                                    std::move(result->events), result->replayed})
                   : Refused(result.error());
        if (!scoped_key) return done(std::move(outcome));
        std::vector<std::function<void(CommandOutcome)>> waiters;
        {
          std::lock_guard lock(*keys_mu);
          if (const auto it = keys->find(*scoped_key); it != keys->end()) {
            waiters = std::move(it->second.waiters);
            keys->erase(it);
          }
        }
        for (size_t i = 0; i < waiters.size(); ++i) {
          CommandOutcome copy = outcome;
          if (copy && i > 0) copy->replayed = true;
          waiters[i](std::move(copy));
        }
      });
  if (refused_inline) return;
  for (const auto& e : applied) ++Version(e.stream);
  ApplyAndReact(applied, command_id, now);
}

std::uint64_t& CommandProcessor::Version(const std::string& stream) {
  auto it = stream_versions_.find(stream);
  if (it == stream_versions_.end()) {
    // Every append goes through this thread, so the durable version is current.
    it = stream_versions_.emplace(stream, store_.StreamVersion(stream)).first;
  }
  return it->second;
}

void CommandProcessor::ApplyAndReact(const std::vector<events::Envelope>& appended,
                                     const std::string& correlation_id, events::TimeMs now) {
  store::AppendRequest reactions;
  for (const auto& envelope : appended) {
    commands::Apply(state_, envelope);
    if (!TriggersAlertPolicy(envelope.type)) continue;
    for (auto& alert : commands::AttendanceAlerts(state_, envelope)) {
      store::NewEvent raised = SystemEvent(std::move(alert), correlation_id, envelope.id);
      // Applied at once, so the policy never proposes the same alert twice.
      ApplyLent(state_, raised, now);
      ++Version(raised.stream);
      reactions.events.push_back(std::move(raised));
    }
  }
  applied_since_snapshot_ += appended.size() + reactions.events.size();
  if (reactions.events.empty()) return;
  pending_->Add();
  store_.AppendAsync(std::move(reactions), [pending = pending_](store::AppendOutcome result) {
    if (!result) spdlog::error("attendance alerts not appended: {}", result.error().message);
    pending->Done(!result);
  });
}

std::uint64_t CommandProcessor::Restore(commands::WriteState& state, std::string_view who,
                                        std::uint64_t at_most) const {
  return options_.snapshots->RestoreNewest(
      who, kSnapshotName, kWriteStateVersion, store_,
      [&](const projections::StoredState& snap) {
        auto decoded = DecodeWriteState(snap.state);
        if (!decoded) return false;
        state = std::move(*decoded);
        return true;
      },
      at_most);
}

void CommandProcessor::Snapshot() {
  applied_since_snapshot_ = 0;
  {
    // The state holds every decision made; once all are durable the head is
    // exactly the position the state reflects.
    std::unique_lock lock(pending_->mu);
    if (!pending_->cv.wait_for(lock, std::chrono::seconds(30),
                               [&] { return pending_->count == 0; })) {
      spdlog::warn("write state: appends still pending after 30 s; snapshot skipped");
      return;
    }
    if (pending_->failed) return;  // the state holds events the log does not
  }
  const store::Head head = store_.GetHead();
  requested_at_ = head.position;
  WriteSnapshot(state_, head);
}

void CommandProcessor::WriteSnapshot(const commands::WriteState& state, const store::Head& head) {
  const auto started = std::chrono::steady_clock::now();
  std::string bytes = EncodeWriteState(state);
  spdlog::info("write state: snapshot at {} ({} bytes) encoded in {} ms", head.position,
               bytes.size(), MillisSince(started));
  // The durable write of it (~2x the encoding) goes on the store's thread.
  options_.snapshots->WriteAsync(
      {{kSnapshotName, kWriteStateVersion, head.position, head.hash, std::move(bytes)}},
      /*keep=*/2);
  snapshot_position_ = head.position;
}

void CommandProcessor::MaybeRequestSnapshot() {
  if (!snapshotter_->Request()) return;  // asked again after the next command
  requested_at_ = store_.GetHead().position;
  applied_since_snapshot_ = 0;
}

void CommandProcessor::SnapshotLog(std::stop_token stop) {
  const auto started = std::chrono::steady_clock::now();
  const store::Head head = store_.GetHead();  // durable: what the fold reads is on disk
  commands::WriteState state;
  const std::uint64_t restored = Restore(state, "write state (background)", head.position);
  if (restored == head.position) return;  // nothing new since that snapshot
  const auto folded = FoldLog(store_, state, restored, head.position, stop);
  if (!folded) {
    spdlog::warn("write state: background snapshot not taken: {}", folded.error().message);
    return;
  }
  if (*folded != head.position) return;  // stopped
  spdlog::info("write state: background snapshot: {} events after {} folded in {} ms",
               head.position - restored, restored, MillisSince(started));
  if (options_.before_background_snapshot) options_.before_background_snapshot(head.position);
  WriteSnapshot(state, head);
}

}  // namespace mentorlog::app
