#include "http/jwt.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <nlohmann/json.hpp>

namespace mentorlog::http {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string HmacSha256(std::string_view key, std::string_view message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(), &length);
  return std::string(reinterpret_cast<const char*>(mac.data()), length);
}

bool IsRole(std::string_view role) {
  return role == "admin" || role == "mentor" || role == "mentee" || role == "auditor";
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3f]);
  return out;
}

std::expected<std::string, std::string> Base64UrlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    int value;
    if (c >= 'A' && c <= 'Z') {
      value = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      value = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      value = c - '0' + 52;
    } else if (c == '-') {
      value = 62;
    } else if (c == '_') {
      value = 63;
    } else {
      return std::unexpected("not base64url");
    }
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  if (text.size() % 4 == 1) return std::unexpected("truncated base64url");
  // Canonical encodings only: unused low bits must be zero, so no two texts
  // decode to the same bytes (a signature cannot be altered and still verify).
  if ((buffer & ((1u << bits) - 1)) != 0) return std::unexpected("non-canonical base64url");
  return out;
}

std::string Jwt::Sign(const Claims& claims) const {
  nlohmann::json payload = {{"sub", claims.sub}, {"role", claims.role}, {"exp", claims.exp}};
  if (claims.nbf) payload["nbf"] = *claims.nbf;
  const std::string signing_input =
      Base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})") + "." + Base64UrlEncode(payload.dump());
  return signing_input + "." + Base64UrlEncode(HmacSha256(secret_, signing_input));
}

bool Jwt::ConstantTimeEqual::operator()(std::string_view a, std::string_view b) const {
  // The cache holds accepted tokens: do not leak how much of one a guess matches.
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::expected<Claims, std::string> Jwt::Verify(std::string_view token,
                                               std::int64_t now_seconds) const {
  if (token.size() > kMaxCachedTokenBytes) return VerifyUncached(token, now_seconds);
  std::optional<Claims> cached;
  {
    std::lock_guard lock(cache_mu_);
    if (const auto it = verified_.find(token); it != verified_.end()) cached = it->second;
  }
  if (cached) {
    // The same time checks, in the same order, as a full verification.
    if (cached->exp <= now_seconds) return std::unexpected("token expired");
    if (cached->nbf && *cached->nbf > now_seconds) return std::unexpected("token not valid yet");
    return std::move(*cached);
  }
  auto claims = VerifyUncached(token, now_seconds);
  if (claims) {
    std::lock_guard lock(cache_mu_);
    if (verified_.size() >= kMaxCachedTokens) verified_.clear();
    verified_.emplace(std::string(token), *claims);
  }
  return claims;
}

std::expected<Claims, std::string> Jwt::VerifyUncached(std::string_view token,
                                                       std::int64_t now_seconds) const {
  if (token.size() > 8192) return std::unexpected("token too long");
  const size_t first = token.find('.');
  const size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return std::unexpected("a token has three parts");
  }
  const auto header_bytes = Base64UrlDecode(token.substr(0, first));
  if (!header_bytes) return std::unexpected("malformed header");
  const auto header = nlohmann::json::parse(*header_bytes, nullptr, false);
  if (!header.is_object() || !header.contains("alg") || header["alg"] != "HS256") {
    return std::unexpected("only HS256 tokens are accepted");
  }
  const auto signature = Base64UrlDecode(token.substr(second + 1));
  if (!signature) return std::unexpected("malformed signature");
  const std::string expected = HmacSha256(secret_, token.substr(0, second));
  if (signature->size() != expected.size() ||
      CRYPTO_memcmp(signature->data(), expected.data(), expected.size()) != 0) {
    return std::unexpected("bad signature");
  }
  const auto payload_bytes = Base64UrlDecode(token.substr(first + 1, second - first - 1));
  if (!payload_bytes) return std::unexpected("malformed payload");
  const auto payload = nlohmann::json::parse(*payload_bytes, nullptr, false);
  if (!payload.is_object()) return std::unexpected("malformed payload");
  Claims claims;
  const auto sub = payload.find("sub");
  const auto role = payload.find("role");
  const auto exp = payload.find("exp");
  if (sub == payload.end() || !sub->is_string() || sub->get_ref<const std::string&>().empty() ||
      sub->get_ref<const std::string&>().size() > 64) {
    return std::unexpected("sub missing");
  }
  if (role == payload.end() || !role->is_string() || !IsRole(role->get<std::string>())) {
    return std::unexpected("role missing or unknown");
  }
  if (exp == payload.end() || !exp->is_number_integer()) return std::unexpected("exp missing");
  claims.sub = sub->get<std::string>();
  claims.role = role->get<std::string>();
  claims.exp = exp->get<std::int64_t>();
  if (claims.exp <= now_seconds) return std::unexpected("token expired");
  if (const auto nbf = payload.find("nbf"); nbf != payload.end()) {
    if (!nbf->is_number_integer()) return std::unexpected("nbf malformed");
    claims.nbf = nbf->get<std::int64_t>();
    if (*claims.nbf > now_seconds) return std::unexpected("token not valid yet");
  }
  return claims;
}

}  // namespace mentorlog::http
