// Guarantee 7 ("bad input never hurts") as one catalogue over HTTP against the
// real binary: each row sends one kind of malformed, oversized, hostile or
// unauthorised input and asserts the status and error code API.md (or
// docs/API-NOTES.md) promises, that nothing was appended (the audit head is
// unchanged) and that /healthz still answers.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "http/jwt.h"
#include "tests/support/http_client.h"
#include "tests/support/raw_connection.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace mentorlog::http {
namespace {

using nlohmann::json;
using testing::HttpClient;
using testing::ParseResponses;
using testing::RawConnection;
using testing::ServerProcess;
using namespace std::chrono_literals;

// The servers the rows run against; each row names one.
enum class Target {
  kDefault,      // default limits
  kLargeBodies,  // --max-body-bytes 4 MiB, so a 1 MiB string reaches the decoder
  kShortTimeout  // --request-timeout-ms 500, so a slowloris is cut quickly
};

// What came back: the status (0 when the connection closed without an answer),
// the error body, and how many responses arrived.
struct Outcome {
  unsigned status = 0;
  json body;
  size_t responses = 0;
};

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    servers_[Target::kDefault] =
        std::make_unique<ServerProcess>(MENTORLOG_BINARY, dir_.path() / "default");
    servers_[Target::kLargeBodies] = std::make_unique<ServerProcess>(
        MENTORLOG_BINARY, dir_.path() / "large",
        std::vector<std::string>{"--max-body-bytes", std::to_string(4 << 20)});
    servers_[Target::kShortTimeout] =
        std::make_unique<ServerProcess>(MENTORLOG_BINARY, dir_.path() / "short",
                                        std::vector<std::string>{"--request-timeout-ms", "500"});
    for (const auto& [target, server] : servers_) Seed(server->port());
  }

  // Two mentors, each with a mentee; the second mentee has asked for leave.
  void Seed(unsigned short port) {
    const auto ok = [port](const std::string& name, const json& body, const std::string& token) {
      const auto reply = HttpClient(port).Post("/v1/commands/" + name, body.dump(), token);
      ASSERT_EQ(reply.status, 200u) << name << ": " << reply.body;
    };
    for (const char* m : {"M-1", "M-2"}) {
      ok("RegisterMentor", {{"mentor_id", m}, {"name", m}, {"department", "CSE"}}, admin_);
    }
    for (const char* s : {"S-1", "S-3"}) {
      ok("EnrollStudent",
         {{"student_id", s},
          {"roll_number", std::string("R") + s},
          {"name", s},
          {"department", "CSE"}},
         admin_);
    }
    ok("AssignMentor", {{"student_id", "S-1"}, {"mentor_id", "M-1"}}, admin_);
    ok("AssignMentor", {{"student_id", "S-3"}, {"mentor_id", "M-2"}}, admin_);
    ok("RequestLeave",
       {{"leave_id", "L-3"},
        {"student_id", "S-3"},
        {"kind", "leave"},
        {"from_date", "2027-01-05"},
        {"to_date", "2027-01-06"},
        {"reason", "family"}},
       ServerProcess::Token("S-3", "mentee"));
  }

  unsigned short Port(Target target) { return servers_.at(target)->port(); }

  json Head(Target target) {
    return HttpClient(Port(target)).Get("/v1/audit/head", auditor_).Json();
  }

  testing::TempDir dir_;
  std::map<Target, std::unique_ptr<ServerProcess>> servers_;
  const std::string admin_ = ServerProcess::Token("A-1", "admin");
  const std::string mentor_ = ServerProcess::Token("M-1", "mentor");
  const std::string mentee_ = ServerProcess::Token("S-1", "mentee");
  const std::string auditor_ = ServerProcess::Token("X-1", "auditor");
};

// One row of the catalogue.
struct Row {
  std::string name;
  Target target;
  std::function<Outcome(unsigned short port)> send;  // how it is sent
  unsigned status;                                   // 0: closed without an answer
  std::string code;                                  // error.code; "" when none
  std::string field = "";                            // error.field, where API.md names one
  size_t responses = 1;                              // how many answers must arrive
};

Outcome FromReply(const HttpClient::Reply& reply) { return {reply.status, reply.Json(), 1}; }

// POSTs `body` as JSON to a command with `token` (and extra headers).
std::function<Outcome(unsigned short)> PostCommand(
    const std::string& command, std::string body, std::string token,
    std::map<std::string, std::string> headers = {}) {
  return [=](unsigned short port) {
    auto h = headers;
    if (!token.empty()) h["Authorization"] = "Bearer " + token;
    if (!h.contains("Content-Type")) h["Content-Type"] = "application/json";
    return FromReply(HttpClient(port).Send("POST", "/v1/commands/" + command, body, h));
  };
}

std::function<Outcome(unsigned short)> Request(const std::string& method, const std::string& target,
                                               std::string token) {
  return [=](unsigned short port) {
    std::map<std::string, std::string> headers;
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return FromReply(HttpClient(port).Send(method, target, "", headers));
  };
}

// Writes raw bytes and reads the answers until the server closes.
std::function<Outcome(unsigned short)> Raw(std::string bytes) {
  return [bytes = std::move(bytes)](unsigned short port) {
    RawConnection connection(port);
    std::string received;
    std::thread writer([&] { connection.Write(bytes); });
    received = connection.ReadUntilClosed(20s);
    writer.join();
    const auto responses = ParseResponses(received);
    Outcome outcome;
    outcome.responses = responses.size();
    if (!responses.empty()) {
      outcome.status = responses.front().status;
      outcome.body = json::parse(responses.front().body, nullptr, false);
      // Every answer must be the same as the first.
      for (const auto& r : responses) {
        if (r.status != outcome.status || r.body != responses.front().body) outcome.status = 999;
      }
    }
    return outcome;
  };
}

// Sends a valid request head a byte at a time, 20 ms apart, never finishing:
// the connection must be closed without an answer within the request timeout.
Outcome Slowloris(unsigned short port) {
  RawConnection connection(port);
  const std::string head = "POST /v1/commands/RegisterMentor HTTP/1.1\r\nHost: x\r\nX-Slow: ";
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; std::chrono::steady_clock::now() - start < 5s; ++i) {
    // The head, then one header value that never ends.
    if (!connection.Write(i < head.size() ? head.substr(i, 1) : "a")) break;
    bool closed = false;
    const std::string answer = connection.ReadUntilClosed(20ms, &closed);
    if (!answer.empty()) return Outcome{998, json::parse(answer, nullptr, false), 1};
    if (closed) break;
  }
  bool closed = false;
  const std::string rest = connection.ReadUntilClosed(2s, &closed);
  Outcome outcome;
  outcome.status = closed && rest.empty() ? 0 : 997;
  // Cut well before the 5 s the client was willing to trickle for.
  if (std::chrono::steady_clock::now() - start > 4s) outcome.status = 996;
  return outcome;
}

std::string Base64Json(const json& value) { return Base64UrlEncode(value.dump()); }

std::int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

json Mentor(const std::string& id) {
  return {{"mentor_id", id}, {"name", "New"}, {"department", "CSE"}};
}

json Meeting(const std::string& start, const std::string& end) {
  return {{"meeting_id", "MT-9"},
          {"mentor_id", "M-1"},
          {"student_ids", {"S-1"}},
          {"title", "Weekly"},
          {"mode", "online"},
          {"start", start},
          {"end", end}};
}

TEST_F(BadInputTest, EveryRowIsRefusedAppendsNothingAndTheServerKeepsServing) {
  const std::string admin = admin_;
  const std::string mentor = mentor_;
  const std::string mentee = mentee_;

  json wrong_type = Mentor("M-9");
  wrong_type["max_mentees"] = "twenty";
  json missing = Mentor("M-9");
  missing.erase("department");
  json unknown = Mentor("M-9");
  unknown["salary"] = 100;
  json huge_string = Mentor("M-9");
  huge_string["name"] = std::string(1 << 20, 'n');
  std::string deep;
  for (int i = 0; i < 10'000; ++i) deep += "{\"a\":";
  deep += "1" + std::string(10'000, '}');
  const std::string bad_utf8 = R"({"mentor_id":"M-9","name":"bad )" + std::string("\xc3\x28\xff") +
                               R"(","department":"CSE"})";
  json bad_time = Meeting("2027-13-45T99:00:00Z", "2027-01-10T11:00:00Z");
  json bad_date = {{"leave_id", "L-9"},         {"student_id", "S-1"},     {"kind", "leave"},
                   {"from_date", "2027/01/05"}, {"to_date", "2027-01-06"}, {"reason", "r"}};
  json backwards = Meeting("2027-01-10T11:00:00Z", "2027-01-10T10:00:00Z");
  json future_attendance = {{"course_id", "C-1"},
                            {"date", "2099-01-05"},
                            {"period", 1},
                            {"entries", {{{"student_id", "S-1"}, {"status", "present"}}}}};

  std::string many_headers = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 10'000; ++i) many_headers += "X-H" + std::to_string(i) + ": v\r\n";
  many_headers += "\r\n";

  // 1,000 requests on one connection without waiting for answers; each is a
  // well-formed command that must be refused (a reused id), the last closes.
  std::string pipeline;
  const std::string again = Mentor("M-1").dump();
  for (int i = 0; i < 1000; ++i) {
    pipeline +=
        "POST /v1/commands/RegisterMentor HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(again.size()) +
        "\r\n" + (i == 999 ? "Connection: close\r\n" : "") + "\r\n" + again;
  }

  const std::string none_token =
      Base64Json({{"alg", "none"}, {"typ", "JWT"}}) + "." +
      Base64Json({{"sub", "A-1"}, {"role", "admin"}, {"exp", NowSeconds() + 3600}}) + ".";
  std::string tampered_signature = admin;
  {
    const size_t at = tampered_signature.rfind('.') + 10;  // a byte in the middle of the MAC
    tampered_signature[at] = tampered_signature[at] == 'A' ? 'B' : 'A';
  }
  std::string tampered_claims = mentee;  // the mentee's signature on claims saying admin
  {
    const size_t first = tampered_claims.find('.');
    const size_t second = tampered_claims.find('.', first + 1);
    tampered_claims.replace(
        first + 1, second - first - 1,
        Base64Json({{"sub", "S-1"}, {"role", "admin"}, {"exp", NowSeconds() + 3600}}));
  }

  const std::vector<Row> rows = {
      {"invalid JSON", Target::kDefault, PostCommand("RegisterMentor", "{\"mentor_id\": ", admin),
       400, "invalid_json"},
      {"JSON array body", Target::kDefault, PostCommand("RegisterMentor", "[1, 2]", admin), 400,
       "invalid_argument"},
      {"JSON string body", Target::kDefault, PostCommand("RegisterMentor", "\"M-9\"", admin), 400,
       "invalid_argument"},
      {"wrong type", Target::kDefault, PostCommand("RegisterMentor", wrong_type.dump(), admin), 400,
       "invalid_argument", "max_mentees"},
      {"missing field", Target::kDefault, PostCommand("RegisterMentor", missing.dump(), admin), 400,
       "invalid_argument", "department"},
      {"unknown field", Target::kDefault, PostCommand("RegisterMentor", unknown.dump(), admin), 400,
       "invalid_argument", "salary"},
      {"string of 1 MiB", Target::kLargeBodies,
       PostCommand("RegisterMentor", huge_string.dump(), admin), 400, "invalid_argument", "name"},
      {"nesting depth 10,000", Target::kDefault, PostCommand("RegisterMentor", deep, admin), 400,
       "invalid_json"},
      {"invalid UTF-8", Target::kDefault, PostCommand("RegisterMentor", bad_utf8, admin), 400,
       "invalid_json"},
      {"id with a space", Target::kDefault,
       PostCommand("RegisterMentor", Mentor("M 9").dump(), admin), 400, "invalid_argument",
       "mentor_id"},
      {"id with a slash", Target::kDefault,
       PostCommand("RegisterMentor", Mentor("M/9").dump(), admin), 400, "invalid_argument",
       "mentor_id"},
      {"id of 200 characters", Target::kDefault,
       PostCommand("RegisterMentor", Mentor("M" + std::string(199, '9')).dump(), admin), 400,
       "invalid_argument", "mentor_id"},
      {"malformed time", Target::kDefault, PostCommand("ScheduleMeeting", bad_time.dump(), mentor),
       400, "invalid_argument", "start"},
      {"malformed date", Target::kDefault, PostCommand("RequestLeave", bad_date.dump(), mentor),
       400, "invalid_argument", "from_date"},
      {"end before start", Target::kDefault,
       PostCommand("ScheduleMeeting", backwards.dump(), mentor), 400, "invalid_argument", "end"},
      {"attendance in the future", Target::kDefault,
       PostCommand("RecordAttendance", future_attendance.dump(), admin), 409, "invalid_state"},
      {"body of 1 MiB", Target::kDefault,
       PostCommand("RegisterMentor", "{\"name\":\"" + std::string(1 << 20, 'x') + "\"}", admin),
       413, "payload_too_large"},
      {"10,000 headers (431, docs/API-NOTES.md)", Target::kDefault, Raw(many_headers), 431,
       "header_too_large"},
      {"slowloris", Target::kShortTimeout, Slowloris, 0, "", "", 0},
      {"wrong content type", Target::kDefault,
       PostCommand("RegisterMentor", Mentor("M-9").dump(), admin, {{"Content-Type", "text/plain"}}),
       415, "unsupported_media_type"},
      {"wrong method", Target::kDefault, Request("GET", "/v1/commands/RegisterMentor", admin), 405,
       "method_not_allowed"},
      {"unknown route", Target::kDefault, Request("GET", "/v1/nowhere", admin), 404, "not_found"},
      {"unknown command", Target::kDefault,
       PostCommand("LaunchRocket", Mentor("M-9").dump(), admin), 404, "unknown_command"},
      {"no token", Target::kDefault, PostCommand("RegisterMentor", Mentor("M-9").dump(), ""), 401,
       "unauthenticated"},
      {"expired token", Target::kDefault,
       PostCommand("RegisterMentor", Mentor("M-9").dump(),
                   ServerProcess::Token("A-1", "admin", -60)),
       401, "unauthenticated"},
      {"alg none", Target::kDefault,
       PostCommand("RegisterMentor", Mentor("M-9").dump(), none_token), 401, "unauthenticated"},
      {"tampered signature", Target::kDefault,
       PostCommand("RegisterMentor", Mentor("M-9").dump(), tampered_signature), 401,
       "unauthenticated"},
      {"tampered claims", Target::kDefault,
       PostCommand("RegisterMentor", Mentor("M-9").dump(), tampered_claims), 401,
       "unauthenticated"},
      {"mentee calls an admin command", Target::kDefault,
       PostCommand("RegisterMentor", Mentor("M-9").dump(), mentee), 403, "forbidden"},
      {"mentor approves another mentor's mentee's leave", Target::kDefault,
       PostCommand("ApproveLeave", json{{"leave_id", "L-3"}}.dump(), mentor), 403, "forbidden"},
      {"1,000 pipelined requests on one connection", Target::kDefault, Raw(pipeline), 409,
       "conflict", "", 1000},
  };

  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const unsigned short port = Port(row.target);
    const json head = Head(row.target);
    ASSERT_TRUE(head.contains("position")) << head.dump();
    const Outcome outcome = row.send(port);
    EXPECT_EQ(outcome.status, row.status) << outcome.body.dump().substr(0, 300);
    EXPECT_EQ(outcome.responses, row.responses);
    if (!row.code.empty()) {
      ASSERT_TRUE(outcome.body.is_object() && outcome.body.contains("error"))
          << outcome.body.dump().substr(0, 300);
      EXPECT_EQ(outcome.body["error"].value("code", ""), row.code);
      EXPECT_FALSE(outcome.body["error"].value("message", "").empty());
      if (!row.field.empty()) {
        EXPECT_EQ(outcome.body["error"].value("field", ""), row.field);
      }
    }
    EXPECT_EQ(Head(row.target), head) << "something was appended";
    EXPECT_EQ(HttpClient(port).Get("/healthz").status, 200u);
  }

  // Every server still takes a good command after all that.
  for (const auto& [target, server] : servers_) {
    const auto reply =
        HttpClient(server->port()).Post("/v1/commands/RegisterMentor", Mentor("M-9").dump(), admin);
    EXPECT_EQ(reply.status, 200u) << reply.body;
  }
}

}  // namespace
}  // namespace mentorlog::http
