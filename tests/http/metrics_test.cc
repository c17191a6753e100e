// The histograms behind GET /metrics and their Prometheus text.

#include "http/metrics.h"

#include <gtest/gtest.h>

#include <array>

namespace mentorlog::http {
namespace {

constexpr std::array<double, 3> kBounds = {1, 2.5, 4};

TEST(HistogramTest, EachValueCountsInTheFirstBucketWhoseBoundHoldsIt) {
  store::Histogram h(kBounds);
  for (const double v : {0.5, 1.0, 1.1, 4.0, 4.5, 100.0}) h.Observe(v);
  EXPECT_EQ(h.counts(), (std::vector<std::uint64_t>{2, 1, 1, 2}));
  EXPECT_EQ(h.count(), 6u);
  EXPECT_DOUBLE_EQ(h.sum(), 111.1);
}

TEST(HistogramTest, RendersCumulativeBucketsSumAndCount) {
  store::Histogram h(kBounds);
  for (const double v : {0.5, 3.0, 9.0}) h.Observe(v);
  std::string out = "before\n";
  AppendHistogram(out, "x_seconds", "route=\"/a\"", h);
  EXPECT_EQ(out,
            "before\n"
            "x_seconds_bucket{route=\"/a\",le=\"1\"} 1\n"
            "x_seconds_bucket{route=\"/a\",le=\"2.5\"} 1\n"
            "x_seconds_bucket{route=\"/a\",le=\"4\"} 2\n"
            "x_seconds_bucket{route=\"/a\",le=\"+Inf\"} 3\n"
            "x_seconds_sum{route=\"/a\"} 12.500000\n"
            "x_seconds_count{route=\"/a\"} 3\n");
  std::string bare;
  AppendHistogram(bare, "n", "", store::Histogram(kBounds));
  EXPECT_EQ(bare,
            "n_bucket{le=\"1\"} 0\nn_bucket{le=\"2.5\"} 0\nn_bucket{le=\"4\"} 0\n"
            "n_bucket{le=\"+Inf\"} 0\nn_sum 0.000000\nn_count 0\n");
}

TEST(MetricsTest, RequestLatencyIsAHistogramPerRoute) {
  Metrics metrics;
  metrics.ObserveRequest("/healthz", 200, std::chrono::microseconds(300));
  metrics.ObserveRequest("/healthz", 503, std::chrono::microseconds(30'000));
  const std::string out = metrics.Render();
  EXPECT_NE(out.find("mentorlog_http_requests_total{route=\"/healthz\",status=\"503\"} 1\n"),
            std::string::npos);
  EXPECT_NE(out.find("mentorlog_http_request_duration_seconds_bucket{route=\"/healthz\",le="
                     "\"0.0005\"} 1\n"),
            std::string::npos);
  EXPECT_NE(out.find("mentorlog_http_request_duration_seconds_bucket{route=\"/healthz\",le="
                     "\"0.05\"} 2\n"),
            std::string::npos);
  EXPECT_NE(out.find("mentorlog_http_request_duration_seconds_count{route=\"/healthz\"} 2\n"),
            std::string::npos);
}

}  // namespace
}  // namespace mentorlog::http
