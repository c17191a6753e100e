#include "projections/snapshot_store.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

namespace mentorlog::projections {
namespace {

std::string Key(const std::string& name, std::uint64_t position) {
  std::string key = name;
  key.push_back('\0');
  for (int shift = 56; shift >= 0; shift -= 8) {
    key.push_back(static_cast<char>((position >> shift) & 0xff));
  }
  return key;
}

std::uint64_t PositionOf(const rocksdb::Slice& key) {
  std::uint64_t p = 0;
  for (std::size_t i = key.size() - 8; i < key.size(); ++i) {
    p = (p << 8) | static_cast<unsigned char>(key.data()[i]);
  }
  return p;
}

std::string Prefix(const std::string& name) { return name + std::string(1, '\0'); }

}  // namespace

SnapshotStore::SnapshotStore(ConstructionKey, std::unique_ptr<rocksdb::DB> db) : db_(std::move(db)) {}
SnapshotStore::~SnapshotStore() = default;

std::expected<std::unique_ptr<SnapshotStore>, ViewError> SnapshotStore::Open(
    const std::filesystem::path& dir) {
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status s = rocksdb::DB::Open(options, dir.string(), &raw);
  if (!s.ok()) return std::unexpected(Unavailable("snapshot store: " + s.ToString()));
  return std::make_unique<SnapshotStore>(ConstructionKey{}, std::unique_ptr<rocksdb::DB>(raw));
}

std::expected<void, ViewError> SnapshotStore::Write(std::vector<Snapshot> snapshots,
                                                    std::size_t keep) {
  rocksdb::WriteBatch batch;
  for (Snapshot& s : snapshots) {
    nlohmann::json value = nlohmann::json::object();
    value["version"] = s.version;
    value["position"] = s.position;
    value["hash"] = s.hash;
    value["state"] = std::move(s.state);  // large: moved, not copied
    const std::vector<std::uint8_t> bytes = nlohmann::json::to_cbor(value);
    batch.Put(Key(s.name, s.position),
              rocksdb::Slice(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    // Older ones beyond `keep` (counting the one being written).
    std::vector<std::uint64_t> older;
    for (const std::uint64_t p : Positions(s.name)) {
      if (p != s.position) older.push_back(p);
    }
    const std::size_t drop = older.size() + 1 > keep ? older.size() + 1 - keep : 0;
    for (std::size_t i = 0; i < drop && i < older.size(); ++i) batch.Delete(Key(s.name, older[i]));
  }
  rocksdb::WriteOptions options;
  options.sync = true;
  const rocksdb::Status st = db_->Write(options, &batch);
  if (!st.ok()) return std::unexpected(Unavailable("snapshot write: " + st.ToString()));
  return {};
}

std::optional<Snapshot> SnapshotStore::Newest(const std::string& name,
                                              std::uint64_t at_most) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  const std::string prefix = Prefix(name);
  it->SeekForPrev(Key(name, at_most));
  if (!it->Valid() || !it->key().starts_with(prefix) || it->key().size() != prefix.size() + 8) {
    return std::nullopt;
  }
  try {
    const rocksdb::Slice v = it->value();
    nlohmann::json value = nlohmann::json::from_cbor(
        reinterpret_cast<const std::uint8_t*>(v.data()),
        reinterpret_cast<const std::uint8_t*>(v.data()) + v.size());
    return Snapshot{name, value.at("version").get<int>(),
                    value.at("position").get<std::uint64_t>(),
                    value.at("hash").get<std::string>(), std::move(value.at("state"))};
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::vector<std::uint64_t> SnapshotStore::Positions(const std::string& name) const {
  std::vector<std::uint64_t> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  const std::string prefix = Prefix(name);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (it->key().size() == prefix.size() + 8) out.push_back(PositionOf(it->key()));
  }
  return out;
}

}  // namespace mentorlog::projections
