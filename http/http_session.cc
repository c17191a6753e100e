#include "http/http_session.h"

#include <spdlog/spdlog.h>

#include <charconv>

#include "http/websocket_session.h"

namespace mentorlog::http {

HttpSession::HttpSession(Socket&& socket, SessionContext& context,
                         std::unique_ptr<ConnectionSlot> slot)
    : stream_(std::move(socket)),
      buffer_(context.options.max_read_ahead_bytes),
      context_(context),
      slot_(std::move(slot)) {}

void HttpSession::Run() {
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&HttpSession::DoRead, shared_from_this()));
}

void LimitParser(bhttp::request_parser<bhttp::string_body>& parser, const ServerOptions& options) {
  parser.body_limit(options.max_body_bytes);
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
}

Response ParseErrorResponse(beast::error_code ec) {
  if (ec == bhttp::error::body_limit) {
    return ErrorResponse("payload_too_large", "the body is over the limit");
  }
  if (ec == bhttp::error::header_limit) {
    return ErrorResponse("header_too_large", "the request head is over the limit");
  }
  if (ec == bhttp::error::buffer_overflow) {
    return ErrorResponse("payload_too_large", "too much pipelined data");
  }
  return ErrorResponse("invalid_argument", "malformed HTTP request: " + ec.message());
}

Request ToRouterRequest(bhttp::request<bhttp::string_body>& req) {
  Request request;
  request.method = std::string(req.method_string());
  request.target = std::string(req.target());
  request.authorization = std::string(req[bhttp::field::authorization]);
  request.content_type = std::string(req[bhttp::field::content_type]);
  if (const auto it = req.find("Idempotency-Key"); it != req.end()) {
    request.idempotency_key = std::string(it->value());
  }
  if (const auto it = req.find(bhttp::field::if_match); it != req.end()) {
    request.if_match = std::string(it->value());
  }
  request.body = std::move(req.body());
  return request;
}

void WriteResponseHead(const Response& response, unsigned version, bool keep_alive,
                       std::string& out) {
  char digits[24];
  out.assign("HTTP/");
  out.push_back(static_cast<char>('0' + version / 10));
  out.push_back('.');
  out.push_back(static_cast<char>('0' + version % 10));
  out.push_back(' ');
  out.append(digits, std::to_chars(digits, digits + sizeof digits, response.status).ptr);
  out.push_back(' ');
  out += ToStd(bhttp::obsolete_reason(static_cast<bhttp::status>(response.status)));
  out += "\r\nServer: mentorlog\r\nContent-Type: ";
  out += response.content_type;
  if (version >= 11 && !keep_alive) out += "\r\nConnection: close";
  if (version < 11 && keep_alive) out += "\r\nConnection: keep-alive";
  out += "\r\nContent-Length: ";
  out.append(digits, std::to_chars(digits, digits + sizeof digits, response.body.size()).ptr);
  out += "\r\n\r\n";
}

void HttpSession::DoRead() {
  parser_.emplace();
  LimitParser(*parser_, context_.options);
  // The whole request must arrive in time: a client trickling bytes is cut.
  stream_.expires_after(context_.options.request_timeout);
  bhttp::async_read(stream_, buffer_, *parser_,
                    beast::bind_front_handler(&HttpSession::OnRead, shared_from_this()));
}

void HttpSession::OnRead(beast::error_code ec, std::size_t) {
  if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
      ec == net::error::operation_aborted || ec == net::error::connection_reset) {
    return DoClose();
  }
  if (ec) {
    // Refuse what cannot be parsed within the limits, in words, then close.
    keep_alive_ = false;
    linger_ = true;
    return DoWrite(ParseErrorResponse(ec));
  }
  auto& req = parser_->get();
  keep_alive_ = req.keep_alive();
  version_ = req.version();
  if (websocket::is_upgrade(req)) return Upgrade();

  Request request = ToRouterRequest(req);
  // No read timer while the answer is being worked out; the write sets its own.
  stream_.expires_never();
  context_.router.Handle(std::move(request), [self = shared_from_this()](Response response) {
    net::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
      self->DoWrite(std::move(response));
    });
  });
}

void HttpSession::Upgrade() {
  auto& req = parser_->get();
  const auto target = ParseTarget(ToStd(req.target()));
  const auto actor = context_.router.AuthenticateWebSocket(ToStd(req[bhttp::field::authorization]),
                                                           ToStd(req.target()));
  if (!target || target->path != "/v1/ws") {
    keep_alive_ = false;
    return DoWrite(ErrorResponse("not_found", "WebSocket is served on /v1/ws only"));
  }
  if (!actor) {
    keep_alive_ = false;
    return DoWrite(actor.error());
  }
  stream_.expires_never();
  std::make_shared<WebSocketSession>(stream_.release_socket(), context_, std::move(slot_), *actor)
      ->Run(parser_->release());
}

void HttpSession::DoWrite(Response response) {
  // One answer at a time per connection, so head and body are members, kept
  // alive for the write (the head's buffer reused from answer to answer).
  // Written as two buffers rather than through Beast's serializer, whose
  // buffer sequences cost more than the rest of writing an answer together.
  WriteResponseHead(response, version_, keep_alive_, head_);
  body_ = std::move(response.body);
  stream_.expires_after(context_.options.request_timeout);
  const std::array<net::const_buffer, 2> buffers = {net::buffer(head_), net::buffer(body_)};
  net::async_write(stream_, buffers,
                   beast::bind_front_handler(&HttpSession::OnWrite, shared_from_this()));
}

void HttpSession::OnWrite(beast::error_code ec, std::size_t) {
  body_ = std::string();  // freed: a connection may idle long after a large answer
  if (ec) return DoClose();
  if (!keep_alive_) return linger_ ? DoLingeringClose() : DoClose();
  DoRead();
}

void HttpSession::DoLingeringClose() {
  // The client may still be sending the body we refused; closing now would
  // reset the connection and could destroy our answer in its receive buffer.
  // Stop sending, read and discard until it stops too (or 2 s pass), then close.
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream_.expires_after(std::chrono::seconds(2));
  stream_.async_read_some(net::buffer(drain_),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (ec) return self->DoClose();
                            self->DoLingeringClose();
                          });
}

void HttpSession::DoClose() {
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream_.socket().close(ignored);
}

}  // namespace mentorlog::http
