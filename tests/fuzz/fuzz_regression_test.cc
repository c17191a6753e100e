// Named regression tests for what the fuzz targets found (docs/HARDENING.md);
// the inputs themselves replay in fuzz_replay.<target>.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "http/client_message.h"
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

// ws_message_fuzz: a 64 KiB frame whose filter nests 32,000 arrays deep
// overflowed the stack under ASan, because the filter was copied (recursively)
// before it was read. It is read in place now.
TEST(FuzzRegression, DeeplyNestedFilterIsReadInPlace) {
  constexpr int kDepth = 32'000;
  const std::string frame = R"({"op":"subscribe","id":"s","filter":{"types":)" +
                            std::string(kDepth, '[') + std::string(kDepth, ']') + "}}";
  const auto got = ParseClientMessage(frame);
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->types.empty()) << "entries that are not strings are ignored";
}

}  // namespace
}  // namespace mentorlog::http
