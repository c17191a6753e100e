#include "store/keys.h"

namespace mentorlog::store::keys {

void AppendU64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

std::string U64(std::uint64_t v) {
  std::string out;
  out.reserve(8);
  AppendU64(out, v);
  return out;
}

std::optional<std::uint64_t> ParseU64(std::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  std::uint64_t v = 0;
  for (const char c : bytes) v = (v << 8) | static_cast<unsigned char>(c);
  return v;
}

std::string StreamKey(std::string_view stream, std::uint64_t version) {
  std::string out;
  out.reserve(stream.size() + 9);
  out.append(stream);
  out.push_back('\0');
  AppendU64(out, version);
  return out;
}

std::optional<std::pair<std::string_view, std::uint64_t>> ParseStreamKey(std::string_view key) {
  if (key.size() < 10 || key[key.size() - 9] != '\0') return std::nullopt;
  const auto version = ParseU64(key.substr(key.size() - 8));
  if (!version) return std::nullopt;
  return std::pair{key.substr(0, key.size() - 9), *version};
}

}  // namespace mentorlog::store::keys
