#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mentorlog::events {

// Milliseconds since 1970-01-01T00:00:00Z. Every time in mentorlog is UTC.
using TimeMs = std::int64_t;
// Days since 1970-01-01, for `YYYY-MM-DD` dates.
using Days = std::int32_t;

// Formats as RFC 3339 UTC with milliseconds: "2026-11-23T08:00:00.123Z".
std::string FormatTime(TimeMs t);

// Parses an RFC 3339 date-time ("2026-11-23T08:00:00Z", optional fraction of any
// length, offset "Z" or "±hh:mm"); fractions below a millisecond are truncated.
// Returns nullopt for anything else, including impossible dates (2026-02-30).
std::optional<TimeMs> ParseTime(std::string_view text);

// Formats / parses a calendar date `YYYY-MM-DD`; ParseDate refuses impossible dates.
std::string FormatDate(Days d);
std::optional<Days> ParseDate(std::string_view text);

// The UTC calendar day that contains `t`.
Days DayOf(TimeMs t);

}  // namespace mentorlog::events
