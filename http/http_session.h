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
  std::optional<bhttp::response<bhttp::string_body>> response_;  // the answer being written
  bool keep_alive_ = true;
  bool linger_ = false;  // close after a refusal: drain the client's bytes first
  std::array<char, 4096> drain_{};
  unsigned version_ = 11;
};

}  // namespace mentorlog::http
