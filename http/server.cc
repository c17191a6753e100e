#include "http/server.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <thread>
#include <vector>

#include "http/listener.h"
#include "http/net.h"
#include "http/session_context.h"

namespace mentorlog::http {

struct Server::Impl {
  Impl(ServerOptions opts, Router& router, EventHub& hub)
      : options(std::move(opts)), context{router, hub, options}, work(net::make_work_guard(ioc)) {}

  // Declared so that the io_context, and every session its handlers still own,
  // is destroyed before the context those sessions refer to.
  ServerOptions options;
  SessionContext context;
  net::io_context ioc;
  net::executor_work_guard<net::io_context::executor_type> work;
  std::shared_ptr<Listener> listener;
  std::vector<std::thread> threads;
  unsigned short port = 0;
  // Made before the first accept, for two reasons: an io_context takes
  // descriptors of its own (an epoll set, an eventfd), which a flood of
  // connections may have used up by the time WaitForSignal runs (Asio then
  // throws, and the process ended); and a SIGTERM that arrives while the server
  // starts is queued for WaitForSignal instead of killing the process.
  net::io_context signals_ioc;
  net::signal_set signals{signals_ioc, SIGINT, SIGTERM};

  void Stop() {
    work.reset();
    ioc.stop();
    for (auto& t : threads) {
      if (t.joinable()) t.join();
    }
    threads.clear();
  }
};

Server::Server(ConstructionKey, std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { impl_->Stop(); }

std::expected<std::unique_ptr<Server>, std::string> Server::Start(ServerOptions options,
                                                                  Router& router, EventHub& hub) {
  auto impl = std::make_unique<Impl>(std::move(options), router, hub);
  beast::error_code ec;
  const auto address = net::ip::make_address(impl->options.address, ec);
  if (ec) return std::unexpected("bad listen address " + impl->options.address);
  tcp::acceptor acceptor(net::make_strand(impl->ioc));
  const tcp::endpoint endpoint(address, impl->options.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return std::unexpected("cannot listen on " + impl->options.address + ":" +
                           std::to_string(impl->options.port) + ": " + ec.message());
  }
  impl->port = acceptor.local_endpoint().port();
  router.SetScheduler(
      [ioc = &impl->ioc](std::chrono::milliseconds delay, std::function<void()> task) {
        auto timer = std::make_shared<net::steady_timer>(*ioc, delay);
        timer->async_wait([timer, task = std::move(task)](beast::error_code ec) {
          if (!ec) task();
        });
      });
  impl->listener = std::make_shared<Listener>(impl->ioc, std::move(acceptor), impl->context);
  impl->listener->Run();
  const unsigned threads = impl->options.threads > 0
                               ? impl->options.threads
                               : std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < threads; ++i) {
    impl->threads.emplace_back([ioc = &impl->ioc] {
      pthread_setname_np(pthread_self(), "mentorlog-io");
      ioc->run();
    });
  }
  spdlog::info("listening on {}:{} with {} threads", impl->options.address, impl->port, threads);
  return std::make_unique<Server>(ConstructionKey{}, std::move(impl));
}

unsigned short Server::port() const { return impl_->port; }

void Server::StopAccepting() { impl_->listener->Stop(); }

void Server::WaitForSignal() {
  impl_->signals.async_wait([](beast::error_code, int signal) {
    spdlog::info("signal {} received; shutting down", signal);
  });
  impl_->signals_ioc.restart();  // in case it ran before
  impl_->signals_ioc.run();
}

void Server::Stop() { impl_->Stop(); }

}  // namespace mentorlog::http
