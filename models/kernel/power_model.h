#pragma once
// Energy of the accelerator card and its host, per token and per component. Kernel dynamic
// energy is energy per action (hls/kernel_timing_model's action counts, AXI data beats of the
// kernel ports, kernel clock cycles) times the action counts; static power of the FPGA device
// and of the rest of the board, DRAM command and background energy (models/dram/dram_stats), PCIe
// link energy (models/host/pcie_dma) and the host CPU's power while it drives and waits for the
// card make up the rest. Constants come from config keys power.* (their sources are in the
// board presets platform/*.cfg).
// With power.resource_report set, kernel dynamic energy follows the synthesized design instead:
// per resource class (LUT, LUTRAM/SRL, FF, DSP, BRAM, URAM) count x uW/MHz (= pJ per kernel clock
// cycle) at the reference toggle rate, scaled by power.toggle_rate / kReferenceToggleRate, times
// the kernel's clock cycles; the per-action energies are then unused.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hls/device_layout.h"
#include "hls/kernel_timing_model.h"
#include "models/axi/axi_master_port.h"
#include "models/config_fields.h"
#include "models/dram/dram_stats.h"
#include "models/kernel/kernel_call_record.h"
#include "models/kernel/resource_report.h"

namespace vp {

// The toggle rate the per-resource figures power.*_uw_per_mhz are given at: XPE's default (AMD
// UG440, Logic sheet: "The default value of 12.5% means one transition every eight cycles").
constexpr double kReferenceToggleRate = 0.125;

struct PowerConfig {
  std::string fpga_device = "XCU280";  // for reports
  // Kernel dynamic energy per action, pJ.
  double e_int8_mac_pj = 1.0;
  double e_fp32_add_pj = 3.2;
  double e_fp32_mul_pj = 13.0;
  double e_exp_pj = 190.0;
  double e_recip_pj = 88.0;
  double e_rsqrt_pj = 140.0;
  double e_buffer_read_pj = 2.6;   // per 32-bit word
  double e_buffer_write_pj = 2.6;  // per 32-bit word
  double e_axi_beat_pj = 150.0;    // per data beat on a kernel m_axi port (R or W)
  double e_control_cycle_pj = 1500.0;  // sequencer, clock tree and pipeline registers, per kernel cycle
  // Static power, W: the FPGA device, and the rest of the board (regulators, controllers,
  // clocking, fans) apart from the DRAM, whose background power is in its own config.
  double fpga_static_w = 7.0;
  double board_static_w = 15.0;
  // Host CPU power attributed to the accelerator: while the kernel runs (waiting for its
  // interrupt) and while the host drives the card (arguments, start, logits read-back).
  double host_idle_w = 2.0;
  double host_active_w = 8.0;
  // Kernel dynamic power from the synthesized resources (used when resource_report is set).
  // Per element, in uW per MHz of kernel clock (= pJ per cycle) at kReferenceToggleRate.
  std::string resource_report;  // path of a rtl/synth/report_resources.sh output; empty ("none" in a config): per-action model
  double toggle_rate = kReferenceToggleRate;  // average toggle rate of the kernel's logic while it runs
  double lut_uw_per_mhz = 0.035;     // LUT as logic (with its share of routing)
  double lutram_uw_per_mhz = 0.05;   // LUT as shift register or distributed RAM
  double ff_uw_per_mhz = 0.012;      // flip-flop (with its clock leaf)
  double dsp_uw_per_mhz = 3.0;       // DSP48E2
  double bram_uw_per_mhz = 6.0;      // RAMB36E2 (a RAMB18E2 counts half)
  double uram_uw_per_mhz = 12.0;     // URAM288
  std::optional<ResourceCounts> resources;  // read from resource_report by load_resource_report

  bool uses_resources() const { return resources.has_value(); }

  // Throws std::runtime_error naming prefix + key of the first bad value.
  void validate(const std::string& prefix) const;
  // Reads `resources` from resource_report ("none" clears it: an empty value cannot be given on the
  // command line); throws naming prefix + "resource_report".
  void load_resource_report(const std::string& prefix);
  // Keys prefix + key, e.g. "power.e_int8_mac_pj" (models/config_fields.h); sources in platform/*.cfg.
  static const ConfigFields<PowerConfig>& fields();
};

enum class EnergyComponent : uint8_t {
  kInt8Mac,
  kFp32Add,
  kFp32Mul,
  kSpecialFunction,  // exp, reciprocal, rsqrt units
  kBufferRead,
  kBufferWrite,
  kAxiBeat,
  kControl,
  // Kernel dynamic by resource class (power.resource_report set; the classes above are then 0).
  kLut,
  kLutram,
  kFlipFlop,
  kDsp,
  kBram,
  kUram,
  kFpgaStatic,
  kBoardStatic,
  kDramDynamic,
  kDramBackground,
  kPcie,
  kHost,
};
constexpr int kEnergyComponentCount = 20;
const char* energy_component_name(EnergyComponent c);
bool is_kernel_dynamic(EnergyComponent c);
bool is_resource_class(EnergyComponent c);  // kLut..kUram

// Dynamic power of one resource class of the configured report at a kernel clock.
struct ResourceClassPower {
  EnergyComponent component;
  double count = 0;
  double uw_per_mhz = 0;  // at kReferenceToggleRate
  double watts = 0;       // at power.toggle_rate and the clock
};
// One entry per class kLut..kUram (empty without a report); their sum is the kernel's dynamic power.
std::vector<ResourceClassPower> resource_power(const PowerConfig& config, double clock_mhz);

struct EnergyBreakdown {
  std::array<double, kEnergyComponentCount> pj{};

  double& operator[](EnergyComponent c) { return pj[static_cast<size_t>(c)]; }
  double operator[](EnergyComponent c) const { return pj[static_cast<size_t>(c)]; }
  double total_pj() const;
  double kernel_dynamic_pj() const;
  // Everything on the card: the total without the host.
  double card_pj() const { return total_pj() - (*this)[EnergyComponent::kHost]; }
  EnergyBreakdown& operator+=(const EnergyBreakdown& o);
  EnergyBreakdown& operator*=(double factor);
};

// What happened during one token's interval, as the power model needs it.
struct TokenActivity {
  KernelActionCounts actions;
  uint64_t kernel_cycles = 0;     // kernel clock cycles of the call (stalls included)
  uint64_t axi_beats = 0;         // data beats on all kernel m_axi ports, read and write
  double kernel_s = 0;            // kernel start to done
  double token_s = 0;             // the whole token interval, host view
  double dram_dynamic_pj = 0;     // DRAM command energy during the interval, all channels
  double dram_background_w = 0;   // background power of all DRAM channels on the board
  double pcie_pj = 0;             // PCIe link energy during the interval
};

EnergyBreakdown token_energy(const PowerConfig& config, const TokenActivity& activity);

// Actions of one kernel call: the sum over its phases (each phase record is one phase of
// one layer).
KernelActionCounts call_action_counts(const KernelCallRecord& call, const KernelDescriptor& desc,
                                      const KernelMicroarch& microarch);
inline uint64_t data_beats(const AxiPortStats& s) { return s.read_beats + s.write_beats; }
// DRAM command energy between two snapshots of one channel's counters (no background).
double dram_command_energy_pj(const DramStats& after, const DramStats& before, const DramConfig& config);

}  // namespace vp
