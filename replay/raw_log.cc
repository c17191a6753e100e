#include "replay/raw_log.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <vector>

#include "store/keys.h"

namespace mentorlog::replay {

struct RawLog::Impl {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // default, then Cf order
  rocksdb::WriteBatch batch;

  rocksdb::ColumnFamilyHandle* Handle(Cf cf) const { return handles[static_cast<int>(cf) + 1]; }

  ~Impl() {
    for (auto* h : handles) {
      if (db) db->DestroyColumnFamilyHandle(h);
    }
    db.reset();
  }
};

namespace {

std::expected<std::unique_ptr<RawLog::Impl>, std::string> OpenImpl(const std::filesystem::path& dir,
                                                                   bool create) {
  rocksdb::DBOptions options;
  options.create_if_missing = create;
  options.create_missing_column_families = create;
  options.error_if_exists = create;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const char* name :
       {rocksdb::kDefaultColumnFamilyName.c_str(), store::keys::kEvents, store::keys::kStreams,
        store::keys::kHeads, store::keys::kIdempotency, store::keys::kMeta}) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  auto impl = std::make_unique<RawLog::Impl>();
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status status =
      create
          ? rocksdb::DB::Open(options, dir.string(), descriptors, &impl->handles, &raw)
          : rocksdb::DB::OpenForReadOnly(options, dir.string(), descriptors, &impl->handles, &raw);
  if (!status.ok()) {
    return std::unexpected("cannot open the log in " + dir.string() + ": " + status.ToString());
  }
  impl->db.reset(raw);
  return impl;
}

}  // namespace

RawLog::RawLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RawLog::~RawLog() = default;

std::expected<std::unique_ptr<RawLog>, std::string> RawLog::OpenReadOnly(
    const std::filesystem::path& dir) {
  auto impl = OpenImpl(dir, false);
  if (!impl) return std::unexpected(impl.error());
  return std::unique_ptr<RawLog>(new RawLog(std::move(*impl)));
}

std::expected<std::unique_ptr<RawLog>, std::string> RawLog::CreateNew(
    const std::filesystem::path& dir) {
  auto impl = OpenImpl(dir, true);
  if (!impl) return std::unexpected(impl.error());
  return std::unique_ptr<RawLog>(new RawLog(std::move(*impl)));
}

std::expected<void, std::string> RawLog::Scan(
    Cf cf, std::string_view start,
    const std::function<bool(std::string_view, std::string_view)>& visit) const {
  rocksdb::ReadOptions read_options;
  read_options.fill_cache = false;  // a full scan would evict a running server's working set
  read_options.readahead_size = 4 << 20;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(read_options, impl_->Handle(cf)));
  for (it->Seek(rocksdb::Slice(start.data(), start.size())); it->Valid(); it->Next()) {
    if (!visit(it->key().ToStringView(), it->value().ToStringView())) return {};
  }
  if (!it->status().ok()) return std::unexpected(it->status().ToString());
  return {};
}

std::expected<std::optional<std::string>, std::string> RawLog::Get(Cf cf,
                                                                   std::string_view key) const {
  std::string value;
  const rocksdb::Status s = impl_->db->Get(rocksdb::ReadOptions(), impl_->Handle(cf),
                                           rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return std::unexpected(s.ToString());
  return std::optional<std::string>(std::move(value));
}

void RawLog::Put(Cf cf, std::string_view key, std::string_view value) {
  // WriteBatch::Put fails only past its size limit (none is set).
  (void)impl_->batch.Put(impl_->Handle(cf), rocksdb::Slice(key.data(), key.size()),
                         rocksdb::Slice(value.data(), value.size()));
}

std::size_t RawLog::BufferedBytes() const { return impl_->batch.GetDataSize(); }

std::expected<void, std::string> RawLog::Flush() {
  if (impl_->batch.Count() == 0) return {};
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  const rocksdb::Status s = impl_->db->Write(write_options, &impl_->batch);
  impl_->batch.Clear();
  if (!s.ok()) return std::unexpected(s.ToString());
  return {};
}

std::expected<void, std::string> RawLog::FlushMemtables() {
  std::vector<rocksdb::ColumnFamilyHandle*> cfs(impl_->handles.begin() + 1, impl_->handles.end());
  const rocksdb::Status s = impl_->db->Flush(rocksdb::FlushOptions(), cfs);
  if (!s.ok()) return std::unexpected(s.ToString());
  return {};
}

}  // namespace mentorlog::replay
