// WriteResponseHead writes by hand what Beast's serializer wrote for every answer
// before; these compare the two byte for byte.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <utility>  // before Asio: Boost 1.74 uses std::exchange without it

#include "http/http_session.h"

namespace mentorlog::http {
namespace {

// The bytes Beast's serializer writes for the message HttpSession used to build.
std::string BeastBytes(const Response& response, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> message(static_cast<bhttp::status>(response.status), version);
  message.set(bhttp::field::server, "mentorlog");
  message.set(bhttp::field::content_type, response.content_type);
  message.keep_alive(keep_alive);
  message.body() = response.body;
  message.prepare_payload();
  std::ostringstream out;
  out << message;
  return out.str();
}

Response Answer(unsigned status, std::string content_type, std::string body) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

TEST(ResponseHeadTest, SameBytesAsBeastsSerializer) {
  const Response answers[] = {
      Answer(200, "application/json", R"({"position":42})"),
      Answer(201, "application/json", ""),
      Answer(404, "application/json", R"({"error":{"code":"not_found"}})"),
      Answer(413, "application/json", std::string(70'000, 'x')),
      Answer(503, "text/plain; version=0.0.4", "mentorlog_up 1\n"),
      Answer(200, "text/html; charset=utf-8", "<!doctype html>"),
  };
  std::string head = "left over from an earlier answer";  // replaced, not appended to
  for (const Response& r : answers) {
    for (const unsigned version : {10u, 11u}) {
      for (const bool keep_alive : {true, false}) {
        WriteResponseHead(r, version, keep_alive, head);
        EXPECT_EQ(head + r.body, BeastBytes(r, version, keep_alive))
            << r.status << " HTTP/" << version << " keep-alive " << keep_alive;
      }
    }
  }
}

}  // namespace
}  // namespace mentorlog::http
