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
// before it was read; the target's own re-serialisation of the frame then did
// the same in the ASan build of CI. Frames nested deeper than 64 are now refused
// before they are built, as HTTP bodies are, and filters are read in place.
TEST(FuzzRegression, DeeplyNestedFilterIsReadInPlace) {
  constexpr int kDepth = 32'000;
  const std::string frame = R"({"op":"subscribe","id":"s","filter":{"types":)" +
                            std::string(kDepth, '[') + std::string(kDepth, ']') + "}}";
  const auto got = ParseClientMessage(frame);
  ASSERT_FALSE(got.has_value()) << "refused before any recursive walk";
  EXPECT_EQ(got.error().code, "invalid_json");

  // At the limit the filter is still read in place (not copied).
  const int depth = kMaxMessageDepth - 2;  // the message and filter objects are two
  const auto at_limit =
      ParseClientMessage(R"({"op":"subscribe","id":"s","filter":{"types":)" +
                         std::string(depth, '[') + std::string(depth, ']') + "}}");
  ASSERT_TRUE(at_limit.has_value()) << at_limit.error().message;
  EXPECT_TRUE(at_limit->types.empty()) << "entries that are not strings are ignored";
}

}  // namespace
}  // namespace mentorlog::http
