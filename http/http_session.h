#pragma once

#include <array>
#include <memory>
#include <optional>

#include "http/net.h"
#include "http/session_context.h"

namespace mentorlog::http {

// The pure steps of reading one request, apart from the socket so that they are
// fuzzed in process (tests/fuzz/http_request_fuzz.cc) exactly as served:
// Sets the server's limits on the head and body of one request.
void LimitParser(bhttp::request_parser<bhttp::string_body>& parser, const ServerOptions& options);
// The JSON answer (413, 431 or 400) to a request the parser refused with `ec`.
Response ParseErrorResponse(beast::error_code ec);
// The router's view of a parsed request; moves the body out of `req`.
Request ToRouterRequest(bhttp::request<bhttp::string_body>& req);
// Replaces `out` with the status line and header fields of `response` to a
// request of HTTP `version` (10 or 11): Server, Content-Type, Connection where
// it differs from the version's default, Content-Length. The same bytes as
// Beast's serializer writes for that message, made without its buffer-sequence
// machinery (a test compares the two); `out` keeps its capacity, so a
// connection's answers reuse one buffer.
void WriteResponseHead(const Response& response, unsigned version, bool keep_alive,
                       std::string& out);

// One HTTP/1.1 connection: reads a request under the size and time limits,
// hands it to the Router, writes the answer, and reads the next (keep-alive).
// Requests on one connection are answered one at a time, in order, so
// pipelined requests wait in a read buffer of bounded size. A WebSocket
// upgrade on /v1/ws hands the socket to a WebSocketSession. All steps run on
// the connection's strand; shared_from_this keeps the session alive.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(Socket&& socket, SessionContext& context, std::unique_ptr<ConnectionSlot> slot);

  void Run();

 private:
  void DoRead();
  void OnRead(beast::error_code ec, std::size_t bytes);
  void DoWrite(Response response);
  void OnWrite(beast::error_code ec, std::size_t bytes);
  void DoClose();
  void DoLingeringClose();
  void Upgrade();

  Stream stream_;
  beast::flat_buffer buffer_;
  SessionContext& context_;
  std::unique_ptr<ConnectionSlot> slot_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  // The answer being written (one at a time per connection): head and body.
  std::string head_;
  std::string body_;
  bool keep_alive_ = true;
  bool linger_ = false;  // close after a refusal: drain the client's bytes first
  std::array<char, 4096> drain_{};
  unsigned version_ = 11;
};

}  // namespace mentorlog::http
