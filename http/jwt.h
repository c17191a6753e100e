#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "events/time.h"

namespace mentorlog::http {

// The claims mentorlog reads from a token (API.md "Tokens and roles").
struct Claims {
  std::string sub;                  // a mentor, student or staff id
  std::string role;                 // admin | mentor | mentee | auditor
  std::int64_t exp = 0;             // expiry, seconds since the epoch
  std::optional<std::int64_t> nbf;  // not valid before, seconds since the epoch
};

// Signs and verifies HS256 JSON Web Tokens with one shared secret.
// Thread-safe: the secret is immutable; the cache of verified tokens is locked.
class Jwt {
 public:
  explicit Jwt(std::string secret) : secret_(std::move(secret)) {}
  Jwt(const Jwt&) = delete;
  Jwt& operator=(const Jwt&) = delete;

  // A compact JWS with header {"alg":"HS256","typ":"JWT"} over `claims`.
  std::string Sign(const Claims& claims) const;

  // Verifies `token` at time `now_seconds`: three base64url parts, header alg
  // exactly HS256 (anything else, "none" included, is refused), an HMAC-SHA256
  // signature compared in constant time, `exp` in the future, `nbf` (if any) not
  // in the future, `sub` a non-empty string and `role` one of the four roles.
  // The error says which check failed (never echoing the token).
  // A token whose signature and claims verified before (byte for byte, compared
  // in constant time) is answered from a bounded cache: only `exp` and `nbf` are
  // checked again against `now_seconds`, so the answer is the same as a full
  // verification's while the per-request HMAC and JSON parsing are skipped.
  std::expected<Claims, std::string> Verify(std::string_view token, std::int64_t now_seconds) const;

  // Tokens up to this long are cached once verified. Default: 1 KiB.
  static constexpr std::size_t kMaxCachedTokenBytes = 1024;
  // The cache is emptied when it reaches this many tokens. Default: 4,096.
  static constexpr std::size_t kMaxCachedTokens = 4096;

 private:
  struct TokenHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view token) const {
      return std::hash<std::string_view>{}(token);
    }
  };
  struct ConstantTimeEqual {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const;
  };

  std::expected<Claims, std::string> VerifyUncached(std::string_view token,
                                                    std::int64_t now_seconds) const;

  std::string secret_;
  mutable std::mutex cache_mu_;
  mutable std::unordered_map<std::string, Claims, TokenHash, ConstantTimeEqual> verified_;
};

// base64url without padding (RFC 4648 section 5), as JWS uses it.
std::string Base64UrlEncode(std::string_view bytes);
std::expected<std::string, std::string> Base64UrlDecode(std::string_view text);

}  // namespace mentorlog::http
