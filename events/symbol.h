#pragma once

// Interned strings for the states folded from the log (projections, the write
// state, the Audience). Ids (students, mentors, meetings) and repeated labels
// (titles, modes, courses) recur in every structure of every state; as
// `std::string` each occurrence costs 32 bytes, more past 15
// characters (a UUID is 36), and every map lookup hashes and compares the text.
// A Symbol is one pointer to the single copy of its text in a process-wide
// table: 8 bytes, equality and hashing by pointer, ordering by text (so ordered
// containers of symbols list in the same order as of strings).
//
// The table only grows, so it holds at most the distinct texts that the log's
// events give in the members folds intern: the states keep those anyway, and
// a rebuild or an as-of fold interns the same ones again. Intern ids and
// labels a state keeps (ids, titles, modes, courses), never text it does not
// (notes, observations). It is safe to use from any thread (folds run on two).
// One table serves every state of the process, so the write state and the
// projections that intern a meeting's id share its one copy.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace mentorlog::events {

class Symbol {
 public:
  // What a symbol points at: its text, and its number, dense from 0 (the
  // empty string) in the order texts were first interned in this process.
  struct Entry {
    std::string text;
    std::uint32_t number = 0;
  };

  // The empty string.
  Symbol() = default;
  // Interns `text`: the same text gives the same symbol, on any thread.
  explicit Symbol(std::string_view text);

  // The symbol of `text` if it was ever interned, without interning it (a
  // query's key need not grow the table; an unknown one is in no state).
  static std::optional<Symbol> Find(std::string_view text);
  // How many distinct texts are interned (for tests and metrics).
  static std::size_t TableSize();

  const std::string& str() const { return entry_->text; }
  std::string_view view() const { return entry_->text; }
  operator const std::string&() const { return entry_->text; }  // NOLINT: reads as the text
  bool empty() const { return entry_->text.empty(); }
  // Its number (Entry), e.g. to index a table of every symbol.
  std::uint32_t number() const { return entry_->number; }

  friend bool operator==(Symbol a, Symbol b) { return a.entry_ == b.entry_; }
  friend bool operator==(Symbol a, std::string_view b) { return a.view() == b; }
  friend bool operator==(Symbol a, const std::string& b) { return a.view() == b; }
  friend bool operator==(Symbol a, const char* b) { return a.view() == b; }
  friend std::strong_ordering operator<=>(Symbol a, Symbol b) {
    return a.entry_ == b.entry_ ? std::strong_ordering::equal : a.view() <=> b.view();
  }
  friend std::ostream& operator<<(std::ostream& os, Symbol s) { return os << s.view(); }

  // Hashes the pointer: one interned text, one address.
  struct Hash {
    std::size_t operator()(Symbol s) const noexcept { return std::hash<const void*>{}(s.entry_); }
  };

 private:
  explicit Symbol(const Entry* entry) : entry_(entry) {}
  static const Entry kEmpty;
  const Entry* entry_ = &kEmpty;
};

// A symbol's JSON form is its text (events' data, Save(), comparisons).
inline void to_json(nlohmann::json& j, Symbol s) { j = s.str(); }
inline void from_json(const nlohmann::json& j, Symbol& s) {
  s = Symbol(j.get_ref<const std::string&>());
}

// The entry of `map` (keyed by Symbol) for `text`, or end(): a query's key,
// looked up without interning it.
template <class Map>
auto FindByText(Map& map, std::string_view text) {
  const std::optional<Symbol> key = Symbol::Find(text);
  return key ? map.find(*key) : map.end();
}

}  // namespace mentorlog::events

template <>
struct std::hash<mentorlog::events::Symbol> : mentorlog::events::Symbol::Hash {};
