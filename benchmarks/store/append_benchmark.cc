// Durable append throughput of the store against its ceiling, raw RocksDB synced
// Puts of the same bytes from the same number of threads; and the read-all
// decode rate. Results and how to read them: docs/PERFORMANCE.md.
#include <benchmark/benchmark.h>
#include <rocksdb/db.h>

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "events/envelope.h"
#include "store/keys.h"
#include "store/rocksdb_event_store.h"

namespace mentorlog::store {
namespace {

// A fresh directory per benchmark run.
std::filesystem::path FreshDir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("mentorlog-bench-" + name);
  std::filesystem::remove_all(dir);
  return dir;
}

// An event whose stored record is about 400 bytes, like a typical command's.
NewEvent TypicalEvent(int thread, std::int64_t seq) {
  NewEvent e;
  e.stream = "meeting-B" + std::to_string(thread) + "-" + std::to_string(seq % 1000);
  e.type = "ObservationRecorded";
  e.actor = {"M-" + std::to_string(thread), "mentor"};
  e.command_id = "c";
  e.correlation_id = "c";
  e.data = {{"meeting_id", e.stream.substr(8)},
            {"points_for_mentee", "Revise unit 3 and attempt the past paper"},
            {"next_action_items", {"past paper", "lab record"}},
            {"observations", std::string(60, 'o')}};
  return e;
}

std::unique_ptr<RocksDbEventStore> g_store;

void OpenStore(const benchmark::State&) {
  g_store = std::move(*RocksDbEventStore::Open(FreshDir("append")));
}

void CloseStore(const benchmark::State&) {
  g_store.reset();
  std::filesystem::remove_all(FreshDir("append"));
}

// How many events shared each fsync since `before`: the group commit at work.
void ReportEventsPerFsync(benchmark::State& state, const WriterStats& before) {
  const WriterStats after = g_store->Stats();
  const double commits = static_cast<double>(after.commits - before.commits);
  state.counters["events_per_fsync"] =
      commits > 0 ? static_cast<double>(after.events - before.events) / commits : 0;
}

// state.range(0): events per append.
void BM_DurableAppend(benchmark::State& state) {
  const int batch = static_cast<int>(state.range(0));
  std::int64_t seq = 0;
  const WriterStats before = g_store->Stats();
  for (auto _ : state) {
    AppendRequest request;
    for (int i = 0; i < batch; ++i)
      request.events.push_back(TypicalEvent(state.thread_index(), seq++));
    const auto result = g_store->Append(std::move(request));
    if (!result) state.SkipWithError(result.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations() * batch);
  if (state.thread_index() == 0) ReportEventsPerFsync(state, before);
}
BENCHMARK(BM_DurableAppend)
    ->Setup(OpenStore)
    ->Teardown(CloseStore)
    ->ArgName("batch")
    ->Args({1})
    ->Args({10})
    ->Threads(1)
    ->Threads(8)
    ->Threads(64)
    ->UseRealTime()
    ->MinTime(2);

// The server's way of appending: a few threads keep many appends in flight
// through AppendAsync instead of parking one thread per append.
// state.range(0): events per append; state.range(1): appends in flight.
void BM_DurableAppendAsync(benchmark::State& state) {
  const int batch = static_cast<int>(state.range(0));
  const int window = static_cast<int>(state.range(1));
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0;
  bool failed = false;
  std::int64_t seq = 0;
  const WriterStats before = g_store->Stats();
  for (auto _ : state) {
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight < window; });
      ++in_flight;
    }
    AppendRequest request;
    for (int i = 0; i < batch; ++i) request.events.push_back(TypicalEvent(0, seq++));
    g_store->AppendAsync(std::move(request), [&](std::expected<AppendResult, StoreError> r) {
      {
        std::lock_guard lock(mu);
        --in_flight;
        failed = failed || !r.has_value();
      }
      cv.notify_one();
    });
  }
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return in_flight == 0; });
  if (failed) state.SkipWithError("an append failed");
  state.SetItemsProcessed(state.iterations() * batch);
  ReportEventsPerFsync(state, before);
}
BENCHMARK(BM_DurableAppendAsync)
    ->Setup(OpenStore)
    ->Teardown(CloseStore)
    ->ArgNames({"batch", "in_flight"})
    ->ArgsProduct({{1, 10}, {1, 8, 64}})
    ->UseRealTime()
    ->MinTime(2);

std::unique_ptr<rocksdb::DB> g_raw;

void OpenRaw(const benchmark::State&) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.IncreaseParallelism(2);
  rocksdb::DB* db = nullptr;
  if (!rocksdb::DB::Open(options, FreshDir("raw").string(), &db).ok()) std::abort();
  g_raw.reset(db);
}

void CloseRaw(const benchmark::State&) {
  g_raw.reset();
  std::filesystem::remove_all(FreshDir("raw"));
}

// The ceiling: RocksDB's own write group, each thread Put()ing a record of the
// same size with sync = true. state.range(0): events per WriteBatch.
void BM_RawRocksDbSyncedPut(benchmark::State& state) {
  const int batch = static_cast<int>(state.range(0));
  events::Envelope e;
  e.actor = {"M-1", "mentor"};
  e.data = TypicalEvent(0, 0).data;
  e.prev_hash = std::string(events::kZeroHash);
  const std::string record = events::Seal(e);
  rocksdb::WriteOptions sync;
  sync.sync = true;
  std::uint64_t key = static_cast<std::uint64_t>(state.thread_index()) << 40;
  for (auto _ : state) {
    rocksdb::WriteBatch wb;
    for (int i = 0; i < batch; ++i) wb.Put(keys::U64(key++), record);
    if (!g_raw->Write(sync, &wb).ok()) state.SkipWithError("write failed");
  }
  state.SetItemsProcessed(state.iterations() * batch);
  state.counters["record_bytes"] = static_cast<double>(record.size());
}
BENCHMARK(BM_RawRocksDbSyncedPut)
    ->Setup(OpenRaw)
    ->Teardown(CloseRaw)
    ->ArgName("batch")
    ->Args({1})
    ->Args({10})
    ->Threads(1)
    ->Threads(8)
    ->Threads(64)
    ->UseRealTime()
    ->MinTime(2);

// Read-all decode rate over a log of state.range(0) events (written unsynced,
// in large appends, to build it quickly).
void BM_ReadAllDecode(benchmark::State& state) {
  const auto events = static_cast<std::uint64_t>(state.range(0));
  const auto dir = FreshDir("read");
  {
    StoreOptions options;
    options.durability = Durability::kNone;
    auto store = std::move(*RocksDbEventStore::Open(dir, options));
    for (std::uint64_t written = 0; written < events; written += 1000) {
      AppendRequest request;
      for (int i = 0; i < 1000; ++i) {
        request.events.push_back(TypicalEvent(i % 64, static_cast<std::int64_t>(written) + i));
      }
      if (!store->Append(std::move(request))) std::abort();
    }
  }
  StoreOptions read_only;
  read_only.read_only = true;
  auto store = std::move(*RocksDbEventStore::Open(dir, read_only));
  for (auto _ : state) {
    std::uint64_t after = 0;
    for (;;) {
      const auto page = store->ReadAll(after, 10'000);
      if (!page || page->empty()) break;
      after = page->back().position;
      benchmark::DoNotOptimize(page->back().data);
    }
    if (after != events) state.SkipWithError("short read");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(events));
  store.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_ReadAllDecode)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace mentorlog::store
