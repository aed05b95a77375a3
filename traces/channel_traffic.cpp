#include "traces/channel_traffic.h"

#include <algorithm>

#include "traces/trace_time.h"

namespace vp {

ChannelTrafficBins::ChannelTrafficBins(size_t channels) : bytes_(channels, std::vector<double>(kMaxBins, 0.0)) {}

void ChannelTrafficBins::start(const sc_core::sc_time& origin) {
  started_ = true;
  origin_ps_ = to_ps(origin);
}

void ChannelTrafficBins::add(const InterconnectTransaction& t) {
  if (!t.channel) return;
  add(*t.channel, to_ps(t.forwarded), to_ps(t.completion), t.length);
}

void ChannelTrafficBins::widen_to(uint64_t end_ps) {
  while (end_ps > bin_ps_ * kMaxBins) {
    for (std::vector<double>& row : bytes_) {
      for (size_t i = 0; i < kMaxBins / 2; ++i) row[i] = row[2 * i] + row[2 * i + 1];
      std::fill(row.begin() + kMaxBins / 2, row.end(), 0.0);
    }
    bin_ps_ *= 2;
    used_bins_ = (used_bins_ + 1) / 2;
  }
}

void ChannelTrafficBins::add(unsigned channel, uint64_t begin_ps, uint64_t end_ps, uint64_t bytes) {
  if (!started_ || channel >= bytes_.size() || bytes == 0 || end_ps < origin_ps_) return;
  const uint64_t span = end_ps > begin_ps ? end_ps - begin_ps : 0;
  // The part before the origin is left out.
  double counted = double(bytes);
  if (begin_ps < origin_ps_) {
    counted *= double(end_ps - origin_ps_) / double(span);
    begin_ps = origin_ps_;
  }
  const uint64_t b = begin_ps - origin_ps_, e = end_ps - origin_ps_;
  widen_to(e == b ? e + 1 : e);  // an instant transaction at e falls in the bin holding e
  std::vector<double>& row = bytes_[channel];
  if (e == b) {
    const size_t k = size_t(b / bin_ps_);
    row[k] += counted;
    used_bins_ = std::max(used_bins_, k + 1);
    return;
  }
  const double per_ps = counted / double(e - b);
  const size_t last = size_t((e - 1) / bin_ps_);
  for (size_t k = size_t(b / bin_ps_); k <= last; ++k) {
    const uint64_t lo = std::max<uint64_t>(b, k * bin_ps_), hi = std::min<uint64_t>(e, (k + 1) * bin_ps_);
    row[k] += per_ps * double(hi - lo);
  }
  used_bins_ = std::max(used_bins_, last + 1);
}

ChannelTrafficSeries ChannelTrafficBins::series() const {
  ChannelTrafficSeries s;
  s.origin_ps = origin_ps_;
  s.bin_ps = bin_ps_;
  for (const std::vector<double>& row : bytes_) s.bytes.emplace_back(row.begin(), row.begin() + long(used_bins_));
  return s;
}

}  // namespace vp
