#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

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
// Thread-safe: holds only the immutable secret.
class Jwt {
 public:
  explicit Jwt(std::string secret) : secret_(std::move(secret)) {}

  // A compact JWS with header {"alg":"HS256","typ":"JWT"} over `claims`.
  std::string Sign(const Claims& claims) const;

  // Verifies `token` at time `now_seconds`: three base64url parts, header alg
  // exactly HS256 (anything else, "none" included, is refused), an HMAC-SHA256
  // signature compared in constant time, `exp` in the future, `nbf` (if any) not
  // in the future, `sub` a non-empty string and `role` one of the four roles.
  // The error says which check failed (never echoing the token).
  std::expected<Claims, std::string> Verify(std::string_view token, std::int64_t now_seconds) const;

 private:
  std::string secret_;
};

// base64url without padding (RFC 4648 section 5), as JWS uses it.
std::string Base64UrlEncode(std::string_view bytes);
std::expected<std::string, std::string> Base64UrlDecode(std::string_view text);

}  // namespace mentorlog::http
