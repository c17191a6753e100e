// Fuzzes the HTTP request path in process: raw bytes go through Beast's request
// parser with the server's own limits (http/http_session.h: LimitParser,
// ParseErrorResponse, ToRouterRequest) and then the Router, as a connection
// would feed them, pipelined requests included, against a real RocksDB store,
// command path, projection engine and Audience in a temporary directory made
// once per process (and removed at exit). Tokens signed with the secret
// "fuzz-secret" for A-1 (admin), M-1 (mentor), S-1 (mentee) and AU-1
// (auditor) reach past authentication; the seed corpus carries them.
//
// Invariants beyond "no crash, no leak, no UB":
// - every request is answered exactly once, within 10 s;
// - the status is one of API.md's (200, 202, 400, 401, 403, 404, 405, 409, 413,
//   415, 431, 503);
// - every error (and every refusal of the parser) is API.md's JSON error body
//   {"error": {"code", "message", ...}} whose code maps to that status; every
//   other JSON answer parses as JSON.
//
// One change to what the server would do: a view read with `min_position`
// gets `wait_ms=0` appended (the last value wins), so an unreachable position
// is answered at once instead of after up to 30 s of polling.
#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>

#include "app/command_processor.h"
#include "http/event_hub.h"
#include "http/http_session.h"
#include "http/jwt.h"
#include "http/metrics.h"
#include "http/router.h"
#include "projections/projection_engine.h"
#include "store/rocksdb_event_store.h"
#include "tests/fuzz/fuzz_check.h"

namespace mentorlog::fuzz {
namespace {

using nlohmann::json;

// 2026-11-23T08:00:00Z.
constexpr events::TimeMs kNow = 1'795'420'800'000;
// Requests read from one input, as on one keep-alive connection.
constexpr int kMaxRequests = 8;

// A SyncReadStream over the input: what a client sent on one connection.
class InputStream {
 public:
  explicit InputStream(std::string_view bytes) : bytes_(bytes) {}

  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers, http::beast::error_code& ec) {
    if (bytes_.empty()) {
      ec = http::net::error::eof;
      return 0;
    }
    const std::size_t n = http::net::buffer_copy(buffers, http::net::buffer(bytes_));
    bytes_.remove_prefix(n);
    ec = {};
    return n;
  }
  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers) {
    http::beast::error_code ec;
    const std::size_t n = read_some(buffers, ec);
    if (ec) throw http::beast::system_error(ec);
    return n;
  }

 private:
  std::string_view bytes_;
};

// Forwards committed batches to the engine and the hub once they exist (as
// app/main.cc's CommitFanOut does).
struct FanOut {
  std::shared_mutex mu;
  projections::ProjectionEngine* engine = nullptr;
  http::EventHub* hub = nullptr;
  void operator()(const store::CommittedBatch& batch) {
    std::shared_lock lock(mu);
    if (engine) engine->OnCommitted(batch);
    if (hub) hub->Publish(batch);
  }
};

// Tasks the router schedules (min_position polling), run by the fuzz thread.
struct Scheduler {
  std::mutex mu;
  std::deque<std::pair<std::chrono::steady_clock::time_point, std::function<void()>>> tasks;
};

// The server's insides, in a temporary directory.
class World {
 public:
  World() : dir_(MakeTempDir()) {
    spdlog::set_level(spdlog::level::off);  // one log line per request is noise here
    const auto clock = [] { return kNow; };
    store::StoreOptions store_options;
    store_options.durability = store::Durability::kNone;
    store_options.clock = clock;
    store_options.commit_hook = [fan_out = fan_out_](store::CommittedBatch b) { (*fan_out)(b); };
    store_ = Must(store::RocksDbEventStore::Open(dir_ / "log", store_options));
    processor_ = Must(app::CommandProcessor::Start(*store_, {.clock = clock}));
    Seed();
    engine_ = Must(projections::ProjectionEngine::Open(*store_, {}));
    hub_ = std::make_unique<http::EventHub>(audience_);
    FUZZ_CHECK(hub_->LoadFrom(*store_).has_value(), "the hub loads the seeded log");
    {
      std::unique_lock lock(fan_out_->mu);
      fan_out_->engine = engine_.get();
      fan_out_->hub = hub_.get();
    }
    http::Services services;
    services.store = store_.get();
    services.commands = processor_.get();
    services.views = engine_.get();
    services.jwt = &jwt_;
    services.audience = &audience_;
    services.metrics = &metrics_;
    services.clock = clock;
    services.schedule = [scheduler = scheduler_](std::chrono::milliseconds delay,
                                                 std::function<void()> task) {
      std::lock_guard lock(scheduler->mu);
      scheduler->tasks.emplace_back(std::chrono::steady_clock::now() + delay, std::move(task));
    };
    router_ = std::make_unique<http::Router>(std::move(services));
  }

  ~World() {
    processor_.reset();
    {
      std::unique_lock lock(fan_out_->mu);
      fan_out_->engine = nullptr;
      fan_out_->hub = nullptr;
    }
    engine_.reset();
    hub_.reset();
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  const http::Router& router() const { return *router_; }
  const http::ServerOptions& options() const { return options_; }
  Scheduler& scheduler() { return *scheduler_; }

 private:
  static std::filesystem::path MakeTempDir() {
    std::string path = (std::filesystem::temp_directory_path() / "http_fuzz.XXXXXX").string();
    FUZZ_CHECK(mkdtemp(path.data()) != nullptr, "a temporary directory");
    return path;
  }

  template <class T, class E>
  static T Must(std::expected<T, E> value) {
    FUZZ_CHECK(value.has_value(), "the fuzzed server starts");
    return std::move(*value);
  }

  // Mentors M-1 and M-2, students S-1..S-3 (S-1 with M-1), a meeting and a
  // pending leave of S-1: enough for every view and stream route to find data.
  void Seed() {
    const events::Actor admin{"A-1", "admin"}, mentor{"M-1", "mentor"}, mentee{"S-1", "mentee"};
    Submit(admin, "RegisterMentor",
           {{"mentor_id", "M-1"}, {"name", "Asha"}, {"department", "CSE"}});
    Submit(admin, "RegisterMentor",
           {{"mentor_id", "M-2"}, {"name", "Ravi"}, {"department", "ECE"}});
    for (const char* id : {"S-1", "S-2", "S-3"}) {
      Submit(admin, "EnrollStudent",
             {{"student_id", id},
              {"roll_number", std::string("R") + id},
              {"name", std::string("Student ") + id},
              {"department", "CSE"}});
    }
    Submit(admin, "AssignMentor", {{"student_id", "S-1"}, {"mentor_id", "M-1"}});
    Submit(mentor, "ScheduleMeeting",
           {{"meeting_id", "MT-1"},
            {"mentor_id", "M-1"},
            {"student_ids", {"S-1"}},
            {"title", "Weekly check-in"},
            {"mode", "online"},
            {"start", "2026-11-24T10:00:00Z"},
            {"end", "2026-11-24T11:00:00Z"}});
    Submit(mentee, "RequestLeave",
           {{"leave_id", "L-1"},
            {"student_id", "S-1"},
            {"kind", "leave"},
            {"from_date", "2026-11-25"},
            {"to_date", "2026-11-26"},
            {"reason", "Family function"}});
  }

  void Submit(const events::Actor& actor, std::string name, json body) {
    const auto outcome = processor_->Submit({std::move(name), std::move(body), actor});
    FUZZ_CHECK(outcome.has_value(), "the seed commands are accepted");
  }

  std::filesystem::path dir_;
  std::shared_ptr<FanOut> fan_out_ = std::make_shared<FanOut>();
  std::shared_ptr<Scheduler> scheduler_ = std::make_shared<Scheduler>();
  std::unique_ptr<store::RocksDbEventStore> store_;
  std::unique_ptr<app::CommandProcessor> processor_;
  std::unique_ptr<projections::ProjectionEngine> engine_;
  http::Audience audience_;
  std::unique_ptr<http::EventHub> hub_;
  http::Jwt jwt_{"fuzz-secret"};
  http::Metrics metrics_;
  http::ServerOptions options_;
  std::unique_ptr<http::Router> router_;
};

// API.md's error body with a code of `status`.
void CheckError(const http::Response& r) {
  const json body = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(body.is_object() && body.contains("error") && body["error"].is_object(),
             "an error answer is {\"error\": {...}}");
  const json& error = body["error"];
  FUZZ_CHECK(error.contains("code") && error["code"].is_string(), "an error has a code");
  FUZZ_CHECK(error.contains("message") && error["message"].is_string(), "an error has a message");
  FUZZ_CHECK(http::StatusOf(error["code"].get<std::string>()) == r.status,
             "an error's status is its code's");
  FUZZ_CHECK(!error.contains("field") || error["field"].is_string(), "a field is a string");
}

void CheckResponse(const http::Response& r) {
  static const std::set<unsigned> kStatuses = {200, 202, 400, 401, 403, 404,
                                               405, 409, 413, 415, 431, 503};
  FUZZ_CHECK(kStatuses.contains(r.status), "the status is one of API.md's");
  const bool is_json = r.content_type == "application/json";
  if (r.status >= 400 && !(r.route == "/readyz" && r.status == 503)) {
    FUZZ_CHECK(is_json, "an error is JSON");
    CheckError(r);
  } else if (is_json) {
    FUZZ_CHECK(json::accept(r.body), "a JSON answer is JSON");
  }
}

// As HttpSession::Upgrade: only /v1/ws upgrades, and only with a valid token.
void CheckUpgrade(const http::Router& router, const http::Request& request) {
  const auto target = http::ParseTarget(request.target);
  const auto actor = router.AuthenticateWebSocket(request.authorization, request.target);
  if (!actor) {
    FUZZ_CHECK(actor.error().status == 401, "a refused handshake is 401");
    CheckError(actor.error());
  }
  if (!target || target->path != "/v1/ws") {
    CheckError(http::ErrorResponse("not_found", "WebSocket is served on /v1/ws only"));
  }
}

// The harness's one change to a request: see the file comment.
void NoViewWait(http::Request& request) {
  const auto target = http::ParseTarget(request.target);
  if (!target || !target->path.starts_with("/v1/views/") ||
      !target->params.contains("min_position")) {
    return;
  }
  request.target += request.target.find('?') == std::string::npos ? "?wait_ms=0" : "&wait_ms=0";
}

// Routes one request and waits for its one answer.
void Route(World& world, http::Request request) {
  struct Answer {
    std::mutex mu;
    std::condition_variable cv;
    int count = 0;
    http::Response response;
  };
  auto answer = std::make_shared<Answer>();
  world.router().Handle(std::move(request), [answer](http::Response r) {
    std::lock_guard lock(answer->mu);
    ++answer->count;
    answer->response = std::move(r);
    answer->cv.notify_all();
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::unique_lock lock(answer->mu);
  while (answer->count == 0 && std::chrono::steady_clock::now() < deadline) {
    std::function<void()> task;
    {
      std::lock_guard tasks_lock(world.scheduler().mu);
      auto& tasks = world.scheduler().tasks;
      if (!tasks.empty() && tasks.front().first <= std::chrono::steady_clock::now()) {
        task = std::move(tasks.front().second);
        tasks.pop_front();
      }
    }
    if (task) {
      lock.unlock();
      task();
      lock.lock();
      continue;
    }
    answer->cv.wait_for(lock, std::chrono::milliseconds(1));
  }
  FUZZ_CHECK(answer->count == 1, "every request is answered exactly once, in time");
  CheckResponse(answer->response);
}

}  // namespace
}  // namespace mentorlog::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mentorlog;
  namespace bhttp = http::bhttp;
  static fuzz::World world;
  fuzz::InputStream stream({reinterpret_cast<const char*>(data), size});
  http::beast::flat_buffer buffer(world.options().max_read_ahead_bytes);
  for (int i = 0; i < fuzz::kMaxRequests; ++i) {
    bhttp::request_parser<bhttp::string_body> parser;
    http::LimitParser(parser, world.options());
    http::beast::error_code ec;
    bhttp::read(stream, buffer, parser, ec);
    if (ec == bhttp::error::end_of_stream || ec == http::net::error::eof) return 0;
    if (ec) {
      const http::Response refused = http::ParseErrorResponse(ec);
      FUZZ_CHECK(refused.status == 400 || refused.status == 413 || refused.status == 431,
                 "a refused request is 400, 413 or 431");
      fuzz::CheckError(refused);
      return 0;  // the server closes the connection
    }
    auto& message = parser.get();
    const bool keep_alive = message.keep_alive();
    const bool upgrade = http::websocket::is_upgrade(message);
    http::Request request = http::ToRouterRequest(message);
    if (upgrade) {
      fuzz::CheckUpgrade(world.router(), request);
      return 0;  // the connection is the WebSocket's (or closed) from here
    }
    fuzz::NoViewWait(request);
    fuzz::Route(world, std::move(request));
    if (!keep_alive) return 0;
  }
  return 0;
}
