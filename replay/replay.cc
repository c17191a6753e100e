#include "replay/replay.h"

#include <algorithm>
#include <charconv>

#include "replay/record_view.h"

namespace mentorlog::replay {
namespace {

// The recorded time of the first record at or after `position`; nullopt past the end.
std::expected<std::optional<events::TimeMs>, std::string> TimeAt(const store::EventStore& store,
                                                                 std::uint64_t position) {
  std::optional<events::TimeMs> time;
  std::string problem;
  const auto scanned = store.ScanRecords(position - 1, [&](std::uint64_t p, std::string_view r) {
    const auto view = ViewRecord(r);
    if (!view) {
      problem = "unreadable record at position " + std::to_string(p) + ": " + view.error();
      return false;
    }
    time = events::ParseTime(view->time);
    if (!time) problem = "unreadable time at position " + std::to_string(p);
    return false;
  });
  if (!scanned) return std::unexpected(scanned.error().message);
  if (!problem.empty()) return std::unexpected(problem);
  return time;
}

// The first position in [1, head + 1] whose time satisfies `past` (monotone:
// false ... false true ... true along positions); head + 1 when none does.
template <class Pred>
std::expected<std::uint64_t, std::string> FirstWhere(const store::EventStore& store, Pred past) {
  std::uint64_t lo = 1;
  std::uint64_t hi = store.GetHead().position + 1;
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    const auto time = TimeAt(store, mid);
    if (!time) return std::unexpected(time.error());
    if (!*time || past(**time)) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

bool ActorMatches(std::string_view stored, const std::string& wanted) {
  if (stored.find('\\') == std::string_view::npos) return stored == wanted;
  return Unescape(stored) == wanted;
}

}  // namespace

std::expected<void, std::string> SetUntil(ReplayFilter& filter, std::string_view text) {
  std::uint64_t position = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), position);
  if (!text.empty() && r.ec == std::errc{} && r.ptr == text.data() + text.size()) {
    filter.until_position = position;
    return {};
  }
  if (const auto time = events::ParseTime(text)) {
    filter.until_time = *time;
    return {};
  }
  return std::unexpected("--until takes a position or an RFC 3339 time, not '" + std::string(text) +
                         "'");
}

std::expected<std::uint64_t, std::string> FirstPositionAtOrAfter(const store::EventStore& store,
                                                                 events::TimeMs from) {
  return FirstWhere(store, [from](events::TimeMs t) { return t >= from; });
}

std::expected<std::uint64_t, std::string> LastPositionAtOrBefore(const store::EventStore& store,
                                                                 events::TimeMs until) {
  const auto first_after = FirstWhere(store, [until](events::TimeMs t) { return t > until; });
  if (!first_after) return first_after;
  return *first_after - 1;
}

std::expected<std::uint64_t, std::string> Replay(const store::EventStore& store,
                                                 const ReplayFilter& filter, std::ostream& out) {
  std::uint64_t after = filter.after;
  std::uint64_t last = store.GetHead().position;
  if (filter.until_position) last = std::min(last, *filter.until_position);
  if (filter.from_time) {
    const auto first = FirstPositionAtOrAfter(store, *filter.from_time);
    if (!first) return std::unexpected(first.error());
    after = std::max(after, *first - 1);
  }
  if (filter.until_time) {
    const auto until = LastPositionAtOrBefore(store, *filter.until_time);
    if (!until) return std::unexpected(until.error());
    last = std::min(last, *until);
  }
  if (after >= last) return std::uint64_t{0};
  const bool by_view = filter.stream || filter.type || filter.actor;
  return WriteRecordLines(
      store, after, last,
      [&](std::uint64_t position, std::string_view r, std::string& problem) {
        if (!by_view) return true;
        const auto view = ViewRecord(r);
        if (!view) {
          problem =
              "unreadable record at position " + std::to_string(position) + ": " + view.error();
          return false;
        }
        return !((filter.stream && view->stream != *filter.stream) ||
                 (filter.type && view->type != *filter.type) ||
                 (filter.actor && !ActorMatches(view->actor_id, *filter.actor)));
      },
      out);
}

std::expected<std::uint64_t, std::string> WriteRecordLines(
    const store::EventStore& store, std::uint64_t after, std::uint64_t last,
    const std::function<bool(std::uint64_t, std::string_view, std::string&)>& select,
    std::ostream& out) {
  std::uint64_t written = 0;
  std::string problem;
  const auto scanned = store.ScanRecords(after, [&](std::uint64_t position, std::string_view r) {
    if (position > last) return false;
    if (!select(position, r, problem)) return problem.empty();
    out.write(r.data(), static_cast<std::streamsize>(r.size()));
    out.put('\n');
    if (!out) {
      problem = "cannot write the output";
      return false;
    }
    ++written;
    return true;
  });
  if (!scanned) return std::unexpected(scanned.error().message);
  if (!problem.empty()) return std::unexpected(problem);
  out.flush();
  if (!out) return std::unexpected(std::string("cannot write the output"));
  return written;
}

}  // namespace mentorlog::replay
