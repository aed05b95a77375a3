#include "platform/baseline_model.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace vp {
namespace po = boost::program_options;

namespace {

[[noreturn]] void reject(const std::string& key, double value, const std::string& why) {
  throw std::runtime_error("config key " + key + " = " + std::to_string(value) + ": " + why);
}

// The keys of one device's measured figures, in the order of MeasuredBaseline's fields.
struct MeasuredKeys {
  std::string tokens_per_s, power_w, source;
  explicit MeasuredKeys(const std::string& device_prefix)
      : tokens_per_s(device_prefix + "measured_tokens_per_s"),
        power_w(device_prefix + "measured_power_w"),
        source(device_prefix + "measured_source") {}
};

void validate_measured(const MeasuredBaseline& m, const MeasuredKeys& keys) {
  if (!m.present() && m.power_w == 0 && m.source.empty()) return;  // no measured figures
  const std::pair<const std::string*, double> figures[] = {{&keys.tokens_per_s, m.tokens_per_s},
                                                           {&keys.power_w, m.power_w}};
  for (const auto& [key, value] : figures)
    if (!std::isfinite(value) || !(value > 0)) reject(*key, value, "a measured figure must be a finite value > 0");
  if (m.source.empty())
    throw std::runtime_error("config key " + keys.source + " must not be empty: say where the measured figures come from");
}

}  // namespace

const ConfigFields<RooflineDevice>& RooflineDevice::fields() {
  using C = RooflineDevice;
  static const ConfigFields<C> list = {
      field(&C::name, "name", any_value(), "", "name for reports"),
      field(&C::mem_gbs, "mem_gbs", above(0), "GB/s", "peak memory bandwidth"),
      field(&C::mem_fraction, "mem_fraction", above_up_to(0, 1), "", "achievable fraction of the memory bandwidth"),
      field(&C::int8_gops, "int8_gops", above(0), "1e9 ops/s", "peak int8 ops/s (a MAC is two ops)"),
      field(&C::fp32_gflops, "fp32_gflops", above(0), "1e9 ops/s", "peak fp32 ops/s"),
      field(&C::compute_fraction, "compute_fraction", above_up_to(0, 1), "", "achievable fraction of the compute peaks"),
      field(&C::power_w, "power_w", at_least(0), "W", "power under load"),
      field(&C::overhead_us, "overhead_us", at_least(0), "us", "fixed software time per token"),
  };
  return list;
}

const ConfigFields<MeasuredBaseline>& MeasuredBaseline::fields() {
  using C = MeasuredBaseline;
  static const ConfigFields<C> list = {
      optional_field(field(&C::tokens_per_s, "tokens_per_s", any_value(), "tokens/s",
                           "measured: tokens/s of a real run (with _power_w and _source)")),
      optional_field(field(&C::power_w, "power_w", any_value(), "W", "measured: mean power over that run")),
      optional_field(field(&C::source, "source", any_value(), "",
                           "measured: where the figures come from and how they were computed")),
  };
  return list;
}

void RooflineDevice::validate(const std::string& prefix) const {
  check_config_fields(fields(), *this, prefix);
  if (name.empty()) throw std::runtime_error("config key " + prefix + "name must not be empty");
}

BaselineConfig::BaselineConfig() {
  // Defaults: the paper's comparison devices (sources in platform/*.cfg, section [baseline]).
  cpu.name = "Xeon E5-2686 v4, 1 thread (HLSTransform runq setup)";
  cpu.mem_gbs = 12.0;
  cpu.mem_fraction = 0.8;
  cpu.int8_gops = 48.0;
  cpu.fp32_gflops = 24.0;
  cpu.compute_fraction = 0.5;
  cpu.power_w = 72.5;
  gpu.name = "RTX 3090";
  gpu.mem_gbs = 936.0;
  gpu.mem_fraction = 0.8;
  gpu.int8_gops = 284000.0;
  gpu.fp32_gflops = 35580.0;
  gpu.compute_fraction = 0.5;
  gpu.power_w = 350.0;
}

void BaselineConfig::validate(const std::string& prefix) const {
  cpu.validate(prefix + "cpu_");
  gpu.validate(prefix + "gpu_");
  validate_measured(cpu_measured, MeasuredKeys(prefix + "cpu_"));
  validate_measured(gpu_measured, MeasuredKeys(prefix + "gpu_"));
  if (rapl_root.empty()) throw std::runtime_error("config key " + prefix + "cpu_rapl_root must not be empty");
}

const ConfigFields<BaselineConfig>& BaselineConfig::fields() {
  using C = BaselineConfig;
  static const ConfigFields<C> list = [] {
    ConfigFields<C> l = nested_fields(&C::cpu, RooflineDevice::fields(), "cpu_");
    l += nested_fields(&C::gpu, RooflineDevice::fields(), "gpu_");
    l += nested_fields(&C::cpu_measured, MeasuredBaseline::fields(), "cpu_measured_");
    l += nested_fields(&C::gpu_measured, MeasuredBaseline::fields(), "gpu_measured_");
    l.push_back(enum_field(&C::cpu_mode, "cpu",
                           {{"configured", CpuBaselineMode::kConfigured}, {"measure", CpuBaselineMode::kMeasure}},
                           "CPU baseline beside its roofline: configured (the config's figures) | measure (run the "
                           "golden Q8_0 model single-threaded on this machine for the run's model and positions; "
                           "package energy from RAPL where readable, else the configured cpu_power_w)"));
    l.push_back(field(&C::rapl_root, "cpu_rapl_root", any_value(), "",
                      "baseline.cpu = measure: the powercap directory whose intel-rapl:N/energy_uj are read"));
    return l;
  }();
  return list;
}

void BaselineConfig::require_complete_measured(const po::variables_map& vm, const std::string& prefix) {
  auto given = [&](const std::string& key) {
    const auto it = vm.find(key);
    return it != vm.end() && !it->second.empty();
  };
  for (const char* device : {"cpu_", "gpu_"}) {
    const MeasuredKeys keys(prefix + device);
    const std::string all[] = {keys.tokens_per_s, keys.power_w, keys.source};
    int count = 0;
    for (const std::string& key : all) count += given(key) ? 1 : 0;
    if (count == 0) continue;
    for (const std::string& key : all)
      if (!given(key))
        throw std::runtime_error("config key " + key + " is missing: a measured baseline needs " + keys.tokens_per_s +
                                 ", " + keys.power_w + " and " + keys.source);
  }
}

TokenWork token_work(const KernelActionCounts& a, double bytes) {
  TokenWork w;
  w.bytes = bytes;
  w.int8_ops = 2.0 * double(a.int8_macs);
  w.fp32_ops = double(a.fp32_adds) + double(a.fp32_muls) + kExpFlops * double(a.exp_ops) +
               kRecipFlops * double(a.recip_ops) + kRsqrtFlops * double(a.rsqrt_ops);
  return w;
}

BaselineEstimate estimate_token(const RooflineDevice& d, const TokenWork& w) {
  BaselineEstimate e;
  e.memory_s = w.bytes / (d.mem_gbs * 1e9 * d.mem_fraction);
  e.compute_s = (w.int8_ops / (d.int8_gops * 1e9) + w.fp32_ops / (d.fp32_gflops * 1e9)) / d.compute_fraction;
  e.token_s = std::max(e.memory_s, e.compute_s) + d.overhead_us * 1e-6;
  e.energy_j = d.power_w * e.token_s;
  return e;
}

}  // namespace vp
