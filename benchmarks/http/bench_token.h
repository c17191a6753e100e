#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "http/jwt.h"

namespace mentorlog::bench {

// A token the server under test accepts: `sub` in `role`, valid for an hour.
inline std::string Token(const std::string& secret, const std::string& sub,
                         const std::string& role) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return http::Jwt(secret).Sign({sub, role, now + 3600, std::nullopt});
}

}  // namespace mentorlog::bench
