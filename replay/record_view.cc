#include "replay/record_view.h"

#include <charconv>
#include <cstring>
#include <nlohmann/json.hpp>

#include "events/envelope.h"

namespace mentorlog::replay {
namespace {

constexpr std::size_t kNpos = std::string_view::npos;

// Index just past the string that starts at s[i] == '"', or npos. Jumps from
// quote to quote (memchr); a quote ends the string unless an odd run of
// backslashes precedes it.
std::size_t SkipString(std::string_view s, std::size_t i) {
  const std::size_t open = i;
  ++i;
  while (i < s.size()) {
    const void* found = std::memchr(s.data() + i, '"', s.size() - i);
    if (found == nullptr) return kNpos;
    const std::size_t quote = static_cast<std::size_t>(static_cast<const char*>(found) - s.data());
    std::size_t backslashes = 0;
    while (quote - backslashes > open + 1 && s[quote - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return quote + 1;
    i = quote + 1;
  }
  return kNpos;
}

// Index just past the JSON value that starts at s[i], or npos. Nested objects
// and arrays are skipped by depth, strings inside them by SkipString.
std::size_t SkipValue(std::string_view s, std::size_t i) {
  if (i >= s.size()) return kNpos;
  if (s[i] == '"') return SkipString(s, i);
  if (s[i] == '{' || s[i] == '[') {
    int depth = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (c == '"') {
        i = SkipString(s, i);
        if (i == kNpos) return kNpos;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
      ++i;
    }
    return kNpos;
  }
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']') ++i;
  return i;
}

// Calls member(name, value, member_begin, value_end) for each member of the
// object `s` (which must span exactly one object). False when malformed.
template <class F>
bool ForEachMember(std::string_view s, F&& member) {
  if (s.size() < 2 || s.front() != '{') return false;
  std::size_t i = 1;
  if (s[i] == '}') return i + 1 == s.size();
  while (i < s.size()) {
    const std::size_t begin = i;
    if (s[i] != '"') return false;
    const std::size_t name_end = SkipString(s, i);
    if (name_end == kNpos || name_end >= s.size() || s[name_end] != ':') return false;
    const std::size_t value_end = SkipValue(s, name_end + 1);
    if (value_end == kNpos || value_end >= s.size()) return false;
    member(s.substr(i + 1, name_end - i - 2), s.substr(name_end + 1, value_end - name_end - 1),
           begin, value_end);
    if (s[value_end] == '}') return value_end + 1 == s.size();
    if (s[value_end] != ',') return false;
    i = value_end + 1;
  }
  return false;
}

bool StringContent(std::string_view value, std::string_view& out) {
  if (value.size() < 2 || value.front() != '"' || value.back() != '"') return false;
  out = value.substr(1, value.size() - 2);
  return true;
}

bool Unsigned(std::string_view value, std::uint64_t& out) {
  const auto r = std::from_chars(value.data(), value.data() + value.size(), out);
  return r.ec == std::errc{} && r.ptr == value.data() + value.size();
}

}  // namespace

std::expected<RecordView, std::string> ViewRecord(std::string_view record) {
  RecordView v;
  bool has_hash = false, has_prev = false, has_position = false, has_stream = false;
  bool has_type = false, has_time = false, has_version = false, has_actor = false;
  bool types_ok = true;
  const bool ok = ForEachMember(record, [&](std::string_view name, std::string_view value,
                                            std::size_t begin, std::size_t value_end) {
    if (name == "hash") {
      has_hash = true;
      types_ok &= StringContent(value, v.hash);
      // Cut the member and the comma after it (or before it, when last).
      v.cut_begin = begin;
      v.cut_end = value_end;
      if (record[value_end] == ',') {
        ++v.cut_end;
      } else {
        --v.cut_begin;
      }
    } else if (name == "prev_hash") {
      has_prev = true;
      types_ok &= StringContent(value, v.prev_hash);
    } else if (name == "position") {
      has_position = true;
      types_ok &= Unsigned(value, v.position);
    } else if (name == "version") {
      has_version = true;
      types_ok &= Unsigned(value, v.version);
    } else if (name == "stream") {
      has_stream = true;
      types_ok &= StringContent(value, v.stream);
    } else if (name == "type") {
      has_type = true;
      types_ok &= StringContent(value, v.type);
    } else if (name == "time") {
      has_time = true;
      types_ok &= StringContent(value, v.time);
    } else if (name == "actor") {
      has_actor = ForEachMember(
          value, [&](std::string_view n, std::string_view val, std::size_t, std::size_t) {
            if (n == "id") types_ok &= StringContent(val, v.actor_id);
          });
    }
  });
  if (!ok) return std::unexpected(std::string("not a complete JSON object"));
  if (!has_hash || !has_prev || !has_position || !has_stream || !has_type || !has_time ||
      !has_version || !has_actor) {
    return std::unexpected(std::string("a member of the envelope is missing"));
  }
  if (!types_ok) return std::unexpected(std::string("a member of the envelope has the wrong type"));
  return v;
}

bool HashMatches(std::string_view record, const RecordView& view) {
  return ComputeHash(record, view) == view.hash;
}

std::string ComputeHash(std::string_view record, const RecordView& view) {
  return events::Sha256Hex({record.substr(0, view.cut_begin), record.substr(view.cut_end)});
}

std::string Unescape(std::string_view content) {
  if (content.find('\\') == std::string_view::npos) return std::string(content);
  try {
    return nlohmann::json::parse("\"" + std::string(content) + "\"").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    return std::string(content);
  }
}

}  // namespace mentorlog::replay
