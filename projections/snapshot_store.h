#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "projections/view.h"

namespace rocksdb {
class DB;
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

// Projection snapshots in their own RocksDB database (not the log's), keyed by
// name and position so as-of reads can start from an older one. Format:
//   key    := name NUL position:u64be
//   value  := header_length:u32be header state
//   header := JSON {"version", "position", "hash"};  state := Projection::SaveBinary()
// Thread-safe.
class SnapshotStore {
  struct ConstructionKey {};  // only Open constructs a store

 public:
  // Opens or creates the database in `dir`. Errors: unavailable with RocksDB's reason.
  static std::expected<std::unique_ptr<SnapshotStore>, ViewError> Open(
      const std::filesystem::path& dir);
  ~SnapshotStore();

  // Writes every snapshot (state and position together) in one atomic, synced
  // WriteBatch, and in the same batch drops all but the newest `keep` snapshots
  // of each name written. Errors: unavailable.
  std::expected<void, ViewError> Write(std::vector<Snapshot> snapshots, std::size_t keep);

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
                              const std::function<bool(const Snapshot&)>& restore,
                              std::uint64_t at_most = UINT64_MAX) const;

  // Every stored position of `name`, ascending (for tests and diagnostics).
  std::vector<std::uint64_t> Positions(const std::string& name) const;

  SnapshotStore(ConstructionKey, std::unique_ptr<rocksdb::DB> db);

 private:
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace mentorlog::projections
