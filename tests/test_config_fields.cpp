// The one declaration of each configuration key (models/config_fields.h): options, INI keys, range
// checks, --help and the stats JSON dump all come from the structs' fields().
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "platform/sim_config.h"
#include "tests/sim_config_args.h"
#include "tests/thrown_message.h"

namespace {

using vp::test::config_from;

std::string error_of(const std::vector<std::string>& args) {
  return vp::test::thrown_message([&] { config_from(args); });
}

std::string help_text() {
  const char* argv[] = {"vpsim", "--help"};
  std::string help;
  vp::parse_sim_config(2, argv, &help);
  return help;
}

TEST(ConfigFields, EveryKeyButOutputPathsIsInTheJsonDumpAndNoneIsDeclaredTwice) {
  const std::string help = help_text();
  std::set<std::string> help_keys;
  for (size_t at = help.find("\n  --"); at != std::string::npos; at = help.find("\n  --", at + 1)) {
    const size_t start = at + 5, end = help.find_first_of(" \n", start);
    const std::string key = help.substr(start, end - start);
    if (key != "help") EXPECT_TRUE(help_keys.insert(key).second) << key << " declared twice";
  }
  const nlohmann::json dump = vp::config_values_json(config_from({}));
  std::set<std::string> dumped;
  for (const auto& [key, value] : dump.items()) dumped.insert(key);
  // Where outputs go is left out: runs that differ only in it write the same statistics.
  for (const char* output : {"run.stats", "run.dump_logits", "run.cache_dir", "run.record_trace", "run.timeline", "run.vcd"})
    EXPECT_EQ(help_keys.erase(output), 1u) << output;
  EXPECT_EQ(help_keys, dumped);
  EXPECT_GT(dumped.size(), 200u);
}

TEST(ConfigFields, HelpShowsEachKeysUnitAndRange) {
  const std::string help = help_text();
  EXPECT_NE(help.find("kernel clock (MHz; [1, 2000])"), std::string::npos) << help;
  EXPECT_NE(help.find("(cycles; 1..65535)"), std::string::npos) << help;
  EXPECT_NE(help.find("fast | rtl"), std::string::npos) << help;
}

TEST(ConfigFields, OutOfRangeValueIsRefusedNamingKeyValueAndRange) {
  EXPECT_NE(error_of({"--kernel.clock_mhz=0.5"}).find("kernel.clock_mhz = 0.5: expected [1, 2000]"), std::string::npos)
      << error_of({"--kernel.clock_mhz=0.5"});
  EXPECT_NE(error_of({"--kernel.clock_mhz=2001"}).find("kernel.clock_mhz"), std::string::npos);
  EXPECT_NE(error_of({"--kernel.kv_ports=17"}).find("kernel.kv_ports = 17: expected 1..16"), std::string::npos)
      << error_of({"--kernel.kv_ports=17"});
  EXPECT_NE(error_of({"--ddr.tRCD=0"}).find("ddr.tRCD = 0: expected 1..65535"), std::string::npos)
      << error_of({"--ddr.tRCD=0"});
  EXPECT_NE(error_of({"--kernel.kv_memory=sram"}).find("kernel.kv_memory = sram: expected hbm | ddr"), std::string::npos)
      << error_of({"--kernel.kv_memory=sram"});
  EXPECT_NE(error_of({"--pcie.latency_ns=2e6"}).find("pcie.latency_ns"), std::string::npos);
  EXPECT_EQ(error_of({"--kernel.clock_mhz=2000", "--kernel.kv_ports=16", "--kernel.kv_channel=1"}), "");
}

TEST(ConfigFields, KvPortsNeedTheirChannelsOnTheBoard) {
  EXPECT_EQ(config_from({"--kernel.kv_ports=4"}).kernel.kv_ports, 4u);
  const std::string error = error_of({"--board.hbm_channels=4", "--kernel.kv_ports=4"});
  EXPECT_NE(error.find("kernel.kv_memory/kv_channel/kv_ports"), std::string::npos) << error;
}

// The memory defaults are the [hbm] and [ddr] sections of platform/u280.cfg, compiled in: no copy in code.
TEST(ConfigFields, MemoryDefaultsAreTheU280PresetSections) {
  const vp::SimConfig defaults = config_from({});
  const vp::SimConfig u280 = config_from({std::string(VP_SOURCE_DIR) + "/platform/u280.cfg"});
  const nlohmann::json d = vp::config_values_json(defaults), u = vp::config_values_json(u280);
  for (const auto& [key, value] : u.items())
    if (key.rfind("hbm.", 0) == 0 || key.rfind("ddr.", 0) == 0) EXPECT_EQ(d[key], value) << key;
  EXPECT_EQ(defaults.hbm.kind, "hbm2");
  EXPECT_EQ(defaults.hbm.tRCD, 11u);
  EXPECT_EQ(defaults.ddr.kind, "ddr4");
  EXPECT_DOUBLE_EQ(defaults.ddr.peak_bytes_per_s(), 19.2e9);
}

}  // namespace

namespace {

// The timing model's first-burst rate is derived, not a key: the weights' channel peak over the
// kernel clock (an HBM2 pseudo-channel, 14.4 GB/s, at 300 MHz: 48 B a cycle; DDR4-2400 at 200 MHz:
// 96 B a cycle).
TEST(ConfigFields, FirstBurstRateFollowsTheWeightsChannelAndTheKernelClock) {
  const vp::SimConfig hbm = config_from({std::string(VP_SOURCE_DIR) + "/platform/u280.cfg"});
  EXPECT_DOUBLE_EQ(hbm.kernel.microarch.memory_bytes_per_cycle,
                   hbm.hbm.peak_bytes_per_s() / (hbm.kernel.clock_mhz * 1e6));
  EXPECT_NEAR(hbm.kernel.microarch.memory_bytes_per_cycle, 48.0, 1e-9);
  const vp::SimConfig ddr = config_from(
      {std::string(VP_SOURCE_DIR) + "/platform/u280.cfg", "--kernel.weights_memory=ddr", "--kernel.clock_mhz=200"});
  EXPECT_NEAR(ddr.kernel.microarch.memory_bytes_per_cycle, 96.0, 1e-9);
}

}  // namespace
