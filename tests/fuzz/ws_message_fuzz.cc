// Fuzzes what a WebSocket client sends (http/client_message.h), as text frames
// of up to the server's 64 KiB message limit.
//
// Invariants beyond "no crash, no leak, no UB":
// - invalid_json exactly when the frame is not a JSON object; any other refusal
//   is invalid_argument, with a message;
// - an accepted subscribe or watch has an id of 1-64 chars;
// - the result depends on the JSON value only: the frame re-serialised parses
//   to the same message or the same error.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "http/client_message.h"
#include "http/router.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mentorlog::http;
  if (size > 64 * 1024) return 0;  // ServerOptions::websocket_max_message_bytes
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto got = ParseClientMessage(text);
  const bool too_deep = NestedDeeperThan(text, kMaxMessageDepth);
  const auto value = too_deep ? nlohmann::json()
                              : nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!got) {
    const ClientMessageError& e = got.error();
    FUZZ_CHECK((e.code == "invalid_json") == (too_deep || !value.is_object()),
               "invalid_json exactly for a frame too deep or not a JSON object");
    FUZZ_CHECK(e.code == "invalid_json" || e.code == "invalid_argument",
               "other refusals are invalid_argument");
    FUZZ_CHECK(!e.message.empty(), "a refusal says why");
  } else {
    FUZZ_CHECK(value.is_object(), "only an object is a message");
    if (got->op != ClientMessage::Op::kUnsubscribe) {
      FUZZ_CHECK(!got->id.empty() && got->id.size() <= 64, "a subscription id is 1-64 chars");
    }
  }
  if (value.is_object()) {
    FUZZ_CHECK(ParseClientMessage(value.dump()) == got,
               "the result depends on the JSON value only");
  }
  return 0;
}
