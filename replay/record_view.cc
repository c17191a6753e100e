#include "replay/record_view.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "events/data_view.h"
#include "events/envelope.h"

namespace mentorlog::replay {
namespace {

// The member scanner of events/data_view.h (the one the decoder, the hash
// check and the folds use).
using events::ForEachJsonMember;

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
  const bool ok = ForEachJsonMember(record, [&](std::string_view name, std::string_view value,
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
      has_actor = ForEachJsonMember(
          value, [&](std::string_view n, std::string_view val, std::size_t, std::size_t) {
            if (n == "id") types_ok &= StringContent(val, v.actor_id);
            return true;
          });
    }
    return true;
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
