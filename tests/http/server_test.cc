// The real `mentorlog serve` binary on 127.0.0.1, driven by a real HTTP and
// WebSocket client: the error rows of API.md, read rules, the live path.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "tests/support/http_client.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace mentorlog::http {
namespace {

using nlohmann::json;
using testing::HttpClient;
using testing::ServerProcess;
using testing::WebSocketClient;
using namespace std::chrono_literals;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(MENTORLOG_BINARY, dir_.path() / "data");
    admin_ = ServerProcess::Token("A-1", "admin");
    mentor_ = ServerProcess::Token("M-1", "mentor");
    other_mentor_ = ServerProcess::Token("M-2", "mentor");
    mentee_ = ServerProcess::Token("S-1", "mentee");
    auditor_ = ServerProcess::Token("X-1", "auditor");
  }

  HttpClient Client() { return HttpClient(server_->port()); }

  json Command(const std::string& name, const json& body, const std::string& token,
               unsigned expected_status = 200) {
    auto reply = Client().Post("/v1/commands/" + name, body.dump(), token);
    EXPECT_EQ(reply.status, expected_status) << name << ": " << reply.body;
    return reply.Json();
  }

  // Returns the position of its last command.
  std::uint64_t Seed() {
    for (const char* m : {"M-1", "M-2"}) {
      Command("RegisterMentor", {{"mentor_id", m}, {"name", m}, {"department", "CSE"}}, admin_);
    }
    for (const char* s : {"S-1", "S-2", "S-3"}) {
      Command("EnrollStudent",
              {{"student_id", s},
               {"roll_number", std::string("R") + s},
               {"name", s},
               {"department", "CSE"}},
              admin_);
    }
    Command("AssignMentor", {{"student_id", "S-1"}, {"mentor_id", "M-1"}}, admin_);
    Command("AssignMentor", {{"student_id", "S-2"}, {"mentor_id", "M-1"}}, admin_);
    return Command("AssignMentor", {{"student_id", "S-3"}, {"mentor_id", "M-2"}}, admin_)
        .value("position", std::uint64_t{0});
  }

  std::uint64_t Head() {
    return Client().Get("/v1/audit/head", auditor_).Json().value("position", std::uint64_t{0});
  }

  json Meeting(const std::string& id, const std::string& student, const std::string& mentor,
               const std::string& start, const std::string& end) {
    return {{"meeting_id", id},  {"mentor_id", mentor}, {"student_ids", {student}},
            {"title", "Weekly"}, {"mode", "online"},    {"start", start},
            {"end", end}};
  }

  testing::TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string admin_, mentor_, other_mentor_, mentee_, auditor_;
};

// The value of the metric line starting `name ` in `metrics`, or -1.
double MetricValue(const std::string& metrics, const std::string& name) {
  const std::size_t at = metrics.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stod(metrics.substr(at + name.size() + 2));
}

// The store's histograms count every group commit the counters do.
TEST_F(ServerTest, MetricsHaveCommitSizesAndWriteLatency) {
  Seed();
  const std::string m = Client().Get("/metrics").body;
  const double commits = MetricValue(m, "mentorlog_store_commits_total");
  ASSERT_GT(commits, 0);
  EXPECT_EQ(MetricValue(m, "mentorlog_store_commit_seconds_count"), commits);
  EXPECT_EQ(MetricValue(m, "mentorlog_store_commit_seconds_bucket{le=\"+Inf\"}"), commits);
  EXPECT_GT(MetricValue(m, "mentorlog_store_commit_seconds_sum"), 0);
  EXPECT_EQ(MetricValue(m, "mentorlog_store_commit_events_count"), commits);
  EXPECT_EQ(MetricValue(m, "mentorlog_store_commit_events_sum"),
            MetricValue(m, "mentorlog_store_events_total"));
  EXPECT_NE(m.find("# TYPE mentorlog_store_commit_seconds histogram\n"), std::string::npos);
}

TEST_F(ServerTest, HealthAndRoutes) {
  auto client = Client();
  EXPECT_EQ(client.Get("/healthz").status, 200u);
  EXPECT_EQ(client.Get("/readyz").status, 200u);
  const auto metrics = client.Get("/metrics");
  EXPECT_EQ(metrics.status, 200u);
  EXPECT_NE(metrics.body.find("mentorlog_http_requests_total"), std::string::npos);
  const auto unknown = client.Get("/v1/nothing", admin_);
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(unknown.Json()["error"]["code"], "not_found");
  const auto wrong_method = client.Send("DELETE", "/v1/events", "", {});
  EXPECT_EQ(wrong_method.status, 405u);
  EXPECT_EQ(wrong_method.Json()["error"]["code"], "method_not_allowed");
  const auto openapi = client.Get("/v1/openapi.json", admin_);
  EXPECT_EQ(openapi.status, 200u);
  EXPECT_TRUE(openapi.Json()["paths"].contains("/v1/commands/ScheduleMeeting"));
  EXPECT_TRUE(openapi.Json()["components"]["schemas"].contains("RecordAttendance"));
}

TEST_F(ServerTest, CommandsAppendAndViewsReadTheirOwnWrites) {
  Seed();
  const json scheduled = Command(
      "ScheduleMeeting",
      Meeting("MT-1", "S-1", "M-1", "2027-01-10T10:00:00Z", "2027-01-10T11:00:00Z"), mentor_);
  ASSERT_TRUE(scheduled.contains("position"));
  EXPECT_EQ(scheduled["events"][0]["stream"], "meeting-MT-1");
  EXPECT_EQ(scheduled["events"][0]["type"], "MeetingScheduled");
  const auto position = scheduled["position"].get<std::uint64_t>();
  const auto view =
      Client().Get("/v1/views/meetings?min_position=" + std::to_string(position), mentor_);
  ASSERT_EQ(view.status, 200u) << view.body;
  EXPECT_GE(view.Json()["position"].get<std::uint64_t>(), position);
  EXPECT_NE(view.body.find("MT-1"), std::string::npos);
  const auto events = Client().Get("/v1/events?after=0&limit=1000", auditor_).Json();
  EXPECT_EQ(events["head"], position);
  EXPECT_EQ(events["events"].size(), position);
  EXPECT_EQ(events["events"].back()["type"], "MeetingScheduled");
  EXPECT_EQ(events["events"].back()["actor"]["id"], "M-1");
  const auto stream = Client().Get("/v1/streams/meeting-MT-1", mentor_);
  EXPECT_EQ(stream.status, 200u) << stream.body;
  EXPECT_EQ(stream.Json()["events"].size(), 1u);
}

struct BadRequest {
  std::string name;
  std::string target;
  std::string body;
  std::map<std::string, std::string> headers;
  unsigned status;
  std::string code;
};

TEST_F(ServerTest, EveryErrorRowAppendsNothingAndTheServerKeepsServing) {
  Seed();
  Command("ScheduleMeeting",
          Meeting("MT-1", "S-1", "M-1", "2027-01-10T10:00:00Z", "2027-01-10T11:00:00Z"), mentor_);
  const std::uint64_t head = Head();
  const std::string json_type = "application/json";
  const std::string bearer = "Bearer " + mentor_;
  std::string deep(10'000, '[');
  deep += std::string(10'000, ']');
  const json overlapping =
      Meeting("MT-2", "S-1", "M-1", "2027-01-10T10:30:00Z", "2027-01-10T11:30:00Z");
  const std::vector<BadRequest> rows = {
      {"not json",
       "/v1/commands/ScheduleMeeting",
       "{nope",
       {{"Authorization", bearer}, {"Content-Type", json_type}},
       400,
       "invalid_json"},
      {"array body",
       "/v1/commands/ScheduleMeeting",
       "[]",
       {{"Authorization", bearer}, {"Content-Type", json_type}},
       400,
       "invalid_argument"},
      {"string body",
       "/v1/commands/ScheduleMeeting",
       "\"x\"",
       {{"Authorization", bearer}, {"Content-Type", json_type}},
       400,
       "invalid_argument"},
      {"too deep",
       "/v1/commands/ScheduleMeeting",
       deep,
       {{"Authorization", bearer}, {"Content-Type", json_type}},
       400,
       "invalid_json"},
      {"invalid utf-8",
       "/v1/commands/ScheduleMeeting",
       "{\"title\":\"\xff\"}",
       {{"Authorization", bearer}, {"Content-Type", json_type}},
       400,
       "invalid_json"},
      {"no token",
       "/v1/commands/ScheduleMeeting",
       overlapping.dump(),
       {{"Content-Type", json_type}},
       401,
       "unauthenticated"},
      {"bad token",
       "/v1/commands/ScheduleMeeting",
       overlapping.dump(),
       {{"Authorization", "Bearer x.y.z"}, {"Content-Type", json_type}},
       401,
       "unauthenticated"},
      {"expired",
       "/v1/commands/ScheduleMeeting",
       overlapping.dump(),
       {{"Authorization", "Bearer " + ServerProcess::Token("M-1", "mentor", -10)},
        {"Content-Type", json_type}},
       401,
       "unauthenticated"},
      {"wrong type",
       "/v1/commands/ScheduleMeeting",
       overlapping.dump(),
       {{"Authorization", bearer}, {"Content-Type", "text/plain"}},
       415,
       "unsupported_media_type"},
      {"unknown command",
       "/v1/commands/LaunchRocket",
       "{}",
       {{"Authorization", bearer}, {"Content-Type", json_type}},
       404,
       "unknown_command"},
      {"double booking",
       "/v1/commands/ScheduleMeeting",
       overlapping.dump(),
       {{"Authorization", bearer}, {"Content-Type", json_type}},
       409,
       "double_booking"},
      {"mentee calls admin command",
       "/v1/commands/RegisterMentor",
       json{{"mentor_id", "M-9"}, {"name", "n"}, {"department", "d"}}.dump(),
       {{"Authorization", "Bearer " + mentee_}, {"Content-Type", json_type}},
       403,
       "forbidden"},
      {"bad If-Match",
       "/v1/commands/AcceptMeeting",
       json{{"meeting_id", "MT-1"}}.dump(),
       {{"Authorization", "Bearer " + mentee_}, {"Content-Type", json_type}, {"If-Match", "abc"}},
       400,
       "invalid_argument"},
      {"stale If-Match",
       "/v1/commands/AcceptMeeting",
       json{{"meeting_id", "MT-1"}}.dump(),
       {{"Authorization", "Bearer " + mentee_}, {"Content-Type", json_type}, {"If-Match", "7"}},
       409,
       "version_mismatch"},
      {"missing field",
       "/v1/commands/ScheduleMeeting",
       json{{"meeting_id", "MT-3"}}.dump(),
       {{"Authorization", bearer}, {"Content-Type", json_type}},
       400,
       "invalid_argument"},
      {"id with slash",
       "/v1/commands/AcceptMeeting",
       json{{"meeting_id", "MT/1"}}.dump(),
       {{"Authorization", "Bearer " + mentee_}, {"Content-Type", json_type}},
       400,
       "invalid_argument"},
  };
  for (const auto& row : rows) {
    auto client = Client();
    const auto reply = client.Send("POST", row.target, row.body, row.headers);
    EXPECT_EQ(reply.status, row.status) << row.name << ": " << reply.body;
    EXPECT_EQ(reply.Json()["error"]["code"], row.code) << row.name << ": " << reply.body;
    EXPECT_EQ(Head(), head) << row.name;
    EXPECT_EQ(Client().Get("/healthz").status, 200u) << row.name;
  }
  // A body over 64 KiB.
  {
    auto client = Client();
    const auto reply = client.Post("/v1/commands/ScheduleMeeting",
                                   "{\"title\":\"" + std::string(1 << 20, 'x') + "\"}", mentor_);
    EXPECT_EQ(reply.status, 413u);
    EXPECT_EQ(reply.Json()["error"]["code"], "payload_too_large");
  }
  // 10,000 headers.
  {
    std::string raw = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 10'000; ++i) raw += "X-H" + std::to_string(i) + ": v\r\n";
    raw += "\r\n";
    const std::string reply = Client().Raw(raw, 2s);
    EXPECT_NE(reply.find("431"), std::string::npos) << reply.substr(0, 200);
  }
  EXPECT_EQ(Head(), head);
  EXPECT_EQ(Client().Get("/healthz").status, 200u);
}

TEST_F(ServerTest, ReadRulesHoldOverHttp) {
  // Views judge who may read from their own state: read at the seed's head (a
  // loaded machine once answered the mentor 403 before the view had the mentee).
  const std::string at = "?min_position=" + std::to_string(Seed());
  EXPECT_EQ(Client().Get("/v1/views/mentee-timeline/S-3" + at, mentor_).status, 403u);
  EXPECT_EQ(Client().Get("/v1/views/mentee-timeline/S-1" + at, mentor_).status, 200u);
  EXPECT_EQ(Client().Get("/v1/views/attendance/S-2" + at, mentee_).status, 403u);
  EXPECT_EQ(Client().Get("/v1/views/attendance/S-1" + at, mentee_).status, 200u);
  EXPECT_EQ(Client().Get("/v1/events", mentor_).status, 403u);
  EXPECT_EQ(Client().Get("/v1/streams/student-S-3", mentor_).status, 403u);
  EXPECT_EQ(Client().Get("/v1/streams/student-S-1", mentor_).status, 200u);
  EXPECT_EQ(Client().Get("/v1/audit/head", mentee_).status, 403u);
  EXPECT_EQ(Client().Get("/v1/views/meetings?as_of=1", mentor_).status, 403u);
}

TEST_F(ServerTest, IdempotencyKeyReturnsTheFirstResult) {
  Seed();
  const std::string body =
      Meeting("MT-1", "S-1", "M-1", "2027-01-10T10:00:00Z", "2027-01-10T11:00:00Z").dump();
  const auto first =
      Client().Post("/v1/commands/ScheduleMeeting", body, mentor_, {{"Idempotency-Key", "k-1"}});
  ASSERT_EQ(first.status, 200u) << first.body;
  const std::uint64_t head = Head();
  const auto retry =
      Client().Post("/v1/commands/ScheduleMeeting", body, mentor_, {{"Idempotency-Key", "k-1"}});
  ASSERT_EQ(retry.status, 200u) << retry.body;
  EXPECT_EQ(retry.Json()["command_id"], first.Json()["command_id"]);
  EXPECT_EQ(Head(), head);
  const auto other = Client().Post("/v1/commands/ScheduleMeeting", "{\"meeting_id\":\"MT-9\"}",
                                   mentor_, {{"Idempotency-Key", "k-1"}});
  EXPECT_EQ(other.status, 400u);  // decoded before the key is looked at
}

TEST_F(ServerTest, WebSocketDeliversHistoryThenLiveWithoutGapOrDuplicate) {
  Seed();
  const std::uint64_t seeded = Head();
  WebSocketClient ws(server_->port(), auditor_);
  ws.Send({{"op", "subscribe"}, {"id", "s1"}, {"after", 0}});
  std::uint64_t expected = 1;
  std::uint64_t caught_up = 0;
  while (auto message = ws.Receive(5s)) {
    if ((*message)["op"] == "caught_up") {
      caught_up = (*message)["position"];
      break;
    }
    ASSERT_EQ((*message)["op"], "event") << message->dump();
    EXPECT_EQ((*message)["event"]["position"], expected++);
  }
  EXPECT_EQ(caught_up, expected - 1);
  // Live, while 5,000 commands are appended by 8 concurrent clients.
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([&, t] {
      HttpClient client(server_->port());
      for (int i = 0; i < 625; ++i) {
        const std::string id = "L-" + std::to_string(t) + "-" + std::to_string(i);
        const auto reply = client.Post("/v1/commands/EnrollStudent",
                                       json{{"student_id", id},
                                            {"roll_number", "R" + id},
                                            {"name", "Live"},
                                            {"department", "CSE"}}
                                           .dump(),
                                       admin_);
        ASSERT_EQ(reply.status, 200u) << reply.body;
      }
    });
  }
  // Read while they write; positions must arrive exactly in order. (The hub may
  // not have fanned out the last seeded event when the subscription caught up:
  // then it arrives live, first.)
  const std::uint64_t target = seeded + 5000;
  while (expected <= target) {
    const auto message = ws.Receive(10s);
    ASSERT_TRUE(message.has_value()) << "missing position " << expected;
    ASSERT_EQ((*message)["op"], "event");
    ASSERT_EQ((*message)["event"]["position"], expected++);
  }
  for (auto& w : writers) w.join();
  const std::uint64_t head = Head();
  EXPECT_EQ(head, target);
  EXPECT_FALSE(ws.Receive(200ms).has_value());

  // A reconnect resuming after k receives exactly k+1...N.
  WebSocketClient again(server_->port(), auditor_, /*in_query=*/true);
  again.Send({{"op", "subscribe"}, {"id", "s2"}, {"after", head - 5}});
  for (std::uint64_t p = head - 4; p <= head; ++p) {
    const auto message = again.Receive(5s);
    ASSERT_TRUE(message.has_value());
    EXPECT_EQ((*message)["event"]["position"], p);
  }
  EXPECT_EQ((*again.Receive(5s))["op"], "caught_up");
}

TEST_F(ServerTest, AMenteeSocketNeverReceivesAnotherStudentsEvents) {
  Seed();
  WebSocketClient ws(server_->port(), mentee_);
  ws.Send({{"op", "subscribe"}, {"id", "mine"}, {"after", 0}});
  ws.Send(
      {{"op", "subscribe"}, {"id", "theirs"}, {"after", 0}, {"filter", {{"student_id", "S-2"}}}});
  Command("ScheduleMeeting",
          Meeting("MT-3", "S-3", "M-2", "2027-01-10T10:00:00Z", "2027-01-10T11:00:00Z"),
          other_mentor_);
  Command("ScheduleMeeting",
          Meeting("MT-1", "S-1", "M-1", "2027-01-11T10:00:00Z", "2027-01-11T11:00:00Z"), mentor_);
  bool forbidden = false;
  bool saw_own_meeting = false;
  while (auto message = ws.Receive(1s)) {
    if ((*message)["op"] == "error") {
      forbidden = (*message)["error"]["code"] == "forbidden" && (*message)["sub"] == "theirs";
      continue;
    }
    if ((*message)["op"] != "event") continue;
    const json& e = (*message)["event"];
    EXPECT_NE(e["stream"], "student-S-2");
    EXPECT_NE(e["stream"], "student-S-3");
    EXPECT_NE(e["stream"], "meeting-MT-3");
    saw_own_meeting = saw_own_meeting || e["stream"] == "meeting-MT-1";
  }
  EXPECT_TRUE(forbidden);
  EXPECT_TRUE(saw_own_meeting);
}

TEST_F(ServerTest, WebSocketHandshakeWithoutAValidTokenIsRefused) {
  EXPECT_THROW(WebSocketClient(server_->port(), ""), std::runtime_error);
  EXPECT_THROW(WebSocketClient(server_->port(), "x.y.z"), std::runtime_error);
}

// Request lines are written in batches (app/main.cc): each still reaches the
// output within a second, with its method, route, status, time and actor.
TEST_F(ServerTest, EachRequestLogsOneLineWithinASecond) {
  EXPECT_EQ(Client().Get("/v1/audit/head", auditor_).status, 200u);
  EXPECT_TRUE(server_->WaitForOutput("[requests] [info] GET /v1/audit/head 200 ",
                                     std::chrono::milliseconds(3000)));
  EXPECT_TRUE(server_->WaitForOutput("us X-1\n", std::chrono::milliseconds(0)));
}

TEST(LogFormatTest, JsonLinesCarryTheRequestLineToo) {
  testing::TempDir dir;
  ServerProcess server(MENTORLOG_BINARY, dir.path() / "data", {"--log-format", "json"});
  EXPECT_EQ(HttpClient(server.port()).Get("/healthz").status, 200u);
  EXPECT_TRUE(server.WaitForOutput(R"("level":"info","msg":"GET /healthz 200 )",
                                   std::chrono::milliseconds(3000)));
  EXPECT_TRUE(
      server.WaitForOutput(R"("msg":"listening on 127.0.0.1:)", std::chrono::milliseconds(3000)));
}

TEST_F(ServerTest, SigtermExitsZero) {
  Seed();
  const int status = server_->Terminate();
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace mentorlog::http

namespace mentorlog::http {
namespace {

// A server with small limits, to provoke each one quickly.
class LimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(
        MENTORLOG_BINARY, dir_.path() / "data",
        std::vector<std::string>{"--request-timeout-ms", "500", "--ws-queue-messages", "64"});
    admin_ = ServerProcess::Token("A-1", "admin");
  }

  testing::TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string admin_;
};

TEST_F(LimitsTest, ASlowlorisConnectionIsClosed) {
  HttpClient slow(server_->port());
  // Half a request head, then nothing: the whole request must arrive in time.
  const std::string reply = slow.Raw("GET /healthz HTTP/1.1\r\nHost: x\r\n", 3s);
  EXPECT_TRUE(reply.empty()) << reply;
  EXPECT_TRUE(slow.ClosedByPeer(1s));
  EXPECT_EQ(HttpClient(server_->port()).Get("/healthz").status, 200u);
}

TEST(ConnectionLimitTest, ConnectionsOverTheLimitAreClosedAndTheServerRecovers) {
  testing::TempDir dir;
  auto server = std::make_unique<ServerProcess>(
      MENTORLOG_BINARY, dir.path() / "data", std::vector<std::string>{"--max-connections", "16"});
  const auto& server_ = server;
  std::vector<std::unique_ptr<HttpClient>> open;
  for (int i = 0; i < 16; ++i) {
    open.push_back(std::make_unique<HttpClient>(server_->port()));
    ASSERT_EQ(open.back()->Get("/healthz").status, 200u);
  }
  HttpClient over(server_->port());
  EXPECT_TRUE(over.ClosedByPeer(2s));
  open.clear();
  std::this_thread::sleep_for(200ms);  // the server notices the closes
  EXPECT_EQ(HttpClient(server_->port()).Get("/healthz").status, 200u);
}

TEST_F(LimitsTest, AThousandPipelinedRequestsAreAnsweredInOrder) {
  std::string burst;
  for (int i = 0; i < 1000; ++i) burst += "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  HttpClient client(server_->port());
  const std::string replies = client.Raw(burst, 5s);
  size_t count = 0;
  for (size_t at = replies.find("HTTP/1.1 200"); at != std::string::npos;
       at = replies.find("HTTP/1.1 200", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 1000u);
}

TEST_F(LimitsTest, AWebSocketClientThatNeverReadsIsCutAndOthersAreServed) {
  for (int i = 0; i < 40; ++i) {
    HttpClient(server_->port())
        .Post("/v1/commands/RegisterMentor",
              json{{"mentor_id", "M-" + std::to_string(i)},
                   {"name", std::string(2000, 'n')},
                   {"department", "CSE"}}
                  .dump(),
              admin_);
  }
  // The lazy client subscribes to everything many times over and never reads.
  auto lazy = std::make_unique<WebSocketClient>(server_->port(), admin_);
  for (int i = 0; i < 40; ++i)
    lazy->Send({{"op", "subscribe"}, {"id", "s" + std::to_string(i)}, {"after", 0}});
  WebSocketClient healthy(server_->port(), admin_);
  healthy.Send({{"op", "subscribe"}, {"id", "h"}, {"after", 38}});
  int received = 0;
  while (auto message = healthy.Receive(3s)) {
    if ((*message)["op"] == "caught_up") break;
    ++received;
  }
  EXPECT_EQ(received, 2);
  // Live events pile up behind the lazy client's stalled history.
  for (int i = 40; i < 140; ++i) {
    HttpClient(server_->port())
        .Post("/v1/commands/RegisterMentor",
              json{{"mentor_id", "M-" + std::to_string(i)}, {"name", "n"}, {"department", "CSE"}}
                  .dump(),
              admin_);
  }
  int live = 0;
  while (auto message = healthy.Receive(2s)) {
    if ((*message)["op"] == "event") ++live;
    if (live == 100) break;
  }
  EXPECT_EQ(live, 100);
  std::string metrics;
  for (int attempt = 0; attempt < 50; ++attempt) {
    metrics = HttpClient(server_->port()).Get("/metrics").body;
    if (metrics.find("mentorlog_websocket_slow_consumers_cut_total 1") != std::string::npos) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_NE(metrics.find("mentorlog_websocket_slow_consumers_cut_total 1"), std::string::npos);
  EXPECT_EQ(HttpClient(server_->port()).Get("/healthz").status, 200u);
}

TEST_F(LimitsTest, CommandsInFlightAtSigtermAreAnsweredOrNotAppended) {
  std::atomic<int> acknowledged = 0;
  std::vector<std::thread> clients;
  std::mutex mu;
  std::vector<std::string> acked_ids;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        try {
          HttpClient client(server_->port());
          const std::string id = "M-" + std::to_string(t) + "-" + std::to_string(i);
          const auto reply = client.Post(
              "/v1/commands/RegisterMentor",
              json{{"mentor_id", id}, {"name", "n"}, {"department", "d"}}.dump(), admin_);
          if (reply.status == 200) {
            ++acknowledged;
            std::lock_guard lock(mu);
            acked_ids.push_back(id);
          }
        } catch (const std::exception&) {
          return;  // the server has gone
        }
      }
    });
  }
  while (acknowledged < 20) std::this_thread::sleep_for(1ms);
  const int status = server_->Terminate();
  for (auto& c : clients) c.join();
  ASSERT_TRUE(WIFEXITED(status)) << "status " << status << " signal "
                                 << (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  // Restart on the same data: every acknowledged command is there.
  server_ = std::make_unique<ServerProcess>(MENTORLOG_BINARY, dir_.path() / "data");
  const json events = HttpClient(server_->port())
                          .Get("/v1/events?limit=1000", ServerProcess::Token("X", "auditor"))
                          .Json();
  std::set<std::string> stored;
  for (const auto& e : events["events"]) stored.insert(e["data"]["mentor_id"].get<std::string>());
  for (const auto& id : acked_ids) EXPECT_TRUE(stored.contains(id)) << id;
  EXPECT_GE(stored.size(), acked_ids.size());
}

}  // namespace
}  // namespace mentorlog::http

namespace mentorlog::http {
namespace {

TEST_F(ServerTest, WatchPushesTheViewAgainWhenItChanges) {
  Seed();
  WebSocketClient ws(server_->port(), mentor_);
  ws.Send({{"op", "watch"}, {"id", "w1"}, {"view", "my-mentees"}});
  const auto first = ws.Receive(5s);
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ((*first)["op"], "view") << first->dump();
  EXPECT_EQ((*first)["sub"], "w1");
  EXPECT_EQ((*first)["data"].dump().find("S-4"), std::string::npos);
  Command("EnrollStudent",
          {{"student_id", "S-4"}, {"roll_number", "RS-4"}, {"name", "New"}, {"department", "CSE"}},
          admin_);
  Command("AssignMentor", {{"student_id", "S-4"}, {"mentor_id", "M-1"}}, admin_);
  // Coalesced pushes, always ending on the latest state.
  json latest;
  while (auto message = ws.Receive(1s)) {
    ASSERT_EQ((*message)["op"], "view");
    latest = *message;
  }
  EXPECT_NE(latest["data"].dump().find("S-4"), std::string::npos) << latest.dump();
  // Watching a view the token may not read is an error.
  ws.Send({{"op", "watch"}, {"id", "w2"}, {"view", "mentee-timeline"}, {"key", "S-3"}});
  const auto refused = ws.Receive(5s);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ((*refused)["op"], "error");
  EXPECT_EQ((*refused)["error"]["code"], "forbidden");
}

}  // namespace
}  // namespace mentorlog::http
