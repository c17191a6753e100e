#include "http/client_message.h"

#include <nlohmann/json.hpp>

#include "http/router.h"

namespace mentorlog::http {
namespace {

using nlohmann::json;

std::string StringMember(const json& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::unexpected<ClientMessageError> Invalid(std::string id, std::string message) {
  return std::unexpected(ClientMessageError{std::move(id), "invalid_argument", std::move(message)});
}

}  // namespace

std::expected<ClientMessage, ClientMessageError> ParseClientMessage(std::string_view text) {
  // As for HTTP bodies: a value nested deeper than this is refused before it
  // is built, so nothing recursive (copy, dump) ever walks it.
  if (NestedDeeperThan(text, kMaxMessageDepth)) {
    return std::unexpected(ClientMessageError{"", "invalid_json", "nested deeper than 64 levels"});
  }
  const json message = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!message.is_object()) {
    return std::unexpected(ClientMessageError{"", "invalid_json", "send a JSON object"});
  }
  ClientMessage out;
  const std::string op = StringMember(message, "op");
  out.id = StringMember(message, "id");
  if (op == "unsubscribe") {
    out.op = ClientMessage::Op::kUnsubscribe;
    return out;
  }
  if (op != "subscribe" && op != "watch") {
    return Invalid(out.id, "op must be subscribe, unsubscribe or watch");
  }
  if (out.id.empty() || out.id.size() > 64) return Invalid(out.id, "id must be 1-64 chars");

  if (op == "watch") {
    out.op = ClientMessage::Op::kWatch;
    out.view = StringMember(message, "view");
    if (const auto key = message.find("key"); key != message.end() && key->is_string()) {
      out.key = key->get<std::string>();
    }
    if (const auto params = message.find("params");
        params != message.end() && params->is_object()) {
      for (const auto& [name, value] : params->items()) {
        out.params[name] = value.is_string() ? value.get<std::string>() : value.dump();
      }
    }
    return out;
  }

  out.op = ClientMessage::Op::kSubscribe;
  if (const auto after = message.find("after"); after != message.end()) {
    if (!after->is_number_unsigned()) return Invalid(out.id, "after must be a position");
    out.after = after->get<std::uint64_t>();
  }
  // A reference, not value()'s copy: copying is recursive, and a 64 KiB frame
  // nests 32,000 deep (ws_message_fuzz overflowed the stack that way).
  static const json kNoFilter = json::object();
  const auto found = message.find("filter");
  const json& filter = found == message.end() ? kNoFilter : *found;
  if (!filter.is_object()) return Invalid(out.id, "filter must be an object");
  out.stream = StringMember(filter, "stream");
  out.student_id = StringMember(filter, "student_id");
  out.mentor_id = StringMember(filter, "mentor_id");
  if (const auto types = filter.find("types"); types != filter.end()) {
    if (!types->is_array()) return Invalid(out.id, "types must be an array");
    for (const auto& t : *types) {
      if (t.is_string()) out.types.push_back(t.get<std::string>());
    }
  }
  return out;
}

}  // namespace mentorlog::http
