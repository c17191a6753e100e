#include "http/router.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <memory>
#include <vector>

#include "http/openapi.h"
#include "http/static_files.h"

namespace mentorlog::http {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// How long a view read may wait for `min_position` unless `wait_ms` says.
constexpr std::chrono::milliseconds kDefaultWait{2000};
constexpr std::chrono::milliseconds kMaxWait{30000};
// How often a waiting view read looks again.
constexpr std::chrono::milliseconds kWaitPoll{2};
// Records one /v1/events request may look at before it answers.
constexpr std::uint64_t kMaxScan = 100'000;

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  // One allocation, not one per doubling (a command's path has three segments).
  out.reserve(static_cast<size_t>(std::count(path.begin(), path.end(), '/')) + 1);
  size_t start = 1;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const size_t end = slash == std::string_view::npos ? path.size() : slash;
    out.push_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = HexValue(s[i + 1]);
      const int lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (s[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::optional<std::uint64_t> ParseUint(std::string_view s) {
  std::uint64_t v = 0;
  if (s.empty() || s.size() > 19) return std::nullopt;
  const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (res.ec != std::errc{} || res.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

Response JsonResponse(unsigned status, const json& body) {
  Response r;
  r.status = status;
  // Messages echo the client's bytes (a path, a parameter), which need not be
  // UTF-8: replace what is not, rather than throw out of the I/O thread.
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

// A JSON string literal of `s`, as JsonResponse writes one (bytes that are not
// UTF-8 replaced).
void AppendJsonString(std::string_view s, std::string& out) {
  // Ids, stream names and types are printable ASCII: nothing to escape.
  const bool plain = std::all_of(
      s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
  if (!plain) {
    out += json(s).dump(-1, ' ', false, json::error_handler_t::replace);
    return;
  }
  out.push_back('"');
  out += s;
  out.push_back('"');
}

bool IsReaderOfEverything(const events::Actor& a) {
  return a.role == "admin" || a.role == "auditor";
}

// The route of a path that is its own pattern, as a literal; "" for any other.
std::string_view FixedRoute(std::string_view path) {
  static constexpr std::string_view kFixed[] = {
      "/healthz",   "/readyz", "/metrics",       "/v1/openapi.json",
      "/v1/events", "/v1/ws",  "/v1/audit/head", "/v1/admin/projections"};
  for (const std::string_view route : kFixed) {
    if (path == route) return route;
  }
  return {};
}

Response Forbidden() { return ErrorResponse("forbidden", "this token may not read this"); }

// Answers a view read, waiting for `min_position` by polling on the scheduler.
class ViewRead : public std::enable_shared_from_this<ViewRead> {
 public:
  ViewRead(const Services& services, projections::ViewRequest request, std::uint64_t min_position,
           Clock::time_point deadline, std::function<void(Response)> respond)
      : services_(services),
        request_(std::move(request)),
        min_position_(min_position),
        deadline_(deadline),
        respond_(std::move(respond)) {}

  void Run() {
    if (services_.views->Position() < min_position_) {
      if (Clock::now() >= deadline_) {
        return respond_(ErrorResponse(
            "unavailable", "the view has not reached min_position in time", "min_position"));
      }
      services_.schedule(kWaitPoll, [self = shared_from_this()] { self->Run(); });
      return;
    }
    const auto result = services_.views->Query(request_);
    if (!result) {
      return respond_(
          ErrorResponse(result.error().code, result.error().message, result.error().field));
    }
    // Written member by member in the sorted order a JSON object dumps in, so
    // the view's data is serialised once and never copied into a second tree.
    Response r;
    r.body = "{\"data\":";
    r.body += result->data.dump(-1, ' ', false, json::error_handler_t::replace);
    if (result->key) {
      r.body += ",\"key\":";
      AppendJsonString(*result->key, r.body);
    }
    r.body += ",\"position\":" + std::to_string(result->position) + ",\"view\":";
    AppendJsonString(result->view, r.body);
    r.body.push_back('}');
    respond_(std::move(r));
  }

 private:
  const Services& services_;
  projections::ViewRequest request_;
  std::uint64_t min_position_;
  Clock::time_point deadline_;
  std::function<void(Response)> respond_;
};

struct EventFilter {
  std::string stream, type, actor;
  std::optional<events::TimeMs> from_time, to_time;
};

}  // namespace

std::optional<Target> ParseTarget(std::string_view target) {
  Target t;
  const size_t q = target.find('?');
  const auto path = PercentDecode(target.substr(0, q));
  if (!path || path->empty() || (*path)[0] != '/') return std::nullopt;
  t.path = *path;
  if (q == std::string_view::npos) return t;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      const auto name = PercentDecode(pair.substr(0, eq));
      const auto value =
          PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
      if (!name || !value) return std::nullopt;
      t.params[*name] = *value;
    }
    if (amp == std::string_view::npos) break;
    query = query.substr(amp + 1);
  }
  return t;
}

unsigned StatusOf(std::string_view code) {
  if (code == "invalid_json" || code == "invalid_argument") return 400;
  if (code == "unauthenticated") return 401;
  if (code == "forbidden") return 403;
  if (code == "unknown_command" || code == "not_found") return 404;
  if (code == "method_not_allowed") return 405;
  if (code == "payload_too_large") return 413;
  if (code == "unsupported_media_type") return 415;
  if (code == "header_too_large") return 431;
  if (code == "unavailable") return 503;
  return 409;  // conflict, double_booking, invalid_state, version_mismatch, idempotency_mismatch
}

Response ErrorResponse(std::string_view code, std::string_view message, std::string_view field) {
  json error = {{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  return JsonResponse(StatusOf(code), json{{"error", std::move(error)}});
}

std::string CommandAcceptedBody(const app::CommandAccepted& accepted) {
  // The members in the sorted order a JSON object dumps in, without building one.
  std::string out = "{\"command_id\":";
  out.reserve(64 + 96 * accepted.events.size());
  AppendJsonString(accepted.command_id, out);
  out += ",\"events\":[";
  for (size_t i = 0; i < accepted.events.size(); ++i) {
    const auto& e = accepted.events[i];
    if (i > 0) out.push_back(',');
    out += "{\"position\":" + std::to_string(e.position) + ",\"stream\":";
    AppendJsonString(e.stream, out);
    out += ",\"type\":";
    AppendJsonString(e.type, out);
    out += ",\"version\":" + std::to_string(e.version) + "}";
  }
  out += "],\"position\":" + std::to_string(accepted.position) + "}";
  return out;
}

bool NestedDeeperThan(std::string_view body, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

Router::Router(Services services) : services_(std::move(services)) {
  if (!services_.clock) {
    services_.clock = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
  }
}

std::expected<events::Actor, Response> Router::Authenticate(std::string_view authorization) const {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() ||
      authorization.substr(0, kBearer.size()) != kBearer) {
    return std::unexpected(
        ErrorResponse("unauthenticated", "a Bearer token is required", "Authorization"));
  }
  const auto claims =
      services_.jwt->Verify(authorization.substr(kBearer.size()), services_.clock() / 1000);
  if (!claims) {
    return std::unexpected(ErrorResponse("unauthenticated", claims.error(), "Authorization"));
  }
  return events::Actor{claims->sub, claims->role};
}

std::expected<events::Actor, Response> Router::AuthenticateWebSocket(
    std::string_view authorization, std::string_view target) const {
  if (!authorization.empty()) return Authenticate(authorization);
  const auto t = ParseTarget(target);
  if (t) {
    if (const auto it = t->params.find("access_token"); it != t->params.end()) {
      return Authenticate("Bearer " + it->second);
    }
  }
  return Authenticate("");
}

// One request on its way through the router: one allocation holds all of it,
// the answer's continuation included.
struct Router::Call {
  Request request;
  Target target;
  std::vector<std::string_view> seg;     // into target.path, which never moves
  std::string_view route = "unmatched";  // always a string literal
  events::Actor actor;
  Clock::time_point started;
  Metrics* metrics = nullptr;
  spdlog::logger* log = nullptr;
  std::function<void(Response)> respond;

  // Every answer passes here once: metrics and the one log line per request.
  void Reply(Response r) const {
    r.route = route;
    r.actor = actor.id;
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
    if (metrics) metrics->ObserveRequest(r.route, r.status, micros);
    log->info("{} {} {} {}us {}", request.method, r.route, r.status, micros.count(),
              r.actor.empty() ? "-" : r.actor);
    respond(std::move(r));
  }
};

void Router::Handle(Request request, std::function<void(Response)> respond) const {
  auto call = std::make_shared<Call>();
  call->started = Clock::now();
  call->metrics = services_.metrics;
  call->log = services_.request_log ? services_.request_log : spdlog::default_logger_raw();
  call->respond = std::move(respond);
  call->request = std::move(request);
  auto target = ParseTarget(call->request.target);
  if (!target) return call->Reply(ErrorResponse("invalid_argument", "malformed request target"));
  call->target = std::move(*target);
  call->seg = Segments(call->target.path);
  Dispatch(std::move(call));
}

void Router::Dispatch(std::shared_ptr<Call> call) const {
  const auto& seg = call->seg;
  const size_t n = seg.size();
  const std::string& path = call->target.path;
  const bool v1 = n >= 2 && seg[0] == "v1";

  // The route pattern and the one method it takes; "" when nothing matches.
  std::string_view method;
  if (const auto fixed = FixedRoute(path); !fixed.empty()) {
    call->route = fixed;
    method = "GET";
  } else if (v1 && n == 3 && seg[1] == "commands") {
    call->route = "/v1/commands/{name}";
    method = "POST";
  } else if (v1 && n == 3 && seg[1] == "views") {
    call->route = "/v1/views/{view}";
    method = "GET";
  } else if (v1 && n == 4 && seg[1] == "views") {
    call->route = "/v1/views/{view}/{key}";
    method = "GET";
  } else if (v1 && n == 3 && seg[1] == "streams") {
    call->route = "/v1/streams/{stream}";
    method = "GET";
  } else if (v1 && n == 5 && seg[1] == "admin" && seg[2] == "projections" && seg[4] == "rebuild") {
    call->route = "/v1/admin/projections/{name}/rebuild";
    method = "POST";
  } else if (!services_.web_root.empty() && seg[0] != "v1") {
    call->route = "/{file}";
    method = "GET";
  } else {
    return call->Reply(ErrorResponse("not_found", "no route " + path));
  }
  if (call->request.method != method) {
    return call->Reply(
        ErrorResponse("method_not_allowed",
                      call->request.method + " is not allowed on " + std::string(call->route)));
  }

  if (call->route == "/{file}") {
    auto file = LoadStaticFile(services_.web_root, path);
    if (!file) return call->Reply(ErrorResponse("not_found", "no file " + path));
    Response r;
    r.content_type = std::move(file->content_type);
    r.body = std::move(file->body);
    return call->Reply(std::move(r));
  }
  if (path == "/healthz") return call->Reply(JsonResponse(200, {{"status", "ok"}}));
  if (path == "/readyz") {
    const std::uint64_t head = services_.store->GetHead().position;
    const std::uint64_t position = services_.views ? services_.views->Position() : 0;
    return call->Reply(
        JsonResponse(position >= head ? 200 : 503,
                     {{"ready", position >= head}, {"head", head}, {"position", position}}));
  }
  if (path == "/metrics") {
    Response r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = services_.metrics ? services_.metrics->Render() : "";
    return call->Reply(std::move(r));
  }

  // Every other route needs a token.
  auto actor = Authenticate(call->request.authorization);
  if (!actor) return call->Reply(std::move(actor.error()));
  call->actor = std::move(*actor);

  if (seg[1] == "openapi.json") {
    Response r;
    r.body = OpenApiDocument();
    return call->Reply(std::move(r));
  }
  if (seg[1] == "ws") {
    return call->Reply(ErrorResponse("invalid_argument", "a WebSocket upgrade is required"));
  }
  if (seg[1] == "commands") return HandleCommand(std::move(call));
  if (seg[1] == "views") return HandleView(std::move(call));
  if (seg[1] == "events") return HandleEvents(*call);
  if (seg[1] == "streams") return HandleStream(*call);
  if (seg[1] == "audit") {
    if (!IsReaderOfEverything(call->actor)) return call->Reply(Forbidden());
    const store::Head head = services_.store->GetHead();
    return call->Reply(JsonResponse(200, {{"position", head.position},
                                          {"hash", head.hash},
                                          {"time", events::FormatTime(head.time)}}));
  }
  return HandleAdmin(*call);
}

void Router::HandleCommand(std::shared_ptr<Call> call) const {
  if (commands_stopped_)
    return call->Reply(ErrorResponse("unavailable", "the server is shutting down"));
  Request& request = call->request;
  if (request.content_type.substr(0, 16) != "application/json") {
    return call->Reply(ErrorResponse("unsupported_media_type",
                                     "send Content-Type: application/json", "Content-Type"));
  }
  if (NestedDeeperThan(request.body, 64)) {
    return call->Reply(ErrorResponse("invalid_json", "JSON nested deeper than 64"));
  }
  json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded())
    return call->Reply(ErrorResponse("invalid_json", "the body is not JSON"));
  std::optional<std::uint64_t> if_match;
  if (request.if_match) {
    if_match = ParseUint(*request.if_match);
    if (!if_match) {
      return call->Reply(
          ErrorResponse("invalid_argument", "If-Match must be a decimal version", "If-Match"));
    }
  }
  app::CommandRequest command{std::string(call->seg[2]), std::move(body), call->actor,
                              std::move(request.idempotency_key), if_match};
  request.body.clear();
  services_.commands->SubmitAsync(std::move(command), [call](app::CommandOutcome outcome) {
    if (!outcome) {
      const auto& e = outcome.error();
      return call->Reply(ErrorResponse(e.code, e.message, e.field));
    }
    Response r;
    r.body = CommandAcceptedBody(*outcome);
    call->Reply(std::move(r));
  });
}

void Router::HandleView(std::shared_ptr<Call> call) const {
  if (!services_.views) return call->Reply(ErrorResponse("unavailable", "views are not loaded"));
  auto params = std::move(call->target.params);  // read nowhere else
  std::uint64_t min_position = 0;
  auto wait = kDefaultWait;
  if (const auto it = params.find("min_position"); it != params.end()) {
    const auto v = ParseUint(it->second);
    if (!v) return call->Reply(ErrorResponse("invalid_argument", "not a position", "min_position"));
    min_position = *v;
    params.erase(it);
  }
  if (const auto it = params.find("wait_ms"); it != params.end()) {
    const auto v = ParseUint(it->second);
    if (!v) return call->Reply(ErrorResponse("invalid_argument", "not a number", "wait_ms"));
    wait = std::min(kMaxWait, std::chrono::milliseconds(*v));
    params.erase(it);
  }
  projections::ViewRequest view;
  view.view = std::string(call->seg[2]);
  if (call->seg.size() == 4) view.key = std::string(call->seg[3]);
  if (const auto it = params.find("as_of"); it != params.end()) {
    view.as_of = it->second;
    params.erase(it);
  }
  view.params = std::move(params);
  view.reader = call->actor;
  view.now = services_.clock();
  auto read =
      std::make_shared<ViewRead>(services_, std::move(view), min_position, Clock::now() + wait,
                                 [call](Response r) { call->Reply(std::move(r)); });
  read->Run();
}

void Router::HandleEvents(const Call& call) const {
  if (!IsReaderOfEverything(call.actor)) return call.Reply(Forbidden());
  const auto& p = call.target.params;
  std::uint64_t after = 0;
  std::uint64_t limit = 100;
  EventFilter filter;
  for (const auto& [name, value] : p) {
    if (name == "after" || name == "limit") {
      const auto v = ParseUint(value);
      if (!v || (name == "limit" && (*v == 0 || *v > 1000))) {
        return call.Reply(ErrorResponse(
            "invalid_argument", name == "limit" ? "limit must be 1-1000" : "not a position", name));
      }
      (name == "after" ? after : limit) = *v;
    } else if (name == "stream") {
      filter.stream = value;
    } else if (name == "type") {
      filter.type = value;
    } else if (name == "actor") {
      filter.actor = value;
    } else if (name == "from_time" || name == "to_time") {
      const auto t = events::ParseTime(value);
      if (!t) return call.Reply(ErrorResponse("invalid_argument", "not an RFC 3339 time", name));
      (name == "from_time" ? filter.from_time : filter.to_time) = *t;
    } else {
      return call.Reply(ErrorResponse("invalid_argument", "unknown parameter", name));
    }
  }
  const std::uint64_t head = services_.store->GetHead().position;
  std::string out = "{\"events\":[";
  std::uint64_t found = 0;
  std::uint64_t scanned = 0;
  std::uint64_t last = after;
  bool bad = false;
  const auto scan =
      services_.store->ScanRecords(after, [&](std::uint64_t position, std::string_view record) {
        if (position > head || found >= limit || scanned >= kMaxScan) return false;
        ++scanned;
        last = position;
        const bool unfiltered = filter.stream.empty() && filter.type.empty() &&
                                filter.actor.empty() && !filter.from_time && !filter.to_time;
        if (!unfiltered) {
          const auto e = events::DecodeRecord(record, events::DataForm::kText);
          if (!e) {
            bad = true;
            return false;
          }
          if (filter.to_time && e->time > *filter.to_time) return false;  // times never decrease
          if ((!filter.stream.empty() && e->stream != filter.stream) ||
              (!filter.type.empty() && e->type != filter.type) ||
              (!filter.actor.empty() && e->actor.id != filter.actor) ||
              (filter.from_time && e->time < *filter.from_time)) {
            return true;
          }
        }
        if (found++ > 0) out.push_back(',');
        out.append(record);  // the stored record is the envelope's JSON
        return true;
      });
  if (!scan || bad) return call.Reply(ErrorResponse("unavailable", "the log could not be read"));
  out += "],\"head\":" + std::to_string(head) + ",\"scanned_to\":" + std::to_string(last) + "}";
  Response r;
  r.body = std::move(out);
  call.Reply(std::move(r));
}

void Router::HandleStream(const Call& call) const {
  const std::string stream(call.seg[2]);
  if (!store::IsValidStreamName(stream)) {
    return call.Reply(ErrorResponse("invalid_argument", "not a stream id", "stream"));
  }
  std::uint64_t from_version = 1;
  if (const auto it = call.target.params.find("from_version"); it != call.target.params.end()) {
    const auto v = ParseUint(it->second);
    if (!v) return call.Reply(ErrorResponse("invalid_argument", "not a version", "from_version"));
    from_version = *v;
  }
  // Who a stream is about is named by its id or by its first event's data
  // (a meeting's participants, a leave's student).
  if (!services_.audience->MayReadStream(call.actor, stream)) {
    const auto first = services_.store->ReadStream(stream, 1, 1);
    if (!first || first->empty() || !services_.audience->MayRead(call.actor, first->front())) {
      return call.Reply(Forbidden());
    }
  }
  const auto events = services_.store->ReadStream(stream, from_version, 1000);
  if (!events) return call.Reply(ErrorResponse("unavailable", events.error().message));
  std::string out = "{\"events\":[";
  for (size_t i = 0; i < events->size(); ++i) {
    if (i > 0) out.push_back(',');
    events::Envelope copy = (*events)[i];
    out += events::Seal(copy);  // the same canonical bytes as stored
  }
  out += "],\"head\":" + std::to_string(services_.store->GetHead().position) + "}";
  Response r;
  r.body = std::move(out);
  call.Reply(std::move(r));
}

void Router::HandleAdmin(const Call& call) const {
  if (!services_.views) return call.Reply(ErrorResponse("unavailable", "views are not loaded"));
  if (call.seg.size() == 3) {
    if (!IsReaderOfEverything(call.actor)) return call.Reply(Forbidden());
    const std::uint64_t head = services_.store->GetHead().position;
    json list = json::array();
    for (const auto& s : services_.views->Status()) {
      json item = {{"name", s.name}, {"version", s.version}, {"position", s.position},
                   {"lag", s.lag},   {"state", s.state},     {"head", head}};
      if (s.rebuild) item["rebuild"] = *s.rebuild;
      list.push_back(std::move(item));
    }
    return call.Reply(JsonResponse(200, {{"projections", std::move(list)}}));
  }
  if (call.actor.role != "admin") return call.Reply(ErrorResponse("forbidden", "admins only"));
  const auto started = services_.views->StartRebuild(std::string(call.seg[3]));
  if (!started) {
    return call.Reply(
        ErrorResponse(started.error().code, started.error().message, started.error().field));
  }
  call.Reply(JsonResponse(202, {{"rebuilding", call.seg[3]}}));
}

}  // namespace mentorlog::http
