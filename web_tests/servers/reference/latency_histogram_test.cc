#include "web_tests/servers/reference/latency_histogram.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace switchboard::reference_server {
namespace {

TEST(LatencyHistogramTest, EmptyIsZero) {
  LatencyHistogram histogram;
  EXPECT_EQ(histogram.count(), 0u);
  EXPECT_EQ(histogram.Percentile(50), 0u);
  EXPECT_EQ(histogram.Percentile(99), 0u);
  EXPECT_EQ(histogram.ToJson(),
            R"({"count":0,"p50_ns":0,"p99_ns":0,"mean_ns":0,"min_ns":0,"max_ns":0})");
}

TEST(LatencyHistogramTest, SmallValuesAreExact) {
  LatencyHistogram histogram;
  for (std::uint64_t value = 1; value <= 100; ++value) histogram.Record(value);
  EXPECT_EQ(histogram.Percentile(50), 50u);
  EXPECT_EQ(histogram.Percentile(99), 99u);
  EXPECT_EQ(histogram.Percentile(100), 100u);
  EXPECT_EQ(histogram.Percentile(0), 1u);
}

TEST(LatencyHistogramTest, BucketsCoverEveryValueWithinOnePercent) {
  for (std::uint64_t value :
       {std::uint64_t{128}, std::uint64_t{129}, std::uint64_t{255}, std::uint64_t{256},
        std::uint64_t{50'000}, std::uint64_t{1} << 40, UINT64_MAX}) {
    const std::size_t index = LatencyHistogram::BucketIndex(value);
    const std::uint64_t lower = LatencyHistogram::BucketLowerBound(index);
    const std::uint64_t width = LatencyHistogram::BucketWidth(index);
    EXPECT_LE(lower, value) << value;
    EXPECT_LE(value - lower, width - 1) << value;
    EXPECT_LE(static_cast<double>(width), static_cast<double>(lower) / 100) << value;
  }
  // Buckets are contiguous: each starts where the previous one ends.
  for (std::size_t index = 1; index < 2000; ++index) {
    EXPECT_EQ(
        LatencyHistogram::BucketLowerBound(index),
        LatencyHistogram::BucketLowerBound(index - 1) + LatencyHistogram::BucketWidth(index - 1))
        << index;
  }
}

TEST(LatencyHistogramTest, PercentilesOfMicrosecondRoundTrips) {
  LatencyHistogram histogram;
  // 10,000 values 1 µs .. 10 ms in steps of 1 µs: p50 is 5 ms, p99 9.9 ms.
  for (std::uint64_t step = 1; step <= 10'000; ++step) histogram.Record(step * 1000);
  EXPECT_EQ(histogram.count(), 10'000u);
  EXPECT_NEAR(static_cast<double>(histogram.Percentile(50)), 5'000'000.0, 5'000'000.0 / 100);
  EXPECT_NEAR(static_cast<double>(histogram.Percentile(99)), 9'900'000.0, 9'900'000.0 / 100);
  EXPECT_EQ(histogram.mean(), 5'000'500u);
  EXPECT_EQ(histogram.min(), 1000u);
  EXPECT_EQ(histogram.max(), 10'000'000u);
}

TEST(LatencyHistogramTest, OneOutlierMovesP99OnlyWhenItIsOverOnePercent) {
  LatencyHistogram histogram;
  for (int index = 0; index < 99; ++index) histogram.Record(50'000);
  histogram.Record(5'000'000);
  EXPECT_NEAR(static_cast<double>(histogram.Percentile(99)), 50'000.0, 500.0);
  EXPECT_NEAR(static_cast<double>(histogram.Percentile(100)), 5'000'000.0, 50'000.0);
  histogram.Record(5'000'000);
  EXPECT_NEAR(static_cast<double>(histogram.Percentile(99)), 5'000'000.0, 50'000.0);
}

}  // namespace
}  // namespace switchboard::reference_server
