#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// What a WebSocket client sends on /v1/ws (API.md "WebSocket"), parsed without
// any session state, so the parser is unit-tested and fuzzed alone
// (tests/fuzz/ws_message_fuzz.cc). Authorisation and the per-connection limits
// stay in http/websocket_session.cc.
namespace mentorlog::http {

struct ClientMessage {
  enum class Op { kSubscribe, kUnsubscribe, kWatch };
  Op op = Op::kSubscribe;
  std::string id;  // 1-64 chars for subscribe and watch; any string for unsubscribe
  // subscribe
  std::uint64_t after = 0;
  std::string stream;
  std::vector<std::string> types;  // the string entries of filter.types
  std::string student_id;
  std::string mentor_id;
  // watch
  std::string view;
  std::optional<std::string> key;
  std::map<std::string, std::string> params;  // non-string values as their JSON text

  bool operator==(const ClientMessage&) const = default;
};

// Why a message is refused: the `error` message to send (API.md), on subscription
// `id` when the message named one.
struct ClientMessageError {
  std::string id;
  std::string code;  // invalid_json | invalid_argument
  std::string message;

  bool operator==(const ClientMessageError&) const = default;
};

// The deepest nesting a client message may have (as for HTTP bodies).
inline constexpr int kMaxMessageDepth = 64;

// Parses one text frame. Errors: invalid_json when the frame is not a JSON
// object or is nested deeper than kMaxMessageDepth; invalid_argument for an unknown op, an id that
// is not 1-64 chars, an `after` that is not a position, a `filter` that is not an object, or
// `types` that is not an array. Members of the wrong type that the protocol treats as absent (a
// non-string stream, key or type entry) are ignored. Pure; thread-safe.
std::expected<ClientMessage, ClientMessageError> ParseClientMessage(std::string_view text);

}  // namespace mentorlog::http
