#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "store/event_store.h"

namespace mentorlog::replay {

// What `verify` found. `ok` is true when every checked record is intact.
struct VerifyReport {
  bool ok = true;
  std::uint64_t checked = 0;        // records checked
  std::uint64_t last_position = 0;  // last position checked
  std::string last_hash;            // its hash
  // The first position where something is wrong, and what. A problem tied to no
  // event (a head for a stream without events) has no position.
  std::optional<std::uint64_t> bad_position;
  std::string problem;
  // VerifyStore only: stream-index entries and stream heads checked.
  std::uint64_t index_entries = 0;
  std::uint64_t streams = 0;
};

// Walks the hash chain from position `from` (1 = the whole log) to the head:
// positions gapless, each record's stored hash equal to the SHA-256 of its bytes
// without `hash`, each `prev_hash` equal to the previous record's hash, the
// record's own `position` equal to its key, and the last record equal to the
// stored head. Stops at the first problem. Reads records raw (no JSON tree), in
// constant memory. Works on any EventStore; VerifyStore checks more.
VerifyReport VerifyLog(const store::EventStore& store, std::uint64_t from = 1);

// A head an auditor saved (GET /v1/audit/head): position and hash.
struct Anchor {
  std::uint64_t position = 0;
  std::string hash;  // 64 lowercase hex
};

// Parses "POSITION:HASH" (decimal, ':', 64 hex digits; upper case accepted).
// Errors: a message for the user.
std::expected<Anchor, std::string> ParseAnchor(std::string_view text);

struct VerifyOptions {
  // First position whose record is checked; the chain link into it is the hash
  // stored in record from - 1. Index entries and heads are checked for the
  // events from here on. Default: 1 (everything).
  std::uint64_t from = 1;
  // When set, the log must still contain exactly the prefix the anchor names:
  // the record at anchor.position exists and has anchor.hash, and the chain up
  // to it verifies (which needs from == 1). A rewrite at or before the anchor,
  // or a truncation below it, fails; records after it (an extension) pass.
  // Default: none.
  std::optional<Anchor> anchor = std::nullopt;
  // From this many events to check on, the chain is walked as two halves on two
  // threads (beside a third that reads the stream index). Default: 131072.
  std::uint64_t parallel_min_events = std::uint64_t{1} << 17;
};

// Everything `mentorlog verify` checks, on the RocksDB log in `dir` (opened
// read-only, so a server may be running on it):
//  - the chain, as VerifyLog, plus times that never decrease;
//  - every stream-index entry against its event and back: each event from
//    `from` on has the entry (stream, version) -> its position, every entry
//    pointing at such a position names that event's stream and version, and
//    each stream's versions run 1..n without gaps;
//  - every stream head equals its stream's last version, and no head exists
//    without events;
//  - the meta record: format, last position, last hash and last time equal
//    the last record's;
//  - the anchor, when given.
// Reports the lowest bad position found and what is wrong there. Memory is
// constant in the log's length. Errors (usage or I/O, exit code 2): the
// directory holds no readable log, bad options, or a read error.
std::expected<VerifyReport, std::string> VerifyStore(const std::filesystem::path& dir,
                                                     const VerifyOptions& options = {});

// `mentorlog verify`'s exit code: 0 intact, 1 tampered (report not ok), 2 usage
// or I/O error (no report).
int VerifyExitCode(const std::expected<VerifyReport, std::string>& result);

// One line for the user: "OK <n> events ... head <position> <hash>" or
// "TAMPERED at position <p>: <problem>".
std::string FormatVerifyReport(const VerifyReport& report);

}  // namespace mentorlog::replay
