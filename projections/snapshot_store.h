#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <expected>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "projections/view.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
class PinnableSlice;
}  // namespace rocksdb

namespace mentorlog::store {
class EventStore;
}  // namespace mentorlog::store

namespace mentorlog::projections {

// One projection's saved state at a log position.
struct Snapshot {
  std::string name;
  int version = 0;
  std::uint64_t position = 0;
  std::string hash;   // the log's hash at `position`, to detect a different log
  std::string state;  // Projection::SaveBinary()
};

// What RestoreNewest hands over: a snapshot's position and its state, valid
// during the call.
struct StoredState {
  std::uint64_t position = 0;
  std::string_view state;
};

// Events between snapshots in a log of `position` events: `every_events`, or a
// tenth of the log if that is more. A snapshot's cost (encoding, writing,
// memory) grows with the state and so with the log (at 10 M events the
// projections' is 330 MB); spacing them in proportion keeps that cost per event
// flat, and a restart after a crash never folds more than a tenth of the log on
// top of the snapshot it restores.
inline std::uint64_t SnapshotInterval(std::uint64_t position, std::uint64_t every_events) {
  return std::max(every_events, position / 10);
}

// Whether a snapshot is due `since` events after the last one, in a log of
// `position` events.
inline bool SnapshotDue(std::uint64_t since, std::uint64_t position, std::uint64_t every_events) {
  return since >= SnapshotInterval(position, every_events);
}

// Projection snapshots in their own RocksDB database (not the log's), keyed by
// name and position so as-of reads can start from an older one. Format:
//   key                  := name NUL position:u64be
//   default column family: key -> header := JSON {"version", "position", "hash"}
//   "states" family      : key -> state  := Projection::SaveBinary()
// The states (up to hundreds of megabytes, one block each) are kept apart from
// the headers so that finding a snapshot iterates only small values and the
// state is read once, by its key. Open moves a database of the first form,
// where the default family held header_length:u32be header state under the
// key, to this one.
// Thread-safe. Reads see every write queued before them (WriteAsync included).
class SnapshotStore {
  struct ConstructionKey {};  // only Open constructs a store

 public:
  // Opens or creates the database in `dir`. Errors: unavailable with RocksDB's reason.
  static std::expected<std::unique_ptr<SnapshotStore>, ViewError> Open(
      const std::filesystem::path& dir);
  ~SnapshotStore();

  // Writes every snapshot (state and position together) in one atomic
  // WriteBatch, durable on return (flushed to table files rather than written
  // through the write-ahead log), and in the same batch drops all but the
  // newest `keep` snapshots of each name written. Errors: unavailable.
  std::expected<void, ViewError> Write(std::vector<Snapshot> snapshots, std::size_t keep);

  // As Write, on the store's own thread, so the caller (a decider, an apply
  // loop) does not wait for a synced write of megabytes: returns at once and
  // logs the outcome. A batch of the same names still queued is replaced, as
  // only the newest matters. The destructor finishes every queued write.
  void WriteAsync(std::vector<Snapshot> snapshots, std::size_t keep);

  // Waits until every write queued before the call is done.
  void Flush() const;

  // The newest snapshot of `name` with position <= `at_most`, or nullopt (also
  // when a stored value cannot be decoded).
  std::optional<Snapshot> Newest(const std::string& name, std::uint64_t at_most = UINT64_MAX) const;

  // Start-up and as-of reads: hands the newest snapshot of `name` at or before
  // `at_most` to `restore` if it is of form `version` and was taken of `log`
  // (the log's hash at its position matches). `restore` returns false, or
  // throws, for a state it cannot decode. Returns the position restored, or 0
  // when there is no snapshot to use; `who` names the reader in the log line
  // that says why, and the caller folds from the start.
  std::uint64_t RestoreNewest(std::string_view who, const std::string& name, int version,
                              const store::EventStore& log,
                              const std::function<bool(const StoredState&)>& restore,
                              std::uint64_t at_most = UINT64_MAX) const;

  // Every stored position of `name`, ascending (for tests and diagnostics).
  std::vector<std::uint64_t> Positions(const std::string& name) const;

  SnapshotStore(ConstructionKey, std::unique_ptr<rocksdb::DB> db,
                std::unique_ptr<rocksdb::ColumnFamilyHandle> headers,
                std::unique_ptr<rocksdb::ColumnFamilyHandle> states);

 private:
  struct Batch {
    std::vector<Snapshot> snapshots;
    std::size_t keep = 0;
  };
  void WriterLoop();
  std::expected<void, ViewError> WriteNow(std::vector<Snapshot> snapshots, std::size_t keep);
  std::vector<std::uint64_t> PositionsNow(const std::string& name) const;
  // Newest without copying the state: `state` holds it (RocksDB's block, pinned).
  std::optional<Snapshot> NewestInPlace(const std::string& name, std::uint64_t at_most,
                                        rocksdb::PinnableSlice& state) const;

  std::unique_ptr<rocksdb::DB> db_;
  // The column families (the default one holds the headers); closed before db_.
  std::unique_ptr<rocksdb::ColumnFamilyHandle> headers_;
  std::unique_ptr<rocksdb::ColumnFamilyHandle> states_;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;  // a batch queued, or one done
  std::deque<Batch> queue_;
  std::uint64_t queued_ = 0;   // batches ever queued
  std::uint64_t written_ = 0;  // of those, done (written or failed)
  bool stopping_ = false;
  std::thread writer_;  // last: stops before the rest goes
};

}  // namespace mentorlog::projections
