#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

}  // namespace mentorlog::events::field
