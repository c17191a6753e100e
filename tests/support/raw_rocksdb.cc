#include "tests/support/raw_rocksdb.h"

#include <stdexcept>

namespace mentorlog::testing {

RawRocksDb::RawRocksDb(const std::filesystem::path& dir) {
  names_ = {rocksdb::kDefaultColumnFamilyName, "events", "streams", "heads", "idempotency", "meta"};
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : names_) descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  rocksdb::DB* raw = nullptr;
  const auto status =
      rocksdb::DB::Open(rocksdb::DBOptions(), dir.string(), descriptors, &handles_, &raw);
  if (!status.ok()) throw std::runtime_error(status.ToString());
  db_.reset(raw);
}

RawRocksDb::~RawRocksDb() {
  for (auto* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
}

rocksdb::ColumnFamilyHandle* RawRocksDb::Cf(const std::string& name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return handles_[i];
  }
  throw std::invalid_argument("no column family " + name);
}

std::string RawRocksDb::Get(const std::string& cf, const std::string& key) const {
  std::string value;
  const auto status = db_->Get(rocksdb::ReadOptions(), Cf(cf), key, &value);
  if (!status.ok()) throw std::runtime_error(status.ToString());
  return value;
}

void RawRocksDb::Put(const std::string& cf, const std::string& key, const std::string& value) {
  const auto status = db_->Put(rocksdb::WriteOptions(), Cf(cf), key, value);
  if (!status.ok()) throw std::runtime_error(status.ToString());
}

void RawRocksDb::Delete(const std::string& cf, const std::string& key) {
  const auto status = db_->Delete(rocksdb::WriteOptions(), Cf(cf), key);
  if (!status.ok()) throw std::runtime_error(status.ToString());
}

}  // namespace mentorlog::testing
