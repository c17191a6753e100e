#include "http/listener.h"

#include <spdlog/spdlog.h>

#include "http/http_session.h"

namespace mentorlog::http {

Listener::Listener(net::io_context& ioc, tcp::acceptor&& acceptor, SessionContext& context)
    : ioc_(ioc),
      acceptor_(std::move(acceptor)),
      retry_timer_(acceptor_.get_executor()),
      context_(context) {}

void Listener::Run() {
  net::dispatch(acceptor_.get_executor(),
                beast::bind_front_handler(&Listener::DoAccept, shared_from_this()));
}

void Listener::Stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ignored;
    self->acceptor_.close(ignored);
    self->retry_timer_.cancel();
  });
}

void Listener::DoAccept() {
  acceptor_.async_accept(net::make_strand(ioc_),
                         beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
}

void Listener::OnAccept(beast::error_code ec, Socket socket) {
  if (!acceptor_.is_open()) return;  // stopped
  if (ec) {
    spdlog::warn("accept failed: {}; retrying", ec.message());
    // Out of descriptors or memory: pause so the loop does not spin, then go on.
    retry_timer_.expires_after(std::chrono::milliseconds(50));
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
      if (!wait_ec) self->DoAccept();
    });
    return;
  }
  if (context_.connections.load() >= context_.options.max_connections) {
    beast::error_code ignored;
    socket.close(ignored);  // over the limit: refuse rather than queue
  } else {
    std::make_shared<HttpSession>(std::move(socket), context_,
                                  std::make_unique<ConnectionSlot>(context_))
        ->Run();
  }
  DoAccept();
}

}  // namespace mentorlog::http
