#include "http/metrics.h"

#include <cstdio>

namespace mentorlog::http {

void Metrics::ObserveRequest(std::string_view route, unsigned status,
                             std::chrono::microseconds latency) {
  const double seconds = static_cast<double>(latency.count()) / 1e6;
  std::lock_guard lock(mu_);
  auto it = routes_.find(route);
  if (it == routes_.end()) it = routes_.emplace(std::string(route), RouteStats{}).first;
  RouteStats& stats = it->second;
  ++stats.by_status[status];
  ++stats.count;
  stats.sum_seconds += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++stats.buckets[i];
  }
}

void Metrics::AddCollector(std::function<void(std::string& out)> collect) {
  std::lock_guard lock(mu_);
  collectors_.push_back(std::move(collect));
}

std::string Metrics::Render() const {
  std::string out;
  char line[512];
  std::lock_guard lock(mu_);
  out += "# HELP mentorlog_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE mentorlog_http_requests_total counter\n";
  for (const auto& [route, stats] : routes_) {
    for (const auto& [status, count] : stats.by_status) {
      std::snprintf(line, sizeof line,
                    "mentorlog_http_requests_total{route=\"%s\",status=\"%u\"} %llu\n",
                    route.c_str(), status, static_cast<unsigned long long>(count));
      out += line;
    }
  }
  out += "# HELP mentorlog_http_request_duration_seconds HTTP request latency by route.\n";
  out += "# TYPE mentorlog_http_request_duration_seconds histogram\n";
  for (const auto& [route, stats] : routes_) {
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      std::snprintf(line, sizeof line,
                    "mentorlog_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                    route.c_str(), kBuckets[i], static_cast<unsigned long long>(stats.buckets[i]));
      out += line;
    }
    std::snprintf(line, sizeof line,
                  "mentorlog_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
                  "mentorlog_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                  "mentorlog_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                  route.c_str(), static_cast<unsigned long long>(stats.count), route.c_str(),
                  stats.sum_seconds, route.c_str(), static_cast<unsigned long long>(stats.count));
    out += line;
  }
  std::snprintf(
      line, sizeof line,
      "# HELP mentorlog_websocket_clients Open WebSocket connections.\n"
      "# TYPE mentorlog_websocket_clients gauge\n"
      "mentorlog_websocket_clients %lld\n"
      "# HELP mentorlog_websocket_slow_consumers_cut_total Clients closed for falling behind.\n"
      "# TYPE mentorlog_websocket_slow_consumers_cut_total counter\n"
      "mentorlog_websocket_slow_consumers_cut_total %llu\n",
      static_cast<long long>(websocket_clients_.load()),
      static_cast<unsigned long long>(slow_consumers_cut_.load()));
  out += line;
  for (const auto& collect : collectors_) collect(out);
  return out;
}

}  // namespace mentorlog::http
