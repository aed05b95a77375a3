#pragma once
// Bytes per memory channel in fixed time bins: the data of a bandwidth-over-time picture
// (platform/plots/channel_bandwidth.py), cheap enough to be on in every run. It observes the
// interconnect (every transaction, kernel ports and PCIe DMA alike) and spreads each transaction's
// bytes evenly over the time it spent in its channel (forwarded to completion). Bins start at the
// origin (the platform sets it at the end of the weights upload), are 1 ns wide to begin with and
// double in width, neighbours merged, whenever the run outgrows kMaxBins: at most kMaxBins bins,
// the same bins for the same run.
#include <cstddef>
#include <cstdint>
#include <vector>

#include <systemc>

#include "models/axi/axi_interconnect.h"

namespace vp {

struct ChannelTrafficSeries {
  uint64_t origin_ps = 0;
  uint64_t bin_ps = 0;
  std::vector<std::vector<double>> bytes;  // [channel][bin]; every channel has the same bins, none after the last byte
};

class ChannelTrafficBins {
 public:
  static constexpr size_t kMaxBins = 1024;
  static constexpr uint64_t kFirstBinPs = 1000;

  explicit ChannelTrafficBins(size_t channels);

  // Starts counting: the part of a transaction before `origin` is left out. Before the first call nothing counts.
  void start(const sc_core::sc_time& origin);
  // One completed transaction (AxiInterconnect::add_observer); decode errors carry no bytes.
  void add(const InterconnectTransaction& t);
  // Same as add() with times in ps.
  void add(unsigned channel, uint64_t begin_ps, uint64_t end_ps, uint64_t bytes);

  ChannelTrafficSeries series() const;

 private:
  void widen_to(uint64_t end_ps);  // relative to the origin

  bool started_ = false;
  uint64_t origin_ps_ = 0;
  uint64_t bin_ps_ = kFirstBinPs;
  size_t used_bins_ = 0;
  std::vector<std::vector<double>> bytes_;  // [channel][kMaxBins]
};

}  // namespace vp
