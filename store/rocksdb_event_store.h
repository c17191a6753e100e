#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "events/event_types.h"
#include "store/event_store.h"
#include "store/histogram.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Statistics;
}  // namespace rocksdb

namespace mentorlog::store {

enum class Durability {
  kSync,  // every group commit is fsync'd before any of it is acknowledged
  kNone,  // written to the OS, not fsync'd: a power loss may lose acknowledged
          // events. For benchmarks only.
};

struct StoreOptions {
  // Whether a commit is fsync'd before it is acknowledged. Default: kSync.
  Durability durability = Durability::kSync;

  // Open without writing: for replay, export and verify while a server runs on
  // the same directory; every append is kUnavailable. The directory must hold a
  // log. Default: false.
  bool read_only = false;

  // Source of recorded times, in ms since the epoch; the writer never lets time
  // go backwards along positions. Default: the system clock.
  std::function<events::TimeMs()> clock;

  // Largest stored record of one event (canonical JSON). Default: 1 MiB.
  size_t max_event_bytes = size_t{1} << 20;

  // Largest total of one append's records. Default: 16 MiB.
  size_t max_append_bytes = size_t{16} << 20;

  // Receives committed events (see CommitHook). Default: none.
  CommitHook commit_hook;

  // Applied to every event read back (ReadAll, ReadStream). Default: none.
  std::shared_ptr<const events::Upcasters> upcasters;

  // Testing only: when set and it returns true, the next group commit fails as a
  // full disk would. Default: none.
  std::function<bool()> inject_write_failure;
};

// Counters of the group-commit writer, for benchmarks and /metrics.
struct WriterStats {
  // Bounds of the histogram of events per commit.
  static constexpr std::array<double, 11> kEventBounds = {1,  2,   4,   8,   16,  32,
                                                          64, 128, 256, 512, 1024};

  std::uint64_t commits = 0;              // WriteBatches written (each one fsync with kSync)
  std::uint64_t appends = 0;              // Append requests made durable
  std::uint64_t events = 0;               // events made durable
  std::uint64_t wal_syncs = 0;            // fsyncs of RocksDB's write-ahead log
  Histogram commit_events{kEventBounds};  // events of each commit
  // Each commit's write, its fsync included with kSync (the latency every
  // append of the group waits for).
  Histogram commit_seconds{kLatencyBounds};
};

// The EventStore on an embedded RocksDB (layout in store/FORMAT.md).
//
// One sequencer thread owns the end of the log: it takes every pending append,
// checks each in arrival order against the stream heads (a later append in the
// same group sees the earlier ones) and seals it into one WriteBatch. One syncer
// thread writes that batch, syncs once, then acknowledges each append; the
// sequencer prepares the next group meanwhile, so hashing and fsync overlap.
// After a failed write the tail is uncertain, so every later append, including
// any already sequenced behind it, is kUnavailable until the store is reopened.
class RocksDbEventStore final : public EventStore {
  struct ConstructionKey {};  // only Open constructs a store

 public:
  // Opens (creating when missing, unless read-only) the log in `dir`. Reads
  // the meta record only, not the log. Errors: kUnavailable with RocksDB's
  // reason (locked by another writer, corrupt, missing for read-only).
  static std::expected<std::unique_ptr<RocksDbEventStore>, StoreError> Open(
      const std::filesystem::path& dir, StoreOptions options = {});

  RocksDbEventStore(ConstructionKey, StoreOptions options);

  // Finishes every append already submitted, then closes the database.
  ~RocksDbEventStore() override;

  std::expected<AppendResult, StoreError> Append(AppendRequest request) override;
  void AppendAsync(AppendRequest request,
                   std::function<void(std::expected<AppendResult, StoreError>)> done) override;
  std::expected<std::vector<events::Envelope>, StoreError> ReadAll(
      std::uint64_t after, size_t limit,
      events::DataForm form = events::DataForm::kTree) const override;
  std::expected<std::vector<events::Envelope>, StoreError> ReadStream(std::string_view stream,
                                                                      std::uint64_t from_version,
                                                                      size_t limit) const override;
  std::expected<events::Envelope, StoreError> ReadAt(std::uint64_t position) const override;
  std::expected<void, StoreError> ScanRecords(
      std::uint64_t after,
      const std::function<bool(std::uint64_t, std::string_view)>& visit) const override;
  Head GetHead() const override;
  std::uint64_t StreamVersion(std::string_view stream) const override;
  std::optional<IdempotencyRecord> FindIdempotency(std::string_view key) const override;

  // Counters since open.
  WriterStats Stats() const;

  // True after a failed write: every append is refused until reopened.
  bool Failed() const { return failed_.load(); }

 private:
  struct Pending;
  struct Group;

  // Reads and decodes the record at `position` into `record`'s buffer (reused
  // across calls). Errors: kUnavailable when it is missing or undecodable.
  std::expected<events::Envelope, StoreError> Read(std::uint64_t position,
                                                   std::string& record) const;

  // The sequencer thread: takes every pending append, decides and seals it
  // against the tail (including groups not yet written) and hands the group on.
  void WriterLoop();
  std::unique_ptr<Group> Sequence(std::vector<Pending> pending);
  std::optional<IdempotencyRecord> FindKey(const std::string& key) const;
  // The syncer thread: writes and syncs one group at a time, then acknowledges.
  void SyncLoop();
  void WriteGroup(Group& group);

  StoreOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::shared_ptr<rocksdb::Statistics> statistics_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // owned; destroyed before db_
  rocksdb::ColumnFamilyHandle* events_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* streams_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* heads_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* idempotency_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* meta_cf_ = nullptr;

  mutable std::mutex head_mu_;
  Head head_;
  WriterStats stats_;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::vector<Pending> queue_;
  bool stopping_ = false;

  std::atomic<bool> failed_{false};

  // Sequencer thread only: the end of the log including unwritten groups; stream
  // -> last version, filled lazily from the heads CF; idempotency keys of the
  // last group handed to the syncer.
  Head tail_;
  std::unordered_map<std::string, std::uint64_t> head_versions_;
  std::unordered_map<std::string, IdempotencyRecord> unwritten_keys_;
  std::thread writer_;

  // Hand-over from sequencer to syncer: at most one group waits in the slot.
  std::mutex sync_mu_;
  std::condition_variable sync_cv_;
  std::unique_ptr<Group> sync_slot_;
  bool sync_busy_ = false;
  bool sync_stop_ = false;
  std::thread syncer_;
};

}  // namespace mentorlog::store
