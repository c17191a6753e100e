#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "store/histogram.h"

namespace mentorlog::http {

// Appends `histogram` as the Prometheus text lines of histogram `name`
// (cumulative `_bucket` lines up to le="+Inf", `_sum`, `_count`), each with
// `labels` (`route="/healthz"`, or empty) before `le`. No HELP or TYPE line.
void AppendHistogram(std::string& out, std::string_view name, std::string_view labels,
                     const store::Histogram& histogram);

// Counters and histograms for GET /metrics, rendered in the Prometheus text
// format. Thread-safe.
class Metrics {
 public:
  // One finished request: `route` is the route pattern ("/v1/views/{view}"),
  // never the raw target, so the label set stays small.
  void ObserveRequest(std::string_view route, unsigned status, std::chrono::microseconds latency);

  void WebSocketOpened() { ++websocket_clients_; }
  void WebSocketClosed() { --websocket_clients_; }
  void SlowConsumerCut() { ++slow_consumers_cut_; }

  // Adds lines of other components (store, projections) to every rendering.
  // Register at start-up, before serving.
  void AddCollector(std::function<void(std::string& out)> collect);

  // The whole exposition, text/plain; version=0.0.4.
  std::string Render() const;

 private:
  struct RouteStats {
    std::map<unsigned, std::uint64_t> by_status;
    store::Histogram latency{store::kLatencyBounds};  // seconds
  };

  mutable std::mutex mu_;
  std::map<std::string, RouteStats, std::less<>> routes_;
  std::vector<std::function<void(std::string&)>> collectors_;
  std::atomic<std::int64_t> websocket_clients_{0};
  std::atomic<std::uint64_t> slow_consumers_cut_{0};
};

}  // namespace mentorlog::http
