#pragma once

#include <rocksdb/db.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace mentorlog::testing {

// Direct access to a closed store's RocksDB, for tests that tamper with what is
// stored, as an attacker with disk access would.
class RawRocksDb {
 public:
  explicit RawRocksDb(const std::filesystem::path& dir);
  ~RawRocksDb();

  // Column family by name: events, streams, heads, idempotency, meta.
  rocksdb::ColumnFamilyHandle* Cf(const std::string& name) const;
  std::string Get(const std::string& cf, const std::string& key) const;
  void Put(const std::string& cf, const std::string& key, const std::string& value);
  void Delete(const std::string& cf, const std::string& key);

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<std::string> names_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

}  // namespace mentorlog::testing
