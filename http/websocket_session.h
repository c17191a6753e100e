#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http/client_message.h"
#include "http/net.h"
#include "http/session_context.h"

namespace mentorlog::http {

// One WebSocket client on /v1/ws (API.md): `subscribe` to events (history from
// the log, then live, with no gap and no duplicate across the hand-off),
// `watch` a view (pushed again after each change, coalesced), `unsubscribe`.
// Every event and view passes the same read rules as HTTP. The send queue is
// bounded: a client that falls behind is closed with 1008, so the server's
// memory stays flat. All state lives on the connection's strand.
class WebSocketSession : public HubSubscriber,
                         public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(Socket&& socket, SessionContext& context, std::unique_ptr<ConnectionSlot> slot,
                   events::Actor actor);
  ~WebSocketSession() override;

  // Completes the handshake of the upgrade request `request`.
  void Run(bhttp::request<bhttp::string_body> request);

  void OnCommitted(PublishedBatch batch) override;
  void OnViewsAdvanced(std::uint64_t position) override;

 private:
  struct Subscription {
    std::string id;
    bool watch = false;
    // subscribe
    std::string event_prefix;  // {"op":"event","sub":<id>,"event":  (made once)
    std::string stream;
    std::vector<std::string> types;
    std::string student_id;
    std::string mentor_id;
    std::uint64_t cursor = 0;             // the last position considered
    bool loading = true;                  // still sending history
    std::vector<PublishedBatch> pending;  // live batches that arrived while loading
    std::size_t pending_events = 0;
    // watch
    projections::ViewRequest view;
    std::string last_sent;  // the last `data` sent, to skip unchanged pushes
    bool push_scheduled = false;
  };

  void OnAccept(beast::error_code ec);
  void DoRead();
  void OnRead(beast::error_code ec, std::size_t bytes);
  void HandleMessage(const std::string& text);
  void Subscribe(ClientMessage message);
  void Watch(ClientMessage message);
  void PumpHistory();
  void Deliver(Subscription& sub, const PublishedBatch& batch);
  // Sends one event message of `sub` holding `record` (an event's JSON).
  void SendEvent(const Subscription& sub, std::string_view record);
  // Whether `e` passes the subscription's stream and type filters.
  static bool InFilter(const Subscription& sub, const events::Envelope& e);
  // Whether an event read by `readers` (Audience::ReadersOf) passes the
  // subscription's student and mentor filters and the token's read rules.
  bool Readable(const Subscription& sub, const Audience::People& readers) const;
  void PushView(const std::string& id);
  void SendError(const std::string& sub, std::string_view code, std::string_view message);
  void Send(std::string message);
  void DoWrite();
  void OnWrite(beast::error_code ec, std::size_t bytes);
  void CutSlowConsumer();

  websocket::stream<Stream> ws_;
  net::steady_timer cut_timer_;
  beast::flat_buffer buffer_;
  SessionContext& context_;
  std::unique_ptr<ConnectionSlot> slot_;
  events::Actor actor_;
  std::map<std::string, Subscription> subs_;
  std::deque<std::string> queue_;
  bool closing_ = false;  // nothing more is sent
  bool cut_ = false;      // closing because the client fell behind
  bool opened_ = false;
};

}  // namespace mentorlog::http
