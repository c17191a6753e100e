#pragma once

#include <atomic>
#include <cstddef>
#include <memory>

#include "http/event_hub.h"
#include "http/router.h"
#include "http/server.h"

namespace mentorlog::http {

// What every connection of one server shares.
struct SessionContext {
  Router& router;
  EventHub& hub;
  const ServerOptions& options;
  std::atomic<std::size_t> connections{0};
};

// Holds one of ServerOptions::max_connections while a connection lives; passed
// from the HTTP session to the WebSocket session on upgrade.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(SessionContext& context) : context_(context) { ++context_.connections; }
  ~ConnectionSlot() { --context_.connections; }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

 private:
  SessionContext& context_;
};

}  // namespace mentorlog::http
