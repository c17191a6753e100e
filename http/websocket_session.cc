#include "http/websocket_session.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace mentorlog::http {
namespace {

using nlohmann::json;

// Records read from the log per step of a subscription's history.
constexpr std::size_t kHistoryChunk = 256;
// How long view changes are gathered before one push.
constexpr std::chrono::milliseconds kWatchCoalesce{5};

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

WebSocketSession::WebSocketSession(Socket&& socket, SessionContext& context,
                                   std::unique_ptr<ConnectionSlot> slot, events::Actor actor)
    : ws_(std::move(socket)),
      cut_timer_(ws_.get_executor()),
      context_(context),
      slot_(std::move(slot)),
      actor_(std::move(actor)) {}

WebSocketSession::~WebSocketSession() {
  if (opened_ && context_.router.services().metrics) {
    context_.router.services().metrics->WebSocketClosed();
  }
}

void WebSocketSession::Run(bhttp::request<bhttp::string_body> request) {
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.read_message_max(context_.options.websocket_max_message_bytes);
  ws_.async_accept(request,
                   beast::bind_front_handler(&WebSocketSession::OnAccept, shared_from_this()));
}

void WebSocketSession::OnAccept(beast::error_code ec) {
  if (ec) return;
  opened_ = true;
  if (context_.router.services().metrics) context_.router.services().metrics->WebSocketOpened();
  // Join before any history is read, so nothing committed from now on is missed.
  context_.hub.Join(weak_from_this());
  DoRead();
}

void WebSocketSession::DoRead() {
  ws_.async_read(buffer_, beast::bind_front_handler(&WebSocketSession::OnRead, shared_from_this()));
}

void WebSocketSession::OnRead(beast::error_code ec, std::size_t) {
  if (ec) {
    closing_ = true;
    return;
  }
  const std::string text = beast::buffers_to_string(buffer_.data());
  buffer_.consume(buffer_.size());
  HandleMessage(text);
  if (!closing_) DoRead();
}

void WebSocketSession::HandleMessage(const std::string& text) {
  auto message = ParseClientMessage(text);
  if (!message) {
    return SendError(message.error().id, message.error().code, message.error().message);
  }
  const std::string& id = message->id;
  if (message->op == ClientMessage::Op::kUnsubscribe) {
    subs_.erase(id);
    return;
  }
  if (subs_.contains(id)) return SendError(id, "conflict", "a subscription with this id is open");
  if (subs_.size() >= 64)
    return SendError(id, "conflict", "at most 64 subscriptions per connection");
  if (message->op == ClientMessage::Op::kSubscribe) return Subscribe(std::move(*message));
  Watch(std::move(*message));
}

void WebSocketSession::Subscribe(ClientMessage message) {
  const std::string& id = message.id;
  Subscription sub;
  sub.id = id;
  sub.event_prefix = "{\"op\":\"event\",\"sub\":" + json(id).dump() + ",\"event\":";
  sub.cursor = message.after;
  sub.stream = std::move(message.stream);
  sub.student_id = std::move(message.student_id);
  sub.mentor_id = std::move(message.mentor_id);
  sub.types = std::move(message.types);
  // A filter naming what the token may not read is refused (API.md); an open
  // filter is narrowed to what the token may read.
  const Audience& audience = *context_.router.services().audience;
  const bool everything = actor_.role == "admin" || actor_.role == "auditor";
  if (!everything) {
    bool allowed = true;
    if (actor_.role == "mentee") {
      allowed = sub.mentor_id.empty() && (sub.student_id.empty() || sub.student_id == actor_.id);
      if (sub.student_id.empty()) sub.student_id = actor_.id;
    } else {
      allowed = (sub.mentor_id.empty() || sub.mentor_id == actor_.id) &&
                (sub.student_id.empty() || audience.MentorOf(sub.student_id) == actor_.id);
      if (sub.student_id.empty() && sub.mentor_id.empty() && sub.stream.empty()) {
        sub.mentor_id = actor_.id;
      }
    }
    if (!sub.stream.empty()) allowed = allowed && audience.MayReadStream(actor_, sub.stream);
    if (!allowed)
      return SendError(id, "forbidden", "this token may not read what the filter names");
  }
  subs_.emplace(id, std::move(sub));
  PumpHistory();
}

void WebSocketSession::Watch(ClientMessage message) {
  const std::string& id = message.id;
  Subscription sub;
  sub.id = id;
  sub.watch = true;
  sub.loading = false;
  sub.view.view = std::move(message.view);
  sub.view.key = std::move(message.key);
  sub.view.params = std::move(message.params);
  sub.view.reader = actor_;
  subs_.emplace(id, std::move(sub));
  PushView(id);
}

void WebSocketSession::PushView(const std::string& id) {
  const auto it = subs_.find(id);
  if (it == subs_.end() || closing_) return;
  Subscription& sub = it->second;
  sub.push_scheduled = false;
  const Services& services = context_.router.services();
  if (!services.views) return SendError(id, "unavailable", "views are not loaded");
  sub.view.now = services.clock();
  const auto result = services.views->Query(sub.view);
  if (!result) {
    SendError(id, result.error().code, result.error().message);
    subs_.erase(it);
    return;
  }
  std::string data = result->data.dump();
  if (data == sub.last_sent) return;
  std::string out = "{\"op\":\"view\",\"sub\":" + json(id).dump() +
                    ",\"position\":" + std::to_string(result->position) + ",\"data\":" + data + "}";
  sub.last_sent = std::move(data);
  Send(std::move(out));
}

void WebSocketSession::OnViewsAdvanced(std::uint64_t) {
  net::post(ws_.get_executor(), [self = shared_from_this()] {
    for (auto& [id, sub] : self->subs_) {
      if (!sub.watch || sub.push_scheduled) continue;
      sub.push_scheduled = true;
      // Coalesce: one push per view per few milliseconds, always of the latest state.
      auto timer = std::make_shared<net::steady_timer>(self->ws_.get_executor(), kWatchCoalesce);
      timer->async_wait([self, timer, id = id](beast::error_code) { self->PushView(id); });
    }
  });
}

void WebSocketSession::OnCommitted(PublishedBatch batch) {
  net::post(ws_.get_executor(), [self = shared_from_this(), batch = std::move(batch)] {
    // Send may cut the client, which clears subs_: stop iterating at once then.
    for (auto& [id, sub] : self->subs_) {
      if (self->closing_) return;
      if (sub.watch) continue;
      if (sub.loading) {
        // A subscription whose history is stalled behind a client that does not
        // read may not hoard live events without bound either.
        sub.pending_events += batch->size();
        if (sub.pending_events > self->context_.options.websocket_queue_messages) {
          return self->CutSlowConsumer();
        }
        sub.pending.push_back(batch);
      } else {
        self->Deliver(sub, batch);
      }
    }
  });
}

bool WebSocketSession::InFilter(const Subscription& sub, const events::Envelope& e) {
  return (sub.stream.empty() || e.stream == sub.stream) &&
         (sub.types.empty() || Contains(sub.types, e.type));
}

bool WebSocketSession::Readable(const Subscription& sub, const Audience::People& readers) const {
  if (!sub.student_id.empty() && !Contains(readers.students, sub.student_id)) return false;
  if (!sub.mentor_id.empty() && !Contains(readers.mentors, sub.mentor_id)) return false;
  return Audience::MayRead(actor_, readers);
}

void WebSocketSession::Deliver(Subscription& sub, const PublishedBatch& batch) {
  for (const auto& published : *batch) {
    if (published.envelope.position <= sub.cursor) continue;  // already sent from history
    sub.cursor = published.envelope.position;
    if (!InFilter(sub, published.envelope) || !Readable(sub, published.readers)) continue;
    SendEvent(sub, published.json);
    if (closing_) return;  // the client was cut and `sub` is gone
  }
}

void WebSocketSession::PumpHistory() {
  const Services& services = context_.router.services();
  const Audience& audience = *services.audience;
  bool more = false;
  for (auto& [id, sub] : subs_) {
    if (!sub.loading || closing_) continue;
    if (queue_.size() > context_.options.websocket_queue_messages / 2)
      return;  // resumes in OnWrite
    // Only what the hub has already fanned out (and the Audience has seen);
    // anything later reaches this session live.
    const std::uint64_t limit = context_.hub.Position();
    std::size_t read = 0;
    bool bad = false;
    const auto scanned = services.store->ScanRecords(
        sub.cursor, [&](std::uint64_t position, std::string_view record) {
          if (position > limit || read >= kHistoryChunk) return false;
          ++read;
          auto e = events::DecodeRecord(record, events::DataForm::kText);
          if (!e) {
            bad = true;
            return false;
          }
          sub.cursor = position;
          // The Audience only for what the stream and type filters let through.
          if (InFilter(sub, *e) && Readable(sub, audience.ReadersOf(*e))) {
            SendEvent(sub, record);
          }
          return !closing_;  // a cut client's subscriptions are gone
        });
    if (closing_) return;
    if (!scanned || bad) {
      SendError(id, "unavailable", "the log could not be read");
      if (closing_) return;
      sub.loading = false;
      continue;
    }
    if (read == kHistoryChunk) {
      more = true;
      continue;
    }
    // Caught up: hand over to the live batches gathered meanwhile.
    sub.loading = false;
    for (const auto& batch : sub.pending) {
      Deliver(sub, batch);
      if (closing_) return;
    }
    sub.pending.clear();
    sub.pending_events = 0;
    Send("{\"op\":\"caught_up\",\"sub\":" + json(sub.id).dump() +
         ",\"position\":" + std::to_string(sub.cursor) + "}");
    if (closing_) return;
  }
  if (more) {
    net::post(ws_.get_executor(), [self = shared_from_this()] { self->PumpHistory(); });
  }
}

void WebSocketSession::SendError(const std::string& sub, std::string_view code,
                                 std::string_view message) {
  json out = {{"op", "error"}, {"error", {{"code", code}, {"message", message}}}};
  if (!sub.empty()) out["sub"] = sub;
  Send(out.dump());
}

void WebSocketSession::SendEvent(const Subscription& sub, std::string_view record) {
  // One allocation per message (a subscriber's copy of the event's JSON).
  std::string message;
  message.reserve(sub.event_prefix.size() + record.size() + 1);
  message += sub.event_prefix;
  message += record;
  message.push_back('}');
  Send(std::move(message));
}

void WebSocketSession::Send(std::string message) {
  if (closing_) return;
  if (queue_.size() >= context_.options.websocket_queue_messages) return CutSlowConsumer();
  queue_.push_back(std::move(message));
  if (queue_.size() == 1) DoWrite();
}

void WebSocketSession::DoWrite() {
  ws_.text(true);
  ws_.async_write(net::buffer(queue_.front()),
                  beast::bind_front_handler(&WebSocketSession::OnWrite, shared_from_this()));
}

void WebSocketSession::OnWrite(beast::error_code ec, std::size_t) {
  if (ec) {
    closing_ = true;
    queue_.clear();
    return;
  }
  queue_.pop_front();
  if (cut_) {
    // The write that was in flight when the client was cut has gone out: now
    // the close frame can.
    queue_.clear();
    return ws_.async_close(
        websocket::close_reason(websocket::close_code::policy_error, "too slow"),
        [self = shared_from_this()](beast::error_code) { self->cut_timer_.cancel(); });
  }
  if (!queue_.empty()) DoWrite();
  if (queue_.size() < context_.options.websocket_queue_messages / 4) {
    for (const auto& [id, sub] : subs_) {
      if (sub.loading) return PumpHistory();
    }
  }
}

void WebSocketSession::CutSlowConsumer() {
  closing_ = true;
  cut_ = true;
  subs_.clear();
  if (context_.router.services().metrics) context_.router.services().metrics->SlowConsumerCut();
  spdlog::warn("websocket client {} fell behind; closing with 1008", actor_.id);
  if (queue_.empty()) {
    return ws_.async_close(websocket::close_reason(websocket::close_code::policy_error, "too slow"),
                           [self = shared_from_this()](beast::error_code) {});
  }
  // A write is in flight. If the client does not take it within the grace
  // period it is not reading at all: drop the connection.
  cut_timer_.expires_after(std::chrono::seconds(2));
  cut_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec) return;  // cancelled: the close went out
    beast::error_code ignored;
    beast::get_lowest_layer(self->ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(self->ws_).socket().close(ignored);
  });
}

}  // namespace mentorlog::http
