// The board presets' FPGA devices and the fit check of a synthesized kernel against them
// (models/kernel/fpga_device.h), on the committed resource reports of platform/resources/.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "models/kernel/fpga_device.h"
#include "models/kernel/resource_report.h"

namespace {

vp::ResourceCounts report(const char* name) {
  return vp::read_resource_report(std::string(VP_SOURCE_DIR) + "/platform/resources/" + name + ".txt");
}

TEST(FpgaDevice, EveryPresetsDeviceIsKnown) {
  for (const char* name : {"XCU280", "XCU50", "XCVU9P"}) {
    const auto d = vp::fpga_device_capacity(name);
    ASSERT_TRUE(d.has_value()) << name;
    EXPECT_GT(d->lut, 0.0);
    EXPECT_FALSE(d->source.empty());
  }
  EXPECT_FALSE(vp::fpga_device_capacity("XC7Z020").has_value());
}

TEST(FpgaDevice, TheDefaultKernelFitsEveryPresetsDevice) {
  const vp::ResourceCounts k = report("llama_kernel_u280");
  for (const char* name : {"XCU280", "XCU50", "XCVU9P"})
    EXPECT_TRUE(vp::resource_overflows(k, *vp::fpga_device_capacity(name)).empty()) << name;
}

// hbm_streaming.cfg's kernel (16 weight ports, 8 KV ports) as synthesized: 86% of the XCU280's LUTs, more
// than the XCU50 has.
TEST(FpgaDevice, SixteenWeightPortsFitTheXcu280AndOverflowTheXcu50sLutsOnly) {
  const vp::ResourceCounts k = report("llama_kernel_hbm_streaming");
  EXPECT_TRUE(vp::resource_overflows(k, *vp::fpga_device_capacity("XCU280")).empty());
  const auto over = vp::resource_overflows(k, *vp::fpga_device_capacity("XCU50"));
  ASSERT_EQ(over.size(), 1u);
  EXPECT_EQ(over[0].resource, "LUT (logic + SRL + LUTRAM)");
  EXPECT_EQ(over[0].used, k.lut + k.srl + k.lutram);
  EXPECT_EQ(over[0].available, 871680.0);
}

TEST(FpgaDevice, ADesignOfExactlyTheDevicesCountsFits) {
  const vp::FpgaDeviceCapacity d = *vp::fpga_device_capacity("XCVU9P");
  vp::ResourceCounts k;
  k.lut = d.lut - 2;
  k.srl = 1;
  k.lutram = 1;
  k.ff = d.ff;
  k.dsp = d.dsp;
  k.bram = d.bram;
  k.uram = d.uram;
  EXPECT_TRUE(vp::resource_overflows(k, d).empty());
  k.dsp += 1;
  const auto over = vp::resource_overflows(k, d);
  ASSERT_EQ(over.size(), 1u);
  EXPECT_EQ(over[0].resource, "DSP");
}

// rtl/synth/report_resources.sh prints each count's share of the XCU280 and the XCVU9P from its own
// copy of their totals (a shell script cannot read this table): the two copies must agree.
TEST(FpgaDevice, TheSynthesisScriptsDeviceTotalsAreTheTables) {
  std::ifstream in(std::string(VP_SOURCE_DIR) + "/rtl/synth/report_resources.sh");
  ASSERT_TRUE(in) << "rtl/synth/report_resources.sh not found";
  std::stringstream text;
  text << in.rdbuf();
  const vp::FpgaDeviceCapacity u280 = *vp::fpga_device_capacity("XCU280");
  const vp::FpgaDeviceCapacity vu9p = *vp::fpga_device_capacity("XCVU9P");
  const struct {
    const char* label;
    double u280, vu9p;
  } rows[] = {{"LUT \\(logic \\+ SRL \\+ LUTRAM\\)", u280.lut, vu9p.lut},
              {"FF", u280.ff, vu9p.ff},
              {"DSP", u280.dsp, vu9p.dsp},
              {"BRAM36", u280.bram, vu9p.bram},
              {"URAM", u280.uram, vu9p.uram}};
  for (const auto& row : rows) {
    // echo "  FF: $(share "$ff" 2607360 2364480)"
    const std::regex line(std::string("echo \"  ") + row.label + R"(: \$\(share .* (\d+) (\d+)\)\")");
    std::smatch m;
    const std::string s = text.str();
    ASSERT_TRUE(std::regex_search(s, m, line)) << row.label;
    EXPECT_EQ(std::stod(m[1]), row.u280) << row.label;
    EXPECT_EQ(std::stod(m[2]), row.vu9p) << row.label;
  }
}

}  // namespace
