// Fuzzes token verification (every authenticated request) with a fixed secret,
// and checks signing against it.
//
// The whole input is verified as a token: whatever is accepted has a non-empty
// sub of at most 64 bytes, one of the four roles, exp in the future and nbf (if
// any) not. The input also picks claims, a byte position and a byte: the token
// Sign makes of those claims verifies to exactly them, and changing any single
// byte of it (or verifying with another secret, or after exp) fails.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "http/jwt.h"
#include "tests/fuzz/fuzz_check.h"

namespace mentorlog::fuzz {
namespace {

// 2026-11-23T08:00:00Z.
constexpr std::int64_t kNowSeconds = 1'795'420'800;
constexpr const char* kRoles[] = {"admin", "mentor", "mentee", "auditor"};

// Reads fixed-size values off the front of the input, zeros once it runs out.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  std::uint64_t Take(std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) {
      v = (v << 8) | (bytes_.empty() ? 0u : static_cast<unsigned char>(bytes_.front()));
      if (!bytes_.empty()) bytes_.remove_prefix(1);
    }
    return v;
  }
  std::string_view Rest() const { return bytes_; }

 private:
  std::string_view bytes_;
};

bool IsUtf8(std::string_view s) {
  try {
    (void)nlohmann::json(std::string(s)).dump();
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

void CheckSigned(std::string_view input) {
  static const http::Jwt jwt("fuzz-secret");
  static const http::Jwt other("another-secret");
  Reader in(input);
  const std::uint64_t flags = in.Take(1);
  http::Claims claims;
  claims.role = kRoles[flags % 4];
  claims.exp = kNowSeconds + 1 + static_cast<std::int64_t>(in.Take(4));
  if (flags & 4) claims.nbf = kNowSeconds - static_cast<std::int64_t>(in.Take(4));
  const std::uint64_t position = in.Take(2);
  const auto byte = static_cast<char>(in.Take(1));
  claims.sub = std::string(in.Rest().substr(0, 64));
  // Sign's input: a sub the verifier accepts, as valid UTF-8 (JSON holds no other).
  if (claims.sub.empty() || !IsUtf8(claims.sub)) return;

  const std::string token = jwt.Sign(claims);
  const auto verified = jwt.Verify(token, kNowSeconds);
  FUZZ_CHECK(verified.has_value(), "a token we signed verifies");
  FUZZ_CHECK(verified->sub == claims.sub && verified->role == claims.role &&
                 verified->exp == claims.exp && verified->nbf == claims.nbf,
             "a token we signed verifies to its claims");
  FUZZ_CHECK(!other.Verify(token, kNowSeconds), "another secret's verifier refuses it");
  FUZZ_CHECK(!jwt.Verify(token, claims.exp), "it is refused once expired");

  std::string changed = token;
  const std::size_t at = position % changed.size();
  changed[at] = changed[at] == byte ? static_cast<char>(byte ^ 1) : byte;
  FUZZ_CHECK(!jwt.Verify(changed, kNowSeconds), "a token with any byte changed is refused");
}

}  // namespace
}  // namespace mentorlog::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mentorlog;
  static const http::Jwt jwt("fuzz-secret");
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const auto claims = jwt.Verify(input, fuzz::kNowSeconds)) {
    FUZZ_CHECK(!claims->sub.empty() && claims->sub.size() <= 64, "an accepted sub is 1-64 bytes");
    bool role = false;
    for (const char* r : fuzz::kRoles) role = role || claims->role == r;
    FUZZ_CHECK(role, "an accepted role is one of the four");
    FUZZ_CHECK(claims->exp > fuzz::kNowSeconds, "an accepted token has not expired");
    FUZZ_CHECK(!claims->nbf || *claims->nbf <= fuzz::kNowSeconds, "an accepted token is valid now");
  } else {
    FUZZ_CHECK(!claims.error().empty(), "a refusal says why");
  }
  fuzz::CheckSigned(input);
  return 0;
}
