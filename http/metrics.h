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

namespace mentorlog::http {

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

  // Upper bounds of the latency histogram buckets, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                      0.01,   0.025,   0.05,   0.1,   0.5,    2.5};

 private:
  struct RouteStats {
    std::map<unsigned, std::uint64_t> by_status;
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum_seconds = 0;
  };

  mutable std::mutex mu_;
  std::map<std::string, RouteStats, std::less<>> routes_;
  std::vector<std::function<void(std::string&)>> collectors_;
  std::atomic<std::int64_t> websocket_clients_{0};
  std::atomic<std::uint64_t> slow_consumers_cut_{0};
};

}  // namespace mentorlog::http
