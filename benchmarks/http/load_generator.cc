// Closed-loop HTTP load generator for mentorlog (Beast, one keep-alive
// connection per thread). Each connection acts as its own mentor with its own
// student, so every command it sends is valid and durable: a realistic mix of
// ScheduleMeeting (back-dated, so it can be observed), RecordObservation,
// RecordAttendance, RequestLeave + ApproveLeave and view reads.
//
//   load_generator --port P --secret S --connections N --seconds T [--mix commands|views|hello]
//                  [--rate R]
//
// Without --rate each connection sends its next request as soon as the last is
// answered (closed loop, the maximum rate). With --rate R the connections
// together send R requests/s on a fixed schedule, and a request's latency runs
// from when the schedule said to send it, so time spent behind schedule
// counts (no coordinated omission).
//
// Prints one JSON line: requests/s, commands/s and latency percentiles (µs).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
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
using tcp = boost::asio::ip::tcp;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  unsigned short port = 8080;
  std::string secret;
  int connections = 16;
  int seconds = 10;
  std::string mix = "commands";
  std::string run_id = "R";
  double rate = 0;  // requests/s over all connections; 0: closed loop
};

class Connection {
 public:
  explicit Connection(unsigned short port) : stream_(ioc_) {
    stream_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  }
  unsigned Send(bhttp::verb verb, const std::string& target, const std::string& token,
                const std::string& body = "") {
    bhttp::request<bhttp::string_body> req(verb, target, 11);
    req.set(bhttp::field::host, "127.0.0.1");
    if (!token.empty()) req.set(bhttp::field::authorization, "Bearer " + token);
    if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    bhttp::write(stream_, req);
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream_, buffer_, res);
    last_body_ = std::move(res.body());
    return res.result_int();
  }
  const std::string& body() const { return last_body_; }

 private:
  net::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string last_body_;
};

struct Result {
  std::vector<std::uint32_t> latencies_us;
  std::uint64_t commands = 0;
  std::uint64_t errors = 0;
};

void Worker(const Options& o, int index, Clock::time_point start, Clock::time_point stop,
            Result& result) {
  Connection c(o.port);
  const std::string admin = mentorlog::bench::Token(o.secret, "A-load", "admin");
  const std::string id = o.run_id + "-" + std::to_string(index);
  const std::string mentor_id = "M-" + id;
  const std::string student_id = "S-" + id;
  const std::string mentor = mentorlog::bench::Token(o.secret, mentor_id, "mentor");
  if (o.mix != "hello") {
    // Set-up, not measured: this connection's mentor and student.
    c.Send(
        bhttp::verb::post, "/v1/commands/RegisterMentor", admin,
        json{{"mentor_id", mentor_id}, {"name", "Load"}, {"department", "LOAD"}, {"max_mentees", 5}}
            .dump());
    c.Send(bhttp::verb::post, "/v1/commands/EnrollStudent", admin,
           json{{"student_id", student_id},
                {"roll_number", "R" + id},
                {"name", "Load"},
                {"department", "LOAD"}}
               .dump());
    c.Send(bhttp::verb::post, "/v1/commands/AssignMentor", admin,
           json{{"student_id", student_id}, {"mentor_id", mentor_id}}.dump());
  }
  std::this_thread::sleep_until(start);
  // With --rate: this connection's n-th request is due at start + offset + n * interval.
  const auto interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(o.rate > 0 ? o.connections / o.rate : 0));
  Clock::time_point due = start + interval * index / o.connections;
  const mentorlog::events::TimeMs base = *mentorlog::events::ParseTime("2020-01-01T00:00:00Z");
  for (std::int64_t k = 0; Clock::now() < stop; ++k) {
    std::vector<std::pair<std::string, std::string>> steps;  // target, body ("" = GET)
    if (o.mix == "hello") {
      steps = {{"/healthz", ""}};
    } else if (o.mix == "views") {
      steps = {{"/v1/views/my-mentees", ""}, {"/v1/views/attendance/" + student_id, ""}};
    } else {
      const std::string meeting = "MT-" + id + "-" + std::to_string(k);
      const std::string leave = "L-" + id + "-" + std::to_string(k);
      const auto start_ms = base + k * 3'600'000;  // one hour apart, in the past
      const std::string day =
          mentorlog::events::FormatDate(static_cast<mentorlog::events::Days>(18'000 + k / 24));
      const std::string leave_day = mentorlog::events::FormatDate(
          static_cast<mentorlog::events::Days>(30'000 + k));  // distinct future dates
      steps = {
          {"/v1/commands/ScheduleMeeting",
           json{{"meeting_id", meeting},
                {"mentor_id", mentor_id},
                {"student_ids", {student_id}},
                {"title", "Weekly sync"},
                {"mode", "online"},
                {"start", mentorlog::events::FormatTime(start_ms)},
                {"end", mentorlog::events::FormatTime(start_ms + 1'800'000)}}
               .dump()},
          {"/v1/commands/RecordObservation", json{{"meeting_id", meeting},
                                                  {"points_for_mentee", "Revise unit 3"},
                                                  {"next_action_items", {"past paper"}},
                                                  {"observations", "steady progress"}}
                                                 .dump()},
          {"/v1/commands/RecordAttendance",
           json{{"course_id", "C-" + id},
                {"date", day},
                {"period", 1 + k % 24},
                {"entries",
                 {{{"student_id", student_id}, {"status", k % 5 ? "present" : "absent"}}}}}
               .dump()},
          {"/v1/commands/RequestLeave", json{{"leave_id", leave},
                                             {"student_id", student_id},
                                             {"kind", "leave"},
                                             {"from_date", leave_day},
                                             {"to_date", leave_day},
                                             {"reason", "family"}}
                                            .dump()},
          {"/v1/commands/ApproveLeave", json{{"leave_id", leave}}.dump()},
          {"/v1/views/my-mentees", ""},
      };
    }
    for (const auto& [target, body] : steps) {
      if (o.rate > 0) {
        if (due >= stop) return;
        std::this_thread::sleep_until(due);
      }
      const auto t0 = o.rate > 0 ? due : Clock::now();
      due += interval;
      const unsigned status = body.empty() ? c.Send(bhttp::verb::get, target, mentor)
                                           : c.Send(bhttp::verb::post, target, mentor, body);
      const auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0);
      result.latencies_us.push_back(static_cast<std::uint32_t>(us.count()));
      if (status != 200) {
        if (++result.errors <= 3)
          std::fprintf(stderr, "%u %s: %s\n", status, target.c_str(), c.body().c_str());
      } else if (!body.empty()) {
        ++result.commands;
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--port") o.port = static_cast<unsigned short>(std::stoi(value));
    if (flag == "--secret") o.secret = value;
    if (flag == "--connections") o.connections = std::stoi(value);
    if (flag == "--seconds") o.seconds = std::stoi(value);
    if (flag == "--mix") o.mix = value;
    if (flag == "--run-id") o.run_id = value;
    if (flag == "--rate") o.rate = std::stod(value);
  }
  std::vector<Result> results(static_cast<size_t>(o.connections));
  std::vector<std::thread> threads;
  const auto start = Clock::now() + std::chrono::milliseconds(500 + 20 * o.connections);
  const auto stop = start + std::chrono::seconds(o.seconds);
  for (int i = 0; i < o.connections; ++i) {
    threads.emplace_back([&, i] { Worker(o, i, start, stop, results[static_cast<size_t>(i)]); });
  }
  for (auto& t : threads) t.join();
  std::vector<std::uint32_t> all;
  std::uint64_t commands = 0, errors = 0;
  for (const auto& r : results) {
    all.insert(all.end(), r.latencies_us.begin(), r.latencies_us.end());
    commands += r.commands;
    errors += r.errors;
  }
  std::sort(all.begin(), all.end());
  const auto pct = [&](double p) {
    return all.empty() ? 0u
                       : all[std::min(all.size() - 1,
                                      static_cast<size_t>(p * static_cast<double>(all.size())))];
  };
  const double seconds = o.seconds;
  std::printf(
      "{\"mix\":\"%s\",\"connections\":%d,\"rate\":%.0f,\"requests_per_s\":%.0f,"
      "\"commands_per_s\":%.0f,\"errors\":%llu,\"p50_us\":%u,\"p99_us\":%u,\"p999_us\":%u}\n",
      o.mix.c_str(), o.connections, o.rate, static_cast<double>(all.size()) / seconds,
      static_cast<double>(commands) / seconds, static_cast<unsigned long long>(errors), pct(0.5),
      pct(0.99), pct(0.999));
  return errors == 0 ? 0 : 1;
}
