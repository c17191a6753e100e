#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// The shape of every command body, as data. DecodeCommand validates against these
// tables, and a later generator (OpenAPI / JSON Schema) reads the same tables, so
// the documentation cannot drift from what the server accepts.
namespace mentorlog::commands {

// Maximum length of any string field, in bytes of UTF-8.
inline constexpr std::int64_t kMaxStringBytes = 4096;
// Maximum number of entries of any array field.
inline constexpr std::int64_t kMaxArrayEntries = 500;
// Maximum length of a meeting, in milliseconds (8 h).
inline constexpr std::int64_t kMaxMeetingMs = 8LL * 3600 * 1000;
// The identifier pattern of DOMAIN.md.
inline constexpr std::string_view kIdPattern = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$";

// What JSON a field holds.
enum class FieldKind {
  kId,          // string matching kIdPattern
  kString,      // string of [min, max] bytes (default 1..kMaxStringBytes)
  kBool,        // true / false
  kInteger,     // integer in [min, max]
  kTime,        // RFC 3339 date-time string
  kDate,        // YYYY-MM-DD string
  kEnum,        // string, one of `values`
  kIdList,      // array of ids, [min, max] entries (max default kMaxArrayEntries)
  kStringList,  // array of strings (each 1..kMaxStringBytes bytes), [min, max] entries
  kObject,      // object with the members `fields`; at least `min` members present
  kObjectList,  // array of objects with the members `fields`, [min, max] entries
};

// One member of a command body (or of a nested object).
// `min` / `max` mean: the range of a kInteger; the length in bytes of a kString;
// the number of entries of a list; the number of members present of a kObject.
struct FieldSpec {
  std::string name;
  FieldKind kind = FieldKind::kString;
  bool required = true;
  std::int64_t min = 0;
  std::int64_t max = 0;
  std::vector<std::string> values = {};  // kEnum: the allowed values
  std::vector<FieldSpec> fields = {};    // kObject, kObjectList: the members
  // kIdList / kObjectList: entries must be distinct (for objects: by their first member).
  bool unique = false;
};

// `later` must come after `earlier` (strictly when `strict`), both kTime or both
// kDate fields of the same body, and at most `max_span` later (0: unbounded; in
// ms for times, days for dates). A violation is reported on `later`.
struct FieldOrder {
  std::string earlier;
  std::string later;
  bool strict = true;
  std::int64_t max_span = 0;
};

// One command: its route name, body members, cross-field orders, the events it
// appends on success and the roles DOMAIN.md lets send it (relationships are
// checked by Decide; see docs/authorization.md).
struct CommandSpec {
  std::string name;
  std::vector<FieldSpec> fields;
  std::vector<FieldOrder> orders;
  std::vector<std::string> events;
  std::vector<std::string> roles;
};

// Every command of DOMAIN.md sections 1-7 implemented, in the order of the Command variant.
// The tables are built once on first use and never change; thread-safe.
const std::vector<CommandSpec>& CommandSpecs();

// The spec of the command called `name`, or nullptr.
const CommandSpec* FindCommandSpec(std::string_view name);

}  // namespace mentorlog::commands
