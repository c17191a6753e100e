#include "events/time.h"

#include <chrono>
#include <cstdio>

namespace mentorlog::events {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

// Reads exactly `n` decimal digits at text[pos]; false if any is missing.
bool Digits(std::string_view text, size_t pos, size_t n, int& value) {
  if (pos + n > text.size()) return false;
  value = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

std::optional<sys_days> Calendar(int y, int m, int d) {
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd};
}

// Writes `value` as exactly `width` decimal digits at `out` (hot: every event
// carries a time, so no snprintf).
void PutDigits(char* out, long long value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

std::string FormatTime(TimeMs t) {
  const auto tp = std::chrono::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{t}};
  const auto days = std::chrono::floor<std::chrono::days>(tp);
  const year_month_day ymd{days};
  const long long ms = (tp - days).count();
  std::string out = "0000-00-00T00:00:00.000Z";
  PutDigits(&out[0], int(ymd.year()), 4);
  PutDigits(&out[5], unsigned(ymd.month()), 2);
  PutDigits(&out[8], unsigned(ymd.day()), 2);
  PutDigits(&out[11], ms / 3'600'000, 2);
  PutDigits(&out[14], ms / 60'000 % 60, 2);
  PutDigits(&out[17], ms / 1000 % 60, 2);
  PutDigits(&out[20], ms % 1000, 3);
  return out;
}

std::optional<TimeMs> ParseTime(std::string_view s) {
  int y, mo, d, h, mi, se;
  if (!Digits(s, 0, 4, y) || s.size() < 20 || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't') || !Digits(s, 11, 2, h) ||
      s[13] != ':' || !Digits(s, 14, 2, mi) || s[16] != ':' || !Digits(s, 17, 2, se)) {
    return std::nullopt;
  }
  if (h > 23 || mi > 59 || se > 59) return std::nullopt;
  const auto date = Calendar(y, mo, d);
  if (!date) return std::nullopt;
  size_t pos = 19;
  int ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    const size_t start = pos;
    int scale = 100;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      ms += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  int offset_min = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!Digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !Digits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_min = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  const TimeMs day_ms = static_cast<TimeMs>(date->time_since_epoch().count()) * 86'400'000;
  return day_ms + ((h * 60 + mi - offset_min) * 60 + se) * TimeMs{1000} + ms;
}

std::string FormatDate(Days d) {
  const year_month_day ymd{sys_days{std::chrono::days{d}}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()));
  return buf;
}

std::optional<Days> ParseDate(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || !Digits(s, 0, 4, y) || s[4] != '-' || !Digits(s, 5, 2, m) || s[7] != '-' ||
      !Digits(s, 8, 2, d)) {
    return std::nullopt;
  }
  const auto date = Calendar(y, m, d);
  if (!date) return std::nullopt;
  return static_cast<Days>(date->time_since_epoch().count());
}

Days DayOf(TimeMs t) {
  return static_cast<Days>(
      std::chrono::floor<std::chrono::days>(
          std::chrono::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{t}})
          .time_since_epoch()
          .count());
}

}  // namespace mentorlog::events
