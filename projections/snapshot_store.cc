#include "projections/snapshot_store.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "store/event_store.h"
#include "store/rocksdb_logger.h"

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

SnapshotStore::SnapshotStore(ConstructionKey, std::unique_ptr<rocksdb::DB> db)
    : db_(std::move(db)), writer_(&SnapshotStore::WriterLoop, this) {}

SnapshotStore::~SnapshotStore() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  writer_.join();
}

std::expected<std::unique_ptr<SnapshotStore>, ViewError> SnapshotStore::Open(
    const std::filesystem::path& dir) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.info_log = store::NewRocksDbLogger("projections");  // see store/rocksdb_logger.h
  // Made here, RocksDB need not create it, which it reports as an error.
  std::error_code ignored;
  std::filesystem::create_directories(dir, ignored);
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status s = rocksdb::DB::Open(options, dir.string(), &raw);
  if (!s.ok()) return std::unexpected(Unavailable("snapshot store: " + s.ToString()));
  return std::make_unique<SnapshotStore>(ConstructionKey{}, std::unique_ptr<rocksdb::DB>(raw));
}

std::expected<void, ViewError> SnapshotStore::Write(std::vector<Snapshot> snapshots,
                                                    std::size_t keep) {
  Flush();  // in order after the queued ones, which `keep` counts
  return WriteNow(std::move(snapshots), keep);
}

void SnapshotStore::WriteAsync(std::vector<Snapshot> snapshots, std::size_t keep) {
  const auto names = [](const std::vector<Snapshot>& batch) {
    std::vector<std::string_view> out;
    for (const Snapshot& s : batch) out.push_back(s.name);
    std::ranges::sort(out);
    return out;
  };
  const auto new_names = names(snapshots);
  {
    std::lock_guard lock(mu_);
    const auto same = std::ranges::find_if(
        queue_, [&](const Batch& queued) { return names(queued.snapshots) == new_names; });
    if (same != queue_.end()) {
      *same = {std::move(snapshots), keep};  // the newer replaces it; counted once
    } else {
      queue_.push_back({std::move(snapshots), keep});
      ++queued_;
    }
  }
  cv_.notify_all();
}

void SnapshotStore::Flush() const {
  std::unique_lock lock(mu_);
  const std::uint64_t target = queued_;
  cv_.wait(lock, [&] { return written_ >= target; });
}

void SnapshotStore::WriterLoop() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, with everything written
    Batch batch = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    const auto started = std::chrono::steady_clock::now();
    std::size_t bytes = 0;
    std::string names;
    for (const Snapshot& s : batch.snapshots) {
      bytes += s.state.size();
      names += names.empty() ? s.name : "," + s.name;
    }
    const std::uint64_t position = batch.snapshots.empty() ? 0 : batch.snapshots[0].position;
    if (auto written = WriteNow(std::move(batch.snapshots), batch.keep); !written) {
      spdlog::warn("snapshot of {} at {} not written: {}", names, position,
                   written.error().message);
    } else {
      spdlog::info("snapshot of {} at {} ({} bytes) written in {} ms", names, position, bytes,
                   std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - started)
                       .count());
    }
    lock.lock();
    ++written_;
    cv_.notify_all();
  }
}

std::expected<void, ViewError> SnapshotStore::WriteNow(std::vector<Snapshot> snapshots,
                                                       std::size_t keep) {
  rocksdb::WriteBatch batch;
  for (Snapshot& s : snapshots) {
    const std::string header =
        nlohmann::json{{"version", s.version}, {"position", s.position}, {"hash", s.hash}}.dump();
    std::string value;
    value.reserve(4 + header.size() + s.state.size());
    for (int shift = 24; shift >= 0; shift -= 8) {
      value.push_back(static_cast<char>((header.size() >> shift) & 0xff));
    }
    value += header;
    value += s.state;
    batch.Put(Key(s.name, s.position), value);
    // Older ones beyond `keep` (counting the one being written).
    std::vector<std::uint64_t> older;
    for (const std::uint64_t p : PositionsNow(s.name)) {
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
  Flush();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  const std::string prefix = Prefix(name);
  it->SeekForPrev(Key(name, at_most));
  if (!it->Valid() || !it->key().starts_with(prefix) || it->key().size() != prefix.size() + 8) {
    return std::nullopt;
  }
  const std::string_view v(it->value().data(), it->value().size());
  if (v.size() < 4) return std::nullopt;
  std::size_t header_size = 0;
  for (int i = 0; i < 4; ++i) header_size = (header_size << 8) | static_cast<unsigned char>(v[i]);
  if (header_size > v.size() - 4) return std::nullopt;
  const nlohmann::json header = nlohmann::json::parse(v.substr(4, header_size), nullptr, false);
  if (!header.is_object() || !header.contains("version") ||
      !header["version"].is_number_integer() || !header.contains("position") ||
      !header["position"].is_number_unsigned() || !header.contains("hash") ||
      !header["hash"].is_string()) {
    return std::nullopt;
  }
  return Snapshot{name, header["version"].get<int>(), header["position"].get<std::uint64_t>(),
                  header["hash"].get<std::string>(), std::string(v.substr(4 + header_size))};
}

std::uint64_t SnapshotStore::RestoreNewest(std::string_view who, const std::string& name,
                                           int version, const store::EventStore& log,
                                           const std::function<bool(const Snapshot&)>& restore,
                                           std::uint64_t at_most) const {
  const std::optional<Snapshot> snap = Newest(name, at_most);
  if (!snap || snap->position == 0) return 0;
  if (snap->version != version) {
    spdlog::info("{}: snapshot at {} is of form {}, not {}; folding the log", who, snap->position,
                 snap->version, version);
    return 0;
  }
  const auto at = log.ReadAt(snap->position);
  if (!at || at->hash != snap->hash) {
    spdlog::info("{}: snapshot at {} is of another log; folding the log", who, snap->position);
    return 0;
  }
  std::string why = "undecodable";
  try {
    if (restore(*snap)) return snap->position;
  } catch (const std::exception& e) {
    why = e.what();
  }
  spdlog::warn("{}: snapshot at {} unreadable ({}); folding the log", who, snap->position, why);
  return 0;
}

std::vector<std::uint64_t> SnapshotStore::Positions(const std::string& name) const {
  Flush();
  return PositionsNow(name);
}

std::vector<std::uint64_t> SnapshotStore::PositionsNow(const std::string& name) const {
  std::vector<std::uint64_t> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  const std::string prefix = Prefix(name);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (it->key().size() == prefix.size() + 8) out.push_back(PositionOf(it->key()));
  }
  return out;
}

}  // namespace mentorlog::projections
