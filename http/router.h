#pragma once

#include <atomic>
#include <chrono>
#include <expected>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/command_processor.h"
#include "events/envelope.h"
#include "http/audience.h"
#include "http/jwt.h"
#include "http/metrics.h"
#include "projections/projection_engine.h"
#include "store/event_store.h"

namespace spdlog {
class logger;
}

namespace mentorlog::http {

// A request as the router needs it: no Beast types, so the router is tested and
// fuzzed in process without sockets.
struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query, e.g. "/v1/views/attendance/S-1?min_position=5"
  std::string authorization;
  std::string content_type;
  std::optional<std::string> idempotency_key;
  std::optional<std::string> if_match;
  std::string body;
};

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  // The route pattern, for metrics and logs; set by the router, always to a
  // string literal (so it never dangles and costs no allocation).
  std::string_view route = "unmatched";
  std::string actor;  // the token's sub, when authenticated
};

// What the router serves from. All pointers must outlive the router.
struct Services {
  store::EventStore* store = nullptr;
  app::CommandProcessor* commands = nullptr;
  projections::ProjectionEngine* views = nullptr;
  const Jwt* jwt = nullptr;
  const Audience* audience = nullptr;
  Metrics* metrics = nullptr;
  // Where the one line per request goes (the server's is never flushed line
  // by line: app/main.cc). Default: spdlog's default logger.
  spdlog::logger* request_log = nullptr;
  // "Now", ms since the epoch. Default: the system clock.
  std::function<events::TimeMs()> clock;
  // Runs `task` once after `delay` without blocking the caller; used to wait
  // for `min_position`. Server::Start sets it to an Asio timer.
  std::function<void(std::chrono::milliseconds delay, std::function<void()> task)> schedule;
  // The web client's folder (web/), served by GET on every path outside /v1
  // (http/static_files.h); no token needed. Default: empty, nothing served.
  std::filesystem::path web_root;
};

// The routes of API.md. Thread-safe; Handle never blocks: commands and
// `min_position` waits answer later, through `respond`, on another thread.
class Router {
 public:
  explicit Router(Services services);

  // Answers `request` exactly once through `respond`, which may run on any thread.
  void Handle(Request request, std::function<void(Response)> respond) const;

  // Authenticates a WebSocket handshake: the Authorization header or, for
  // browsers, `?access_token=` in `target`. An error is the 401 to send.
  std::expected<events::Actor, Response> AuthenticateWebSocket(std::string_view authorization,
                                                               std::string_view target) const;

  const Services& services() const { return services_; }

  // Sets Services::schedule; called by Server::Start before it serves.
  void SetScheduler(
      std::function<void(std::chrono::milliseconds, std::function<void()>)> schedule) {
    services_.schedule = std::move(schedule);
  }

  // From now on commands are refused with 503 unavailable (graceful shutdown:
  // the command path is about to stop). Reads go on.
  void StopCommands() { commands_stopped_ = true; }

 private:
  struct Call;

  std::expected<events::Actor, Response> Authenticate(std::string_view authorization) const;
  void Dispatch(std::shared_ptr<Call> call) const;
  void HandleCommand(std::shared_ptr<Call> call) const;
  void HandleView(std::shared_ptr<Call> call) const;
  void HandleEvents(const Call& call) const;
  void HandleStream(const Call& call) const;
  void HandleAdmin(const Call& call) const;

  Services services_;
  std::atomic<bool> commands_stopped_{false};
};

// Splits a request target into its path and decoded query parameters; nullopt
// for malformed percent-encoding.
struct Target {
  std::string path;
  std::map<std::string, std::string> params;
};
std::optional<Target> ParseTarget(std::string_view target);

// {"error": {"code", "message", "field"?}} with the status API.md gives `code`.
Response ErrorResponse(std::string_view code, std::string_view message,
                       std::string_view field = "");

// The HTTP status of an API.md error code.
unsigned StatusOf(std::string_view code);

// The 200 body of an accepted command: {"command_id", "events": [{"position",
// "stream", "type", "version"}], "position"}, byte for byte what dumping that
// JSON object gives.
std::string CommandAcceptedBody(const app::CommandAccepted& accepted);

// True when `body` nests arrays/objects deeper than `max_depth` (strings skipped).
bool NestedDeeperThan(std::string_view body, int max_depth);

}  // namespace mentorlog::http
