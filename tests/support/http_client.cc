#include "tests/support/http_client.h"

#include <deque>
#include <stdexcept>

#include "http/net.h"

namespace mentorlog::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;

struct HttpClient::Impl {
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
};

HttpClient::HttpClient(unsigned short port) : impl_(std::make_unique<Impl>()) {
  impl_->stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
}

HttpClient::~HttpClient() {
  beast::error_code ignored;
  impl_->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

HttpClient::Reply HttpClient::Get(const std::string& target, const std::string& token) {
  std::map<std::string, std::string> headers;
  if (!token.empty()) headers["Authorization"] = "Bearer " + token;
  return Send("GET", target, "", headers);
}

HttpClient::Reply HttpClient::Post(const std::string& target, const std::string& body,
                                   const std::string& token,
                                   std::map<std::string, std::string> headers) {
  if (!token.empty()) headers["Authorization"] = "Bearer " + token;
  if (!headers.contains("Content-Type")) headers["Content-Type"] = "application/json";
  return Send("POST", target, body, headers);
}

HttpClient::Reply HttpClient::Send(const std::string& method, const std::string& target,
                                   const std::string& body,
                                   std::map<std::string, std::string> headers) {
  bhttp::request<bhttp::string_body> req(bhttp::string_to_verb(method), target, 11);
  req.set(bhttp::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  req.prepare_payload();
  // A server may answer and stop reading before the whole body is sent (413):
  // a failed write is not the end, the answer may be waiting.
  beast::error_code write_ec;
  bhttp::write(impl_->stream, req, write_ec);
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 << 20);
  bhttp::read(impl_->stream, impl_->buffer, parser);
  Reply reply;
  reply.status = parser.get().result_int();
  reply.content_type = std::string(parser.get()[bhttp::field::content_type]);
  reply.body = parser.get().body();
  return reply;
}

std::string HttpClient::Raw(const std::string& bytes, std::chrono::milliseconds timeout) {
  beast::error_code ec;
  net::write(impl_->stream.socket(), net::buffer(bytes), ec);
  std::string out;
  char chunk[4096];
  bool done = false;
  std::function<void()> read_more = [&] {
    impl_->stream.socket().async_read_some(net::buffer(chunk),
                                           [&](beast::error_code read_ec, std::size_t n) {
                                             out.append(chunk, n);
                                             if (read_ec) {
                                               done = true;
                                             } else {
                                               read_more();
                                             }
                                           });
  };
  read_more();
  impl_->ioc.restart();
  impl_->ioc.run_for(timeout);
  if (!done) {
    impl_->stream.socket().cancel(ec);
    impl_->ioc.restart();
    impl_->ioc.run();
  }
  return out;
}

bool HttpClient::ClosedByPeer(std::chrono::milliseconds timeout) {
  char byte;
  bool closed = false;
  bool done = false;
  impl_->stream.socket().async_read_some(net::buffer(&byte, 1),
                                         [&](beast::error_code ec, std::size_t) {
                                           closed = static_cast<bool>(ec);
                                           done = true;
                                         });
  impl_->ioc.restart();
  impl_->ioc.run_for(timeout);
  if (!done) {
    beast::error_code ignored;
    impl_->stream.socket().cancel(ignored);
    impl_->ioc.restart();
    impl_->ioc.run();
  }
  return closed;
}

struct WebSocketClient::Impl {
  net::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  beast::flat_buffer buffer;
  std::deque<nlohmann::json> inbox;
  bool closed = false;
  std::optional<int> close_code;

  void StartRead() {
    ws.async_read(buffer, [this](beast::error_code ec, std::size_t) {
      if (ec) {
        closed = true;
        if (ec == websocket::error::closed) close_code = ws.reason().code;
        return;
      }
      inbox.push_back(
          nlohmann::json::parse(beast::buffers_to_string(buffer.data()), nullptr, false));
      buffer.consume(buffer.size());
      StartRead();
    });
  }
};

WebSocketClient::WebSocketClient(unsigned short port, const std::string& token, bool in_query)
    : impl_(std::make_unique<Impl>()) {
  beast::get_lowest_layer(impl_->ws).connect(
      tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  if (!in_query && !token.empty()) {
    impl_->ws.set_option(websocket::stream_base::decorator([token](websocket::request_type& req) {
      req.set(bhttp::field::authorization, "Bearer " + token);
    }));
  }
  const std::string target = in_query ? "/v1/ws?access_token=" + token : "/v1/ws";
  websocket::response_type response;
  beast::error_code ec;
  impl_->ws.handshake(response, "127.0.0.1", target, ec);
  if (ec) throw std::runtime_error("handshake refused: " + std::to_string(response.result_int()));
  impl_->ws.read_message_max(64 << 20);
  impl_->StartRead();
}

WebSocketClient::~WebSocketClient() {
  beast::error_code ignored;
  beast::get_lowest_layer(impl_->ws).socket().shutdown(tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(impl_->ws).socket().close(ignored);
  impl_->ioc.restart();
  impl_->ioc.run_for(std::chrono::milliseconds(100));
}

void WebSocketClient::Send(const nlohmann::json& message) {
  impl_->ws.text(true);
  impl_->ws.write(net::buffer(message.dump()));
}

std::optional<nlohmann::json> WebSocketClient::Receive(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (impl_->inbox.empty() && !impl_->closed) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) break;
    impl_->ioc.restart();
    impl_->ioc.run_one_for(left);
  }
  if (impl_->inbox.empty()) return std::nullopt;
  nlohmann::json message = std::move(impl_->inbox.front());
  impl_->inbox.pop_front();
  return message;
}

std::optional<int> WebSocketClient::CloseCode() const { return impl_->close_code; }

}  // namespace mentorlog::testing
