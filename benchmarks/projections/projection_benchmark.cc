// Read-side costs over a generated term (term_generator.h): reading + decoding
// the log, rebuilding every projection (events/s), rebuilding each one alone,
// start-up with a recent snapshot, the cost of each view query, and peak RSS.
//
// The log is generated once into $MENTORLOG_BENCH_DIR (Default:
// /tmp/mentorlog-projections-bench-<students>) and reused. Size with
// $MENTORLOG_BENCH_STUDENTS (Default: 10000 students, about 1 M events; 100000
// gives about 10 M).

#include <benchmark/benchmark.h>
#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "benchmarks/projections/term_generator.h"
#include "projections/projection_engine.h"
#include "projections/projection_registry.h"
#include "store/rocksdb_event_store.h"

namespace mentorlog::benchmarks {
namespace {

using projections::ProjectionEngine;
using projections::ViewRequest;

int Students() {
  const char* env = std::getenv("MENTORLOG_BENCH_STUDENTS");
  return env ? std::atoi(env) : 10'000;
}

std::filesystem::path Dir() {
  const char* env = std::getenv("MENTORLOG_BENCH_DIR");
  return env ? std::filesystem::path(env)
             : std::filesystem::temp_directory_path() /
                   ("mentorlog-projections-bench-" + std::to_string(Students()));
}

double PeakRssMiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  }
  return 0;
}

// Heap bytes in use (glibc's count of allocated chunks, mmapped ones included).
double HeapInUseMiB() {
  const struct mallinfo2 info = mallinfo2();
  return static_cast<double>(info.uordblks + info.hblkhd) / (1 << 20);
}

// The generated log, opened once per process.
store::RocksDbEventStore& Log() {
  static std::unique_ptr<store::RocksDbEventStore> log = [] {
    const std::filesystem::path dir = Dir();
    if (!std::filesystem::exists(dir / "complete")) {
      std::filesystem::remove_all(dir);
      std::filesystem::create_directories(dir);
      TermOptions options;
      options.students = Students();
      const auto start = std::chrono::steady_clock::now();
      auto written = GenerateTerm(dir / "log", options);
      if (!written) {
        std::fprintf(stderr, "generating the log failed: %s\n", written.error().c_str());
        std::abort();
      }
      std::fprintf(stderr, "generated %llu events for %d students in %.1f s\n",
                   static_cast<unsigned long long>(*written), options.students,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      std::ofstream(dir / "complete") << *written << "\n";
    }
    store::StoreOptions options;
    options.read_only = true;
    auto opened = store::RocksDbEventStore::Open(dir / "log", options);
    if (!opened) std::abort();
    return std::move(*opened);
  }();
  return *log;
}

// Arg 0: data decoded into trees as well (HTTP reads); 1: as text only (replays).
void BM_ReadAndDecodeLog(benchmark::State& state) {
  auto& log = Log();
  const auto form = state.range(0) == 0 ? events::DataForm::kTree : events::DataForm::kText;
  state.SetLabel(state.range(0) == 0 ? "tree" : "text");
  std::uint64_t events = 0;
  for (auto _ : state) {
    for (std::uint64_t after = 0;;) {
      auto read = log.ReadAll(after, 4096, form);
      if (!read || read->empty()) break;
      after = read->back().position;
      events += read->size();
    }
  }
  state.counters["events_per_second"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["events"] = static_cast<double>(log.GetHead().position);
}
BENCHMARK(BM_ReadAndDecodeLog)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

// Every projection from 0: what Open does without snapshots, and a rebuild.
void BM_RebuildAllProjections(benchmark::State& state) {
  auto& log = Log();
  for (auto _ : state) {
    auto engine = ProjectionEngine::Open(log, {});
    if (!engine) std::abort();
    benchmark::DoNotOptimize(engine);
  }
  state.counters["events_per_second"] =
      benchmark::Counter(static_cast<double>(log.GetHead().position * state.iterations()),
                         benchmark::Counter::kIsRate);
  state.counters["peak_rss_MiB"] = PeakRssMiB();
}
BENCHMARK(BM_RebuildAllProjections)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

// One projection from 0, reading and decoding the log itself.
void BM_RebuildOneProjection(benchmark::State& state) {
  auto& log = Log();
  const std::string& name =
      projections::ProjectionNames()[static_cast<std::size_t>(state.range(0))];
  state.SetLabel(name);
  for (auto _ : state) {
    auto p = projections::MakeProjection(name);
    for (std::uint64_t after = 0;;) {
      auto read = log.ReadAll(after, 4096, events::DataForm::kText);
      if (!read || read->empty()) break;
      for (const auto& e : *read) p->Fold(e);
      after = read->back().position;
    }
    benchmark::DoNotOptimize(p);
  }
  state.counters["events_per_second"] =
      benchmark::Counter(static_cast<double>(log.GetHead().position * state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RebuildOneProjection)
    ->DenseRange(0, 8)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

// Folding alone, per projection (index 9: all of them), over the first
// $MENTORLOG_BENCH_FOLD_EVENTS events (Default: 200000) decoded once up front:
// where a rebuild's folding time goes, without the decoding.
const std::vector<events::Envelope>& Decoded() {
  static const std::vector<events::Envelope> decoded = [] {
    const char* env = std::getenv("MENTORLOG_BENCH_FOLD_EVENTS");
    const std::uint64_t want = env ? std::strtoull(env, nullptr, 10) : 200'000;
    std::vector<events::Envelope> out;
    for (std::uint64_t after = 0; after < want;) {
      auto read = Log().ReadAll(after, std::min<std::uint64_t>(4096, want - after),
                                events::DataForm::kText);
      if (!read || read->empty()) break;
      after = read->back().position;
      for (auto& e : *read) out.push_back(std::move(e));
    }
    return out;
  }();
  return decoded;
}

void BM_FoldOnly(benchmark::State& state) {
  const auto& events = Decoded();
  const auto& names = projections::ProjectionNames();
  const auto which = static_cast<std::size_t>(state.range(0));
  state.SetLabel(which < names.size() ? names[which] : "all");
  for (auto _ : state) {
    std::vector<std::unique_ptr<projections::Projection>> ps;
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (which >= names.size() || i == which) ps.push_back(projections::MakeProjection(names[i]));
    }
    for (const auto& e : events) {
      for (auto& p : ps) p->Fold(e);
    }
    state.PauseTiming();  // freeing is not folding
    ps.clear();
    state.ResumeTiming();
  }
  state.counters["events_per_second"] = benchmark::Counter(
      static_cast<double>(events.size() * state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FoldOnly)->DenseRange(0, 9)->Unit(benchmark::kMillisecond)->Iterations(1);

// Where a snapshot's time goes, per projection: SaveBinary (the snapshot form)
// and RestoreBinary (decoding and rebuilding indexes), the size, and the heap
// the folded state holds (`state_MiB`: in use after the fold minus before it).
void BM_SnapshotRoundTrip(benchmark::State& state) {
  auto& log = Log();
  const std::string& name =
      projections::ProjectionNames()[static_cast<std::size_t>(state.range(0))];
  state.SetLabel(name);
  const double heap_before = HeapInUseMiB();
  auto p = projections::MakeProjection(name);
  for (std::uint64_t after = 0;;) {
    auto read = log.ReadAll(after, 4096, events::DataForm::kText);
    if (!read || read->empty()) break;
    for (const auto& e : *read) p->Fold(e);
    after = read->back().position;
  }
  state.counters["state_MiB"] = HeapInUseMiB() - heap_before;
  using Clock = std::chrono::steady_clock;
  double save = 0, restore = 0, bytes = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    const std::string saved = p->SaveBinary();
    const auto t1 = Clock::now();
    auto q = projections::MakeProjection(name);
    if (!q->RestoreBinary(saved, p->Position())) std::abort();
    const auto t2 = Clock::now();
    save += std::chrono::duration<double, std::milli>(t1 - t0).count();
    restore += std::chrono::duration<double, std::milli>(t2 - t1).count();
    bytes = static_cast<double>(saved.size());
    state.PauseTiming();  // freeing is not part of either path
    q.reset();
    state.ResumeTiming();
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["save_ms"] = save / n;
  state.counters["restore_ms"] = restore / n;
  state.counters["snapshot_MiB"] = bytes / (1 << 20);
}
BENCHMARK(BM_SnapshotRoundTrip)
    ->DenseRange(0, 8)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

// Start-up with a snapshot at the head.
void BM_StartupWithSnapshot(benchmark::State& state) {
  auto& log = Log();
  ProjectionEngine::Options options;
  options.snapshot_dir = Dir() / "snapshots";
  {
    auto engine = ProjectionEngine::Open(log, options);  // writes one on close if needed
    if (!engine) std::abort();
    if (!(*engine)->SnapshotNow()) std::abort();
  }
  for (auto _ : state) {
    auto engine = ProjectionEngine::Open(log, options);
    if (!engine) std::abort();
    state.PauseTiming();  // tearing down is not start-up
    engine->reset();
    state.ResumeTiming();
  }
  state.counters["peak_rss_MiB"] = PeakRssMiB();
}
BENCHMARK(BM_StartupWithSnapshot)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

ProjectionEngine& Loaded() {
  static std::unique_ptr<ProjectionEngine> engine = [] {
    ProjectionEngine::Options options;
    options.snapshot_dir = Dir() / "snapshots";  // fast when BM_StartupWithSnapshot ran
    auto opened = ProjectionEngine::Open(Log(), options);
    if (!opened) std::abort();
    return std::move(*opened);
  }();
  return *engine;
}

ViewRequest Request(int which) {
  const events::TimeMs now = *events::ParseTime("2026-08-15T10:00:00Z");
  const events::Actor admin{"A-1", "admin"};
  switch (which) {
    case 0:
      return {"my-mentees", "M-7", {}, {"M-7", "mentor"}, now, {}};
    case 1:
      return {"mentee-timeline", "S-77", {{"limit", "20"}}, {"S-77", "mentee"}, now, {}};
    case 2:
      return {"attendance", "S-77", {}, {"S-77", "mentee"}, now, {}};
    case 3:
      return {"attendance", {}, {{"threshold", "75"}}, admin, now, {}};
    case 4:
      return {"mentor-load", "M-7", {}, {"M-7", "mentor"}, now, {}};
    case 5:
      return {"mentor-load", {}, {}, admin, now, {}};
    case 6:
      return {"meetings", {}, {{"student", "S-77"}}, admin, now, {}};
    case 7:
      return {"meetings", {}, {{"mentor", "M-7"}, {"status", "held"}}, admin, now, {}};
    case 8:
      return {"meetings", "MT-1000", {}, admin, now, {}};
    case 9:
      return {"leaves", {}, {{"status", "pending"}}, admin, now, {}};
    case 10:
      return {"leaves", {}, {}, {"M-7", "mentor"}, now, {}};
    case 11:
      return {"students", "S-77", {}, admin, now, {}};
    case 12:
      return {"students", {}, {{"q", "student number 77"}}, admin, now, {}};
    case 13:
      return {"alerts", {}, {{"status", "open"}}, admin, now, {}};
    case 14:
      return {"alerts", {}, {}, {"M-7", "mentor"}, now, {}};
    default:
      return {"engagement", {}, {}, admin, now, {}};
  }
}

void BM_Query(benchmark::State& state) {
  auto& engine = Loaded();
  const ViewRequest request = Request(static_cast<int>(state.range(0)));
  std::string label = request.view + (request.key ? "/" + *request.key : "");
  for (const auto& [k, v] : request.params) label += " " + k + "=" + v;
  label += " (" + request.reader.role + ")";
  state.SetLabel(label);
  for (auto _ : state) {
    auto result = engine.Query(request);
    if (!result) {
      state.SkipWithError(result.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_Query)->DenseRange(0, 15);

}  // namespace
}  // namespace mentorlog::benchmarks
