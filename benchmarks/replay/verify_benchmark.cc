// How fast the auditors' tools read a log: `mentorlog verify` (goal: at least
// 500,000 events/s), the chain-only VerifyLog, replay with a filter, and export.
//
//   verify_benchmark [--events=N] [benchmark flags]
//
// Builds one log of N events (default 1,000,000; ~560-byte records shaped like
// MeetingScheduled, 5,000 streams) through the store in a temporary directory,
// exports it and imports the export into a second directory. The store leaves
// its last writes in RocksDB's write-ahead log, which every read-only open
// replays (at most the memtables, ~64 MiB per column family, whatever the
// log's length); import flushes, as a server's data directory is after its
// memtables fill. The tools are measured on the imported log, open included,
// and verify also on the freshly written one. items_per_second is events/s.

#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <streambuf>

#include "replay/export_import.h"
#include "replay/replay.h"
#include "replay/verify.h"
#include "store/rocksdb_event_store.h"

namespace mentorlog::replay {
namespace {

std::uint64_t g_events = 1'000'000;

// Counts bytes and drops them: measures the tools, not a terminal.
class NullBuffer : public std::streambuf {
 public:
  std::uint64_t bytes = 0;

 protected:
  std::streamsize xsputn(const char*, std::streamsize n) override {
    bytes += static_cast<std::uint64_t>(n);
    return n;
  }
  int overflow(int c) override {
    ++bytes;
    return c;
  }
};

// The log, built once, removed at exit.
class BenchLog {
 public:
  BenchLog() {
    dir_ = std::filesystem::temp_directory_path() /
           ("mentorlog-verify-bench-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store::StoreOptions options;
    options.durability = store::Durability::kNone;
    auto opened = store::RocksDbEventStore::Open(dir_ / "tmp", options);
    if (!opened) std::abort();
    store_ = std::move(*opened);
    constexpr std::uint64_t kPerAppend = 500;
    for (std::uint64_t i = 0; i < g_events;) {
      store::AppendRequest request;
      for (std::uint64_t j = 0; j < kPerAppend && i < g_events; ++j, ++i) {
        store::NewEvent e;
        e.stream = "meeting-MT-" + std::to_string(i % 5000);
        e.type = "MeetingScheduled";
        e.actor = {"M-" + std::to_string(i % 50), "mentor"};
        e.command_id = "cmd-" + std::to_string(i);
        e.correlation_id = e.command_id;
        e.data = {{"meeting_id", "MT-" + std::to_string(i % 5000)},
                  {"mentor_id", e.actor.id},
                  {"student_ids", {"S-2026-001", "S-2026-002"}},
                  {"title", "Weekly mentoring session"},
                  {"mode", "online"},
                  {"start", "2026-11-24T10:00:00.000Z"},
                  {"end", "2026-11-24T11:00:00.000Z"},
                  {"status", "proposed"},
                  {"proposed_by", "mentor"}};
        request.events.push_back(std::move(e));
      }
      if (!store_->Append(std::move(request))) std::abort();
    }
    store_.reset();
    fresh_ = dir_ / "fresh";
    std::filesystem::rename(dir_ / "tmp", fresh_);
    export_ = dir_ / "log.jsonl";
    {
      store::StoreOptions read_only;
      read_only.read_only = true;
      auto fresh = store::RocksDbEventStore::Open(fresh_, read_only);
      std::ofstream out(export_);
      if (!fresh || Export(**fresh, out) != g_events) std::abort();
    }
    imported_ = dir_ / "imported";
    std::ifstream in(export_);
    if (!Import(in, imported_)) std::abort();
  }
  ~BenchLog() { std::filesystem::remove_all(dir_); }

  const std::filesystem::path& dir() const { return imported_; }
  const std::filesystem::path& fresh() const { return fresh_; }
  const std::filesystem::path& export_file() const { return export_; }
  const std::filesystem::path& scratch() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::filesystem::path fresh_;
  std::filesystem::path export_;
  std::filesystem::path imported_;
  std::unique_ptr<store::RocksDbEventStore> store_;
};

const BenchLog& Log() {
  static const BenchLog log;
  return log;
}

std::unique_ptr<store::RocksDbEventStore> OpenReadOnly() {
  store::StoreOptions options;
  options.read_only = true;
  auto opened = store::RocksDbEventStore::Open(Log().dir(), options);
  if (!opened) std::abort();
  return std::move(*opened);
}

// CPU seconds used by the whole process (every thread) so far.
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Everything `mentorlog verify` checks: chain, stream index both ways, heads, meta.
// events_per_cpu_s counts the CPU of all its threads: on a shared machine it
// says what the work costs, where items_per_second says what this run got.
void BM_VerifyStore(benchmark::State& state) {
  const auto& log = Log();
  const double cpu_before = ProcessCpuSeconds();
  for (auto _ : state) {
    const auto report = VerifyStore(log.dir());
    if (!report || !report->ok || report->checked != g_events) {
      state.SkipWithError("verify failed");
      return;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * g_events));
  state.counters["events_per_cpu_s"] =
      static_cast<double>(state.iterations() * g_events) / (ProcessCpuSeconds() - cpu_before);
}
BENCHMARK(BM_VerifyStore)->Unit(benchmark::kMillisecond)->UseRealTime();

// As above on the log just written by the store: the open replays its WAL.
void BM_VerifyStoreFreshWal(benchmark::State& state) {
  const auto& log = Log();
  for (auto _ : state) {
    const auto report = VerifyStore(log.fresh());
    if (!report || !report->ok || report->checked != g_events) {
      state.SkipWithError("verify failed");
      return;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * g_events));
}
BENCHMARK(BM_VerifyStoreFreshWal)->Unit(benchmark::kMillisecond)->UseRealTime();

// The chain only, through the EventStore interface.
void BM_VerifyLogChainOnly(benchmark::State& state) {
  auto store = OpenReadOnly();
  for (auto _ : state) {
    const VerifyReport report = VerifyLog(*store);
    if (!report.ok) state.SkipWithError("verify failed");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * g_events));
}
BENCHMARK(BM_VerifyLogChainOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ReplayOneStream(benchmark::State& state) {
  auto store = OpenReadOnly();
  NullBuffer sink;
  std::ostream out(&sink);
  for (auto _ : state) {
    const auto written = Replay(*store, {.stream = "meeting-MT-42"}, out);
    if (!written || *written != g_events / 5000) state.SkipWithError("replay failed");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * g_events));
}
BENCHMARK(BM_ReplayOneStream)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Export(benchmark::State& state) {
  auto store = OpenReadOnly();
  NullBuffer sink;
  std::ostream out(&sink);
  for (auto _ : state) {
    if (Export(*store, out) != g_events) state.SkipWithError("export failed");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * g_events));
  state.SetBytesProcessed(static_cast<std::int64_t>(sink.bytes));
}
BENCHMARK(BM_Export)->Unit(benchmark::kMillisecond)->UseRealTime();

// Import re-parses and re-seals every line (full JSON + RFC 8785), so it is the
// slow one; one iteration.
void BM_Import(benchmark::State& state) {
  const auto& log = Log();
  int n = 0;
  for (auto _ : state) {
    const auto target = log.scratch() / ("import-" + std::to_string(n++));
    std::ifstream in(log.export_file());
    if (!Import(in, target)) state.SkipWithError("import failed");
    state.PauseTiming();
    std::filesystem::remove_all(target);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * g_events));
}
BENCHMARK(BM_Import)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace
}  // namespace mentorlog::replay

// benchmark_main's main, plus --events=N.
int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--events=", 9) == 0) {
      mentorlog::replay::g_events = std::strtoull(argv[i] + 9, nullptr, 10);
      for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
      --argc;
      --i;
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
