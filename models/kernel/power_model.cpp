#include "models/kernel/power_model.h"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace vp {

namespace {

// Count and figure of each resource class, in EnergyComponent order kLut..kUram.
std::array<std::pair<double, double>, 6> class_figures(const PowerConfig& c) {
  const ResourceCounts& r = *c.resources;
  return {{{r.lut, c.lut_uw_per_mhz},
           {r.srl + r.lutram, c.lutram_uw_per_mhz},
           {r.ff, c.ff_uw_per_mhz},
           {r.dsp, c.dsp_uw_per_mhz},
           {r.bram, c.bram_uw_per_mhz},
           {r.uram, c.uram_uw_per_mhz}}};
}

}  // namespace

const ConfigFields<PowerConfig>& PowerConfig::fields() {
  using C = PowerConfig;
  const ValueRange energy = at_least(0);
  const char* per_resource = "with resource_report: dynamic power per ";
  static const ConfigFields<C> list = {
      field(&C::fpga_device, "fpga_device", any_value(), "", "FPGA device name for reports"),
      field(&C::resource_report, "resource_report", any_value(), "",
            "rtl/synth/report_resources.sh output of the kernel configuration run (relative to the config file "
            "naming it); set: kernel dynamic power from its resource counts, none (or empty): per-action energies"),
      field(&C::e_int8_mac_pj, "e_int8_mac_pj", energy, "pJ", "kernel energy per int8 MAC"),
      field(&C::e_fp32_add_pj, "e_fp32_add_pj", energy, "pJ", "kernel energy per fp32 add/compare"),
      field(&C::e_fp32_mul_pj, "e_fp32_mul_pj", energy, "pJ", "kernel energy per fp32 multiply"),
      field(&C::e_exp_pj, "e_exp_pj", energy, "pJ", "kernel energy per exp unit call"),
      field(&C::e_recip_pj, "e_recip_pj", energy, "pJ", "kernel energy per reciprocal unit call"),
      field(&C::e_rsqrt_pj, "e_rsqrt_pj", energy, "pJ", "kernel energy per rsqrt unit call"),
      field(&C::e_buffer_read_pj, "e_buffer_read_pj", energy, "pJ", "on-chip buffer read energy per 32-bit word"),
      field(&C::e_buffer_write_pj, "e_buffer_write_pj", energy, "pJ", "on-chip buffer write energy per 32-bit word"),
      field(&C::e_axi_beat_pj, "e_axi_beat_pj", energy, "pJ", "energy per data beat on a kernel m_axi port"),
      field(&C::e_control_cycle_pj, "e_control_cycle_pj", energy, "pJ", "kernel sequencer/clock energy per kernel cycle"),
      field(&C::fpga_static_w, "fpga_static_w", energy, "W", "FPGA device static power"),
      field(&C::board_static_w, "board_static_w", energy, "W", "board static power besides FPGA and DRAM"),
      field(&C::host_idle_w, "host_idle_w", energy, "W", "host CPU power while waiting for the kernel"),
      field(&C::host_active_w, "host_active_w", energy, "W", "host CPU power while driving the card"),
      field(&C::toggle_rate, "toggle_rate", between(0, 1), "",
            "with resource_report: average toggle rate of the kernel's logic while it runs", "AMD UG440: XPE default 0.125"),
      field(&C::lut_uw_per_mhz, "lut_uw_per_mhz", energy, "uW/MHz at 12.5% toggle", std::string(per_resource) + "LUT as logic"),
      field(&C::lutram_uw_per_mhz, "lutram_uw_per_mhz", energy, "uW/MHz at 12.5% toggle",
            std::string(per_resource) + "LUT as SRL or distributed RAM"),
      field(&C::ff_uw_per_mhz, "ff_uw_per_mhz", energy, "uW/MHz at 12.5% toggle", std::string(per_resource) + "flip-flop"),
      field(&C::dsp_uw_per_mhz, "dsp_uw_per_mhz", energy, "uW/MHz at 12.5% toggle", std::string(per_resource) + "DSP48E2"),
      field(&C::bram_uw_per_mhz, "bram_uw_per_mhz", energy, "uW/MHz at 12.5% toggle", std::string(per_resource) + "RAMB36E2"),
      field(&C::uram_uw_per_mhz, "uram_uw_per_mhz", energy, "uW/MHz at 12.5% toggle", std::string(per_resource) + "URAM288"),
  };
  return list;
}

void PowerConfig::validate(const std::string& prefix) const {
  check_config_fields(fields(), *this, prefix);
  if (fpga_device.empty()) throw std::runtime_error("config key " + prefix + "fpga_device must not be empty");
}

void PowerConfig::load_resource_report(const std::string& prefix) {
  if (resource_report == "none") resource_report.clear();
  resources.reset();
  if (resource_report.empty()) return;
  try {
    resources = read_resource_report(resource_report);
  } catch (const std::exception& e) {
    throw std::runtime_error("config key " + prefix + "resource_report: " + e.what());
  }
}

const char* energy_component_name(EnergyComponent c) {
  switch (c) {
    case EnergyComponent::kInt8Mac: return "int8_mac";
    case EnergyComponent::kFp32Add: return "fp32_add";
    case EnergyComponent::kFp32Mul: return "fp32_mul";
    case EnergyComponent::kSpecialFunction: return "special_function";
    case EnergyComponent::kBufferRead: return "buffer_read";
    case EnergyComponent::kBufferWrite: return "buffer_write";
    case EnergyComponent::kAxiBeat: return "axi_beat";
    case EnergyComponent::kControl: return "control";
    case EnergyComponent::kLut: return "lut";
    case EnergyComponent::kLutram: return "lutram_srl";
    case EnergyComponent::kFlipFlop: return "ff";
    case EnergyComponent::kDsp: return "dsp";
    case EnergyComponent::kBram: return "bram";
    case EnergyComponent::kUram: return "uram";
    case EnergyComponent::kFpgaStatic: return "fpga_static";
    case EnergyComponent::kBoardStatic: return "board_static";
    case EnergyComponent::kDramDynamic: return "dram_dynamic";
    case EnergyComponent::kDramBackground: return "dram_background";
    case EnergyComponent::kPcie: return "pcie";
    case EnergyComponent::kHost: return "host";
  }
  return "unknown";
}

bool is_kernel_dynamic(EnergyComponent c) { return c <= EnergyComponent::kUram; }

bool is_resource_class(EnergyComponent c) { return c >= EnergyComponent::kLut && c <= EnergyComponent::kUram; }

std::vector<ResourceClassPower> resource_power(const PowerConfig& c, double clock_mhz) {
  std::vector<ResourceClassPower> classes;
  if (!c.uses_resources()) return classes;
  const auto figures = class_figures(c);
  for (size_t i = 0; i < figures.size(); ++i) {
    ResourceClassPower p;
    p.component = EnergyComponent(int(EnergyComponent::kLut) + int(i));
    p.count = figures[i].first;
    p.uw_per_mhz = figures[i].second;
    p.watts = p.count * p.uw_per_mhz * 1e-6 * clock_mhz * (c.toggle_rate / kReferenceToggleRate);
    classes.push_back(p);
  }
  return classes;
}

double EnergyBreakdown::total_pj() const {
  double sum = 0;
  for (double v : pj) sum += v;
  return sum;
}

double EnergyBreakdown::kernel_dynamic_pj() const {
  double sum = 0;
  for (int i = 0; i < kEnergyComponentCount; ++i)
    if (is_kernel_dynamic(EnergyComponent(i))) sum += pj[size_t(i)];
  return sum;
}

EnergyBreakdown& EnergyBreakdown::operator+=(const EnergyBreakdown& o) {
  for (size_t i = 0; i < pj.size(); ++i) pj[i] += o.pj[i];
  return *this;
}

EnergyBreakdown& EnergyBreakdown::operator*=(double factor) {
  for (double& v : pj) v *= factor;
  return *this;
}

EnergyBreakdown token_energy(const PowerConfig& c, const TokenActivity& t) {
  const KernelActionCounts& a = t.actions;
  EnergyBreakdown e;
  if (c.uses_resources()) {
    // 1 uW/MHz is 1 pJ per clock cycle; the logic toggles while the kernel runs.
    const auto figures = class_figures(c);
    const double scale = double(t.kernel_cycles) * (c.toggle_rate / kReferenceToggleRate);
    for (size_t i = 0; i < figures.size(); ++i)
      e[EnergyComponent(int(EnergyComponent::kLut) + int(i))] = figures[i].first * figures[i].second * scale;
  } else {
    e[EnergyComponent::kInt8Mac] = double(a.int8_macs) * c.e_int8_mac_pj;
    e[EnergyComponent::kFp32Add] = double(a.fp32_adds) * c.e_fp32_add_pj;
    e[EnergyComponent::kFp32Mul] = double(a.fp32_muls) * c.e_fp32_mul_pj;
    e[EnergyComponent::kSpecialFunction] =
        double(a.exp_ops) * c.e_exp_pj + double(a.recip_ops) * c.e_recip_pj + double(a.rsqrt_ops) * c.e_rsqrt_pj;
    e[EnergyComponent::kBufferRead] = double(a.buffer_read_words) * c.e_buffer_read_pj;
    e[EnergyComponent::kBufferWrite] = double(a.buffer_write_words) * c.e_buffer_write_pj;
    e[EnergyComponent::kAxiBeat] = double(t.axi_beats) * c.e_axi_beat_pj;
    e[EnergyComponent::kControl] = double(t.kernel_cycles) * c.e_control_cycle_pj;
  }
  constexpr double kPjPerWattSecond = 1e12;
  e[EnergyComponent::kFpgaStatic] = c.fpga_static_w * t.token_s * kPjPerWattSecond;
  e[EnergyComponent::kBoardStatic] = c.board_static_w * t.token_s * kPjPerWattSecond;
  e[EnergyComponent::kDramDynamic] = t.dram_dynamic_pj;
  e[EnergyComponent::kDramBackground] = t.dram_background_w * t.token_s * kPjPerWattSecond;
  e[EnergyComponent::kPcie] = t.pcie_pj;
  // The host waits for the interrupt while the kernel runs and drives the card otherwise.
  const double driving_s = t.token_s > t.kernel_s ? t.token_s - t.kernel_s : 0.0;
  e[EnergyComponent::kHost] = (c.host_idle_w * t.kernel_s + c.host_active_w * driving_s) * kPjPerWattSecond;
  return e;
}

KernelActionCounts call_action_counts(const KernelCallRecord& call, const KernelDescriptor& desc,
                                      const KernelMicroarch& microarch) {
  KernelActionCounts sum;
  for (const PhaseRecord& p : call.phases) sum += phase_action_counts(p.phase, desc, call.pos, microarch);
  return sum;
}

double dram_command_energy_pj(const DramStats& after, const DramStats& before, const DramConfig& config) {
  // Command energy is linear in the counters, so the difference of the totals is the
  // energy of the commands in between.
  return after.energy_pj(config, sc_core::SC_ZERO_TIME) - before.energy_pj(config, sc_core::SC_ZERO_TIME);
}

}  // namespace vp
