#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace mentorlog::replay {

// Direct access to the column families of a RocksDB log (store/keys.h,
// store/FORMAT.md), below the EventStore interface: verify needs the stream
// index, heads and meta as stored, and import writes a log whose records,
// times and hashes come from an export rather than from the store's writer.
// Keeps RocksDB headers out of replay/'s headers.
class RawLog {
 public:
  enum class Cf { kEvents, kStreams, kHeads, kIdempotency, kMeta };

  // Opens an existing log without writing; works while a server has the same
  // directory open. Errors: no log there, or RocksDB's reason.
  static std::expected<std::unique_ptr<RawLog>, std::string> OpenReadOnly(
      const std::filesystem::path& dir);

  // Creates a new, empty log with every column family in `dir`, which must not
  // hold a database. Errors: RocksDB's reason.
  static std::expected<std::unique_ptr<RawLog>, std::string> CreateNew(
      const std::filesystem::path& dir);

  // Closes the database; buffered, unflushed puts are dropped.
  ~RawLog();
  RawLog(const RawLog&) = delete;
  RawLog& operator=(const RawLog&) = delete;

  // Calls visit(key, value) for each entry of `cf` with key >= `start`, in key
  // order, until it returns false. Constant memory; bypasses the block cache.
  // Errors: RocksDB's reason (e.g. a corrupt block). Thread-safe for reads.
  std::expected<void, std::string> Scan(
      Cf cf, std::string_view start,
      const std::function<bool(std::string_view key, std::string_view value)>& visit) const;

  // The value of `key` in `cf`, nullopt when absent. Errors: RocksDB's reason.
  std::expected<std::optional<std::string>, std::string> Get(Cf cf, std::string_view key) const;

  // Writers (CreateNew only, one thread): Put buffers; Flush writes everything
  // buffered as one atomic, fsync'd WriteBatch. Errors: RocksDB's reason.
  void Put(Cf cf, std::string_view key, std::string_view value);
  std::size_t BufferedBytes() const;
  std::expected<void, std::string> Flush();

  // Writers: moves everything written from the write-ahead log into table
  // files, so the next open (read-only ones included) does not replay the WAL.
  std::expected<void, std::string> FlushMemtables();

  struct Impl;

 private:
  explicit RawLog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mentorlog::replay
