#pragma once
// One simulation run: load the model, assemble the SoC, run the host program on the host
// CPU stub until it finishes, and collect per-token and total statistics.
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "models/dram/dram_stats.h"
#include "models/kernel/kernel_call_record.h"
#include "models/host/pcie_dma.h"
#include "models/kernel/power_model.h"
#include "platform/cpu_measurement.h"
#include "platform/sim_config.h"
#include "sw/host_program.h"
#include "sw/model_shape.h"
#include "traces/axi_trace.h"
#include "traces/channel_traffic.h"

namespace vp {

struct ChannelSummary {
  std::string name;
  double peak_bytes_per_s = 0;
  DramStats stats;
  double energy_pj = 0;
};

struct TokenStats {
  int pos = 0, token = 0, next_token = 0;
  std::string piece;            // decoded next token (with a tokenizer)
  double token_s = 0;           // host view: arguments, start, wait, logits read-back
  double kernel_s = 0;          // kernel start to done
  uint64_t cycles = 0;          // kernel clock cycles of the call
  uint64_t compute_cycles = 0;  // of which the datapath alone would need
  // Elapsed kernel cycles per phase (hls/kernel_phase.h order), summed over the call's layers.
  std::array<double, kKernelPhaseCount> phase_cycles{};
  uint64_t read_bytes = 0, write_bytes = 0;  // device memory traffic during the call
  std::vector<uint64_t> channel_bytes;       // per channel, read + write, during the call
  // Host clock (simulated seconds) at: arguments written from, start, done seen, logits read back.
  double start_s = 0, kernel_start_s = 0, kernel_end_s = 0, end_s = 0;
  KernelActionCounts actions;  // datapath actions of the call (hls/kernel_timing_model.h)
  uint64_t axi_beats = 0;      // data beats on the kernel's m_axi ports during the call
  EnergyBreakdown energy;      // energy of the token's interval, by component (models/kernel/power_model.h)
};

struct RunResult {
  SimConfig config;
  ModelShape shape;
  int group_size = 0;
  std::string model_source;
  UploadRecord upload;
  std::vector<TokenStats> tokens;
  std::vector<KernelCallRecord> calls;
  std::vector<ChannelSummary> channels;
  PcieDma::Stats pcie;
  double pcie_energy_pj = 0;
  double sim_seconds = 0;
  double wall_seconds = 0;
  std::string text;                        // prompt + generated text (or ids)
  std::vector<std::vector<float>> logits;  // per position, kept when dump_logits is set
  std::string error;                       // empty on success
  // Bytes per channel in time bins from the end of the weights upload (traces/channel_traffic.h).
  ChannelTrafficSeries channel_traffic;
  AxiTrace trace;  // every interconnect transaction, when run.record_trace or run.timeline is set
  // baseline.cpu = measure: the golden Q8_0 model timed on this machine over the run's tokens.
  std::optional<CpuMeasurement> cpu_measured;
};

// Runs the configured simulation. `on_token` sees each token as soon as it is produced, so
// output survives a later failure. Errors in the model, host program or kernel end up in
// RunResult::error with what was computed until then; errors in the configuration throw.
RunResult run_simulation(const SimConfig& config, const std::function<void(const TokenStats&)>& on_token);

}  // namespace vp
