#include "events/canonical_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

namespace mentorlog::events {
namespace {

// Decodes `s` (valid UTF-8) into UTF-16 code units, the order JCS sorts names by.
std::u16string Utf16(std::string_view s) {
  std::u16string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    char32_t cp;
    size_t len;
    if (b < 0x80) {
      cp = b;
      len = 1;
    } else if ((b >> 5) == 0x6) {
      cp = b & 0x1f;
      len = 2;
    } else if ((b >> 4) == 0xe) {
      cp = b & 0x0f;
      len = 3;
    } else {
      cp = b & 0x07;
      len = 4;
    }
    for (size_t k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xd800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xdc00 + (cp & 0x3ff)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

// Word-at-a-time tests on eight bytes (each exact as a yes/no answer).
constexpr std::uint64_t kOnes = 0x0101010101010101;
constexpr std::uint64_t kHighs = 0x8080808080808080;

std::uint64_t Word(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// Some byte of `w` is below `n` (n <= 0x80).
constexpr std::uint64_t HasLess(std::uint64_t w, std::uint64_t n) {
  return (w - kOnes * n) & ~w & kHighs;
}

// Some byte of `w` is `c`.
constexpr std::uint64_t HasByte(std::uint64_t w, unsigned char c) {
  return HasLess(w ^ (kOnes * c), 1);
}

bool IsAscii(std::string_view s) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    if (Word(s.data() + i) & kHighs) return false;
  }
  return std::all_of(s.begin() + static_cast<std::ptrdiff_t>(i), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// A character JCS writes escaped: a control character, '"' or '\\'.
bool NeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// Where the run of characters from `i` that JCS writes as they are ends.
size_t PlainRunEnd(std::string_view s, size_t i) {
  for (; i + 8 <= s.size(); i += 8) {
    const std::uint64_t w = Word(s.data() + i);
    if (HasLess(w, 0x20) | HasByte(w, '"') | HasByte(w, '\\')) break;
  }
  while (i < s.size() && !NeedsEscape(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

// UTF-16 order equals byte order for ASCII names, the common case; only names
// with non-ASCII characters pay for the conversion.
bool NameLess(const std::string& a, const std::string& b) {
  if (IsAscii(a) && IsAscii(b)) return a < b;
  return Utf16(a) < Utf16(b);
}

void ValidateUtf8(std::string_view s) {
  // nlohmann's dump() validates UTF-8 and throws type_error 316 on failure;
  // reuse it so there is one definition of "valid".
  (void)nlohmann::json(std::string(s)).dump();
}

// JCS numbers are IEEE doubles: an integer above 2^53 would not survive an
// auditor's parser in another language, so it is refused rather than rounded.
void CheckExactInDouble(double magnitude) {
  if (magnitude > 9007199254740991.0) {
    throw std::domain_error("JCS integer outside the exact double range (|n| > 2^53 - 1)");
  }
}

}  // namespace

void AppendCanonicalString(std::string_view s, std::string& out) {
  if (!IsAscii(s)) ValidateUtf8(s);
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  // Runs of characters that stand for themselves are copied whole; ids, names
  // and texts are mostly one such run.
  for (size_t i = 0; i < s.size();) {
    const size_t run_end = PlainRunEnd(s, i);
    out.append(s, i, run_end - i);
    if (run_end == s.size()) break;
    const auto u = static_cast<unsigned char>(s[run_end]);
    switch (s[run_end]) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:  // the other control characters
        out += "\\u00";
        out.push_back(kHex[u >> 4]);
        out.push_back(kHex[u & 0xf]);
    }
    i = run_end + 1;
  }
  out.push_back('"');
}

void AppendCanonicalNumber(double d, std::string& out) {
  if (!std::isfinite(d)) throw std::domain_error("JCS cannot represent a non-finite number");
  if (d == 0) {  // Both +0 and -0 serialise as "0".
    out.push_back('0');
    return;
  }
  if (d < 0) {
    out.push_back('-');
    d = -d;
  }
  // Shortest round-trip digits, as ECMAScript requires, then ECMAScript layout.
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
  const size_t e_pos = sci.find('e');
  std::string digits;
  for (const char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  int exp10 = 0;
  std::from_chars(sci.data() + e_pos + 1 + (sci[e_pos + 1] == '+'), sci.data() + sci.size(), exp10);
  const int k = static_cast<int>(digits.size());
  const int n = exp10 + 1;  // The value is 0.digits × 10^n.
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, static_cast<size_t>(n));
    out.push_back('.');
    out.append(digits, static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-n), '0');
    out += digits;
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    out.push_back('e');
    out.push_back(n - 1 >= 0 ? '+' : '-');
    out += std::to_string(std::abs(n - 1));
  }
}

void AppendCanonicalJson(const nlohmann::json& value, std::string& out) {
  using Type = nlohmann::json::value_t;
  switch (value.type()) {
    case Type::null:
    case Type::discarded:
      out += "null";
      return;
    case Type::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case Type::number_integer: {
      CheckExactInDouble(value.get<std::int64_t>() < 0
                             ? -static_cast<double>(value.get<std::int64_t>())
                             : static_cast<double>(value.get<std::int64_t>()));
      char buf[24];
      const auto res = std::to_chars(buf, buf + sizeof buf, value.get<std::int64_t>());
      out.append(buf, res.ptr);
      return;
    }
    case Type::number_unsigned: {
      CheckExactInDouble(static_cast<double>(value.get<std::uint64_t>()));
      char buf[24];
      const auto res = std::to_chars(buf, buf + sizeof buf, value.get<std::uint64_t>());
      out.append(buf, res.ptr);
      return;
    }
    case Type::number_float:
      AppendCanonicalNumber(value.get<double>(), out);
      return;
    case Type::string:
      AppendCanonicalString(value.get_ref<const std::string&>(), out);
      return;
    case Type::binary:
      throw std::domain_error("JCS cannot represent binary values");
    case Type::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : value) {
        if (!first) out.push_back(',');
        first = false;
        AppendCanonicalJson(item, out);
      }
      out.push_back(']');
      return;
    }
    case Type::object: {
      // nlohmann::json keeps members in std::map byte order; re-sort only when a
      // name is non-ASCII, where byte order and UTF-16 order can differ.
      const auto& members = value.get_ref<const nlohmann::json::object_t&>();
      std::vector<const nlohmann::json::object_t::value_type*> order;
      order.reserve(members.size());
      bool ascii = true;
      for (const auto& member : members) {
        order.push_back(&member);
        ascii = ascii && IsAscii(member.first);
      }
      if (!ascii) {
        std::stable_sort(order.begin(), order.end(),
                         [](const auto* a, const auto* b) { return NameLess(a->first, b->first); });
      }
      out.push_back('{');
      bool first = true;
      for (const auto* member : order) {
        if (!first) out.push_back(',');
        first = false;
        AppendCanonicalString(member->first, out);
        out.push_back(':');
        AppendCanonicalJson(member->second, out);
      }
      out.push_back('}');
      return;
    }
  }
}

std::string CanonicalJson(const nlohmann::json& value) {
  std::string out;
  AppendCanonicalJson(value, out);
  return out;
}

}  // namespace mentorlog::events
