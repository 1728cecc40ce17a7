// LatencyHistogram: a fixed-size log-linear histogram of nanosecond durations, for the
// round-trip statistics the echo handlers keep with ?rtt=TAG (bench/run's ping-pong latency).
//
// Values below 128 have a bucket each; above, every power of two is split into 128 equal
// buckets, so a bucket's width is at most 1/128 of its lower bound and the midpoint reported
// for it is within 0.4 % of any value in it. 7,424 counters (58 KiB), whatever the count.
//
// Thread: not thread-safe; one owner.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace switchboard::reference_server {

class LatencyHistogram {
 public:
  LatencyHistogram();

  void Record(std::uint64_t nanoseconds);
  std::uint64_t count() const { return count_; }
  std::uint64_t min() const { return count_ == 0 ? 0 : min_; }
  std::uint64_t max() const { return max_; }
  // The smallest recorded value v such that at least `percent` % of the values are ≤ v, as
  // its bucket's midpoint (clamped to [min, max]); 0 when empty. `percent` in [0, 100].
  std::uint64_t Percentile(double percent) const;
  // The exact mean (0 when empty).
  std::uint64_t mean() const { return count_ == 0 ? 0 : sum_ / count_; }
  // {"count":N,"p50_ns":…,"p99_ns":…,"mean_ns":…,"min_ns":…,"max_ns":…}
  std::string ToJson() const;

  static std::size_t BucketIndex(std::uint64_t value);
  static std::uint64_t BucketLowerBound(std::size_t index);
  static std::uint64_t BucketWidth(std::size_t index);

 private:
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  std::uint64_t max_ = 0;
};

}  // namespace switchboard::reference_server
