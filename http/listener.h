#pragma once

#include <memory>

#include "http/net.h"
#include "http/session_context.h"

namespace mentorlog::http {

// Accepts connections and starts an HttpSession for each, on its own strand.
// An accept error (EMFILE when out of descriptors, a reset) is logged and the
// loop goes on after a short pause; it never stops by itself.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, tcp::acceptor&& acceptor, SessionContext& context);

  void Run();
  // Closes the acceptor; connections already open carry on.
  void Stop();

 private:
  void DoAccept();
  void OnAccept(beast::error_code ec, Socket socket);

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_timer_;
  SessionContext& context_;
};

}  // namespace mentorlog::http
