#include "events/data_view.h"

#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

namespace mentorlog::events {
namespace {

bool HasEscape(std::string_view raw) { return std::memchr(raw.data(), '\\', raw.size()); }

// Whether a member name as written (between its quotes) spells `name`; a name
// written with escapes (never one of ours) is unescaped first.
bool NameIs(std::string_view raw, std::string_view name) {
  if (!HasEscape(raw)) return raw == name;
  const auto j = nlohmann::json::parse("\"" + std::string(raw) + "\"", nullptr, false);
  return j.is_string() && j.get_ref<const std::string&>() == name;
}

}  // namespace

std::size_t SkipJsonString(std::string_view s, std::size_t i) {
  // memchr to the next quote, then count the backslashes before it: the
  // strings of a record are long runs of plain text.
  ++i;
  while (i < s.size()) {
    const void* quote = std::memchr(s.data() + i, '"', s.size() - i);
    if (quote == nullptr) return std::string_view::npos;
    const std::size_t q = static_cast<std::size_t>(static_cast<const char*>(quote) - s.data());
    std::size_t backslashes = 0;
    while (q - backslashes > i && s[q - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return q + 1;
    i = q + 1;
  }
  return std::string_view::npos;
}

std::size_t SkipJsonValue(std::string_view s, std::size_t i) {
  constexpr std::size_t npos = std::string_view::npos;
  if (i >= s.size()) return npos;
  if (s[i] == '"') return SkipJsonString(s, i);
  if (s[i] == '{' || s[i] == '[') {
    std::size_t depth = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (c == '"') {
        i = SkipJsonString(s, i);
        if (i == npos) return npos;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
      ++i;
    }
    return npos;
  }
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ':' &&
         !internal::IsJsonSpace(s[i])) {
    ++i;
  }
  return i;
}

DataIndex::DataIndex(std::string_view object) {
  const bool whole = ForEachJsonMember(
      object, [&](std::string_view name, std::string_view value, std::size_t, std::size_t) {
        if (size_ == kCapacity || HasEscape(name)) {
          complete_ = false;  // found by scanning instead
          return false;
        }
        members_[size_++] = {static_cast<std::uint32_t>(name.data() - object.data()),
                             static_cast<std::uint32_t>(name.size()),
                             static_cast<std::uint32_t>(value.data() - object.data()),
                             static_cast<std::uint32_t>(value.size())};
        return true;
      });
  complete_ = complete_ && whole;
}

std::string_view DataIndex::Find(std::string_view object, std::string_view name) const {
  if (!complete_) {
    // Past capacity (or malformed): scan the text; the last occurrence wins.
    std::string_view found;
    ForEachJsonMember(object,
                      [&](std::string_view n, std::string_view value, std::size_t, std::size_t) {
                        if (NameIs(n, name)) found = value;
                        return true;
                      });
    return found;
  }
  for (std::size_t k = size_; k-- > 0;) {
    const Member& m = members_[k];
    if (m.name_size == name.size() && std::size_t{m.value_begin} + m.value_size <= object.size() &&
        std::memcmp(object.data() + m.name_begin, name.data(), name.size()) == 0) {
      return object.substr(m.value_begin, m.value_size);
    }
  }
  return {};
}

}  // namespace mentorlog::events
