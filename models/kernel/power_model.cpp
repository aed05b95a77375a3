#include "models/kernel/power_model.h"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace vp {
namespace po = boost::program_options;

namespace {

// The single list of numeric keys: declare_options, from_options and validate all walk it.
template <class Config, class Visitor>
void for_each_number(Config& c, Visitor&& visit) {
  visit("e_int8_mac_pj", c.e_int8_mac_pj, "kernel energy per int8 MAC (pJ)");
  visit("e_fp32_add_pj", c.e_fp32_add_pj, "kernel energy per fp32 add/compare (pJ)");
  visit("e_fp32_mul_pj", c.e_fp32_mul_pj, "kernel energy per fp32 multiply (pJ)");
  visit("e_exp_pj", c.e_exp_pj, "kernel energy per exp unit call (pJ)");
  visit("e_recip_pj", c.e_recip_pj, "kernel energy per reciprocal unit call (pJ)");
  visit("e_rsqrt_pj", c.e_rsqrt_pj, "kernel energy per rsqrt unit call (pJ)");
  visit("e_buffer_read_pj", c.e_buffer_read_pj, "on-chip buffer read energy per 32-bit word (pJ)");
  visit("e_buffer_write_pj", c.e_buffer_write_pj, "on-chip buffer write energy per 32-bit word (pJ)");
  visit("e_axi_beat_pj", c.e_axi_beat_pj, "energy per data beat on a kernel m_axi port (pJ)");
  visit("e_control_cycle_pj", c.e_control_cycle_pj, "kernel sequencer/clock energy per kernel cycle (pJ)");
  visit("fpga_static_w", c.fpga_static_w, "FPGA device static power (W)");
  visit("board_static_w", c.board_static_w, "board static power besides FPGA and DRAM (W)");
  visit("host_idle_w", c.host_idle_w, "host CPU power while waiting for the kernel (W)");
  visit("host_active_w", c.host_active_w, "host CPU power while driving the card (W)");
  visit("toggle_rate", c.toggle_rate,
        "with resource_report: average toggle rate of the kernel's logic while it runs (0..1; XPE default 0.125)");
  visit("lut_uw_per_mhz", c.lut_uw_per_mhz, "with resource_report: dynamic power per LUT as logic (uW/MHz at 12.5% toggle)");
  visit("lutram_uw_per_mhz", c.lutram_uw_per_mhz,
        "with resource_report: dynamic power per LUT as SRL or distributed RAM (uW/MHz at 12.5% toggle)");
  visit("ff_uw_per_mhz", c.ff_uw_per_mhz, "with resource_report: dynamic power per flip-flop (uW/MHz at 12.5% toggle)");
  visit("dsp_uw_per_mhz", c.dsp_uw_per_mhz, "with resource_report: dynamic power per DSP48E2 (uW/MHz at 12.5% toggle)");
  visit("bram_uw_per_mhz", c.bram_uw_per_mhz, "with resource_report: dynamic power per RAMB36E2 (uW/MHz at 12.5% toggle)");
  visit("uram_uw_per_mhz", c.uram_uw_per_mhz, "with resource_report: dynamic power per URAM288 (uW/MHz at 12.5% toggle)");
}

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

// "3.2" rather than boost's "3.2000000000000002" in --help.
std::string shown(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

void PowerConfig::validate(const std::string& prefix) const {
  for_each_number(*this, [&](const char* key, double value, const char*) {
    if (!(value >= 0.0) || !std::isfinite(value))
      throw std::runtime_error("config key " + prefix + key + " = " + std::to_string(value) +
                               ": must be a finite value >= 0");
  });
  if (fpga_device.empty()) throw std::runtime_error("config key " + prefix + "fpga_device must not be empty");
  if (toggle_rate > 1.0)
    throw std::runtime_error("config key " + prefix + "toggle_rate = " + std::to_string(toggle_rate) +
                             ": a fraction of clock cycles, at most 1");
}

void PowerConfig::declare_options(po::options_description& desc, const std::string& prefix,
                                  const PowerConfig& defaults) {
  desc.add_options()((prefix + "fpga_device").c_str(), po::value<std::string>()->default_value(defaults.fpga_device),
                     "FPGA device name for reports");
  desc.add_options()((prefix + "resource_report").c_str(),
                     po::value<std::string>()->default_value(defaults.resource_report),
                     "rtl/synth/report_resources.sh output of the kernel configuration run (relative to the config "
                     "file naming it); set: kernel dynamic power from its resource counts, none (or empty): per-action energies");
  for_each_number(defaults, [&](const char* key, double value, const char* help) {
    desc.add_options()((prefix + key).c_str(), po::value<double>()->default_value(value, shown(value)), help);
  });
}

PowerConfig PowerConfig::from_options(const po::variables_map& vm, const std::string& prefix) {
  auto value_of = [&](const std::string& key) -> const po::variable_value& {
    const auto it = vm.find(key);
    if (it == vm.end() || it->second.empty())
      throw std::runtime_error("config key " + key + " is missing (PowerConfig::declare_options not called?)");
    return it->second;
  };
  PowerConfig c;
  c.fpga_device = value_of(prefix + "fpga_device").as<std::string>();
  for_each_number(c, [&](const char* key, double& field, const char*) { field = value_of(prefix + key).as<double>(); });
  c.validate(prefix);
  c.resource_report = value_of(prefix + "resource_report").as<std::string>();
  if (c.resource_report == "none") c.resource_report.clear();  // unsets a preset's report (an empty value cannot be given on the command line)
  if (!c.resource_report.empty()) {
    try {
      c.resources = read_resource_report(c.resource_report);
    } catch (const std::exception& e) {
      throw std::runtime_error("config key " + prefix + "resource_report: " + e.what());
    }
  }
  return c;
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
