#include "web_tests/servers/reference/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace switchboard::reference_server {

namespace {

constexpr int kSubBucketBits = 7;
constexpr std::uint64_t kSubBuckets = std::uint64_t{1} << kSubBucketBits;  // 128
// Exact buckets 0..127, then 128 per power of two from 2^7 up to 2^63.
constexpr std::size_t kBucketCount = kSubBuckets + (64 - kSubBucketBits) * kSubBuckets;

}  // namespace

LatencyHistogram::LatencyHistogram() : buckets_(kBucketCount, 0) {}

std::size_t LatencyHistogram::BucketIndex(std::uint64_t value) {
  if (value < kSubBuckets) return static_cast<std::size_t>(value);
  const int exponent = 63 - std::countl_zero(value);  // >= kSubBucketBits
  const int shift = exponent - kSubBucketBits;
  const std::uint64_t sub_bucket = (value >> shift) - kSubBuckets;  // 0..127
  return static_cast<std::size_t>(kSubBuckets + static_cast<std::uint64_t>(shift) * kSubBuckets +
                                  sub_bucket);
}

std::uint64_t LatencyHistogram::BucketLowerBound(std::size_t index) {
  if (index < kSubBuckets) return index;
  const std::uint64_t shift = (index - kSubBuckets) / kSubBuckets;
  const std::uint64_t sub_bucket = (index - kSubBuckets) % kSubBuckets;
  return (kSubBuckets + sub_bucket) << shift;
}

std::uint64_t LatencyHistogram::BucketWidth(std::size_t index) {
  if (index < kSubBuckets) return 1;
  return std::uint64_t{1} << ((index - kSubBuckets) / kSubBuckets);
}

void LatencyHistogram::Record(std::uint64_t nanoseconds) {
  ++buckets_[BucketIndex(nanoseconds)];
  ++count_;
  sum_ += nanoseconds;
  min_ = std::min(min_, nanoseconds);
  max_ = std::max(max_, nanoseconds);
}

std::uint64_t LatencyHistogram::Percentile(double percent) const {
  if (count_ == 0) return 0;
  percent = std::clamp(percent, 0.0, 100.0);
  const auto rank = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(percent * static_cast<double>(count_) / 100.0)));
  std::uint64_t seen = 0;
  for (std::size_t index = 0; index < buckets_.size(); ++index) {
    seen += buckets_[index];
    if (seen >= rank) {
      const std::uint64_t middle = BucketLowerBound(index) + (BucketWidth(index) - 1) / 2;
      return std::clamp(middle, min_, max_);
    }
  }
  return max_;
}

std::string LatencyHistogram::ToJson() const {
  return "{\"count\":" + std::to_string(count_) + ",\"p50_ns\":" + std::to_string(Percentile(50)) +
         ",\"p99_ns\":" + std::to_string(Percentile(99)) +
         ",\"mean_ns\":" + std::to_string(mean()) + ",\"min_ns\":" + std::to_string(min()) +
         ",\"max_ns\":" + std::to_string(max_) + "}";
}

}  // namespace switchboard::reference_server
