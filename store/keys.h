#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// The key layout of the RocksDB log (store/FORMAT.md has the grammar).
namespace mentorlog::store::keys {

// Column family names.
inline constexpr char kEvents[] = "events";            // position -> record
inline constexpr char kStreams[] = "streams";          // stream NUL version -> position
inline constexpr char kHeads[] = "heads";              // stream -> last version
inline constexpr char kIdempotency[] = "idempotency";  // key -> first result
inline constexpr char kMeta[] = "meta";                // name -> value

// Meta names.
inline constexpr char kLastPosition[] = "last_position";  // u64be
inline constexpr char kLastHash[] = "last_hash";          // 64 hex ASCII
inline constexpr char kLastTime[] = "last_time";          // u64be milliseconds
inline constexpr char kFormatVersion[] = "format";        // u64be, currently 1

inline constexpr std::uint64_t kCurrentFormat = 1;

// Eight bytes, most significant first, so byte order is numeric order.
std::string U64(std::uint64_t v);
void AppendU64(std::string& out, std::uint64_t v);
// Reads exactly eight big-endian bytes; nullopt for any other size.
std::optional<std::uint64_t> ParseU64(std::string_view bytes);

// streams key: stream bytes, one NUL (never part of a valid stream name), u64be version.
std::string StreamKey(std::string_view stream, std::uint64_t version);
// Splits a streams key; nullopt when it is malformed.
std::optional<std::pair<std::string_view, std::uint64_t>> ParseStreamKey(std::string_view key);

}  // namespace mentorlog::store::keys
