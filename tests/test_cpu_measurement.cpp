// The CPU baseline measured on the simulating machine (platform/cpu_measurement): RAPL package energy
// read from a powercap root (a fake one here, so that both the readable and the unreadable branch run
// on any machine) and the golden Q8_0 model timed over a run's tokens.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "platform/cpu_measurement.h"
#include "platform/model_source.h"
#include "sw/golden_model.h"
#include "sw/random_checkpoint.h"
#include "tests/expect_mentions.h"
#include "tests/scratch_dir.h"

namespace {

namespace fs = std::filesystem;

// The directories standing for /sys/class/powercap.
using vp::test::ScratchDir;

void write_counter(const fs::path& zone, const char* file, uint64_t value) {
  fs::create_directories(zone);
  std::ofstream(zone / file) << value << "\n";
}

// Something that takes measurable time, for the wall clock.
void spin_for(std::chrono::milliseconds d) {
  const auto end = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < end) {
  }
}

TEST(CpuMeasurement, WithoutRaplItSaysSoAndStillReportsTokensPerSecond) {
  ScratchDir root("rapl_none");  // an empty powercap root: no intel-rapl:N
  const vp::CpuMeasurement m =
      vp::measure_cpu([] { spin_for(std::chrono::milliseconds(20)); }, 4, root.path().string(), 72.5, "baseline.cpu_power_w");
  EXPECT_FALSE(m.energy_measured);
  EXPECT_MENTIONS(m.energy_source, "RAPL not readable");
  EXPECT_MENTIONS(m.energy_source, root.path().string());
  EXPECT_MENTIONS(m.energy_source, "configured baseline.cpu_power_w = 72.5 W");
  EXPECT_EQ(m.tokens, 4);
  EXPECT_GE(m.seconds, 0.020);
  EXPECT_DOUBLE_EQ(m.tokens_per_s, 4 / m.seconds);
  EXPECT_DOUBLE_EQ(m.power_w, 72.5);
  EXPECT_DOUBLE_EQ(m.energy_per_token_j, 72.5 / m.tokens_per_s);
}

TEST(CpuMeasurement, AZoneWhoseCounterCannotBeReadIsNamed) {
  ScratchDir root("rapl_unreadable");
  fs::create_directories(root.path() / "intel-rapl:0");  // the zone, without energy_uj
  const vp::RaplMeter meter(root.path().string());
  EXPECT_FALSE(meter.readable());
  EXPECT_MENTIONS(meter.why_not(), "intel-rapl:0/energy_uj");
  const vp::CpuMeasurement m = vp::measure_cpu([] {}, 1, root.path().string(), 10, "baseline.cpu_power_w");
  EXPECT_FALSE(m.energy_measured);
  EXPECT_MENTIONS(m.energy_source, "intel-rapl:0/energy_uj");
}

// Two packages; the core sub-zone of package 0 is part of its package count and must not be added.
TEST(CpuMeasurement, ReadableRaplGivesThePackagesEnergyPerToken) {
  ScratchDir root("rapl_two_packages");
  const fs::path p0 = root.path() / "intel-rapl:0", p1 = root.path() / "intel-rapl:1",
                 core = root.path() / "intel-rapl:0:0", mmio = root.path() / "intel-rapl-mmio:0";
  write_counter(p0, "energy_uj", 1'000'000);
  write_counter(p1, "energy_uj", 5'000'000);
  write_counter(core, "energy_uj", 0);
  write_counter(mmio, "energy_uj", 0);
  const vp::RaplMeter meter(root.path().string());
  ASSERT_TRUE(meter.readable()) << meter.why_not();
  EXPECT_EQ(meter.zones().size(), 2u);

  const vp::CpuMeasurement m = vp::measure_cpu(
      [&] {
        spin_for(std::chrono::milliseconds(10));
        write_counter(p0, "energy_uj", 4'000'000);   // +3 J
        write_counter(p1, "energy_uj", 6'000'000);   // +1 J
        write_counter(core, "energy_uj", 9'000'000);  // inside package 0: not added
        write_counter(mmio, "energy_uj", 9'000'000);  // not a package zone
      },
      8, root.path().string(), 72.5, "baseline.cpu_power_w");
  ASSERT_TRUE(m.energy_measured) << m.energy_source;
  EXPECT_MENTIONS(m.energy_source, "RAPL package energy of 2 package(s)");
  EXPECT_DOUBLE_EQ(m.energy_per_token_j, 4.0 / 8);
  EXPECT_DOUBLE_EQ(m.power_w, 4.0 / m.seconds);
  EXPECT_DOUBLE_EQ(m.tokens_per_s, 8 / m.seconds);
}

TEST(CpuMeasurement, ACounterThatWrapsIsCountedUpToItsRange) {
  ScratchDir root("rapl_wrap");
  const fs::path p0 = root.path() / "intel-rapl:0";
  write_counter(p0, "energy_uj", 0);
  write_counter(p0, "max_energy_range_uj", 262'143'328'850);
  const vp::RaplMeter meter(root.path().string());
  ASSERT_TRUE(meter.readable()) << meter.why_not();
  EXPECT_DOUBLE_EQ(meter.joules_between({262'143'000'000}, {671'150}), (328'850 + 671'150) * 1e-6);
  EXPECT_DOUBLE_EQ(meter.joules_between({1'000}, {2'501'000}), 2.5);
}

TEST(CpuMeasurement, ACounterThatDoesNotAdvanceFallsBackToTheConfiguredPower) {
  ScratchDir root("rapl_still");
  write_counter(root.path() / "intel-rapl:0", "energy_uj", 123);
  const vp::CpuMeasurement m = vp::measure_cpu([] {}, 2, root.path().string(), 50, "baseline.cpu_power_w");
  EXPECT_FALSE(m.energy_measured);
  EXPECT_MENTIONS(m.energy_source, "did not advance");
  EXPECT_DOUBLE_EQ(m.energy_per_token_j, 50 / m.tokens_per_s);
}

// The golden model runs the run's (token, pos) sequence on this thread: the same passes as a
// GoldenQ8Model fed by hand, so the KV cache carries across them.
TEST(CpuMeasurement, GoldenModelMeasurementRunsTheRunsTokensAndPositions) {
  const vp::Q8Checkpoint weights = vp::random_q8_checkpoint(vp::parse_model_shape("tiny"), 64, 7);
  ScratchDir root("rapl_golden");
  const std::vector<std::pair<int, int>> token_pos{{1, 0}, {17, 1}, {42, 2}};
  const vp::CpuMeasurement m =
      vp::measure_golden_q8_cpu(weights, token_pos, root.path().string(), 72.5, "baseline.cpu_power_w");
  EXPECT_EQ(m.tokens, 3);
  EXPECT_GT(m.tokens_per_s, 0);
  EXPECT_MENTIONS(m.workload, "golden Q8_0 model");
  EXPECT_MENTIONS(m.workload, "1 thread");
  EXPECT_MENTIONS(m.workload, "3 tokens at pos 0..2");
  EXPECT_FALSE(m.energy_measured);
  EXPECT_FALSE(m.cpu_model.empty());
  // A position out of the model's range is the golden model's error, not a silent measurement.
  EXPECT_THROW(vp::measure_golden_q8_cpu(weights, {{1, 0}, {2, 9999}}, root.path().string(), 72.5, "k"),
               std::runtime_error);
}

}  // namespace
