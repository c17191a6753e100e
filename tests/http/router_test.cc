// The router's pure helpers.

#include "http/router.h"

#include <gtest/gtest.h>

namespace mentorlog::http {
namespace {

using nlohmann::json;

// What the body was before it was written by hand: the same object, dumped.
std::string DumpedBody(const app::CommandAccepted& accepted) {
  json events = json::array();
  for (const auto& e : accepted.events) {
    events.push_back(
        {{"position", e.position}, {"stream", e.stream}, {"version", e.version}, {"type", e.type}});
  }
  return json{{"command_id", accepted.command_id},
              {"position", accepted.position},
              {"events", std::move(events)}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

TEST(CommandAcceptedBody, IsByteForByteTheDumpedObject) {
  app::CommandAccepted one{"0b7e1c8a-1111-4222-8333-444455556666", 42, {}, false};
  one.events.push_back({42, "meeting-MT-1", 1, "MeetingScheduled"});
  EXPECT_EQ(CommandAcceptedBody(one), DumpedBody(one));
  EXPECT_EQ(CommandAcceptedBody(one),
            R"({"command_id":"0b7e1c8a-1111-4222-8333-444455556666","events":[{"position":42,)"
            R"("stream":"meeting-MT-1","type":"MeetingScheduled","version":1}],"position":42})");

  app::CommandAccepted many{
      "id \"quoted\" \\ \x01 \xc3\xa9 \xff", 18'446'744'073'709'551'615u, {}, true};
  many.events.push_back({7, "student-S-1", 3, "AttendanceRecorded"});
  many.events.push_back({8, "student-S-1\n", 18'446'744'073'709'551'615u, "Alert\"Raised"});
  EXPECT_EQ(CommandAcceptedBody(many), DumpedBody(many));

  const app::CommandAccepted none{"", 0, {}, false};
  EXPECT_EQ(CommandAcceptedBody(none), DumpedBody(none));
}

// Every answer names its route pattern for metrics and the log, from a set of
// literals; a wrong method is refused before any token or service is needed.
TEST(RouterRoutes, EachAnswerNamesItsRoutePattern) {
  const Router router{Services{}};
  const auto route_of = [&](std::string method, std::string target) {
    Request request;
    request.method = std::move(method);
    request.target = std::move(target);
    Response answer;
    router.Handle(std::move(request), [&](Response r) { answer = std::move(r); });
    return std::pair{answer.status, std::string(answer.route)};
  };
  using Expected = std::pair<unsigned, std::string>;
  for (const std::string path :
       {"/healthz", "/readyz", "/metrics", "/v1/openapi.json", "/v1/events", "/v1/ws",
        "/v1/audit/head", "/v1/admin/projections"}) {
    EXPECT_EQ(route_of("DELETE", path + "?x=1"), (Expected{405, path})) << path;
  }
  EXPECT_EQ(route_of("GET", "/v1/commands/ScheduleMeeting"),
            (Expected{405, "/v1/commands/{name}"}));
  EXPECT_EQ(route_of("POST", "/v1/views/my-mentees"), (Expected{405, "/v1/views/{view}"}));
  EXPECT_EQ(route_of("POST", "/v1/views/attendance/S-1"),
            (Expected{405, "/v1/views/{view}/{key}"}));
  EXPECT_EQ(route_of("POST", "/v1/streams/student-S-1"), (Expected{405, "/v1/streams/{stream}"}));
  EXPECT_EQ(route_of("GET", "/v1/admin/projections/attendance/rebuild"),
            (Expected{405, "/v1/admin/projections/{name}/rebuild"}));
  EXPECT_EQ(route_of("GET", "/v1/audit/heads"), (Expected{404, "unmatched"}));
  EXPECT_EQ(route_of("GET", "/v1/events/"), (Expected{404, "unmatched"}));
  EXPECT_EQ(route_of("GET", "/healthz/"), (Expected{404, "unmatched"}));
  EXPECT_EQ(route_of("GET", "/v1/%zz"), (Expected{400, "unmatched"}));
  EXPECT_EQ(route_of("GET", "/healthz"), (Expected{200, "/healthz"}));
}

}  // namespace
}  // namespace mentorlog::http
