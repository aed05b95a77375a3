#pragma once
// Baselines for the comparison the HLSTransform paper makes (He et al. 2024, arXiv:2405.00738:
// VU9P vs an Intel Xeon E5-2686 v4 CPU and an NVIDIA RTX 3090 GPU), of two kinds:
// - measured: tokens/s and power of a real run of the software the device stands for, with their
//   source (config keys baseline.<dev>_measured_*; the presets hold the paper repository's GPU logs),
//   or the CPU measured on the simulating machine (baseline.cpu = measure, platform/cpu_measurement.h);
//   energy per token = power / tokens/s;
// - roofline: an upper bound on the device's speed (a lower bound on its energy per token). A
// device runs the same model at the same quantization; per token it must move the bytes the
// accelerator's kernel read in the run (weights + KV cache) and execute the same operations, so
// its time per token is
//   max(bytes / (bandwidth * mem_fraction), ops / (peak * compute_fraction)) + overhead
// (int8 ops and fp32 ops each at their own peak) and its energy is power * time.
// Config keys baseline.cpu_* and baseline.gpu_*; sources of the defaults in platform/*.cfg.
#include <string>

#include <boost/program_options.hpp>

#include "hls/kernel_timing_model.h"
#include "models/config_fields.h"

namespace vp {

struct RooflineDevice {
  std::string name;
  double mem_gbs = 0;            // peak memory bandwidth, GB/s
  double mem_fraction = 1;       // achievable fraction of it
  double int8_gops = 0;          // peak int8 ops/s (a MAC is two ops), 1e9
  double fp32_gflops = 0;        // peak fp32 ops/s, 1e9
  double compute_fraction = 1;   // achievable fraction of the compute peaks
  double power_w = 0;            // power under load
  double overhead_us = 0;        // fixed software time per token (launches, framework), us

  void validate(const std::string& prefix) const;
  static const ConfigFields<RooflineDevice>& fields();
};

// Figures measured on a real run of a baseline's software. Absent unless all three keys are given.
struct MeasuredBaseline {
  double tokens_per_s = 0;  // generated tokens per second of wall time
  double power_w = 0;       // mean power of the device over the run
  std::string source;       // where the figures come from and how they were computed

  bool present() const { return tokens_per_s > 0; }
  double energy_per_token_j() const { return power_w / tokens_per_s; }
  static const ConfigFields<MeasuredBaseline>& fields();  // optional keys: no default
};

// What the CPU baseline reports besides its roofline: the configured figures (a preset's measured
// ones, if any) or a measurement of the golden Q8_0 model on the simulating machine.
enum class CpuBaselineMode { kConfigured, kMeasure };

struct BaselineConfig {
  RooflineDevice cpu, gpu;
  MeasuredBaseline cpu_measured, gpu_measured;
  CpuBaselineMode cpu_mode = CpuBaselineMode::kConfigured;
  std::string rapl_root = "/sys/class/powercap";  // where baseline.cpu = measure looks for intel-rapl:N

  BaselineConfig();
  void validate(const std::string& prefix) const;
  // Keys prefix + key: cpu_<device key>, gpu_..., cpu_measured_..., gpu_measured_..., cpu, cpu_rapl_root.
  static const ConfigFields<BaselineConfig>& fields();
  // A device's measured figures are given all three or not at all; throws naming the missing key.
  static void require_complete_measured(const boost::program_options::variables_map& vm, const std::string& prefix);
};

// The work of one token, as a roofline sees it.
struct TokenWork {
  double bytes = 0;
  double int8_ops = 0;
  double fp32_ops = 0;
};

// int8 ops = 2 per MAC; fp32 ops = adds + multiplies + the fp32 operations inside each
// exp, reciprocal and rsqrt of hls/fp32_math.h (a CPU or GPU computes those in software).
TokenWork token_work(const KernelActionCounts& actions, double bytes);

struct BaselineEstimate {
  double memory_s = 0;   // bytes at the achievable bandwidth
  double compute_s = 0;  // ops at the achievable peaks
  double token_s = 0;    // max of the two, plus the overhead
  double energy_j = 0;   // power * token_s
  bool memory_bound() const { return memory_s >= compute_s; }
  double tokens_per_s() const { return token_s > 0 ? 1.0 / token_s : 0.0; }
};

BaselineEstimate estimate_token(const RooflineDevice& device, const TokenWork& work);

// Report labels of the two kinds of baseline.
constexpr const char* kRooflineLabel = "roofline (upper bound)";
constexpr const char* kMeasuredLabel = "measured";

// fp32 operations inside one call of each special-function unit (hls/fp32_math.h).
constexpr double kExpFlops = 22;    // 12 multiplies, 10 adds (reduction, rounding, Horner, scaling)
constexpr double kRecipFlops = 9;   // 3 Newton steps of mul, sub, mul
constexpr double kRsqrtFlops = 13;  // x/2, then 3 Newton steps of mul, mul, sub, mul

}  // namespace vp
