// Roofline CPU/GPU baselines (platform/baseline_model).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "platform/baseline_model.h"
#include "platform/sim_config.h"

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

vp::SimConfig config_from(std::vector<std::string> args) {
  std::vector<const char*> argv{"vpsim"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  return vp::parse_sim_config(static_cast<int>(argv.size()), argv.data());
}

TEST(BaselineModel, PresetHoldsThePapersGpu) {
  const vp::SimConfig c = config_from({std::string(VP_SOURCE_DIR) + "/platform/vu9p_f1.cfg"});
  EXPECT_EQ(c.baseline.gpu.name, "RTX 3090");
  EXPECT_DOUBLE_EQ(c.baseline.gpu.mem_gbs, 936);
  EXPECT_DOUBLE_EQ(c.baseline.gpu.power_w, 350);
  EXPECT_NE(c.baseline.cpu.name.find("E5-2686 v4"), std::string::npos) << c.baseline.cpu.name;
}

TEST(BaselineModel, KeysOverrideAndBadFractionIsRejectedNamingItsKey) {
  const vp::SimConfig c = config_from({"--baseline.cpu_power_w=145", "--baseline.gpu_overhead_us=700"});
  EXPECT_DOUBLE_EQ(c.baseline.cpu.power_w, 145);
  EXPECT_DOUBLE_EQ(c.baseline.gpu.overhead_us, 700);
  for (const std::string key : {"baseline.cpu_mem_fraction", "baseline.gpu_compute_fraction"}) {
    try {
      config_from({"--" + key + "=1.5"});
      FAIL() << key << " = 1.5 was accepted";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  }
}

}  // namespace
