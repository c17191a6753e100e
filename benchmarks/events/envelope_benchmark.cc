// Per-record costs of the envelope: sealing (canonical form + SHA-256), full
// decoding, and the raw hash check that `verify` uses.
#include <benchmark/benchmark.h>

#include "events/canonical_json.h"
#include "events/envelope.h"

namespace mentorlog::events {
namespace {

Envelope Typical() {
  Envelope e;
  e.position = 1042;
  e.stream = "meeting-MT-9";
  e.version = 3;
  e.type = "ObservationRecorded";
  e.id = NewUuid();
  e.time = 1795420800123;
  e.actor = {"M-7", "mentor"};
  e.command_id = "cmd-1";
  e.correlation_id = "cmd-1";
  e.data = {{"meeting_id", "MT-9"},
            {"points_for_mentee", "Revise unit 3 and attempt the past paper"},
            {"next_action_items", {"past paper", "lab record"}},
            {"observations", std::string(60, 'o')}};
  e.prev_hash = std::string(kZeroHash);
  return e;
}

void BM_Seal(benchmark::State& state) {
  Envelope e = Typical();
  const std::string data = CanonicalJson(e.data);
  for (auto _ : state) benchmark::DoNotOptimize(Seal(e, data));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Seal);

void BM_CanonicalData(benchmark::State& state) {
  const Envelope e = Typical();
  for (auto _ : state) benchmark::DoNotOptimize(CanonicalJson(e.data));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CanonicalData);

void BM_DecodeRecord(benchmark::State& state) {
  Envelope e = Typical();
  const std::string record = Seal(e);
  for (auto _ : state) benchmark::DoNotOptimize(DecodeRecord(record));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(record.size()));
}
BENCHMARK(BM_DecodeRecord);

void BM_CheckRecordHash(benchmark::State& state) {
  Envelope e = Typical();
  const std::string record = Seal(e);
  for (auto _ : state) benchmark::DoNotOptimize(CheckRecordHash(record));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CheckRecordHash);

}  // namespace
}  // namespace mentorlog::events
