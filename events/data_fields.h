#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/data_view.h"
#include "events/time.h"

// Tolerant readers of an event's `data`, for folds (the write state and the
// projections): the log is verified and written by the deciders, so a missing
// or mistyped member reads as empty (or `fallback`) instead of throwing.
namespace mentorlog::events::field {

std::string Str(const nlohmann::json& d, std::string_view key);
// As Str without a copy: a view into `d`, valid while `d` is.
std::string_view View(const nlohmann::json& d, std::string_view key);
std::optional<std::string> OptStr(const nlohmann::json& d, std::string_view key);
std::int64_t Int(const nlohmann::json& d, std::string_view key, std::int64_t fallback = 0);
double Num(const nlohmann::json& d, std::string_view key, double fallback = 0);
bool Bool(const nlohmann::json& d, std::string_view key);
// An RFC 3339 member as ms since the epoch (0 when absent or malformed).
TimeMs Time(const nlohmann::json& d, std::string_view key);
// A `YYYY-MM-DD` member as days since the epoch (0 when absent or malformed).
Days Date(const nlohmann::json& d, std::string_view key);
// The string entries of an array member.
std::vector<std::string> Strings(const nlohmann::json& d, std::string_view key);

// The same readers over an event's data as text (Envelope::Data()), with the
// same results as over the tree of the same data. One difference: View reads a
// string holding an escape (`\"`, `\n`, ...) as empty, as it cannot point into
// the text for it; View is for ids, enums and times, which never hold one.
std::string Str(DataView d, std::string_view key);
std::string_view View(DataView d, std::string_view key);
std::optional<std::string> OptStr(DataView d, std::string_view key);
std::int64_t Int(DataView d, std::string_view key, std::int64_t fallback = 0);
double Num(DataView d, std::string_view key, double fallback = 0);
bool Bool(DataView d, std::string_view key);
TimeMs Time(DataView d, std::string_view key);
Days Date(DataView d, std::string_view key);
std::vector<std::string> Strings(DataView d, std::string_view key);
// The raw text of an object member, or empty when absent or not an object.
std::string_view Object(DataView d, std::string_view key);
// A raw JSON value (a member's text) as a tree; null when it does not parse.
nlohmann::json ToJson(std::string_view raw);
// The string a raw JSON string literal stands for; nullopt when `raw` is not one.
std::optional<std::string> StringOf(std::string_view raw);
// The characters of a raw JSON string literal holding no escape, pointing into
// `raw`; nullopt for any other value (StringOf reads escapes).
std::optional<std::string_view> PlainString(std::string_view raw);

// Calls visit(DataView) for each object in the array member `key` (other
// elements are skipped).
template <class Visit>
void ForEachObject(DataView d, std::string_view key, Visit&& visit) {
  const std::string_view array = d.Raw(key);
  if (array.empty() || array.front() != '[') return;
  ForEachJsonElement(array, [&](std::string_view element) {
    if (element.front() != '{') return;
    const IndexedObject object(element);
    visit(object.View());
  });
}

}  // namespace mentorlog::events::field
