#pragma once
// The whole run's configuration: INI files (later files override earlier ones) plus
// --key=value overrides on the command line (highest precedence), read with
// Boost.Program_options. Every key is declared once, in its struct's fields() (models/config_fields.h):
// the struct below for run.*, board.* and the kernel's placement, the component that owns it for the
// rest. An unknown key or a value that does not parse is an error naming the key and its source.
// The values of a device live in the board presets platform/*.cfg; without one, the memory keys take
// the [hbm] and [ddr] sections of platform/u280.cfg, compiled in (default_dram_config).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/axi/axi_interconnect.h"
#include "models/dram/dram_config.h"
#include "models/kernel/fast_kernel.h"
#include "models/kernel/kernel_control_regs.h"
#include "models/host/pcie_dma.h"
#include "models/kernel/power_model.h"
#include "platform/baseline_model.h"
#include "sw/device_driver.h"
#include "traces/replay_config.h"

namespace vp {

struct RunConfig {
  std::string checkpoint;     // llama2.c fp32 or ak42 Q8_0 file; empty: random model of `model_shape`
  std::string model_shape = "stories110M";  // for the random model: a name or dim,hidden,layers,heads,kv_heads,vocab,seq
  uint64_t model_seed = 1;
  uint32_t max_group_size = 64;
  std::string tokenizer;      // llama2.c tokenizer.bin; empty: prompt and output as token ids
  std::string prompt;         // text (with tokenizer) or space-separated token ids
  uint32_t steps = 16;        // positions to run (prompt included)
  float temperature = 0.0f;
  float topp = 0.9f;
  uint64_t seed = 42;
  std::string mode = "fast";  // fast | rtl
  // off: a timing-only run for sweeps (fast mode): the same accesses, cycles, DRAM counters and
  // energy as a functional run fed the same tokens, without the arithmetic, hence no logits; the
  // prompt's tokens are fed, then the last of them again (platform/simulation.cpp).
  bool functional = true;
  std::string stats;          // JSON statistics file
  std::string dump_logits;    // raw little-endian fp32 [steps][vocab]
  std::string cache_dir;      // where generated default checkpoints are kept
  std::string record_trace;   // AXI transaction trace of the run (traces/axi_trace_file.h; ".txt": text form)
  std::string timeline;       // Chrome/Perfetto trace-event JSON (platform/timeline.h)
  std::string vcd;            // RTL kernel waveform + TLM channel activity (models/verilated/rtl_vcd_recorder.h)
  double vcd_start_ns = 0.0;  // VCD window start
  double vcd_stop_ns = 0.0;   // VCD window end; 0: to the end of the run
  // Or the window by token (position index): from the start of that token's kernel call to the
  // end of stop_token's call, inclusive; -1: from the first / to the end of the run.
  int64_t vcd_start_token = -1;
  int64_t vcd_stop_token = -1;

  static const ConfigFields<RunConfig>& fields();  // run.*
};

struct BoardConfig {
  std::string name = "u280";
  uint32_t hbm_channels = 32;  // HBM2 pseudo-channels
  uint32_t ddr_channels = 2;   // DDR4 channels

  static const ConfigFields<BoardConfig>& fields();  // board.*
};

struct KernelPlacement {
  MemoryKind weights_memory = MemoryKind::kHbm;
  uint32_t weights_channel = 0;  // weight port p uses channel weights_channel + p
  MemoryKind kv_memory = MemoryKind::kHbm;
  uint32_t kv_channel = 1;
  MemoryKind out_memory = MemoryKind::kHbm;
  uint32_t out_channel = 2;
  uint64_t timeout_cycles = 4'000'000'000ull;  // a call longer than this is a hung kernel
  bool rtl_run_ahead = true;  // rtl mode: edges nobody else can influence in one activation (models/verilated/verilated_kernel.h)

  static const ConfigFields<KernelPlacement>& fields();  // kernel.* beside FastKernelConfig's
};

struct SimConfig {
  RunConfig run;
  BoardConfig board;
  FastKernelConfig kernel;
  KernelPlacement placement;
  DramConfig hbm, ddr;
  PcieConfig pcie;
  InterconnectConfig interconnect;
  ControlRegsConfig control;
  PowerConfig power;        // energy per action, static power (models/kernel/power_model.h)
  BaselineConfig baseline;  // CPU/GPU roofline baselines (platform/baseline_model.h)
  ReplayConfig replay;      // trace replay (vpreplay, traces/trace_replayer.h)
  std::vector<std::string> sources;  // config files read, in order

  std::vector<MemoryBank> weight_banks() const;
  std::vector<MemoryBank> kv_banks() const;  // KV port p on channel kv_channel + p
  MemoryBank out_bank() const { return {placement.out_memory, placement.out_channel}; }
  // Every kernel port's bank in port order (hls/kernel_phase.h): weights, KV, logits.
  std::vector<MemoryBank> kernel_port_banks() const;
  // Cross-key checks (e.g. ports fit the board's channels); throws naming the keys.
  void validate() const;
};

// Parses argv (positional arguments are config files). Throws std::runtime_error with a
// message naming the key or file; `help` receives the option list when --help is given.
SimConfig parse_sim_config(int argc, const char* const* argv, std::string* help = nullptr);

// Every key's value, {"run.steps": 16, ...} (the stats JSON's config.keys).
nlohmann::json config_values_json(const SimConfig& config);

// The [hbm] or [ddr] section of the compiled-in platform/u280.cfg: the default of the hbm.* or ddr.* keys
// (an HBM2 pseudo-channel, a DDR4-2400 channel), also for tests that need one.
DramConfig default_dram_config(MemoryKind kind);

}  // namespace vp
