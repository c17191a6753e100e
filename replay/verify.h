#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/event_store.h"

namespace mentorlog::replay {

// What `verify` found. `ok` is true when every checked record is intact.
struct VerifyReport {
  bool ok = true;
  std::uint64_t checked = 0;        // records checked
  std::uint64_t last_position = 0;  // last position checked
  std::string last_hash;            // its hash
  // The first position where something is wrong, and what.
  std::optional<std::uint64_t> bad_position;
  std::string problem;
};

// Walks the hash chain from position `from` (1 = the whole log) to the head:
// positions gapless, each record's stored hash equal to the SHA-256 of its bytes
// without `hash`, each `prev_hash` equal to the previous record's hash, the
// record's own `position` equal to its key, and the last record equal to the
// stored head. Stops at the first problem. Reads records raw (no JSON tree), in
// constant memory.
VerifyReport VerifyLog(const store::EventStore& store, std::uint64_t from = 1);

}  // namespace mentorlog::replay
