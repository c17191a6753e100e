#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

// An event's `data` read straight from its JSON text, without building a tree:
// how folds (projections) read events during a replay. The text is what the
// log stores (RFC 8785, already validated when the record was decoded), so the
// scanner here only has to find where members begin and end; on malformed text
// it stops early and never reads out of bounds.
namespace mentorlog::events {

// Skips one JSON string starting at text[i] == '"'; returns the index after
// its closing quote, or npos when it is not terminated.
std::size_t SkipJsonString(std::string_view text, std::size_t i);

// Skips one JSON value (string, number, literal, object or array) starting at
// text[i]; returns the index after it, or npos when it is truncated.
std::size_t SkipJsonValue(std::string_view text, std::size_t i);

// Calls visit(name, value, member_begin, value_end) for each top-level member
// of the object `text` (surrounding whitespace allowed): `name` is the raw
// name between its quotes, `value` the raw value text; value_end < text.size(). Returns false when
// the text is not a well-formed object's member list (members before the fault were visited); visit
// returns false to stop early (then this returns true).
template <class Visit>
bool ForEachJsonMember(std::string_view text, Visit&& visit);

// Calls visit(value) with the raw text of each element of the array `text`.
// Returns false when the text is not a well-formed array (elements before the
// fault were visited).
template <class Visit>
bool ForEachJsonElement(std::string_view text, Visit&& visit);

// Where each top-level member of a JSON object's text sits. Holds up to
// kCapacity members inline (an event's data has fewer); a longer object, or
// one with a member name written with escapes, is searched by scanning its text.
class DataIndex {
 public:
  static constexpr std::size_t kCapacity = 16;

  DataIndex() = default;
  // Indexes `object`, the text of a JSON object.
  explicit DataIndex(std::string_view object);

  // The raw value text of member `name` in `object` (the text this index was
  // built from), or an empty view when absent. A name given twice reads as its
  // last value, as JSON parsers do.
  std::string_view Find(std::string_view object, std::string_view name) const;

  bool operator==(const DataIndex&) const = default;

 private:
  struct Member {
    std::uint32_t name_begin = 0, name_size = 0, value_begin = 0, value_size = 0;
    bool operator==(const Member&) const = default;
  };
  std::array<Member, kCapacity> members_{};
  std::uint8_t size_ = 0;
  bool complete_ = true;  // false: too many members, an escaped name, or malformed
};

// A JSON object's text with its index: the argument of the tolerant readers in
// events/data_fields.h. Cheap to copy; valid while the text and index are.
class DataView {
 public:
  DataView(std::string_view object, const DataIndex& index) : text_(object), index_(&index) {}

  // The raw value text of member `name` ("\"abc\"", "12", "{...}"), or empty.
  std::string_view Raw(std::string_view name) const { return index_->Find(text_, name); }
  bool Has(std::string_view name) const { return !Raw(name).empty(); }
  std::string_view Text() const { return text_; }

 private:
  std::string_view text_;
  const DataIndex* index_;
};

// A DataView that owns its index, for an object nested in data (an entry of an
// array, a `changes` member). Not copyable: views point into it.
class IndexedObject {
 public:
  explicit IndexedObject(std::string_view object) : text_(object), index_(object) {}
  IndexedObject(const IndexedObject&) = delete;
  IndexedObject& operator=(const IndexedObject&) = delete;

  DataView View() const { return DataView(text_, index_); }

 private:
  std::string_view text_;
  DataIndex index_;
};

// --- implementation -------------------------------------------------------------

namespace internal {
inline bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
inline std::size_t SkipJsonSpace(std::string_view s, std::size_t i) {
  while (i < s.size() && IsJsonSpace(s[i])) ++i;
  return i;
}
}  // namespace internal

template <class Visit>
bool ForEachJsonMember(std::string_view s, Visit&& visit) {
  using internal::SkipJsonSpace;
  constexpr std::size_t npos = std::string_view::npos;
  std::size_t i = SkipJsonSpace(s, 0);
  if (i >= s.size() || s[i] != '{') return false;
  i = SkipJsonSpace(s, i + 1);
  if (i < s.size() && s[i] == '}') return SkipJsonSpace(s, i + 1) == s.size();
  while (i < s.size()) {
    const std::size_t member_begin = i;
    if (s[i] != '"') return false;
    const std::size_t name_end = SkipJsonString(s, i);
    if (name_end == npos) return false;
    const std::size_t colon = SkipJsonSpace(s, name_end);
    if (colon >= s.size() || s[colon] != ':') return false;
    const std::size_t value_begin = SkipJsonSpace(s, colon + 1);
    const std::size_t value_end = SkipJsonValue(s, value_begin);
    // A well-formed object has at least its '}' after every value, which lets
    // visit look at text[value_end].
    if (value_end == npos || value_end == value_begin || value_end >= s.size()) return false;
    if (!visit(s.substr(i + 1, name_end - i - 2), s.substr(value_begin, value_end - value_begin),
               member_begin, value_end)) {
      return true;
    }
    i = SkipJsonSpace(s, value_end);
    if (i >= s.size()) return false;
    if (s[i] == '}') return SkipJsonSpace(s, i + 1) == s.size();
    if (s[i] != ',') return false;
    i = SkipJsonSpace(s, i + 1);
  }
  return false;
}

template <class Visit>
bool ForEachJsonElement(std::string_view s, Visit&& visit) {
  using internal::SkipJsonSpace;
  std::size_t i = SkipJsonSpace(s, 0);
  if (i >= s.size() || s[i] != '[') return false;
  i = SkipJsonSpace(s, i + 1);
  if (i < s.size() && s[i] == ']') return SkipJsonSpace(s, i + 1) == s.size();
  while (i < s.size()) {
    const std::size_t end = SkipJsonValue(s, i);
    if (end == std::string_view::npos || end == i) return false;
    visit(s.substr(i, end - i));
    i = SkipJsonSpace(s, end);
    if (i >= s.size()) return false;
    if (s[i] == ']') return SkipJsonSpace(s, i + 1) == s.size();
    if (s[i] != ',') return false;
    i = SkipJsonSpace(s, i + 1);
  }
  return false;
}

}  // namespace mentorlog::events
