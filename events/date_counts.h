#pragma once

// Counts per date (a student's absences by date) as a flat map: a vector sorted
// by date, 8 bytes a date, no zero counts. Attendance arrives in date order, so
// entries are mostly appended; a std::map node was 48 bytes and an allocation
// (1.8 M of them in the write state at 10 M events). The write state and the
// attendance projection both keep one per student.

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "events/time.h"

namespace mentorlog::events {

struct DateCount {
  Days date = 0;
  std::int32_t count = 0;
  bool operator==(const DateCount&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(DateCount, date, count)

using DateCounts = std::vector<DateCount>;

// The first entry on or after `date`.
inline DateCounts::const_iterator CountsFrom(const DateCounts& counts, Days date) {
  return std::ranges::lower_bound(counts, date, {}, &DateCount::date);
}

// Adds `delta` to the count of `date`, dropping the date when it comes to 0.
inline void AddCount(DateCounts& counts, Days date, int delta) {
  auto at = std::ranges::lower_bound(counts, date, {}, &DateCount::date);
  if (at == counts.end() || at->date != date) at = counts.insert(at, {date, 0});
  if ((at->count += delta) == 0) counts.erase(at);
}

// Whether `counts` is sorted by date, each date once, with no zero count (what a
// decoder checks of a snapshot).
inline bool WellFormed(const DateCounts& counts) {
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i].count == 0 || (i > 0 && counts[i - 1].date >= counts[i].date)) return false;
  }
  return true;
}

}  // namespace mentorlog::events
