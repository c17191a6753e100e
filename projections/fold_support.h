#pragma once

// Helpers shared by the projections. Internal to projections/.

#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/data_fields.h"
#include "events/time.h"
#include "projections/symbol.h"
#include "projections/view.h"

namespace mentorlog::projections::internal {

using Json = nlohmann::json;

// Folds compare `e.type` with literals on every event, many times over: with
// `"MeetingScheduled"sv` the comparison checks the length first, while
// std::string == const char* always runs a memcmp (libstdc++ 12).
using namespace std::string_view_literals;

// Tolerant readers of event data (events/data_fields.h).
using events::field::Bool;
using events::field::Date;
using events::field::Int;
using events::field::Num;
using events::field::Str;
using events::field::Strings;
using events::field::Time;
using events::field::View;

// An id or label member as a symbol (the empty symbol when absent or not a
// string).
Symbol Sym(events::DataView d, std::string_view key);
// The string entries of an array member as symbols.
std::vector<Symbol> Syms(events::DataView d, std::string_view key);
// The symbol of a string member if it was ever interned, without interning it
// (nullopt when absent, not a string, or never interned).
std::optional<Symbol> FindSym(events::DataView d, std::string_view key);
// The entry of `map` (keyed by Symbol) for an id member, or end().
template <class Map>
auto FindById(Map& map, events::DataView d, std::string_view key) {
  const std::optional<Symbol> id = FindSym(d, key);
  return id ? map.find(*id) : map.end();
}

// A page of a list: `offset` (Default: 0) and `limit` (Default: 50, at most 1000)
// from the request's parameters.
struct Paging {
  std::size_t offset = 0;
  std::size_t limit = 50;
};
inline constexpr std::size_t kDefaultLimit = 50;
inline constexpr std::size_t kMaxLimit = 1000;

// Parses `limit` and `offset`. Errors: invalid_argument naming the parameter.
std::expected<Paging, ViewError> ParsePaging(const ViewRequest& r);

// {"items": items, "total", "offset", "limit", "next_offset": number | null}.
Json PageOf(Json items, std::size_t total, const Paging& paging);

// The parameter's value, or nullopt when absent or empty.
std::optional<std::string> Param(const ViewRequest& r, std::string_view name);

// An optional RFC 3339 time parameter. Errors: invalid_argument.
std::expected<std::optional<events::TimeMs>, ViewError> TimeParam(const ViewRequest& r,
                                                                  std::string_view name);

// True for admin and auditor, who read everything.
bool ReadsAll(const ViewRequest& r);
bool IsMentor(const ViewRequest& r);
bool IsMentee(const ViewRequest& r);

// attended / held x 100 truncated to two decimals (as the alert policy counts it),
// 0 when held == 0.
double Percentage(std::int64_t attended, std::int64_t held);

// The alert band of DOMAIN.md 3: the lowest of 60/50/40 the percentage is
// strictly below once at least 10 classes were held; 0 otherwise.
int AlertBand(std::int64_t attended, std::int64_t held);

// FormatTime, or null for 0.
Json TimeOrNull(events::TimeMs t);
// FormatDate, or null for 0.
Json DateOrNull(events::Days d);
// The value, or null for "".
Json StrOrNull(const std::string& s);

// Lowercase ASCII.
std::string Lower(std::string_view s);

}  // namespace mentorlog::projections::internal
