#include "platform/baseline_model.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace vp {
namespace po = boost::program_options;

namespace {

// The single list of numeric keys of one device: declare_options, from_options and validate walk it.
template <class Device, class Visitor>
void for_each_number(Device& d, Visitor&& visit) {
  visit("mem_gbs", d.mem_gbs, "peak memory bandwidth (GB/s)");
  visit("mem_fraction", d.mem_fraction, "achievable fraction of the memory bandwidth (0..1]");
  visit("int8_gops", d.int8_gops, "peak int8 ops/s, 1e9 (a MAC is two ops)");
  visit("fp32_gflops", d.fp32_gflops, "peak fp32 ops/s, 1e9");
  visit("compute_fraction", d.compute_fraction, "achievable fraction of the compute peaks (0..1]");
  visit("power_w", d.power_w, "power under load (W)");
  visit("overhead_us", d.overhead_us, "fixed software time per token (us)");
}

[[noreturn]] void reject(const std::string& key, double value, const std::string& why) {
  throw std::runtime_error("config key " + key + " = " + std::to_string(value) + ": " + why);
}

// "0.8" rather than boost's "0.80000000000000004" in --help.
std::string shown(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

const char* cpu_mode_name(CpuBaselineMode m) { return m == CpuBaselineMode::kMeasure ? "measure" : "configured"; }

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

void RooflineDevice::validate(const std::string& prefix) const {
  for_each_number(*this, [&](const char* key, double value, const char*) {
    if (!std::isfinite(value) || value < 0) reject(prefix + key, value, "must be a finite value >= 0");
  });
  const std::pair<const char*, double> positive[] = {{"mem_gbs", mem_gbs}, {"int8_gops", int8_gops},
                                                     {"fp32_gflops", fp32_gflops}};
  for (const auto& [key, value] : positive)
    if (!(value > 0)) reject(prefix + key, value, "must be positive");
  const std::pair<const char*, double> fractions[] = {{"mem_fraction", mem_fraction},
                                                      {"compute_fraction", compute_fraction}};
  for (const auto& [key, value] : fractions)
    if (!(value > 0 && value <= 1)) reject(prefix + key, value, "must be in (0, 1]");
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

void BaselineConfig::declare_options(po::options_description& desc, const std::string& prefix,
                                     const BaselineConfig& defaults) {
  auto declare = [&](const std::string& device_prefix, const RooflineDevice& d, const char* what) {
    desc.add_options()((device_prefix + "name").c_str(), po::value<std::string>()->default_value(d.name),
                       (std::string(what) + " baseline: name for reports").c_str());
    for_each_number(d, [&](const char* key, double value, const char* help) {
      desc.add_options()((device_prefix + key).c_str(), po::value<double>()->default_value(value, shown(value)),
                         (std::string(what) + " baseline: " + help).c_str());
    });
  };
  declare(prefix + "cpu_", defaults.cpu, "CPU");
  declare(prefix + "gpu_", defaults.gpu, "GPU");
  // Measured figures: no default unless the defaults hold some, so that a config giving only some of
  // them is caught (from_options names the missing key).
  auto declare_measured = [&](const std::string& device_prefix, const MeasuredBaseline& m, const char* what) {
    const MeasuredKeys keys(device_prefix);
    const std::string w(what);
    auto number = [&](const std::string& key, double value, const std::string& help) {
      auto* v = po::value<double>();
      if (m.present()) v->default_value(value, shown(value));
      desc.add_options()(key.c_str(), v, help.c_str());
    };
    number(keys.tokens_per_s, m.tokens_per_s, w + " baseline, measured: tokens/s of a real run (with _power_w and _source)");
    number(keys.power_w, m.power_w, w + " baseline, measured: mean power over that run (W)");
    auto* source = po::value<std::string>();
    if (m.present()) source->default_value(m.source);
    desc.add_options()(keys.source.c_str(), source,
                       (w + " baseline, measured: where the figures come from and how they were computed").c_str());
  };
  declare_measured(prefix + "cpu_", defaults.cpu_measured, "CPU");
  declare_measured(prefix + "gpu_", defaults.gpu_measured, "GPU");
  desc.add_options()((prefix + "cpu").c_str(), po::value<std::string>()->default_value(cpu_mode_name(defaults.cpu_mode)),
                     "CPU baseline beside its roofline: configured (the config's figures) | measure (run the golden "
                     "Q8_0 model single-threaded on this machine for the run's model and positions; package energy "
                     "from RAPL where readable, else the configured cpu_power_w)");
  desc.add_options()((prefix + "cpu_rapl_root").c_str(), po::value<std::string>()->default_value(defaults.rapl_root),
                     "baseline.cpu = measure: the powercap directory whose intel-rapl:N/energy_uj are read");
}

BaselineConfig BaselineConfig::from_options(const po::variables_map& vm, const std::string& prefix) {
  auto value_of = [&](const std::string& key) -> const po::variable_value& {
    const auto it = vm.find(key);
    if (it == vm.end() || it->second.empty())
      throw std::runtime_error("config key " + key + " is missing (BaselineConfig::declare_options not called?)");
    return it->second;
  };
  auto read = [&](const std::string& device_prefix, RooflineDevice& d) {
    d.name = value_of(device_prefix + "name").as<std::string>();
    for_each_number(d, [&](const char* key, double& field, const char*) {
      field = value_of(device_prefix + key).as<double>();
    });
  };
  auto given = [&](const std::string& key) {
    const auto it = vm.find(key);
    return it != vm.end() && !it->second.empty();
  };
  auto read_measured = [&](const std::string& device_prefix, MeasuredBaseline& m) {
    const MeasuredKeys keys(device_prefix);
    const std::string all[] = {keys.tokens_per_s, keys.power_w, keys.source};
    int count = 0;
    for (const std::string& key : all) count += given(key) ? 1 : 0;
    if (count == 0) return;
    for (const std::string& key : all)
      if (!given(key))
        throw std::runtime_error("config key " + key + " is missing: a measured baseline needs " + keys.tokens_per_s +
                                 ", " + keys.power_w + " and " + keys.source);
    m.tokens_per_s = value_of(keys.tokens_per_s).as<double>();
    m.power_w = value_of(keys.power_w).as<double>();
    m.source = value_of(keys.source).as<std::string>();
  };
  BaselineConfig c;
  read(prefix + "cpu_", c.cpu);
  read(prefix + "gpu_", c.gpu);
  read_measured(prefix + "cpu_", c.cpu_measured);
  read_measured(prefix + "gpu_", c.gpu_measured);
  const std::string mode = value_of(prefix + "cpu").as<std::string>();
  if (mode == "measure") c.cpu_mode = CpuBaselineMode::kMeasure;
  else if (mode == "configured") c.cpu_mode = CpuBaselineMode::kConfigured;
  else throw std::runtime_error("config key " + prefix + "cpu = '" + mode + "': expected configured or measure");
  c.rapl_root = value_of(prefix + "cpu_rapl_root").as<std::string>();
  c.validate(prefix);
  return c;
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
