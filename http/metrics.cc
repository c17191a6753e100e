#include "http/metrics.h"

#include <cstdio>

namespace mentorlog::http {

void AppendHistogram(std::string& out, std::string_view name, std::string_view labels,
                     const store::Histogram& histogram) {
  const std::string prefix(labels.empty() ? std::string() : std::string(labels) + ",");
  const std::string braces(labels.empty() ? std::string() : "{" + std::string(labels) + "}");
  char number[32];
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= histogram.bounds().size(); ++i) {
    cumulative += histogram.counts()[i];
    const bool last = i == histogram.bounds().size();
    if (!last) std::snprintf(number, sizeof number, "%g", histogram.bounds()[i]);
    out.append(name).append("_bucket{").append(prefix).append("le=\"");
    out.append(last ? "+Inf" : number);
    out.append("\"} ").append(std::to_string(cumulative)).append("\n");
  }
  std::snprintf(number, sizeof number, "%.6f", histogram.sum());
  out.append(name).append("_sum").append(braces).append(" ").append(number).append("\n");
  out.append(name).append("_count").append(braces).append(" ");
  out.append(std::to_string(histogram.count())).append("\n");
}

void Metrics::ObserveRequest(std::string_view route, unsigned status,
                             std::chrono::microseconds latency) {
  std::lock_guard lock(mu_);
  auto it = routes_.find(route);
  if (it == routes_.end()) it = routes_.emplace(std::string(route), RouteStats{}).first;
  RouteStats& stats = it->second;
  ++stats.by_status[status];
  stats.latency.Observe(static_cast<double>(latency.count()) / 1e6);
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
    AppendHistogram(out, "mentorlog_http_request_duration_seconds", "route=\"" + route + "\"",
                    stats.latency);
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
