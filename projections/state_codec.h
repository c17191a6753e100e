#pragma once

// The compact binary form of projection state that snapshots use: varints,
// length-prefixed strings, symbols as their text once and a number after,
// containers as a count then their elements, structs as their fields in
// declaration order. Decoding checks every length against what
// is left, so a corrupt snapshot fails (and is discarded) instead of crashing.
// Used by the projections' states and by the write state's snapshot (app/).

#include <algorithm>
#include <bit>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "events/date_counts.h"
#include "projections/symbol.h"

namespace mentorlog::projections::internal {

class Encoder {
 public:
  // A symbol: its text the first time, then the number it was given (a
  // state names the same ids over and over; see Decoder::Sym).
  void Sym(Symbol s) {
    if (s.number() >= numbers_.size()) {
      numbers_.resize(std::max<std::size_t>(s.number() + 1, 2 * numbers_.size()), 0);
    }
    std::uint32_t& n = numbers_[s.number()];
    if (n == 0) {
      n = ++written_;
      Varint(0);
      Bytes(s.view());
    } else {
      Varint(n);
    }
  }
  void Varint(std::uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>(v | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void Bytes(std::string_view s) {
    Varint(s.size());
    out_.append(s);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
  // By Symbol::number(): the number this snapshot gave it, from 1; 0 when not written yet.
  std::vector<std::uint32_t> numbers_;
  std::uint32_t written_ = 0;
};

class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}
  bool Varint(std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64 && pos_ < in_.size(); shift += 7) {
      const auto byte = static_cast<unsigned char>(in_[pos_++]);
      v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return ok_ = false;
  }
  bool Bytes(std::string& s) {
    std::string_view view;
    if (!Bytes(view)) return false;
    s.assign(view);
    return true;
  }
  // The bytes, pointing into the input.
  bool Bytes(std::string_view& s) {
    std::uint64_t n = 0;
    if (!Varint(n) || n > in_.size() - pos_) return ok_ = false;
    s = in_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  // A symbol as Encoder::Sym wrote it: 0 and the text, interned once per
  // snapshot, or the number of one read before.
  bool Sym(Symbol& s) {
    std::uint64_t n = 0;
    if (!Varint(n)) return false;
    if (n == 0) {
      std::string_view text;
      if (!Bytes(text)) return false;
      s = symbols_.emplace_back(text);
      return true;
    }
    if (n > symbols_.size()) return ok_ = false;
    s = symbols_[n - 1];
    return true;
  }
  // A count of elements that each take at least one byte.
  bool Count(std::uint64_t& n) { return Varint(n) && (n <= in_.size() - pos_ || (ok_ = false)); }
  bool ok() const { return ok_; }
  bool AtEnd() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
  std::vector<Symbol> symbols_;  // in the order they were first written
};

template <class T>
struct IsPair : std::false_type {};
template <class A, class B>
struct IsPair<std::pair<A, B>> : std::true_type {};
template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};
template <class T>
struct IsVector : std::false_type {};
template <class T, class A>
struct IsVector<std::vector<T, A>> : std::true_type {};
template <class T>
concept MapLike = requires {
  typename T::mapped_type;
};
template <class T>
concept SetLike = requires {
  typename T::key_type;
}
&&!MapLike<T>;

template <class T>
void Encode(Encoder& e, const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    e.Varint(v ? 1 : 0);
  } else if constexpr (std::is_enum_v<T>) {
    Encode(e, static_cast<std::underlying_type_t<T>>(v));
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    const auto x = static_cast<std::int64_t>(v);
    e.Varint((static_cast<std::uint64_t>(x) << 1) ^ static_cast<std::uint64_t>(x >> 63));
  } else if constexpr (std::is_integral_v<T>) {
    e.Varint(v);
  } else if constexpr (std::is_floating_point_v<T>) {
    e.Varint(std::bit_cast<std::uint64_t>(static_cast<double>(v)));
  } else if constexpr (std::is_same_v<T, std::string>) {
    e.Bytes(v);
  } else if constexpr (std::is_same_v<T, Symbol>) {
    e.Sym(v);
  } else if constexpr (std::is_same_v<T, nlohmann::json>) {
    e.Bytes(v.dump());
  } else if constexpr (IsPair<T>::value) {
    Encode(e, v.first);
    Encode(e, v.second);
  } else if constexpr (IsOptional<T>::value) {
    e.Varint(v ? 1 : 0);
    if (v) Encode(e, *v);
  } else if constexpr (IsVector<T>::value || MapLike<T> || SetLike<T>) {
    e.Varint(v.size());
    for (const auto& x : v) Encode(e, static_cast<const typename T::value_type&>(x));
  } else {
    EncodeState(e, v);  // a struct declared with MENTORLOG_STATE
  }
}

template <class T>
bool Decode(Decoder& d, T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    std::uint64_t x = 0;
    if (!d.Varint(x)) return false;
    v = x != 0;
  } else if constexpr (std::is_enum_v<T>) {
    // A state's enum declares how many values it has (EnumCount, found by
    // ADL), so a corrupt byte is refused instead of becoming a value that no
    // name table or switch knows.
    std::underlying_type_t<T> x{};
    if (!Decode(d, x) || static_cast<std::uint64_t>(x) >= EnumCount(T{})) return false;
    v = static_cast<T>(x);
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    std::uint64_t x = 0;
    if (!d.Varint(x)) return false;
    v = static_cast<T>(static_cast<std::int64_t>((x >> 1) ^ (~(x & 1) + 1)));
  } else if constexpr (std::is_integral_v<T>) {
    std::uint64_t x = 0;
    if (!d.Varint(x)) return false;
    v = static_cast<T>(x);
  } else if constexpr (std::is_floating_point_v<T>) {
    std::uint64_t x = 0;
    if (!d.Varint(x)) return false;
    v = static_cast<T>(std::bit_cast<double>(x));
  } else if constexpr (std::is_same_v<T, std::string>) {
    return d.Bytes(v);
  } else if constexpr (std::is_same_v<T, Symbol>) {
    return d.Sym(v);
  } else if constexpr (std::is_same_v<T, nlohmann::json>) {
    std::string text;
    if (!d.Bytes(text)) return false;
    v = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    return !v.is_discarded();
  } else if constexpr (IsPair<T>::value) {
    return Decode(d, v.first) && Decode(d, v.second);
  } else if constexpr (IsOptional<T>::value) {
    std::uint64_t present = 0;
    if (!d.Varint(present) || present > 1) return false;
    if (present == 0) {
      v.reset();
      return true;
    }
    return Decode(d, v.emplace());
  } else if constexpr (IsVector<T>::value) {
    std::uint64_t n = 0;
    if (!d.Count(n)) return false;
    v.clear();
    v.reserve(n);
    for (std::uint64_t i = 0; i < n; ++i) {
      typename T::value_type x{};
      if (!Decode(d, x)) return false;
      v.push_back(std::move(x));
    }
  } else if constexpr (MapLike<T>) {
    std::uint64_t n = 0;
    if (!d.Count(n)) return false;
    v.clear();
    if constexpr (requires { v.reserve(n); }) v.reserve(n);  // no rehashing on the way
    for (std::uint64_t i = 0; i < n; ++i) {
      std::remove_const_t<typename T::key_type> k{};
      typename T::mapped_type m{};
      if (!Decode(d, k) || !Decode(d, m)) return false;
      // Ordered containers were written in order: the hint makes each insert O(1).
      v.emplace_hint(v.end(), std::move(k), std::move(m));
    }
  } else if constexpr (SetLike<T>) {
    std::uint64_t n = 0;
    if (!d.Count(n)) return false;
    v.clear();
    if constexpr (requires { v.reserve(n); }) v.reserve(n);
    for (std::uint64_t i = 0; i < n; ++i) {
      typename T::value_type x{};
      if (!Decode(d, x)) return false;
      v.insert(v.end(), std::move(x));
    }
  } else {
    return DecodeState(d, v);
  }
  return true;
}

// Encodes / decodes several values in order.
template <class... T>
void EncodeAll(Encoder& e, const T&... v) {
  (Encode(e, v), ...);
}
template <class... T>
bool DecodeAll(Decoder& d, T&... v) {
  return (Decode(d, v) && ...);
}

}  // namespace mentorlog::projections::internal

#define MENTORLOG_ENCODE_FIELD(field) Encode(e, v.field);
#define MENTORLOG_DECODE_FIELD(field) &&Decode(d, v.field)

// Declares a state struct's fields once for both forms: JSON (nlohmann's
// to_json / from_json, for Save() and comparisons) and binary (snapshots).
#define MENTORLOG_STATE(Type, ...)                      \
  NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Type, __VA_ARGS__) \
  MENTORLOG_BINARY_STATE(Type, __VA_ARGS__)

// Declares a struct's fields for the binary form only.
#define MENTORLOG_BINARY_STATE(Type, ...)                                                       \
  [[maybe_unused]] inline void EncodeState(::mentorlog::projections::internal::Encoder& e,      \
                                           const Type& v) {                                     \
    NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(MENTORLOG_ENCODE_FIELD, __VA_ARGS__))              \
  }                                                                                             \
  [[maybe_unused]] inline bool DecodeState(::mentorlog::projections::internal::Decoder& d,      \
                                           Type& v) {                                           \
    return true NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(MENTORLOG_DECODE_FIELD, __VA_ARGS__)); \
  }

namespace mentorlog::projections::internal {
// Shared by the attendance projection and the write state (events/date_counts.h).
MENTORLOG_BINARY_STATE(events::DateCount, date, count)
}  // namespace mentorlog::projections::internal
