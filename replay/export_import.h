#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <istream>
#include <optional>
#include <ostream>
#include <string>

#include "replay/verify.h"
#include "store/event_store.h"

namespace mentorlog::replay {

// Writes the whole log to `out` as JSON lines: each record's stored canonical
// bytes and '\n', positions 1..head (the head when Export started), so line N
// is position N. Streaming, constant memory; works on a read-only store while a
// server runs. Idempotency records are not exported (a retry after a move is
// decided afresh). Returns the number of lines. Errors: a read failure or `out`
// failing.
std::expected<std::uint64_t, std::string> Export(const store::EventStore& store, std::ostream& out);

struct ImportOptions {
  // When set, the import must contain exactly the prefix this anchor names (see
  // VerifyOptions::anchor); otherwise nothing is imported. Without an anchor an
  // altered last line whose own hash was recomputed cannot be told from an
  // honest one: keep the head (GET /v1/audit/head) with the export.
  // Default: none.
  std::optional<Anchor> anchor = std::nullopt;
};

struct ImportReport {
  std::uint64_t events = 0;
  std::uint64_t streams = 0;
  std::string last_hash;  // the imported head's hash
};

struct ImportError {
  std::uint64_t line = 0;  // 1-based line of the input at fault; 0 when not a line's fault
  std::string message;
};

// Reads an export from `in` into a new log in `dir`, which must be missing or
// an empty directory. Every line is checked before anything becomes visible:
// the line is an envelope in canonical form whose hash matches its contents,
// its position is its line number (so a removed, duplicated or reordered line
// is refused at the first line out of place), its prev_hash is the previous
// line's hash (the chain is recomputed), its stream name is valid and its
// version follows that stream's previous one, and times never decrease. The
// log is built in a sibling temporary directory and renamed onto `dir` only
// when every line passed; on any error the temporary directory is removed and
// `dir` is left as it was, so nothing is imported. The result equals the
// exported log: the same records, stream index, heads and meta (not the
// idempotency records, which exports do not carry). Memory grows with the
// number of streams, not of events. Errors: the first bad line and why, or
// (line 0) a non-empty `dir`, an I/O or RocksDB error, a failed anchor.
std::expected<ImportReport, ImportError> Import(std::istream& in, const std::filesystem::path& dir,
                                                const ImportOptions& options = {});

}  // namespace mentorlog::replay
