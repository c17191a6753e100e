// Named regression tests for what the fuzz targets found (docs/HARDENING.md);
// the inputs themselves replay in fuzz_replay.<target>.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "http/router.h"

namespace mentorlog::http {
namespace {

// http_request_fuzz: `GET /rea\xe4yz` made the 404 message echo bytes that are
// not UTF-8; nlohmann's dump() threw out of Router::Handle, which terminates
// the server from an I/O thread.
TEST(FuzzRegression, ErrorForATargetThatIsNotUtf8IsJson) {
  const Router router(Services{});
  Response got;
  int answers = 0;
  Request request;
  request.method = "GET";
  request.target = "/rea\xe4yz";
  router.Handle(std::move(request), [&](Response r) {
    got = std::move(r);
    ++answers;
  });
  ASSERT_EQ(answers, 1);
  EXPECT_EQ(got.status, 404u);
  const auto body = nlohmann::json::parse(got.body, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(body.is_object()) << got.body;
  EXPECT_EQ(body["error"]["code"], "not_found");
  EXPECT_NE(body["error"]["message"].get<std::string>().find("/rea\xEF\xBF\xBDyz"),
            std::string::npos)
      << "the byte that is not UTF-8 reads as U+FFFD";
}

}  // namespace
}  // namespace mentorlog::http
