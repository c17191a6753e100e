#pragma once

#include <atomic>
#include <memory>

#include "projections/projection_engine.h"
#include "store/rocksdb_event_store.h"
#include "tests/projections/projection_test_support.h"
#include "tests/support/temp_dir.h"

namespace mentorlog::projections::testing {

// A real RocksDB log in a temp dir whose commit hook feeds whichever engine is
// attached (none at first), on a clock the test moves.
class LogAndEngine {
 public:
  explicit LogAndEngine(bool durable = false) {
    store::StoreOptions options;
    options.durability = durable ? store::Durability::kSync : store::Durability::kNone;
    options.clock = [this] { return clock_.load(); };
    options.commit_hook = [this](store::CommittedBatch batch) {
      if (auto* engine = attached_.load()) engine->OnCommitted(std::move(batch));
    };
    auto opened = store::RocksDbEventStore::Open(dir_.path() / "log", std::move(options));
    if (!opened) throw std::runtime_error(opened.error().message);
    store_ = std::move(*opened);
  }
  ~LogAndEngine() { Detach(); }

  // Opens an engine on the log and attaches it to the commit hook.
  ProjectionEngine& Attach(ProjectionEngine::Options options = {}) {
    Detach();
    auto opened = ProjectionEngine::Open(*store_, std::move(options));
    if (!opened) throw std::runtime_error(opened.error().message);
    engine_ = std::move(*opened);
    attached_ = engine_.get();
    return *engine_;
  }
  void Detach() {
    attached_ = nullptr;
    engine_.reset();
  }

  // Appends one event (stream derived from the type's subject).
  std::uint64_t Append(std::string type, json data, events::Actor actor = kAdmin) {
    store::AppendRequest r;
    store::NewEvent e;
    e.stream = "test-1";
    e.type = std::move(type);
    e.data = std::move(data);
    e.actor = std::move(actor);
    r.events.push_back(std::move(e));
    auto done = store_->Append(std::move(r));
    if (!done) throw std::runtime_error(done.error().message);
    clock_ += 1000;
    return done->last_position;
  }

  // Appends every event of `log` (types, data, actors; times from the clock).
  void Append(const LogBuilder& log) {
    for (const auto& e : log.events()) Append(e.type, e.data, e.actor);
  }

  std::uint64_t Head() const { return store_->GetHead().position; }
  store::RocksDbEventStore& log() { return *store_; }
  ProjectionEngine& engine() { return *engine_; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::atomic<events::TimeMs>& clock() { return clock_; }

 private:
  ::mentorlog::testing::TempDir dir_;
  std::atomic<events::TimeMs> clock_{T("2026-11-01T08:00:00Z")};
  std::unique_ptr<store::RocksDbEventStore> store_;
  std::unique_ptr<ProjectionEngine> engine_;
  std::atomic<ProjectionEngine*> attached_{nullptr};
};

// Every projection folded from scratch over the whole log, saved, keyed by name.
inline json FoldFromScratch(const store::EventStore& log) {
  json out = json::object();
  for (const std::string& name : ProjectionNames()) {
    auto p = MakeProjection(name);
    std::uint64_t after = 0;
    for (;;) {
      auto read = log.ReadAll(after, 4096);
      if (!read || read->empty()) break;
      for (const auto& e : *read) p->Fold(e);
      after = read->back().position;
    }
    out[name] = p->Save();
  }
  return out;
}

}  // namespace mentorlog::projections::testing
