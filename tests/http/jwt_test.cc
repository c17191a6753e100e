#include "http/jwt.h"

#include <gtest/gtest.h>

namespace mentorlog::http {
namespace {

constexpr std::int64_t kNow = 1'795'420'800;

TEST(JwtTest, SignedTokensVerify) {
  const Jwt jwt("secret");
  const auto claims = jwt.Verify(jwt.Sign({"M-7", "mentor", kNow + 60, kNow - 1}), kNow);
  ASSERT_TRUE(claims.has_value()) << claims.error();
  EXPECT_EQ(claims->sub, "M-7");
  EXPECT_EQ(claims->role, "mentor");
  EXPECT_EQ(claims->exp, kNow + 60);
}

TEST(JwtTest, RefusesExpiredAndNotYetValidTokens) {
  const Jwt jwt("secret");
  EXPECT_EQ(jwt.Verify(jwt.Sign({"M-7", "mentor", kNow, std::nullopt}), kNow).error(),
            "token expired");
  EXPECT_EQ(jwt.Verify(jwt.Sign({"M-7", "mentor", kNow + 60, kNow + 5}), kNow).error(),
            "token not valid yet");
}

TEST(JwtTest, RefusesOtherSecretsAndTamperedSignatures) {
  const Jwt jwt("secret");
  const std::string token = Jwt("other").Sign({"M-7", "mentor", kNow + 60, std::nullopt});
  EXPECT_EQ(jwt.Verify(token, kNow).error(), "bad signature");
  std::string tampered = jwt.Sign({"M-7", "mentor", kNow + 60, std::nullopt});
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(jwt.Verify(tampered, kNow).has_value());
  // A payload swapped under a valid signature (privilege escalation attempt).
  const std::string mentor = jwt.Sign({"M-7", "mentor", kNow + 60, std::nullopt});
  const std::string admin = jwt.Sign({"M-7", "admin", kNow + 60, std::nullopt});
  const std::string forged = admin.substr(0, admin.rfind('.')) + mentor.substr(mentor.rfind('.'));
  EXPECT_EQ(jwt.Verify(forged, kNow).error(), "bad signature");
}

TEST(JwtTest, RefusesAlgNoneAndOtherAlgorithms) {
  const Jwt jwt("secret");
  const std::string payload =
      Base64UrlEncode(R"({"sub":"A-1","role":"admin","exp":)" + std::to_string(kNow + 60) + "}");
  for (const char* header : {R"({"alg":"none","typ":"JWT"})", R"({"alg":"HS512","typ":"JWT"})",
                             R"({"alg":"RS256"})", R"({"typ":"JWT"})", R"("HS256")"}) {
    EXPECT_EQ(jwt.Verify(Base64UrlEncode(header) + "." + payload + ".", kNow).error(),
              "only HS256 tokens are accepted")
        << header;
  }
}

TEST(JwtTest, RefusesMalformedTokensAndClaims) {
  const Jwt jwt("secret");
  for (const char* bad : {"", "a", "a.b", "a.b.c.d", "!!!.b.c", "....", "a..c"}) {
    EXPECT_FALSE(jwt.Verify(bad, kNow).has_value()) << bad;
  }
  EXPECT_EQ(jwt.Verify(jwt.Sign({"", "mentor", kNow + 60, std::nullopt}), kNow).error(),
            "sub missing");
  EXPECT_EQ(jwt.Verify(jwt.Sign({"X", "root", kNow + 60, std::nullopt}), kNow).error(),
            "role missing or unknown");
}

TEST(JwtTest, ACachedTokenIsCheckedForTimeAgainAndNothingElseIsTakenFromTheCache) {
  const Jwt jwt("secret");
  const std::string token = jwt.Sign({"M-7", "mentor", kNow + 60, kNow + 5});
  EXPECT_EQ(jwt.Verify(token, kNow).error(), "token not valid yet");  // refusals are not cached
  ASSERT_TRUE(jwt.Verify(token, kNow + 10).has_value());              // now cached
  const auto again = jwt.Verify(token, kNow + 10);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->sub, "M-7");
  EXPECT_EQ(again->role, "mentor");
  EXPECT_EQ(again->exp, kNow + 60);
  EXPECT_EQ(again->nbf, kNow + 5);
  EXPECT_EQ(jwt.Verify(token, kNow + 60).error(), "token expired");
  EXPECT_EQ(jwt.Verify(token, kNow).error(), "token not valid yet");
  // Near misses of a cached token still go through the signature check.
  std::string tampered = token;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(jwt.Verify(tampered, kNow + 10).has_value());
  EXPECT_FALSE(jwt.Verify(token.substr(0, token.size() - 1), kNow + 10).has_value());
  EXPECT_FALSE(jwt.Verify(token + "A", kNow + 10).has_value());
  // Another Jwt (another secret) does not share the cache.
  EXPECT_EQ(Jwt("other").Verify(token, kNow + 10).error(), "bad signature");
}

TEST(JwtTest, TheCacheStaysBoundedAndCorrectPastItsSize) {
  const Jwt jwt("secret");
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(Jwt::kMaxCachedTokens) + 10; ++i) {
    const std::string token = jwt.Sign({"M-" + std::to_string(i), "mentor", kNow + 60, {}});
    const auto claims = jwt.Verify(token, kNow);
    ASSERT_TRUE(claims.has_value()) << i;
    EXPECT_EQ(claims->sub, "M-" + std::to_string(i));
    EXPECT_EQ(jwt.Verify(token, kNow)->sub, "M-" + std::to_string(i));
  }
}

TEST(JwtTest, Base64UrlRoundTrips) {
  for (const std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\x00"}) {
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(s)).value(), s);
  }
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
}

}  // namespace
}  // namespace mentorlog::http
