#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "events/time.h"
#include "store/event_store.h"

namespace mentorlog::replay {

// Which events `mentorlog replay` prints: every condition set must hold.
struct ReplayFilter {
  // Positions > after. Default: 0 (from the start).
  std::uint64_t after = 0;
  // Positions <= until_position. Default: none (up to the head).
  std::optional<std::uint64_t> until_position = std::nullopt;
  // Recorded time >= from_time. Default: none.
  std::optional<events::TimeMs> from_time = std::nullopt;
  // Recorded time <= until_time. Default: none.
  std::optional<events::TimeMs> until_time = std::nullopt;
  // Exactly this stream. Default: any.
  std::optional<std::string> stream = std::nullopt;
  // Exactly this event type. Default: any.
  std::optional<std::string> type = std::nullopt;
  // actor.id equal to this. Default: any.
  std::optional<std::string> actor = std::nullopt;
};

// Sets `filter`'s upper bound from `--until`'s value: a decimal position, or an
// RFC 3339 time (inclusive). Errors: a message when it is neither.
std::expected<void, std::string> SetUntil(ReplayFilter& filter, std::string_view text);

// Writes each matching event to `out` as one line: the stored canonical bytes
// of its envelope (API.md, byte for byte what was hashed plus `hash`) and '\n',
// in position order, up to the head as it was when Replay started. A time bound
// is first turned into a position bound by binary search over positions (times
// never decrease along positions, store/FORMAT.md), so a narrow time window
// reads only its own records. Streaming: memory is constant in the log's length.
// Returns the number of lines written. Errors: a record cannot be read or
// parsed, or `out` fails. Thread-safe as the store's reads are.
// Writes the stored records with `after` < position <= `last` that `select`
// keeps, one per line, as stored (the canonical envelope). `select` returns
// false to skip a record, or sets `problem` to stop with that error. Returns
// the number of lines written. Errors: `problem`, a store read, or `out` failing.
std::expected<std::uint64_t, std::string> WriteRecordLines(
    const store::EventStore& store, std::uint64_t after, std::uint64_t last,
    const std::function<bool(std::uint64_t position, std::string_view record,
                             std::string& problem)>& select,
    std::ostream& out);

std::expected<std::uint64_t, std::string> Replay(const store::EventStore& store,
                                                 const ReplayFilter& filter, std::ostream& out);

// The position range [first, last] a time range covers: the first position with
// time >= from (1 past the head when none), and the last with time <= until (0
// when none). Binary search; O(log head) record reads. Errors: a read failure.
std::expected<std::uint64_t, std::string> FirstPositionAtOrAfter(const store::EventStore& store,
                                                                 events::TimeMs from);
std::expected<std::uint64_t, std::string> LastPositionAtOrBefore(const store::EventStore& store,
                                                                 events::TimeMs until);

}  // namespace mentorlog::replay
