// WebSocket fan-out: N subscribers on one filter (a student's events, as a
// mentor's screen would subscribe), one writer appending ScheduleMeeting for
// that student at a steady rate. For each event it measures the time from the
// writer's acknowledgement (the event is durable: committed) to the moment the
// last of the N subscribers has it, and checks every subscriber got every
// event exactly once and in order.
//
//   ws_fanout --port P --secret S [--subscribers 1000] [--events 200] [--rate 50]
//
// Prints one JSON line with p50/p99/max of commit → last delivery (µs) and of
// send → last delivery, which includes the fsync.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "benchmarks/http/bench_token.h"
#include "events/time.h"
#include "http/net.h"  // Asio and Beast, <utility> first (Boost 1.74)

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  unsigned short port = 8080;
  std::string secret;
  int subscribers = 1000;
  int events = 200;
  int rate = 50;  // events per second from the writer
};

// One blocking keep-alive HTTP connection (set-up and the writer).
class HttpConnection {
 public:
  explicit HttpConnection(unsigned short port) : stream_(ioc_) {
    stream_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  }
  json Post(const std::string& target, const std::string& token, const json& body) {
    bhttp::request<bhttp::string_body> req(bhttp::verb::post, target, 11);
    req.set(bhttp::field::host, "127.0.0.1");
    req.set(bhttp::field::authorization, "Bearer " + token);
    req.set(bhttp::field::content_type, "application/json");
    req.body() = body.dump();
    req.prepare_payload();
    bhttp::write(stream_, req);
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream_, buffer_, res);
    if (res.result_int() != 200) {
      throw std::runtime_error(target + " answered " + std::to_string(res.result_int()) + ": " +
                               res.body());
    }
    return json::parse(res.body());
  }

 private:
  net::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

// What all subscribers saw, by position: how many have it and when the last did.
struct Deliveries {
  std::mutex mutex;
  std::map<std::uint64_t, std::pair<int, Clock::time_point>> by_position;
  std::atomic<int> caught_up{0};
  std::atomic<long> out_of_order{0};

  void Record(std::uint64_t position) {
    const auto now = Clock::now();
    std::lock_guard lock(mutex);
    auto& [count, last] = by_position[position];
    ++count;
    last = now;
  }
};

// One subscriber: reads frames asynchronously on the shared io_context and
// records each event's position (found without parsing the whole envelope,
// so the client's own cost does not hide the server's).
class Subscriber : public std::enable_shared_from_this<Subscriber> {
 public:
  Subscriber(net::io_context& ioc, Deliveries& deliveries) : ws_(ioc), deliveries_(deliveries) {}

  void Open(unsigned short port, const std::string& token, std::uint64_t after) {
    beast::get_lowest_layer(ws_).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    ws_.set_option(websocket::stream_base::decorator([&token](websocket::request_type& req) {
      req.set(bhttp::field::authorization, "Bearer " + token);
    }));
    ws_.handshake("127.0.0.1", "/v1/ws");
    ws_.write(net::buffer(json{
        {"op", "subscribe"}, {"id", "s"}, {"after", after}, {"filter", {{"student_id", "S-fan"}}}}
                              .dump()));
    cursor_ = after;
  }

  void Read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;  // closed at the end, or cut: counts will show it
      self->OnMessage(beast::buffers_to_string(self->buffer_.data()));
      self->buffer_.consume(self->buffer_.size());
      self->Read();
    });
  }

  void Close() {
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

 private:
  void OnMessage(const std::string& text) {
    if (text.starts_with("{\"op\":\"caught_up\"")) {
      ++deliveries_.caught_up;
      return;
    }
    if (!text.starts_with("{\"op\":\"event\"")) return;
    // In the canonical envelope no key after "position" contains that word.
    const auto at = text.rfind("\"position\":");
    if (at == std::string::npos) return;
    const std::uint64_t position = std::stoull(text.substr(at + 11));
    if (position <= cursor_) ++deliveries_.out_of_order;
    cursor_ = position;
    deliveries_.Record(position);
  }

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  Deliveries& deliveries_;
  std::uint64_t cursor_ = 0;
};

std::uint32_t Percentile(std::vector<std::uint32_t> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--port") o.port = static_cast<unsigned short>(std::stoi(value));
    if (flag == "--secret") o.secret = value;
    if (flag == "--subscribers") o.subscribers = std::stoi(value);
    if (flag == "--events") o.events = std::stoi(value);
    if (flag == "--rate") o.rate = std::stoi(value);
  }
  const std::string admin = mentorlog::bench::Token(o.secret, "A-fan", "admin");
  const std::string mentor = mentorlog::bench::Token(o.secret, "M-fan", "mentor");
  HttpConnection writer(o.port);
  writer.Post("/v1/commands/RegisterMentor", admin,
              {{"mentor_id", "M-fan"}, {"name", "Fan"}, {"department", "FAN"}});
  writer.Post(
      "/v1/commands/EnrollStudent", admin,
      {{"student_id", "S-fan"}, {"roll_number", "RFAN"}, {"name", "Fan"}, {"department", "FAN"}});
  const auto head = writer
                        .Post("/v1/commands/AssignMentor", admin,
                              {{"student_id", "S-fan"}, {"mentor_id", "M-fan"}})["position"]
                        .get<std::uint64_t>();

  // Subscribers on two reader threads (the generator shares the machine's two
  // cores with the server).
  net::io_context ioc;
  Deliveries deliveries;
  std::vector<std::shared_ptr<Subscriber>> subscribers;
  for (int i = 0; i < o.subscribers; ++i) {
    subscribers.push_back(std::make_shared<Subscriber>(ioc, deliveries));
    subscribers.back()->Open(o.port, mentor, head);
    subscribers.back()->Read();
  }
  auto guard = net::make_work_guard(ioc);
  std::vector<std::thread> readers;
  for (int i = 0; i < 2; ++i) readers.emplace_back([&ioc] { ioc.run(); });
  // Bounded, so a subscription that never catches up fails the run instead of
  // hanging it.
  const auto caught_up_by = Clock::now() + std::chrono::seconds(30);
  while (deliveries.caught_up.load() < o.subscribers) {
    if (Clock::now() > caught_up_by) {
      std::fprintf(stderr, "only %d of %d subscribers caught up within 30 s\n",
                   deliveries.caught_up.load(), o.subscribers);
      ioc.stop();
      for (auto& t : readers) t.join();
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  // The writer: one ScheduleMeeting per tick, each an hour apart in time.
  std::map<std::uint64_t, std::pair<Clock::time_point, Clock::time_point>> sent;  // send, ack
  const auto base = *mentorlog::events::ParseTime("2031-01-01T00:00:00Z");
  const auto tick = std::chrono::microseconds(1'000'000 / std::max(1, o.rate));
  auto next = Clock::now();
  for (int k = 0; k < o.events; ++k) {
    std::this_thread::sleep_until(next);
    next += tick;
    const auto start_ms = base + static_cast<std::int64_t>(k) * 3'600'000;
    const auto t_send = Clock::now();
    const auto reply = writer.Post("/v1/commands/ScheduleMeeting", mentor,
                                   {{"meeting_id", "MT-fan-" + std::to_string(k)},
                                    {"mentor_id", "M-fan"},
                                    {"student_ids", {"S-fan"}},
                                    {"title", "Office hours"},
                                    {"mode", "online"},
                                    {"start", mentorlog::events::FormatTime(start_ms)},
                                    {"end", mentorlog::events::FormatTime(start_ms + 1'800'000)}});
    sent[reply["position"].get<std::uint64_t>()] = {t_send, Clock::now()};
  }
  // Let the last deliveries arrive.
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  auto complete = [&] {
    std::lock_guard lock(deliveries.mutex);
    for (const auto& [position, times] : sent) {
      auto it = deliveries.by_position.find(position);
      if (it == deliveries.by_position.end() || it->second.first < o.subscribers) return false;
    }
    return true;
  };
  while (!complete() && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (auto& s : subscribers) net::post(ioc, [s] { s->Close(); });
  guard.reset();
  ioc.stop();
  for (auto& t : readers) t.join();

  std::vector<std::uint32_t> from_commit, from_send;
  long missing = 0, extra = 0;
  {
    std::lock_guard lock(deliveries.mutex);
    for (const auto& [position, times] : sent) {
      auto it = deliveries.by_position.find(position);
      const int got = it == deliveries.by_position.end() ? 0 : it->second.first;
      if (got < o.subscribers) missing += o.subscribers - got;
      if (got > o.subscribers) extra += got - o.subscribers;
      if (got == 0) continue;
      const auto us = [](Clock::duration d) {
        return static_cast<std::uint32_t>(
            std::max<long>(0, std::chrono::duration_cast<std::chrono::microseconds>(d).count()));
      };
      from_commit.push_back(us(it->second.second - times.second));
      from_send.push_back(us(it->second.second - times.first));
    }
  }
  std::printf(
      "{\"subscribers\":%d,\"events\":%d,\"rate\":%d,\"missing\":%ld,\"duplicates\":%ld,"
      "\"out_of_order\":%ld,\"commit_to_last_p50_us\":%u,\"commit_to_last_p99_us\":%u,"
      "\"commit_to_last_max_us\":%u,\"send_to_last_p50_us\":%u,\"send_to_last_p99_us\":%u}\n",
      o.subscribers, o.events, o.rate, missing, extra, deliveries.out_of_order.load(),
      Percentile(from_commit, 0.5), Percentile(from_commit, 0.99), Percentile(from_commit, 1.0),
      Percentile(from_send, 0.5), Percentile(from_send, 0.99));
  return missing == 0 && extra == 0 && deliveries.out_of_order.load() == 0 ? 0 : 1;
}
