#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace mentorlog::testing {

// A blocking HTTP/1.1 client on one keep-alive connection to 127.0.0.1 (Beast).
class HttpClient {
 public:
  struct Reply {
    unsigned status = 0;
    std::string content_type;
    std::string body;
    nlohmann::json Json() const { return nlohmann::json::parse(body, nullptr, false); }
  };

  explicit HttpClient(unsigned short port);
  ~HttpClient();

  Reply Get(const std::string& target, const std::string& token = "");
  Reply Post(const std::string& target, const std::string& body, const std::string& token = "",
             std::map<std::string, std::string> headers = {});
  Reply Send(const std::string& method, const std::string& target, const std::string& body,
             std::map<std::string, std::string> headers);

  // Writes raw bytes and reads whatever comes back until the peer closes or
  // `timeout` passes (for malformed and hostile requests).
  std::string Raw(const std::string& bytes, std::chrono::milliseconds timeout);

  // True when the server closed the connection (a read returns EOF or reset).
  bool ClosedByPeer(std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A blocking WebSocket client for /v1/ws.
class WebSocketClient {
 public:
  // Connects with `token` in the Authorization header (or `?access_token=` when
  // `in_query`). Throws on a refused handshake, with the HTTP status in what().
  WebSocketClient(unsigned short port, const std::string& token, bool in_query = false);
  ~WebSocketClient();

  void Send(const nlohmann::json& message);
  // The next message, or nullopt after `timeout` or when closed.
  std::optional<nlohmann::json> Receive(std::chrono::milliseconds timeout);
  // The close code the server sent, once closed.
  std::optional<int> CloseCode() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mentorlog::testing
