#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "events/canonical_json.h"
#include "events/envelope.h"
#include "projections/view.h"
#include "store/event_store.h"

namespace mentorlog::projections {

// What a query may use besides the projection's state.
struct QueryContext {
  // The log, for views that keep positions rather than copies of events (the
  // timeline). Reads only positions <= the projection's position. Never null when
  // called by the engine.
  const store::EventStore* log = nullptr;
};

// A read model: a pure fold of committed events with a name (the view it serves)
// and a version (bump it when the state or its meaning changes; snapshots of
// another version are discarded and the projection is rebuilt from the log).
//
// Apply is deterministic: the state after a sequence of events depends only on
// those events, never on the clock, I/O or globals. Query may use `now` from the
// request. Not thread-safe: the engine serialises Apply against Query.
class Projection {
 public:
  virtual ~Projection() = default;

  // The view name, e.g. "attendance".
  virtual std::string_view Name() const = 0;
  virtual int Version() const = 0;

  // Folds one event whose position is Position() + 1 and records that position.
  // Folds read data through e.Data(); an envelope built by hand without its
  // data text (tests) is given one first.
  void Fold(const events::Envelope& e) {
    if (e.data_text.empty()) [[unlikely]] {
      events::Envelope with_text = e;
      with_text.SetDataText(events::CanonicalJson(e.data));
      Apply(with_text);
    } else {
      Apply(e);
    }
    position_ = e.position;
  }

  // The position of the last event folded (0 = none).
  std::uint64_t Position() const { return position_; }

  // Answers `request` from the state (the read rules are checked here: who may
  // read what). Errors: invalid_argument (a bad parameter), forbidden, not_found.
  virtual std::expected<nlohmann::json, ViewError> Query(const ViewRequest& request,
                                                         const QueryContext& context) const = 0;

  // The state as JSON, for snapshots and for comparing two instances (equal
  // states give equal JSON).
  virtual nlohmann::json Save() const = 0;

  // Replaces the state with one produced by Save() of the same Version() and sets
  // the position. Returns false (state unspecified; discard the instance) when
  // `state` does not have the expected shape.
  bool Restore(const nlohmann::json& state, std::uint64_t position) {
    position_ = position;
    return Load(state);
  }

  // The same state in the compact binary form snapshots store (much faster to
  // write and read than JSON; not meant for comparing instances).
  virtual std::string SaveBinary() const = 0;

  // As Restore, from SaveBinary() of the same Version(). Returns false when the
  // bytes are not such a state.
  bool RestoreBinary(std::string_view state, std::uint64_t position) {
    position_ = position;
    return LoadBinary(state);
  }

 protected:
  virtual void Apply(const events::Envelope& e) = 0;
  virtual bool Load(const nlohmann::json& state) = 0;
  virtual bool LoadBinary(std::string_view state) = 0;

 private:
  std::uint64_t position_ = 0;
};

}  // namespace mentorlog::projections
