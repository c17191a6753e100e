#include "projections/snapshot_store.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <mutex>

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

constexpr std::string_view kStatesFamily = "states";

// Rewrites every snapshot of the first form (the default family held
// header_length:u32be header state under the key, where a header of the second
// form is the JSON text alone) as a header and a state, then compacts the
// default family so the old values are gone from its files: until then,
// iterating the headers would still read the blocks that held them. Run at
// every open, so a move cut short by a crash is finished by the next; on a
// database of the second form it reads the few headers and nothing else.
std::expected<void, std::string> MoveFirstFormSnapshots(rocksdb::DB& db,
                                                        rocksdb::ColumnFamilyHandle& headers,
                                                        rocksdb::ColumnFamilyHandle& states) {
  const auto started = std::chrono::steady_clock::now();
  std::size_t moved = 0;
  std::size_t dropped = 0;
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions(), &headers));
  rocksdb::WriteOptions sync;
  sync.sync = true;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string_view v(it->value().data(), it->value().size());
    if (v.starts_with('{')) continue;  // the second form
    std::size_t header_size = 0;
    for (std::size_t i = 0; i < 4 && i < v.size(); ++i) {
      header_size = (header_size << 8) | static_cast<unsigned char>(v[i]);
    }
    rocksdb::WriteBatch batch;
    if (v.size() < 4 || header_size > v.size() - 4) {
      batch.Delete(&headers, it->key());  // unreadable in either form
      ++dropped;
    } else {
      batch.Put(&states, it->key(),
                rocksdb::Slice(v.data() + 4 + header_size, v.size() - 4 - header_size));
      batch.Put(&headers, it->key(), rocksdb::Slice(v.data() + 4, header_size));
      ++moved;
    }
    if (const rocksdb::Status st = db.Write(sync, &batch); !st.ok()) {
      return std::unexpected(st.ToString());
    }
  }
  if (!it->status().ok()) return std::unexpected(it->status().ToString());
  it.reset();
  if (moved + dropped == 0) return {};
  if (const rocksdb::Status st = db.Flush(rocksdb::FlushOptions(), {&headers, &states}); !st.ok()) {
    return std::unexpected(st.ToString());
  }
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  if (const rocksdb::Status st = db.CompactRange(compact, &headers, nullptr, nullptr); !st.ok()) {
    return std::unexpected(st.ToString());
  }
  spdlog::info(
      "snapshot store: {} snapshots moved to the second form ({} unreadable dropped) in {} ms",
      moved, dropped,
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                            started)
          .count());
  return {};
}

}  // namespace

SnapshotStore::SnapshotStore(ConstructionKey, std::unique_ptr<rocksdb::DB> db,
                             std::unique_ptr<rocksdb::ColumnFamilyHandle> headers,
                             std::unique_ptr<rocksdb::ColumnFamilyHandle> states)
    : db_(std::move(db)),
      headers_(std::move(headers)),
      states_(std::move(states)),
      writer_(&SnapshotStore::WriterLoop, this) {}

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
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;  // "states", in a database of the first form
  options.info_log = store::NewRocksDbLogger("projections");  // see store/rocksdb_logger.h
  options.atomic_flush = true;  // WriteNow's batch is durable in both families, or in neither
  // Written out a megabyte at a time as a flush goes: on ext4 the log's own
  // fdatasync can otherwise wait for hundreds of megabytes of a snapshot's dirty
  // pages (its journal commit orders them), stalling every command meanwhile.
  options.bytes_per_sync = 1 << 20;
  // Made here, RocksDB need not create it, which it reports as an error.
  std::error_code ignored;
  std::filesystem::create_directories(dir, ignored);
  const std::vector<rocksdb::ColumnFamilyDescriptor> descriptors{
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
      {std::string(kStatesFamily), rocksdb::ColumnFamilyOptions()}};
  std::vector<rocksdb::ColumnFamilyHandle*> raw_families;
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status s =
      rocksdb::DB::Open(options, dir.string(), descriptors, &raw_families, &raw);
  if (!s.ok()) return std::unexpected(Unavailable("snapshot store: " + s.ToString()));
  std::unique_ptr<rocksdb::DB> db(raw);
  std::unique_ptr<rocksdb::ColumnFamilyHandle> headers(raw_families[0]);  // as in descriptors
  std::unique_ptr<rocksdb::ColumnFamilyHandle> states(raw_families[1]);
  if (auto moved = MoveFirstFormSnapshots(*db, *headers, *states); !moved) {
    return std::unexpected(Unavailable("snapshot store: " + moved.error()));
  }
  return std::make_unique<SnapshotStore>(ConstructionKey{}, std::move(db), std::move(headers),
                                         std::move(states));
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
  rocksdb::ColumnFamilyHandle* headers = headers_.get();
  rocksdb::ColumnFamilyHandle* states = states_.get();
  rocksdb::WriteBatch batch;
  for (const Snapshot& s : snapshots) {
    const std::string key = Key(s.name, s.position);
    batch.Put(
        headers, key,
        nlohmann::json{{"version", s.version}, {"position", s.position}, {"hash", s.hash}}.dump());
    batch.Put(states, key, s.state);
    // Older ones beyond `keep` (counting the one being written).
    std::vector<std::uint64_t> older;
    for (const std::uint64_t p : PositionsNow(s.name)) {
      if (p != s.position) older.push_back(p);
    }
    const std::size_t drop = older.size() + 1 > keep ? older.size() + 1 - keep : 0;
    for (std::size_t i = 0; i < drop && i < older.size(); ++i) {
      const std::string old_key = Key(s.name, older[i]);
      batch.Delete(headers, old_key);
      batch.Delete(states, old_key);
    }
  }
  // Not through the write-ahead log: a synced log write and then the flush
  // (without which the headers' family, seldom full, would keep that log and
  // the next Open read it again) wrote the states twice, hundreds of megabytes
  // at 10 M events. The flush is atomic across both families
  // (DBOptions::atomic_flush), so a crash before it ends loses the whole batch,
  // never half of it.
  rocksdb::WriteOptions options;
  options.disableWAL = true;
  if (const rocksdb::Status st = db_->Write(options, &batch); !st.ok()) {
    return std::unexpected(Unavailable("snapshot write: " + st.ToString()));
  }
  if (const rocksdb::Status st = db_->Flush(rocksdb::FlushOptions(), {headers, states}); !st.ok()) {
    return std::unexpected(Unavailable("snapshot flush: " + st.ToString()));
  }
  return {};
}

std::optional<Snapshot> SnapshotStore::Newest(const std::string& name,
                                              std::uint64_t at_most) const {
  rocksdb::PinnableSlice state;
  std::optional<Snapshot> snap = NewestInPlace(name, at_most, state);
  if (snap) snap->state = state.ToString();
  return snap;
}

std::optional<Snapshot> SnapshotStore::NewestInPlace(const std::string& name, std::uint64_t at_most,
                                                     rocksdb::PinnableSlice& state) const {
  Flush();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), headers_.get()));
  const std::string prefix = Prefix(name);
  it->SeekForPrev(Key(name, at_most));
  if (!it->Valid() || !it->key().starts_with(prefix) || it->key().size() != prefix.size() + 8) {
    return std::nullopt;
  }
  if (!db_->Get(rocksdb::ReadOptions(), states_.get(), it->key(), &state).ok()) {
    return std::nullopt;
  }
  const std::string_view header_text(it->value().data(), it->value().size());
  const nlohmann::json header = nlohmann::json::parse(header_text, nullptr, false);
  if (!header.is_object() || !header.contains("version") ||
      !header["version"].is_number_integer() || !header.contains("position") ||
      !header["position"].is_number_unsigned() || !header.contains("hash") ||
      !header["hash"].is_string()) {
    return std::nullopt;
  }
  return Snapshot{name, header["version"].get<int>(), header["position"].get<std::uint64_t>(),
                  header["hash"].get<std::string>(), ""};
}

std::uint64_t SnapshotStore::RestoreNewest(std::string_view who, const std::string& name,
                                           int version, const store::EventStore& log,
                                           const std::function<bool(const StoredState&)>& restore,
                                           std::uint64_t at_most) const {
  using Clock = std::chrono::steady_clock;
  const auto ms_since = [](Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
  };
  const auto read_start = Clock::now();
  rocksdb::PinnableSlice state;  // decoded where RocksDB read it, not copied
  const std::optional<Snapshot> snap = NewestInPlace(name, at_most, state);
  if (!snap || snap->position == 0) return 0;
  const auto read_ms = ms_since(read_start);
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
    const auto restore_start = Clock::now();
    if (restore({snap->position, state.ToStringView()})) {
      spdlog::info("{}: snapshot at {} ({} bytes) read in {} ms, restored in {} ms", who,
                   snap->position, state.size(), read_ms, ms_since(restore_start));
      return snap->position;
    }
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
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), headers_.get()));
  const std::string prefix = Prefix(name);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (it->key().size() == prefix.size() + 8) out.push_back(PositionOf(it->key()));
  }
  return out;
}

}  // namespace mentorlog::projections
