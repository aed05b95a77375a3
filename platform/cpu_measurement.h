#pragma once
// The CPU baseline measured on the machine that runs the simulator (baseline.cpu = measure): the
// golden Q8_0 model (sw/golden_model.h) runs single-threaded over the run's (token, pos) sequence,
// timed by the steady clock; its package energy comes from Linux powercap RAPL
// (ROOT/intel-rapl:N/energy_uj, one per CPU package) where those files are readable. Where they are
// not (no RAPL, a VM, or energy_uj readable by root only, as since Linux 5.10), the tokens/s is
// still measured and the energy per token is the configured power over it, labelled as configured.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sw/checkpoint.h"

namespace vp {

// Package energy counters under a powercap root. Reads every top-level zone ROOT/intel-rapl:N (its
// sub-zones intel-rapl:N:M, core and uncore, are inside the package's count and left out).
class RaplMeter {
 public:
  explicit RaplMeter(std::string root);

  bool readable() const { return why_not_.empty(); }
  const std::string& why_not() const { return why_not_; }  // why the counters cannot be used
  const std::vector<std::string>& zones() const { return zones_; }
  const std::string& root() const { return root_; }

  // The counters now, microjoules, one per zone. Throws naming the file when one cannot be read.
  std::vector<uint64_t> sample() const;
  // Joules between two samples; a counter that wrapped is counted up to its max_energy_range_uj.
  double joules_between(const std::vector<uint64_t>& before, const std::vector<uint64_t>& after) const;

 private:
  std::string root_;
  std::vector<std::string> zones_;     // zone directories
  std::vector<uint64_t> max_range_uj_;  // max_energy_range_uj per zone (0: unknown, no wrap correction)
  std::string why_not_;
};

struct CpuMeasurement {
  std::string cpu_model;   // /proc/cpuinfo "model name" of this machine
  std::string workload;    // what ran: model, thread, positions
  int tokens = 0;
  double seconds = 0;      // wall time of the forward passes
  double tokens_per_s = 0;
  bool energy_measured = false;  // true: RAPL package energy; false: configured power x time
  double power_w = 0;            // mean package power measured, or the configured power
  double energy_per_token_j = 0;
  std::string energy_source;     // "RAPL package energy ..." or "RAPL not readable (...): configured ..."
};

// Times `workload` (which runs `tokens` forward passes) and reads the RAPL counters under
// `rapl_root` around it; `configured_power_w` (baseline.cpu_power_w) prices the time when they
// cannot be read or did not advance.
CpuMeasurement measure_cpu(const std::function<void()>& workload, int tokens, const std::string& rapl_root,
                           double configured_power_w, const std::string& configured_power_key);

// The golden Q8_0 model on this thread over `token_pos` (in order: pos 0, 1, ... as the run fed them).
CpuMeasurement measure_golden_q8_cpu(const Q8Checkpoint& weights, const std::vector<std::pair<int, int>>& token_pos,
                                     const std::string& rapl_root, double configured_power_w,
                                     const std::string& configured_power_key);

}  // namespace vp
