// Kernel dynamic power from synthesized resources (models/kernel/power_model.h with power.resource_report):
// the breakdown by resource class sums to the total, the dynamic part is linear in the toggle rate,
// the preset's path is resolved against its file, and a run with a report prints the breakdown.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/kernel/power_model.h"
#include "platform/report.h"
#include "platform/sim_config.h"
#include "platform/simulation.h"
#include "tests/sim_config_args.h"
#include "tests/thrown_message.h"

namespace {

using vp::EnergyComponent;

std::string report_path(const char* name) {
  return std::string(VP_SOURCE_DIR) + "/platform/resources/" + name + ".txt";
}

vp::PowerConfig with_report(const char* name, double toggle_rate = vp::kReferenceToggleRate) {
  vp::PowerConfig c;
  c.resource_report = report_path(name);
  c.resources = vp::read_resource_report(c.resource_report);
  c.toggle_rate = toggle_rate;
  return c;
}

// 3 ms of a 250 MHz kernel in a 4 ms token.
vp::TokenActivity token() {
  vp::TokenActivity t;
  t.actions.int8_macs = 1000000;
  t.actions.fp32_adds = 5000;
  t.kernel_cycles = 750000;
  t.axi_beats = 40000;
  t.kernel_s = 0.003;
  t.token_s = 0.004;
  t.dram_dynamic_pj = 1e9;
  t.dram_background_w = 1.0;
  t.pcie_pj = 1e6;
  return t;
}

TEST(ResourcePower, BreakdownByClassSumsToKernelDynamicAndTotal) {
  const vp::PowerConfig c = with_report("llama_scratchpad");
  const vp::EnergyBreakdown e = vp::token_energy(c, token());
  double classes = 0, all = 0;
  for (int i = 0; i < vp::kEnergyComponentCount; ++i) {
    const EnergyComponent k = EnergyComponent(i);
    all += e[k];
    if (vp::is_resource_class(k)) {
      classes += e[k];
    } else if (vp::is_kernel_dynamic(k)) {
      EXPECT_EQ(e[k], 0.0) << vp::energy_component_name(k) << " (per-action model unused)";
    }
  }
  EXPECT_GT(classes, 0.0);
  EXPECT_DOUBLE_EQ(e.kernel_dynamic_pj(), classes);
  EXPECT_DOUBLE_EQ(e.total_pj(), all);
  // count x uW/MHz is pJ per cycle at the reference toggle rate.
  EXPECT_DOUBLE_EQ(e[EnergyComponent::kLut], c.resources->lut * c.lut_uw_per_mhz * 750000);
  EXPECT_DOUBLE_EQ(e[EnergyComponent::kBram], c.resources->bram * c.bram_uw_per_mhz * 750000);
  // The static parts do not depend on the kernel model.
  const vp::EnergyBreakdown per_action = vp::token_energy(vp::PowerConfig{}, token());
  EXPECT_EQ(e[EnergyComponent::kFpgaStatic], per_action[EnergyComponent::kFpgaStatic]);
  EXPECT_EQ(e[EnergyComponent::kBoardStatic], per_action[EnergyComponent::kBoardStatic]);
}

TEST(ResourcePower, ClassWattsTimesKernelTimeIsTheClassEnergy) {
  const vp::PowerConfig c = with_report("fp32_mul", 0.2);
  const vp::EnergyBreakdown e = vp::token_energy(c, token());
  const std::vector<vp::ResourceClassPower> classes = vp::resource_power(c, 250.0);
  ASSERT_EQ(classes.size(), 6u);
  double watts = 0;
  for (const vp::ResourceClassPower& p : classes) {
    EXPECT_TRUE(vp::is_resource_class(p.component));
    EXPECT_NEAR(p.watts * 0.003 * 1e12, e[p.component], 1e-9 * e[p.component] + 1e-9) << vp::energy_component_name(p.component);
    watts += p.watts;
  }
  EXPECT_NEAR(watts * 0.003 * 1e12, e.kernel_dynamic_pj(), 1e-9 * e.kernel_dynamic_pj());
  EXPECT_TRUE(vp::resource_power(vp::PowerConfig{}, 250.0).empty());
}

TEST(ResourcePower, DoublingTheToggleRateDoublesOnlyTheDynamicPart) {
  const vp::EnergyBreakdown one = vp::token_energy(with_report("fp32_mul", 0.1), token());
  const vp::EnergyBreakdown two = vp::token_energy(with_report("fp32_mul", 0.2), token());
  EXPECT_GT(one.kernel_dynamic_pj(), 0.0);
  EXPECT_NEAR(two.kernel_dynamic_pj(), 2 * one.kernel_dynamic_pj(), 1e-12 * two.kernel_dynamic_pj());
  for (int i = 0; i < vp::kEnergyComponentCount; ++i) {
    const EnergyComponent k = EnergyComponent(i);
    if (vp::is_kernel_dynamic(k)) {
      EXPECT_NEAR(two[k], 2 * one[k], 1e-12 * two[k]) << vp::energy_component_name(k);
    } else {
      EXPECT_EQ(two[k], one[k]) << vp::energy_component_name(k);
    }
  }
}

using vp::test::config_from;

std::string config_error(const std::vector<std::string>& args) {
  const std::string error = vp::test::thrown_message([&] { config_from(args); });
  if (error.empty()) ADD_FAILURE() << "config accepted";
  return error;
}

TEST(ResourcePower, ReportPathInAConfigFileIsRelativeToThatFile) {
  const std::filesystem::path dir = std::filesystem::absolute("resource_power_cfg");
  std::filesystem::create_directories(dir / "resources");
  std::filesystem::copy_file(report_path("fp32_mul"), dir / "resources" / "k.txt",
                             std::filesystem::copy_options::overwrite_existing);
  std::ofstream(dir / "board.cfg") << "[power]\nresource_report = resources/k.txt\ntoggle_rate = 0.25\n";
  const vp::SimConfig c = config_from({(dir / "board.cfg").string()});
  ASSERT_TRUE(c.power.uses_resources());
  EXPECT_EQ(c.power.resource_report, (dir / "resources" / "k.txt").string());
  EXPECT_EQ(c.power.resources->lut, vp::read_resource_report(report_path("fp32_mul")).lut);  // the file copied
  EXPECT_EQ(c.power.toggle_rate, 0.25);
  // A missing report is an error naming the key and the file.
  std::ofstream(dir / "missing.cfg") << "[power]\nresource_report = resources/none.txt\n";
  const std::string e = config_error({(dir / "missing.cfg").string()});
  EXPECT_NE(e.find("power.resource_report"), std::string::npos) << e;
  EXPECT_NE(e.find((dir / "resources" / "none.txt").string()), std::string::npos) << e;
  // A bad count names the file and the field.
  std::ofstream(dir / "resources" / "bad.txt") << "module: x\nLUT: 1\nSRL: 0\nFF: -3\nDSP: 0\nBRAM: 0\nLUTRAM: 0\nURAM: 0\n";
  const std::string bad = config_error(
      {(dir / "board.cfg").string(), "--power.resource_report=" + (dir / "resources" / "bad.txt").string()});
  EXPECT_NE(bad.find("bad.txt"), std::string::npos) << bad;
  EXPECT_NE(bad.find("field FF"), std::string::npos) << bad;
  EXPECT_NE(config_error({"--power.toggle_rate=1.5"}).find("power.toggle_rate"), std::string::npos);
  EXPECT_NE(config_error({"--power.dsp_uw_per_mhz=-1"}).find("power.dsp_uw_per_mhz"), std::string::npos);
  // Without the key the per-action model stays.
  EXPECT_FALSE(config_from({}).power.uses_resources());
}

TEST(ResourcePower, RunWithAReportPrintsTheBreakdownByResourceClass) {
  const vp::SimConfig config =
      config_from({std::string(VP_SOURCE_DIR) + "/platform/vu9p_f1.cfg", "--run.model_shape=tiny", "--run.steps=2",
                   "--run.cache_dir=vp_test_cache", "--power.resource_report=" + report_path("llama_scratchpad")});
  const vp::RunResult result = vp::run_simulation(config, [](const vp::TokenStats&) {});
  ASSERT_TRUE(result.error.empty()) << result.error;
  std::ostringstream text;
  vp::print_summary(result, text);
  const std::string s = text.str();
  EXPECT_NE(s.find("kernel dynamic model: synthesized resources of llama_scratchpad"), std::string::npos) << s;
  EXPECT_NE(s.find("kernel dynamic power by resource class"), std::string::npos) << s;
  EXPECT_NE(s.find("fits the XCVU9P"), std::string::npos) << s;
  for (const char* c : {"lut", "lutram_srl", "ff", "dsp", "bram", "uram"})
    EXPECT_NE(s.find("    " + std::string(c) + " "), std::string::npos) << c << "\n" << s;
  EXPECT_EQ(s.find("int8_mac"), std::string::npos) << "per-action components shown beside the resource model\n" << s;

  const nlohmann::json j = vp::stats_json(result)["energy"];
  EXPECT_EQ(j["kernel_dynamic_model"], "resources");
  ASSERT_TRUE(j.contains("resources"));
  EXPECT_EQ(j["resources"]["report"], report_path("llama_scratchpad"));
  double class_pj = 0, watts = 0;
  for (const auto& [name, c] : j["resources"]["classes"].items()) {
    class_pj += c["per_token_pj"].get<double>();
    watts += c["watts"].get<double>();
  }
  EXPECT_GT(class_pj, 0.0);
  EXPECT_NEAR(class_pj, j["per_token_pj"]["kernel_dynamic"].get<double>(), 1e-9 * class_pj);
  EXPECT_NEAR(watts, j["resources"]["dynamic_watts"].get<double>(), 1e-12);
  EXPECT_EQ(j["resources"]["classes"]["bram"]["count"], 64);
}

// A one-token run of hbm_streaming.cfg's synthesized kernel (16 weight ports, 8 KV ports) on a board
// preset: the printed summary and the stats' energy.resources.fit.
struct FitReport {
  std::string summary;
  nlohmann::json fit;
};
FitReport sixteen_port_run(const std::string& board_cfg) {
  const vp::SimConfig config =
      config_from({std::string(VP_SOURCE_DIR) + "/platform/" + board_cfg,
                   std::string(VP_SOURCE_DIR) + "/platform/kernels/hbm_streaming.cfg", "--run.model_shape=tiny",
                   "--run.steps=1", "--run.cache_dir=vp_test_cache"});
  const vp::RunResult result = vp::run_simulation(config, [](const vp::TokenStats&) {});
  EXPECT_TRUE(result.error.empty()) << result.error;
  std::ostringstream text;
  vp::print_summary(result, text);
  return {text.str(), vp::stats_json(result)["energy"]["resources"]["fit"]};
}

// It has more LUTs than the U50's XCU50: the report says so beside the energy that follows it.
TEST(ResourcePower, RunWithADesignLargerThanTheDeviceWarnsThatItDoesNotFit) {
  const FitReport r = sixteen_port_run("u50.cfg");
  EXPECT_NE(r.summary.find("WARNING: does not fit the XCU50"), std::string::npos) << r.summary;
  EXPECT_NE(r.summary.find("LUT (logic + SRL + LUTRAM) 1123894 > 871680 (128.9%)"), std::string::npos) << r.summary;
  EXPECT_EQ(r.fit["device"], "XCU50");
  EXPECT_EQ(r.fit["fits"], false);
  ASSERT_EQ(r.fit["over"].size(), 1u);
  EXPECT_EQ(r.fit["over"][0]["resource"], "LUT (logic + SRL + LUTRAM)");
}

// On the board it was sized for, the U280, it takes 86% of the XCU280's LUTs: no warning.
TEST(ResourcePower, RunOfTheSixteenPortKernelOnTheU280SaysItFits) {
  const FitReport r = sixteen_port_run("u280.cfg");
  EXPECT_NE(r.summary.find("fits the XCU280"), std::string::npos) << r.summary;
  EXPECT_EQ(r.summary.find("WARNING: does not fit"), std::string::npos) << r.summary;
  EXPECT_EQ(r.fit["device"], "XCU280");
  EXPECT_EQ(r.fit["fits"], true);
  EXPECT_EQ(r.fit["over"].size(), 0u);
}

TEST(ResourcePower, RunWithoutAReportSaysItUsedThePerActionModel) {
  const vp::SimConfig config =
      config_from({std::string(VP_SOURCE_DIR) + "/platform/vu9p_f1.cfg", "--run.model_shape=tiny", "--run.steps=1",
                   "--run.cache_dir=vp_test_cache", "--power.resource_report=none"});  // the preset sets one
  const vp::RunResult result = vp::run_simulation(config, [](const vp::TokenStats&) {});
  ASSERT_TRUE(result.error.empty()) << result.error;
  std::ostringstream text;
  vp::print_summary(result, text);
  EXPECT_NE(text.str().find("kernel dynamic model: per-action energies"), std::string::npos) << text.str();
  EXPECT_EQ(vp::stats_json(result)["energy"]["kernel_dynamic_model"], "per_action");
}

}  // namespace
