#pragma once

#include <chrono>
#include <cstddef>
#include <expected>
#include <memory>
#include <string>

#include "http/event_hub.h"
#include "http/router.h"

namespace mentorlog::http {

// Limits and sizes of the server; each guards against one kind of abuse.
struct ServerOptions {
  // Address to listen on. Default: 127.0.0.1.
  std::string address = "127.0.0.1";
  // Port; 0 picks a free one (see Server::port). Default: 8080.
  unsigned short port = 8080;
  // I/O threads. Default: 0 = one per core.
  unsigned threads = 0;
  // Largest request body; larger is 413 payload_too_large. Default: 64 KiB.
  std::size_t max_body_bytes = 64 * 1024;
  // Largest request head (request line + headers); larger is 431. Default: 16 KiB.
  std::size_t max_header_bytes = 16 * 1024;
  // A whole request must arrive within this, or the connection is closed
  // (slowloris); also the idle time allowed between keep-alive requests.
  // Default: 30 s.
  std::chrono::milliseconds request_timeout{30'000};
  // Bytes read ahead on one connection, which bounds pipelined requests
  // waiting behind the one being answered. Default: 1 MiB.
  std::size_t max_read_ahead_bytes = 1 << 20;
  // Open connections (HTTP and WebSocket); beyond it new ones are closed at
  // once. Default: 10,000.
  std::size_t max_connections = 10'000;
  // Messages queued for one WebSocket client; a client that lets more pile up
  // is closed with 1008 instead of being buffered without bound. Default: 4096.
  std::size_t websocket_queue_messages = 4096;
  // Largest WebSocket message a client may send. Default: 64 KiB.
  std::size_t websocket_max_message_bytes = 64 * 1024;
};

// The Boost.Beast HTTP/1.1 + WebSocket server. Asio and Beast stay behind this
// header: nothing outside http/ compiles them.
class Server {
 public:
  struct Impl;

 private:
  struct ConstructionKey {};

 public:
  Server(ConstructionKey, std::unique_ptr<Impl> impl);
  // Binds, listens and starts the I/O threads. Error: why it could not bind.
  static std::expected<std::unique_ptr<Server>, std::string> Start(ServerOptions options,
                                                                   Router& router, EventHub& hub);
  // Stops (if not yet stopped) and closes every connection.
  ~Server();

  // The port actually bound.
  unsigned short port() const;

  // Stops accepting new connections; open ones keep being served.
  void StopAccepting();

  // Blocks until SIGTERM or SIGINT arrives.
  void WaitForSignal();

  // Stops the I/O threads: nothing more is read, written or routed. Handlers
  // posted afterwards (by the hub or the command path) wait harmlessly until
  // the server is destroyed, which closes every connection.
  void Stop();

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace mentorlog::http
