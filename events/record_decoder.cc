#include "events/record_decoder.h"

#include <simdjson.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

namespace mentorlog::events::internal {
namespace {

using nlohmann::json;
using simdjson::dom::element;
using simdjson::dom::element_type;

// Which bytes are lowercase hex digits.
constexpr std::array<bool, 256> kLowerHex = [] {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (int c = 'a'; c <= 'f'; ++c) table[static_cast<std::size_t>(c)] = true;
  return table;
}();

// Every record holds two hashes, so this runs twice per decoded event: one
// table load per byte without an early exit, which the compiler keeps free of
// branches (a digit-or-letter test with an early exit cost 4 % of a replay).
bool IsHex64(std::string_view s) {
  if (s.size() != 64) return false;
  bool all = true;
  for (const char c : s) all &= kLowerHex[static_cast<unsigned char>(c)];
  return all;
}

// The same value as nlohmann's parser builds from the same text: non-negative
// integers are unsigned, negative ones signed (simdjson reads "-0" as 0, which
// nlohmann keeps signed; the two compare and serialise equal), and a member
// named twice keeps its last value.
json ToJson(element v) {
  switch (v.type()) {
    case element_type::OBJECT: {
      json out(json::value_t::object);
      auto& members = out.get_ref<json::object_t&>();
      const simdjson::dom::object object = v.get_object().value_unsafe();
      for (const auto field : object) {
        // Records list members in canonical (sorted) order, so the hint is exact.
        members.insert_or_assign(members.end(), std::string(field.key), ToJson(field.value));
      }
      return out;
    }
    case element_type::ARRAY: {
      json out(json::value_t::array);
      auto& items = out.get_ref<json::array_t&>();
      const simdjson::dom::array array = v.get_array().value_unsafe();
      items.reserve(array.size());
      for (const element item : array) items.push_back(ToJson(item));
      return out;
    }
    case element_type::STRING:
      return json(std::string(v.get_string().value_unsafe()));
    case element_type::INT64: {
      const std::int64_t i = v.get_int64().value_unsafe();
      return i >= 0 ? json(static_cast<std::uint64_t>(i)) : json(i);
    }
    case element_type::UINT64:
      return json(v.get_uint64().value_unsafe());
    case element_type::DOUBLE:
      return json(v.get_double().value_unsafe());
    case element_type::BOOL:
      return json(v.get_bool().value_unsafe());
    case element_type::NULL_VALUE:
      break;
  }
  return json(nullptr);
}

bool String(element v, std::string& out) {
  std::string_view s;
  if (v.get_string().get(s)) return false;
  out.assign(s);
  return true;
}

// A positive integer, as the log writes positions, versions and schemas.
bool Positive(element v, std::uint64_t& out) {
  if (v.type() == element_type::UINT64) {
    out = v.get_uint64().value_unsafe();
    return true;
  }
  if (v.type() != element_type::INT64) return false;
  const std::int64_t i = v.get_int64().value_unsafe();
  if (i <= 0) return false;
  out = static_cast<std::uint64_t>(i);
  return true;
}

bool ReadActor(element v, Actor& out) {
  simdjson::dom::object actor;
  if (v.get_object().get(actor) || actor.size() != 2) return false;
  bool id = false, role = false;
  for (const auto field : actor) {
    if (field.key == "id" && !id) {
      id = String(field.value, out.id);
    } else if (field.key == "role" && !role) {
      role = String(field.value, out.role);
    } else {
      return false;
    }
  }
  return id && role;
}

}  // namespace

std::string_view DataMemberText(std::string_view record) {
  std::string_view data;
  ForEachJsonMember(record,
                    [&](std::string_view name, std::string_view value, std::size_t, std::size_t) {
                      if (name == "data") data = value;
                      return true;
                    });
  return data;
}

std::optional<Envelope> DecodeRecordSimd(std::string_view record, DataForm form) {
  // simdjson and nlohmann agree on \u escapes too, but the log writes them
  // only for control characters; leaving them to the reference path keeps
  // this one simple to trust.
  if (record.find("\\u") != std::string_view::npos) return std::nullopt;
  // One parser and one padded copy of the input per thread, reused: simdjson
  // reads up to SIMDJSON_PADDING bytes past the end, and letting it allocate a
  // padded copy per record cost more than the parse (each allocation over
  // 1 KiB made glibc consolidate its free lists).
  struct Reader {
    simdjson::dom::parser parser;
    std::string padded;
  };
  thread_local Reader reader;
  if (reader.padded.size() < record.size() + simdjson::SIMDJSON_PADDING) {
    reader.padded.resize(record.size() + simdjson::SIMDJSON_PADDING);
  }
  std::memcpy(reader.padded.data(), record.data(), record.size());
  simdjson::dom::object members;
  if (reader.parser.parse(reader.padded.data(), record.size(), false).get_object().get(members)) {
    return std::nullopt;
  }

  Envelope e;
  std::uint64_t schema = 0;
  std::string_view time;
  std::uint32_t seen = 0;
  for (const auto field : members) {
    const std::string_view k = field.key;
    const element v = field.value;
    std::uint32_t bit = 0;
    bool ok = false;
    if (k == "position") {
      bit = 1u << 0, ok = Positive(v, e.position);
    } else if (k == "stream") {
      bit = 1u << 1, ok = String(v, e.stream);
    } else if (k == "version") {
      bit = 1u << 2, ok = Positive(v, e.version);
    } else if (k == "type") {
      bit = 1u << 3, ok = String(v, e.type);
    } else if (k == "schema") {
      bit = 1u << 4, ok = Positive(v, schema) && schema <= 1000;
    } else if (k == "id") {
      bit = 1u << 5, ok = String(v, e.id);
    } else if (k == "time") {
      bit = 1u << 6, ok = !v.get_string().get(time);
    } else if (k == "actor") {
      bit = 1u << 7, ok = ReadActor(v, e.actor);
    } else if (k == "command_id") {
      bit = 1u << 8, ok = String(v, e.command_id);
    } else if (k == "correlation_id") {
      bit = 1u << 9, ok = String(v, e.correlation_id);
    } else if (k == "causation_id") {
      bit = 1u << 10, ok = String(v, e.causation_id);
    } else if (k == "data") {
      bit = 1u << 11, ok = v.type() == element_type::OBJECT;
      if (ok && form == DataForm::kTree) e.data = ToJson(v);
    } else if (k == "prev_hash") {
      bit = 1u << 12, ok = String(v, e.prev_hash) && IsHex64(e.prev_hash);
    } else if (k == "hash") {
      bit = 1u << 13, ok = String(v, e.hash) && IsHex64(e.hash);
    }
    if (!ok || (seen & bit) != 0) return std::nullopt;
    seen |= bit;
  }
  if (seen != (1u << 14) - 1) return std::nullopt;
  e.schema = static_cast<int>(schema);
  const auto parsed_time = ParseTime(time);
  if (!parsed_time) return std::nullopt;
  e.time = *parsed_time;
  e.SetDataText(std::string(DataMemberText(record)));
  return e;
}

std::expected<Envelope, DecodeError> DecodeRecordDom(std::string_view record, DataForm form) {
  using nlohmann::json;
  json j = json::parse(record, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::unexpected(DecodeError{"not valid JSON"});
  if (!j.is_object()) return std::unexpected(DecodeError{"not a JSON object"});
  if (j.size() != 14) return std::unexpected(DecodeError{"expected exactly 14 envelope members"});

  Envelope e;
  const auto str = [&](const char* name, std::string& out) -> bool {
    const auto it = j.find(name);
    if (it == j.end() || !it->is_string()) return false;
    out = std::move(it->get_ref<std::string&>());
    return true;
  };
  const auto uint = [&](const char* name, std::uint64_t& out) -> bool {
    const auto it = j.find(name);
    if (it == j.end() || !it->is_number_unsigned()) return false;
    out = it->get<std::uint64_t>();
    return true;
  };
  std::string time;
  std::uint64_t schema = 0;
  if (!uint("position", e.position) || !str("stream", e.stream) || !uint("version", e.version) ||
      !str("type", e.type) || !uint("schema", schema) || !str("id", e.id) || !str("time", time) ||
      !str("command_id", e.command_id) || !str("correlation_id", e.correlation_id) ||
      !str("causation_id", e.causation_id) || !str("prev_hash", e.prev_hash) ||
      !str("hash", e.hash)) {
    return std::unexpected(DecodeError{"a member is missing or has the wrong type"});
  }
  if (schema == 0 || schema > 1000) return std::unexpected(DecodeError{"schema out of range"});
  e.schema = static_cast<int>(schema);
  const auto parsed_time = ParseTime(time);
  if (!parsed_time) return std::unexpected(DecodeError{"time is not RFC 3339"});
  e.time = *parsed_time;
  if (!IsHex64(e.prev_hash) || !IsHex64(e.hash)) {
    return std::unexpected(DecodeError{"prev_hash and hash must be 64 lowercase hex digits"});
  }
  const auto actor = j.find("actor");
  if (actor == j.end() || !actor->is_object() || actor->size() != 2 || !actor->contains("id") ||
      !(*actor)["id"].is_string() || !actor->contains("role") || !(*actor)["role"].is_string()) {
    return std::unexpected(DecodeError{"actor must be {id, role}"});
  }
  e.actor.id = std::move((*actor)["id"].get_ref<std::string&>());
  e.actor.role = std::move((*actor)["role"].get_ref<std::string&>());
  const auto data = j.find("data");
  if (data == j.end() || !data->is_object()) {
    return std::unexpected(DecodeError{"data must be an object"});
  }
  // The record's own spelling of data; a member name spelled with escapes is
  // not found by the scan, and the tree's text stands in.
  const std::string_view text = DataMemberText(record);
  e.SetDataText(text.empty() ? data->dump() : std::string(text));
  if (form == DataForm::kTree) e.data = std::move(*data);
  return e;
}

}  // namespace mentorlog::events::internal
