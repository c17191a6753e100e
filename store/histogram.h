#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace mentorlog::store {

// Bucket bounds for latencies, in seconds: 100 µs to 2.5 s.
inline constexpr std::array<double, 12> kLatencyBounds = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5};

// Counts of observed values by bucket, with their count and sum: what a
// Prometheus histogram exposes (http/metrics.h renders it). Not thread-safe.
class Histogram {
 public:
  // `bounds`: the buckets' upper bounds, ascending, in storage that outlives
  // the histogram; a last bucket holds the values above every bound.
  explicit Histogram(std::span<const double> bounds)
      : bounds_(bounds), counts_(bounds.size() + 1) {}

  void Observe(double value) {
    const auto bucket = std::ranges::lower_bound(bounds_, value) - bounds_.begin();
    ++counts_[static_cast<std::size_t>(bucket)];
    ++count_;
    sum_ += value;
  }

  std::span<const double> bounds() const { return bounds_; }
  // Observations in bucket i: above bounds()[i - 1], at most bounds()[i].
  const std::vector<std::uint64_t>& counts() const { return counts_; }
  std::uint64_t count() const { return count_; }
  double sum() const { return sum_; }

 private:
  std::span<const double> bounds_;
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

}  // namespace mentorlog::store
