#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace mentorlog::replay {

// The top-level members of a stored record (store/FORMAT.md) that auditors'
// tools filter and check on, found by one pass over the bytes without building a
// JSON tree: the fast path of verify, replay and export. Views point into the
// record and are valid while it is.
struct RecordView {
  std::string_view actor_id;  // actor.id, as stored (JSON string content)
  std::string_view stream;    // contents of the string, without quotes
  std::string_view type;
  std::string_view time;       // "YYYY-MM-DDThh:mm:ss.mmmZ": orders like the time
  std::string_view hash;       // 64 hex as stored
  std::string_view prev_hash;  // 64 hex as stored
  std::uint64_t position = 0;
  std::uint64_t version = 0;
  // The bytes to cut out (the "hash" member and one comma) to get what was hashed.
  std::size_t cut_begin = 0;
  std::size_t cut_end = 0;
};

// Reads the members above from `record`. Errors (a message) when it is not a
// JSON object, is truncated, has trailing bytes, or lacks any of them or has
// them with the wrong JSON type. Does not check the hash. Pure; thread-safe.
std::expected<RecordView, std::string> ViewRecord(std::string_view record);

// True when `view.hash` is the lowercase hex SHA-256 of `record` without its
// hash member.
bool HashMatches(std::string_view record, const RecordView& view);

// Lowercase hex SHA-256 of `record` without its hash member.
std::string ComputeHash(std::string_view record, const RecordView& view);

// The value of a JSON string's content as stored (resolving escapes, which the
// ids mentorlog writes never contain).
std::string Unescape(std::string_view json_string_content);

}  // namespace mentorlog::replay
