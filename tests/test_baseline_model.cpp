// CPU/GPU baselines (platform/baseline_model): the roofline bound and the measured figures' config.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "platform/baseline_model.h"
#include "platform/sim_config.h"
#include "tests/sim_config_args.h"
#include "tests/thrown_message.h"

namespace {

vp::RooflineDevice device() {
  vp::RooflineDevice d;
  d.name = "test device";
  d.mem_gbs = 100;          // 100e9 B/s
  d.mem_fraction = 0.5;     // 50e9 B/s achievable
  d.int8_gops = 1000;       // 1e12 ops/s
  d.fp32_gflops = 100;      // 1e11 ops/s
  d.compute_fraction = 0.25;
  d.power_w = 200;
  return d;
}

TEST(BaselineModel, MemoryBoundTokenTakesBytesOverAchievableBandwidth) {
  vp::TokenWork w;
  w.bytes = 1e9;      // 1e9 / 50e9 = 20 ms
  w.int8_ops = 1e9;   // 1e9 / 1e12 = 1 ms
  w.fp32_ops = 1e8;   // 1e8 / 1e11 = 1 ms; (1 + 1) / 0.25 = 8 ms of compute
  const vp::BaselineEstimate e = vp::estimate_token(device(), w);
  EXPECT_DOUBLE_EQ(e.memory_s, 0.020);
  EXPECT_DOUBLE_EQ(e.compute_s, 0.008);
  EXPECT_TRUE(e.memory_bound());
  EXPECT_DOUBLE_EQ(e.token_s, 0.020);
  EXPECT_DOUBLE_EQ(e.tokens_per_s(), 50.0);
  EXPECT_DOUBLE_EQ(e.energy_j, 200 * 0.020);
}

TEST(BaselineModel, ComputeBoundTokenTakesOpsOverAchievablePeaks) {
  vp::TokenWork w;
  w.bytes = 1e8;      // 2 ms
  w.int8_ops = 4e9;   // 4 ms at peak
  w.fp32_ops = 2e8;   // 2 ms at peak; (4 + 2) / 0.25 = 24 ms
  const vp::BaselineEstimate e = vp::estimate_token(device(), w);
  EXPECT_DOUBLE_EQ(e.memory_s, 0.002);
  EXPECT_DOUBLE_EQ(e.compute_s, 0.024);
  EXPECT_FALSE(e.memory_bound());
  EXPECT_DOUBLE_EQ(e.token_s, 0.024);
  EXPECT_DOUBLE_EQ(e.energy_j, 200 * 0.024);
}

TEST(BaselineModel, OverheadAddsToTheRooflineTime) {
  vp::RooflineDevice d = device();
  d.overhead_us = 500;
  vp::TokenWork w;
  w.bytes = 1e9;
  const vp::BaselineEstimate e = vp::estimate_token(d, w);
  EXPECT_DOUBLE_EQ(e.token_s, 0.020 + 0.0005);
  EXPECT_DOUBLE_EQ(e.energy_j, 200 * 0.0205);
}

TEST(BaselineModel, TokenWorkCountsTwoOpsPerMacAndTheFlopsOfSpecialFunctions) {
  vp::KernelActionCounts a;
  a.int8_macs = 10;
  a.fp32_adds = 3;
  a.fp32_muls = 4;
  a.exp_ops = 1;    // 22 flops
  a.recip_ops = 2;  // 9 each
  a.rsqrt_ops = 1;  // 13
  a.buffer_read_words = 1000;  // memory traffic is the bytes argument, not buffer accesses
  const vp::TokenWork w = vp::token_work(a, 12345);
  EXPECT_DOUBLE_EQ(w.bytes, 12345);
  EXPECT_DOUBLE_EQ(w.int8_ops, 20);
  EXPECT_DOUBLE_EQ(w.fp32_ops, 3 + 4 + 22 + 18 + 13);
}

using vp::test::config_from;

TEST(BaselineModel, PresetHoldsThePapersGpu) {
  const vp::SimConfig c = config_from({std::string(VP_SOURCE_DIR) + "/platform/vu9p_f1.cfg"});
  EXPECT_EQ(c.baseline.gpu.name, "RTX 3090");
  EXPECT_DOUBLE_EQ(c.baseline.gpu.mem_gbs, 936);
  EXPECT_DOUBLE_EQ(c.baseline.gpu.power_w, 350);
  EXPECT_NE(c.baseline.cpu.name.find("E5-2686 v4"), std::string::npos) << c.baseline.cpu.name;
}

// The measured GPU of the paper repository (HLSTransform/submission gpu_benchmarks) is in every preset,
// with the files it comes from; its energy per token is power / tokens/s.
TEST(BaselineModel, PresetsHoldTheMeasuredGpuOfThePaperRepository) {
  for (const char* preset : {"u280.cfg", "u50.cfg", "vu9p_f1.cfg"}) {
    SCOPED_TRACE(preset);
    const vp::SimConfig c = config_from({std::string(VP_SOURCE_DIR) + "/platform/" + preset});
    const vp::MeasuredBaseline& m = c.baseline.gpu_measured;
    ASSERT_TRUE(m.present());
    EXPECT_DOUBLE_EQ(m.tokens_per_s, 107.0);
    EXPECT_DOUBLE_EQ(m.power_w, 129.5);
    EXPECT_NE(m.source.find("log_256.txt"), std::string::npos) << m.source;
    EXPECT_NE(m.source.find("emissions.csv"), std::string::npos) << m.source;
    EXPECT_DOUBLE_EQ(m.energy_per_token_j(), 129.5 / 107.0);
    EXPECT_FALSE(c.baseline.cpu_measured.present());  // the CPU's figures stay the configured roofline
    EXPECT_EQ(c.baseline.cpu_mode, vp::CpuBaselineMode::kConfigured);
  }
}

TEST(BaselineModel, WithoutAPresetThereIsNoMeasuredBaseline) {
  const vp::SimConfig c = config_from({});
  EXPECT_FALSE(c.baseline.gpu_measured.present());
  EXPECT_FALSE(c.baseline.cpu_measured.present());
  EXPECT_EQ(c.baseline.rapl_root, "/sys/class/powercap");
}

std::string error_of(const std::vector<std::string>& args) {
  return vp::test::thrown_message<std::exception>([&] { config_from(args); });
}

TEST(BaselineModel, MeasuredFiguresAreReadForBothDevices) {
  const vp::SimConfig c = config_from({"--baseline.cpu_measured_tokens_per_s=25", "--baseline.cpu_measured_power_w=50",
                                       "--baseline.cpu_measured_source=my log", "--baseline.gpu_measured_tokens_per_s=200",
                                       "--baseline.gpu_measured_power_w=300", "--baseline.gpu_measured_source=nvidia-smi"});
  EXPECT_DOUBLE_EQ(c.baseline.cpu_measured.energy_per_token_j(), 2.0);
  EXPECT_EQ(c.baseline.cpu_measured.source, "my log");
  EXPECT_DOUBLE_EQ(c.baseline.gpu_measured.energy_per_token_j(), 1.5);
}

TEST(BaselineModel, AMissingMeasuredFigureIsRejectedNamingItsKey) {
  const std::string only_tokens = error_of({"--baseline.gpu_measured_tokens_per_s=100", "--baseline.gpu_measured_source=x"});
  EXPECT_NE(only_tokens.find("baseline.gpu_measured_power_w is missing"), std::string::npos) << only_tokens;
  const std::string only_power = error_of({"--baseline.cpu_measured_power_w=60"});
  EXPECT_NE(only_power.find("baseline.cpu_measured_tokens_per_s is missing"), std::string::npos) << only_power;

  // In a config file as on the command line.
  const std::string path = (std::filesystem::temp_directory_path() / "vp_test_measured_missing.cfg").string();
  std::ofstream(path) << "[baseline]\ngpu_measured_tokens_per_s = 107\ngpu_measured_power_w = 129.5\n";
  const std::string in_file = error_of({path});
  std::remove(path.c_str());
  EXPECT_NE(in_file.find("baseline.gpu_measured_source is missing"), std::string::npos) << in_file;
}

TEST(BaselineModel, ANegativeOrZeroMeasuredFigureIsRejectedNamingItsKey) {
  const std::vector<std::string> good{"--baseline.gpu_measured_tokens_per_s=107", "--baseline.gpu_measured_power_w=129.5",
                                      "--baseline.gpu_measured_source=logs"};
  EXPECT_EQ(error_of(good), "");
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"baseline.gpu_measured_tokens_per_s", "-107"},
           {"baseline.gpu_measured_power_w", "-129.5"},
           {"baseline.gpu_measured_tokens_per_s", "0"},
           {"baseline.gpu_measured_power_w", "nan"}}) {
    SCOPED_TRACE(key + " = " + value);
    std::vector<std::string> args;
    for (const std::string& a : good)
      args.push_back(a.rfind("--" + key + "=", 0) == 0 ? "--" + key + "=" + value : a);
    const std::string error = error_of(args);
    EXPECT_NE(error.find("config key " + key), std::string::npos) << error;
  }
  // An empty source (possible in a config file; the command line refuses an empty value itself).
  const std::string path = (std::filesystem::temp_directory_path() / "vp_test_measured_empty_source.cfg").string();
  std::ofstream(path) << "[baseline]\ngpu_measured_tokens_per_s = 107\ngpu_measured_power_w = 129.5\n"
                         "gpu_measured_source =\n";
  const std::string empty_source = error_of({path});
  std::remove(path.c_str());
  EXPECT_NE(empty_source.find("baseline.gpu_measured_source must not be empty"), std::string::npos) << empty_source;
}

TEST(BaselineModel, CpuModeIsConfiguredOrMeasure) {
  EXPECT_EQ(config_from({"--baseline.cpu=measure", "--baseline.cpu_rapl_root=/tmp/rapl"}).baseline.cpu_mode,
            vp::CpuBaselineMode::kMeasure);
  EXPECT_EQ(config_from({"--baseline.cpu=measure", "--baseline.cpu_rapl_root=/tmp/rapl"}).baseline.rapl_root,
            "/tmp/rapl");
  EXPECT_EQ(config_from({"--baseline.cpu=configured"}).baseline.cpu_mode, vp::CpuBaselineMode::kConfigured);
  const std::string error = error_of({"--baseline.cpu=measured"});
  EXPECT_NE(error.find("baseline.cpu = measured: expected configured | measure"), std::string::npos) << error;
}

TEST(BaselineModel, KeysOverrideAndBadFractionIsRejectedNamingItsKey) {
  const vp::SimConfig c = config_from({"--baseline.cpu_power_w=145", "--baseline.gpu_overhead_us=700"});
  EXPECT_DOUBLE_EQ(c.baseline.cpu.power_w, 145);
  EXPECT_DOUBLE_EQ(c.baseline.gpu.overhead_us, 700);
  for (const std::string key : {"baseline.cpu_mem_fraction", "baseline.gpu_compute_fraction"}) {
    const std::string error = vp::test::thrown_message([&] { config_from({"--" + key + "=1.5"}); });
    EXPECT_NE(error.find(key), std::string::npos) << key << " = 1.5: " << error;
  }
}

}  // namespace
