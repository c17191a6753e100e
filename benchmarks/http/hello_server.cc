// The ceiling for benchmarks/http: a minimal Beast server answering every
// request with a fixed 20-byte JSON body, from one thread, with keep-alive.
//   hello_server PORT
#include <cstdio>
#include <memory>
#include <string>

#include "http/net.h"  // Asio and Beast, <utility> first (Boost 1.74)
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket socket) : stream_(std::move(socket)) {}
  void Read() {
    request_ = {};
    bhttp::async_read(stream_, buffer_, request_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (!ec) self->Write();
                      });
  }

 private:
  void Write() {
    response_ = bhttp::response<bhttp::string_body>(bhttp::status::ok, request_.version());
    response_.set(bhttp::field::content_type, "application/json");
    response_.keep_alive(request_.keep_alive());
    response_.body() = R"({"status":"ok-ok-ok"})";  // 20 bytes
    response_.prepare_payload();
    bhttp::async_write(stream_, response_,
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         if (!ec) self->Read();
                       });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> request_;
  bhttp::response<bhttp::string_body> response_;
};

void Accept(tcp::acceptor& acceptor) {
  acceptor.async_accept([&acceptor](beast::error_code ec, tcp::socket socket) {
    if (!ec) std::make_shared<Session>(std::move(socket))->Read();
    Accept(acceptor);
  });
}

}  // namespace

int main(int argc, char** argv) {
  net::io_context ioc(1);
  tcp::acceptor acceptor(
      ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"),
                         static_cast<unsigned short>(argc > 1 ? std::stoi(argv[1]) : 18081)));
  Accept(acceptor);
  ioc.run();
}
