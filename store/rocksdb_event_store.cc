#include "store/rocksdb_event_store.h"

#include <pthread.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/statistics.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <map>
#include <string_view>
#include <utility>

#include "events/canonical_json.h"
#include "store/keys.h"
#include "store/rocksdb_logger.h"

namespace mentorlog::store {
namespace {

using Result = std::expected<AppendResult, StoreError>;

std::unexpected<StoreError> Error(StoreErrorCode code, std::string message,
                                  std::uint64_t actual_version = 0) {
  return std::unexpected(StoreError{code, std::move(message), actual_version});
}

events::TimeMs SystemNow() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool IsIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == ':' || c == '-';
}

bool IsValidType(std::string_view type) {
  if (type.empty() || type.size() > 64 || type[0] < 'A' || type[0] > 'Z') return false;
  return std::all_of(type.begin(), type.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

bool IsValidRole(std::string_view role) {
  return role == "admin" || role == "mentor" || role == "mentee" || role == "auditor" ||
         role == "system";
}

nlohmann::json ResultToJson(const AppendResult& r) {
  nlohmann::json events = nlohmann::json::array();
  for (const auto& e : r.events) {
    events.push_back(
        {{"position", e.position}, {"stream", e.stream}, {"version", e.version}, {"type", e.type}});
  }
  return {{"first_position", r.first_position},
          {"last_position", r.last_position},
          {"command_id", r.command_id},
          {"events", std::move(events)}};
}

std::optional<AppendResult> ResultFromJson(const nlohmann::json& j) {
  try {
    AppendResult r;
    r.first_position = j.at("first_position").get<std::uint64_t>();
    r.last_position = j.at("last_position").get<std::uint64_t>();
    r.command_id = j.at("command_id").get<std::string>();
    for (const auto& e : j.at("events")) {
      r.events.push_back({e.at("position").get<std::uint64_t>(), e.at("stream").get<std::string>(),
                          e.at("version").get<std::uint64_t>(), e.at("type").get<std::string>()});
    }
    return r;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::string_view StoreErrorCodeName(StoreErrorCode code) {
  switch (code) {
    case StoreErrorCode::kVersionMismatch:
      return "version_mismatch";
    case StoreErrorCode::kIdempotencyMismatch:
      return "idempotency_mismatch";
    case StoreErrorCode::kUnavailable:
      return "unavailable";
    case StoreErrorCode::kInvalidArgument:
      return "invalid_argument";
  }
  return "unavailable";
}

bool IsValidStreamName(std::string_view stream) {
  const size_t dash = stream.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash > 32) return false;
  for (size_t i = 0; i < dash; ++i) {
    if (stream[i] < 'a' || stream[i] > 'z') return false;
  }
  const std::string_view id = stream.substr(dash + 1);
  if (id.empty() || id.size() > 64 || id[0] == '.' || id[0] == '_' || id[0] == ':' ||
      id[0] == '-') {
    return false;
  }
  return std::all_of(id.begin(), id.end(), IsIdChar);
}

// An append waiting for the writer, with its data already canonicalised.
struct RocksDbEventStore::Pending {
  AppendRequest request;
  std::vector<std::string> canonical_data;
  std::function<void(Result)> done;
};

// Appends the sequencer has decided and sealed, ready to be written as one batch.
struct RocksDbEventStore::Group {
  std::vector<Pending> pending;
  // Outcome of each pending append, or "same as pending[i]" for a retry of a key
  // first used earlier in this group.
  std::vector<Result> outcomes;
  std::vector<std::optional<size_t>> same_as;
  rocksdb::WriteBatch batch;
  std::vector<events::Envelope> committed;
  Head head;  // the end of the log once this group is written
  size_t appends = 0;
};

RocksDbEventStore::RocksDbEventStore(ConstructionKey, StoreOptions options)
    : options_(std::move(options)) {
  if (!options_.clock) options_.clock = SystemNow;
}

std::expected<std::unique_ptr<RocksDbEventStore>, StoreError> RocksDbEventStore::Open(
    const std::filesystem::path& dir, StoreOptions options) {
  auto store = std::make_unique<RocksDbEventStore>(ConstructionKey{}, std::move(options));
  const bool read_only = store->options_.read_only;

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = !read_only;
  db_options.create_missing_column_families = !read_only;
  db_options.info_log = NewRocksDbLogger("log");  // no LOG file: see rocksdb_logger.h
  if (!read_only) {
    // Made here, RocksDB need not create it, which it reports as an error.
    std::error_code ignored;
    std::filesystem::create_directories(dir, ignored);
  }
  db_options.IncreaseParallelism(2);
  // Tickers only (no timers): counts WAL syncs for WriterStats at little cost.
  db_options.statistics = rocksdb::CreateDBStatistics();
  db_options.statistics->set_stats_level(rocksdb::StatsLevel::kExceptTimers);
  store->statistics_ = db_options.statistics;
  rocksdb::ColumnFamilyOptions cf_options;
  // Heads and idempotency keys are read one by one, and mostly missed (every
  // new stream, every first use of a key): a whole-key bloom filter in the
  // memtable answers a miss without searching its skip list.
  rocksdb::ColumnFamilyOptions lookup_options;
  lookup_options.memtable_prefix_bloom_size_ratio = 0.05;
  lookup_options.memtable_whole_key_filtering = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const char* name : {rocksdb::kDefaultColumnFamilyName.c_str(), keys::kEvents, keys::kStreams,
                           keys::kHeads, keys::kIdempotency, keys::kMeta}) {
    const bool lookups =
        name == std::string_view(keys::kHeads) || name == std::string_view(keys::kIdempotency);
    descriptors.emplace_back(name, lookups ? lookup_options : cf_options);
  }
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status status =
      read_only ? rocksdb::DB::OpenForReadOnly(db_options, dir.string(), descriptors,
                                               &store->handles_, &raw)
                : rocksdb::DB::Open(db_options, dir.string(), descriptors, &store->handles_, &raw);
  if (!status.ok()) {
    return Error(StoreErrorCode::kUnavailable,
                 "cannot open " + dir.string() + ": " + status.ToString());
  }
  store->db_.reset(raw);
  store->events_cf_ = store->handles_[1];
  store->streams_cf_ = store->handles_[2];
  store->heads_cf_ = store->handles_[3];
  store->idempotency_cf_ = store->handles_[4];
  store->meta_cf_ = store->handles_[5];

  // The meta record is enough to continue the log: last position, hash and time.
  std::string value;
  auto& head = store->head_;
  const auto meta = [&](const char* name) {
    return store->db_->Get(rocksdb::ReadOptions(), store->meta_cf_, name, &value);
  };
  if (meta(keys::kFormatVersion).ok()) {
    if (keys::ParseU64(value) != keys::kCurrentFormat) {
      return Error(StoreErrorCode::kUnavailable, "unknown store format in " + dir.string());
    }
  } else if (!read_only) {
    const rocksdb::Status s =
        store->db_->Put(rocksdb::WriteOptions(), store->meta_cf_, keys::kFormatVersion,
                        keys::U64(keys::kCurrentFormat));
    if (!s.ok()) return Error(StoreErrorCode::kUnavailable, s.ToString());
  }
  if (meta(keys::kLastPosition).ok()) head.position = keys::ParseU64(value).value_or(0);
  if (meta(keys::kLastHash).ok()) head.hash = value;
  if (meta(keys::kLastTime).ok()) {
    head.time = static_cast<events::TimeMs>(keys::ParseU64(value).value_or(0));
  }

  store->tail_ = head;
  if (!read_only) {
    store->syncer_ = std::thread([s = store.get()] { s->SyncLoop(); });
    store->writer_ = std::thread([s = store.get()] { s->WriterLoop(); });
  }
  return store;
}

RocksDbEventStore::~RocksDbEventStore() {
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (writer_.joinable()) writer_.join();  // the writer stops the syncer when done
  if (syncer_.joinable()) syncer_.join();
  for (auto* handle : handles_) {
    if (db_) db_->DestroyColumnFamilyHandle(handle);
  }
  handles_.clear();
  db_.reset();
}

std::expected<AppendResult, StoreError> RocksDbEventStore::Append(AppendRequest request) {
  std::promise<Result> promise;
  auto future = promise.get_future();
  AppendAsync(std::move(request), [&promise](Result r) { promise.set_value(std::move(r)); });
  return future.get();
}

void RocksDbEventStore::AppendAsync(AppendRequest request, std::function<void(Result)> done) {
  if (options_.read_only) {
    return done(Error(StoreErrorCode::kUnavailable, "the store is open read-only"));
  }
  if (failed_.load()) {
    return done(Error(StoreErrorCode::kUnavailable, "a write failed; reopen the store"));
  }
  if (request.events.empty()) {
    return done(Error(StoreErrorCode::kInvalidArgument, "an append needs at least one event"));
  }
  if (request.idempotency &&
      (request.idempotency->key.empty() || request.idempotency->key.size() > 512)) {
    return done(Error(StoreErrorCode::kInvalidArgument, "idempotency key must be 1-512 bytes"));
  }
  // Validation and canonicalisation happen here, on the caller's thread, so the
  // single writer only assigns positions, hashes and writes.
  Pending pending{std::move(request), {}, std::move(done)};
  size_t total = 0;
  for (auto& e : pending.request.events) {
    if (!IsValidStreamName(e.stream)) {
      return pending.done(
          Error(StoreErrorCode::kInvalidArgument, "invalid stream id: " + e.stream));
    }
    if (!IsValidType(e.type)) {
      return pending.done(Error(StoreErrorCode::kInvalidArgument, "invalid event type: " + e.type));
    }
    if (!e.data.is_object()) {
      return pending.done(Error(StoreErrorCode::kInvalidArgument, "event data must be an object"));
    }
    if (e.schema < 1 || e.actor.id.empty() || !IsValidRole(e.actor.role)) {
      return pending.done(
          Error(StoreErrorCode::kInvalidArgument, "schema >= 1 and an actor {id, role} required"));
    }
    try {
      pending.canonical_data.push_back(events::CanonicalJson(e.data));
      if (e.id.empty()) e.id = events::NewUuid();
    } catch (const std::exception& ex) {
      return pending.done(
          Error(StoreErrorCode::kInvalidArgument, std::string("event data: ") + ex.what()));
    }
    // A bound on the sealed record (escaping at most doubles a string; hashes,
    // uuid, numbers and names stay under 512 bytes), so that a size refusal is
    // made here, before the caller goes on, rather than by the writer.
    const size_t envelope_bound =
        512 + 2 * (e.stream.size() + e.type.size() + e.id.size() + e.actor.id.size() +
                   e.actor.role.size() + e.command_id.size() + e.correlation_id.size() +
                   e.causation_id.size());
    if (pending.canonical_data.back().size() + envelope_bound > options_.max_event_bytes) {
      return pending.done(Error(StoreErrorCode::kInvalidArgument, "event over the size limit"));
    }
    total += pending.canonical_data.back().size();
  }
  if (total > options_.max_append_bytes) {
    return pending.done(Error(StoreErrorCode::kInvalidArgument, "append over the size limit"));
  }
  {
    std::lock_guard lock(queue_mu_);
    if (!stopping_) {
      queue_.push_back(std::move(pending));
      queue_cv_.notify_one();
      return;
    }
  }
  pending.done(Error(StoreErrorCode::kUnavailable, "the store is closing"));
}

void RocksDbEventStore::WriterLoop() {
  pthread_setname_np(pthread_self(), "mentorlog-seq");  // visible in top, perf and gdb
  std::vector<Pending> pending;
  for (;;) {
    {
      std::unique_lock lock(queue_mu_);
      queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) break;  // stopping, and everything submitted is sequenced
      pending.swap(queue_);
    }
    auto group = Sequence(std::move(pending));
    pending.clear();
    // One group is written while the next is sequenced; hand over only when the
    // syncer is idle, so at most one unwritten group precedes the one in hand.
    std::unique_lock lock(sync_mu_);
    sync_cv_.wait(lock, [this] { return !sync_slot_ && !sync_busy_; });
    sync_slot_ = std::move(group);
    sync_cv_.notify_all();
  }
  std::lock_guard lock(sync_mu_);
  sync_stop_ = true;
  sync_cv_.notify_all();
}

void RocksDbEventStore::SyncLoop() {
  pthread_setname_np(pthread_self(), "mentorlog-wal");
  for (;;) {
    std::unique_ptr<Group> group;
    {
      std::unique_lock lock(sync_mu_);
      sync_cv_.wait(lock, [this] { return sync_slot_ || sync_stop_; });
      if (!sync_slot_) return;
      group = std::move(sync_slot_);
      sync_busy_ = true;
    }
    WriteGroup(*group);
    group.reset();
    std::lock_guard lock(sync_mu_);
    sync_busy_ = false;
    sync_cv_.notify_all();
  }
}

std::unique_ptr<RocksDbEventStore::Group> RocksDbEventStore::Sequence(
    std::vector<Pending> pending) {
  auto group = std::make_unique<Group>();
  group->pending = std::move(pending);
  const size_t n = group->pending.size();
  group->outcomes.assign(n, Error(StoreErrorCode::kUnavailable, "a write failed earlier"));
  group->same_as.assign(n, std::nullopt);
  if (failed_.load()) return group;

  std::unordered_map<std::string_view, size_t> group_keys;
  std::unordered_map<std::string, IdempotencyRecord> new_keys;
  // Index entries go in after the events, sorted: RocksDB's skip list inserts
  // neighbouring keys far more cheaply than scattered ones.
  std::vector<std::pair<std::string, std::uint64_t>> stream_entries;  // key -> position
  std::map<std::string_view, std::uint64_t> group_heads;              // stream -> version
  rocksdb::WriteBatch& batch = group->batch;
  Head& head = tail_;
  const auto head_version = [this](const std::string& stream) -> std::uint64_t& {
    auto it = head_versions_.find(stream);
    if (it == head_versions_.end()) {
      std::string value;
      std::uint64_t version = 0;
      if (db_->Get(rocksdb::ReadOptions(), heads_cf_, stream, &value).ok()) {
        version = keys::ParseU64(value).value_or(0);
      }
      it = head_versions_.emplace(stream, version).first;
    }
    return it->second;
  };

  for (size_t i = 0; i < n; ++i) {
    AppendRequest& req = group->pending[i].request;
    Result& outcome = group->outcomes[i];
    if (req.idempotency) {
      const auto& [key, fingerprint] = *req.idempotency;
      if (const auto it = group_keys.find(key); it != group_keys.end()) {
        if (group->pending[it->second].request.idempotency->fingerprint == fingerprint) {
          group->same_as[i] = it->second;
        } else {
          outcome = Error(StoreErrorCode::kIdempotencyMismatch,
                          "the idempotency key was used for another request");
        }
        continue;
      }
      if (const auto known = FindKey(key)) {
        if (known->fingerprint != fingerprint) {
          outcome = Error(StoreErrorCode::kIdempotencyMismatch,
                          "the idempotency key was used for another request");
        } else {
          outcome = known->result;
          outcome->replayed = true;
        }
        continue;
      }
    }

    const std::uint64_t primary_version = head_version(req.events.front().stream);
    const bool version_ok = std::visit(
        [&](const auto& expected) {
          using T = std::decay_t<decltype(expected)>;
          if constexpr (std::is_same_v<T, NoStream>) return primary_version == 0;
          if constexpr (std::is_same_v<T, ExactVersion>) {
            return primary_version == expected.version;
          }
          return true;
        },
        req.expected);
    if (!version_ok) {
      outcome = Error(StoreErrorCode::kVersionMismatch,
                      "stream " + req.events.front().stream + " is at version " +
                          std::to_string(primary_version),
                      primary_version);
      continue;
    }

    // Seal every event of the request before touching shared state, so a
    // request refused for its size leaves the group unchanged.
    const events::TimeMs time = std::max(options_.clock(), head.time);
    std::vector<std::pair<std::string, std::uint64_t>> versions;  // this request's streams
    std::vector<events::Envelope> sealed;
    std::vector<std::string> records;
    std::string prev = head.hash;
    size_t bytes = 0;
    bool too_big = false;
    for (size_t k = 0; k < req.events.size(); ++k) {
      NewEvent& ne = req.events[k];
      auto v = std::find_if(versions.begin(), versions.end(),
                            [&](const auto& sv) { return sv.first == ne.stream; });
      if (v == versions.end()) {
        versions.emplace_back(ne.stream, head_version(ne.stream));
        v = std::prev(versions.end());
      }
      events::Envelope e;
      e.position = head.position + k + 1;
      e.stream = ne.stream;
      e.version = ++v->second;
      e.type = ne.type;
      e.schema = ne.schema;
      e.id = std::move(ne.id);
      e.time = time;
      e.actor = ne.actor;
      e.command_id = ne.command_id;
      e.correlation_id = ne.correlation_id;
      e.causation_id = ne.causation_id;
      e.prev_hash = prev;
      std::string record = events::Seal(e, group->pending[i].canonical_data[k]);
      e.data = std::move(ne.data);
      prev = e.hash;
      bytes += record.size();
      too_big = too_big || record.size() > options_.max_event_bytes;
      sealed.push_back(std::move(e));
      records.push_back(std::move(record));
    }
    if (too_big || bytes > options_.max_append_bytes) {
      outcome = Error(StoreErrorCode::kInvalidArgument, "event or append over the size limit");
      continue;
    }

    AppendResult result;
    result.first_position = head.position + 1;
    result.last_position = head.position + sealed.size();
    result.command_id = sealed.front().command_id;
    for (size_t k = 0; k < sealed.size(); ++k) {
      const auto& e = sealed[k];
      batch.Put(events_cf_, keys::U64(e.position), records[k]);
      stream_entries.emplace_back(keys::StreamKey(e.stream, e.version), e.position);
      result.events.push_back({e.position, e.stream, e.version, e.type});
    }
    for (const auto& [stream, version] : versions) {
      head_version(stream) = version;
      group_heads[head_versions_.find(stream)->first] = version;
    }
    if (req.idempotency) {
      const nlohmann::json stored = {{"fingerprint", req.idempotency->fingerprint},
                                     {"result", ResultToJson(result)},
                                     {"time", time}};
      batch.Put(idempotency_cf_, req.idempotency->key, stored.dump());
      group_keys.emplace(req.idempotency->key, i);
      new_keys.emplace(req.idempotency->key,
                       IdempotencyRecord{req.idempotency->fingerprint, result});
    }
    head.position = result.last_position;
    head.hash = prev;
    head.time = time;
    outcome = std::move(result);
    ++group->appends;
    for (auto& e : sealed) group->committed.push_back(std::move(e));
  }

  if (!group->committed.empty()) {
    std::sort(stream_entries.begin(), stream_entries.end());
    for (const auto& [key, position] : stream_entries) {
      batch.Put(streams_cf_, key, keys::U64(position));
    }
    for (const auto& [stream, version] : group_heads) {
      batch.Put(heads_cf_, rocksdb::Slice(stream.data(), stream.size()), keys::U64(version));
    }
    batch.Put(meta_cf_, keys::kLastPosition, keys::U64(head.position));
    batch.Put(meta_cf_, keys::kLastHash, head.hash);
    batch.Put(meta_cf_, keys::kLastTime, keys::U64(static_cast<std::uint64_t>(head.time)));
  }
  group->head = head;
  unwritten_keys_ = std::move(new_keys);
  return group;
}

std::optional<IdempotencyRecord> RocksDbEventStore::FindKey(const std::string& key) const {
  // Keys of the group the syncer may still be writing are not in RocksDB yet.
  if (const auto it = unwritten_keys_.find(key); it != unwritten_keys_.end()) return it->second;
  return FindIdempotency(key);
}

std::optional<IdempotencyRecord> RocksDbEventStore::FindIdempotency(std::string_view key) const {
  std::string value;
  if (!db_->Get(rocksdb::ReadOptions(), idempotency_cf_, rocksdb::Slice(key.data(), key.size()),
                &value)
           .ok()) {
    return std::nullopt;
  }
  const auto stored = nlohmann::json::parse(value, nullptr, false);
  auto result = stored.is_object() && stored.contains("result") ? ResultFromJson(stored["result"])
                                                                : std::nullopt;
  if (!result) return std::nullopt;
  return IdempotencyRecord{stored.value("fingerprint", ""), std::move(*result)};
}

void RocksDbEventStore::WriteGroup(Group& group) {
  if (!failed_.load() && !group.committed.empty()) {
    rocksdb::WriteOptions write_options;
    write_options.sync = options_.durability == Durability::kSync;
    const auto started = std::chrono::steady_clock::now();
    const rocksdb::Status status =
        options_.inject_write_failure && options_.inject_write_failure()
            ? rocksdb::Status::IOError("injected write failure (no space left on device)")
            : db_->Write(write_options, &group.batch);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    if (status.ok()) {
      std::lock_guard lock(head_mu_);
      head_ = group.head;
      ++stats_.commits;
      stats_.appends += group.appends;
      stats_.events += group.committed.size();
      stats_.commit_events.Observe(static_cast<double>(group.committed.size()));
      stats_.commit_seconds.Observe(took.count());
    } else {
      // The tail on disk is now uncertain: refuse this group and every later one.
      failed_.store(true);
    }
  }
  if (failed_.load()) {
    // Nothing of a failed group, nor of any group sequenced after it (which may
    // build on it), is acknowledged; refusals stay what they were.
    for (size_t i = 0; i < group.outcomes.size(); ++i) {
      if (group.outcomes[i] || group.same_as[i]) {
        group.outcomes[i] = Error(StoreErrorCode::kUnavailable, "a write failed; reopen the store");
        group.same_as[i].reset();
      }
    }
    group.committed.clear();
  }
  if (!group.committed.empty() && options_.commit_hook) {
    options_.commit_hook(
        std::make_shared<const std::vector<events::Envelope>>(std::move(group.committed)));
  }
  for (size_t i = 0; i < group.pending.size(); ++i) {
    if (group.same_as[i]) {
      group.outcomes[i] = group.outcomes[*group.same_as[i]];
      if (group.outcomes[i]) group.outcomes[i]->replayed = true;
    }
    group.pending[i].done(std::move(group.outcomes[i]));
  }
}

std::expected<std::vector<events::Envelope>, StoreError> RocksDbEventStore::ReadAll(
    std::uint64_t after, size_t limit, events::DataForm form) const {
  // Bounded by the head, so a reader never sees past what GetHead() reports.
  const std::uint64_t last = GetHead().position;
  std::vector<events::Envelope> out;
  // Reserved once: grown by doubling, a 4096-event page reallocated a dozen
  // times, and glibc consolidates its free lists at every free over 64 KiB.
  // Capped, as callers may pass a limit far above what they will read.
  if (last > after) out.reserve(std::min<std::uint64_t>({limit, last - after, 1 << 16}));
  std::optional<StoreError> bad;
  const auto scanned = ScanRecords(after, [&](std::uint64_t position, std::string_view record) {
    if (position > last || out.size() >= limit) return false;
    auto e = events::DecodeRecord(record, form);
    if (!e) {
      bad = StoreError{
          StoreErrorCode::kUnavailable,
          "undecodable record at position " + std::to_string(position) + ": " + e.error().message};
      return false;
    }
    if (options_.upcasters) options_.upcasters->Upcast(*e);
    out.push_back(std::move(*e));
    return true;
  });
  if (!scanned) return std::unexpected(scanned.error());
  if (bad) return std::unexpected(std::move(*bad));
  return out;
}

std::expected<std::vector<events::Envelope>, StoreError> RocksDbEventStore::ReadStream(
    std::string_view stream, std::uint64_t from_version, size_t limit) const {
  std::vector<events::Envelope> out;
  const std::string start = keys::StreamKey(stream, std::max<std::uint64_t>(from_version, 1));
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), streams_cf_));
  std::string record;
  for (it->Seek(start); it->Valid() && out.size() < limit; it->Next()) {
    const auto parsed = keys::ParseStreamKey(it->key().ToStringView());
    if (!parsed || parsed->first != stream) break;
    const auto position = keys::ParseU64(it->value().ToStringView());
    if (!position) return Error(StoreErrorCode::kUnavailable, "malformed stream index entry");
    auto e = Read(*position, record);
    if (!e) return std::unexpected(std::move(e.error()));
    out.push_back(std::move(*e));
  }
  if (!it->status().ok()) return Error(StoreErrorCode::kUnavailable, it->status().ToString());
  return out;
}

std::expected<events::Envelope, StoreError> RocksDbEventStore::ReadAt(
    std::uint64_t position) const {
  if (position == 0 || position > GetHead().position) {
    return Error(StoreErrorCode::kInvalidArgument,
                 "no committed event at position " + std::to_string(position));
  }
  std::string record;
  return Read(position, record);
}

std::expected<events::Envelope, StoreError> RocksDbEventStore::Read(std::uint64_t position,
                                                                    std::string& record) const {
  if (!db_->Get(rocksdb::ReadOptions(), events_cf_, keys::U64(position), &record).ok()) {
    return Error(StoreErrorCode::kUnavailable,
                 "missing event at position " + std::to_string(position));
  }
  auto e = events::DecodeRecord(record);
  if (!e) return Error(StoreErrorCode::kUnavailable, "undecodable record: " + e.error().message);
  if (options_.upcasters) options_.upcasters->Upcast(*e);
  return std::move(*e);
}

std::expected<void, StoreError> RocksDbEventStore::ScanRecords(
    std::uint64_t after, const std::function<bool(std::uint64_t, std::string_view)>& visit) const {
  rocksdb::ReadOptions read_options;
  read_options.fill_cache = false;  // a scan would evict the hot working set
  read_options.readahead_size = 4 << 20;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options, events_cf_));
  for (it->Seek(keys::U64(after + 1)); it->Valid(); it->Next()) {
    const auto position = keys::ParseU64(it->key().ToStringView());
    if (!position) return Error(StoreErrorCode::kUnavailable, "malformed event key");
    if (!visit(*position, it->value().ToStringView())) return {};
  }
  if (!it->status().ok()) return Error(StoreErrorCode::kUnavailable, it->status().ToString());
  return {};
}

Head RocksDbEventStore::GetHead() const {
  std::lock_guard lock(head_mu_);
  return head_;
}

std::uint64_t RocksDbEventStore::StreamVersion(std::string_view stream) const {
  std::string value;
  if (!db_->Get(rocksdb::ReadOptions(), heads_cf_, rocksdb::Slice(stream.data(), stream.size()),
                &value)
           .ok()) {
    return 0;
  }
  return keys::ParseU64(value).value_or(0);
}

WriterStats RocksDbEventStore::Stats() const {
  std::lock_guard lock(head_mu_);
  WriterStats stats = stats_;
  stats.wal_syncs = statistics_ ? statistics_->getTickerCount(rocksdb::WAL_FILE_SYNCED) : 0;
  return stats;
}

}  // namespace mentorlog::store
