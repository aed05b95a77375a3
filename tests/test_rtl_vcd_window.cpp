// RtlVcdRecorder through VerilatedKernel: the VCD of a stream copy holds the Verilated RTL
// signals and the TLM activity probes, and only the requested time window.
// Each test case elaborates and simulates once (ctest runs each case in its own process).
#include "tests/rtl_stream_copy_soc.h"

#include "Vstream_copy_kernel.h"
#include "platform/sim_config.h"
#include "tests/thrown_message.h"
#include "tests/vcd_reader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace {

using vp::VerilatedKernelConfig;
using vp::test::RtlStreamCopySoc;
using vp::test::RtlTestHost;
using vp::test::ParsedVcd;
using vp::test::find_code;
using vp::test::parse_vcd;
using StreamCopy = vp::StreamCopyRtlTop<Vstream_copy_kernel>;

// Runs a 64 KiB stream copy with a VCD window of [1000 ns, 2500 ns]; returns the copy's end time.
sc_core::sc_time record(const std::string& path) {
  std::remove(path.c_str());
  VerilatedKernelConfig config;
  config.vcd = {path, sc_core::sc_time(1000, sc_core::SC_NS), sc_core::sc_time(2500, sc_core::SC_NS)};
  sc_core::sc_time finished;
  RtlStreamCopySoc soc(std::make_unique<StreamCopy>(), config, [&](RtlTestHost& host) {
    host.poke(0x10000, vp::test::pattern(64 * 1024, 11));
    host.run_copy(0x10000, 0x80000, 64 * 1024, 0);
    finished = sc_core::sc_time_stamp();
  });
  soc.kernel.vcd().add_probe("hbm0", "read_bytes", 64, [&] { return soc.dram.stats().read_bytes; });
  soc.kernel.vcd().add_probe("hbm0", "write_bytes", 64, [&] { return soc.dram.stats().write_bytes; });
  soc.kernel.vcd().add_probe("hbm0", "data_bus_busy_cycles", 64, [&] { return soc.dram.stats().data_bus_busy_cycles; });
  sc_core::sc_start();
  if (soc.kernel.violation()) throw std::runtime_error(soc.kernel.violation()->message());
  return finished;
}

TEST(RtlVcdWindow, HoldsRtlSignalsAndTlmProbesOnlyInsideTheWindow) {
  const std::string path = ::testing::TempDir() + "rtl_vcd_window_test.vcd";
  const sc_core::sc_time finished = record(path);
  ASSERT_GT(finished, sc_core::sc_time(3, sc_core::SC_US)) << "the copy must outlast the window";

  const ParsedVcd vcd = parse_vcd(path);
  EXPECT_EQ(vcd.timescale, "1ps");
  ASSERT_FALSE(vcd.times.empty());
  const uint64_t start_ps = 1000000, stop_ps = 2500000, period_ps = 3333;
  for (uint64_t t : vcd.times) {
    ASSERT_GE(t, start_ps);
    ASSERT_LE(t, stop_ps);
  }
  EXPECT_LT(vcd.times.front(), start_ps + period_ps);  // from the window's start...
  EXPECT_GT(vcd.times.back(), stop_ps - period_ps);    // ...to its end, every half cycle
  EXPECT_GT(vcd.times.size(), 2 * (stop_ps - start_ps) / period_ps - 4);

  // RTL signals: the clock toggles and read data beats are handed over inside the window.
  const std::string clk = find_code(vcd, "stream_copy_kernel.ap_clk");
  const std::string rvalid = find_code(vcd, "stream_copy_kernel.m_axi_gmem_rvalid");
  const std::string wvalid = find_code(vcd, "stream_copy_kernel.m_axi_gmem_wvalid");
  ASSERT_FALSE(clk.empty());
  ASSERT_FALSE(rvalid.empty());
  ASSERT_FALSE(wvalid.empty());
  EXPECT_GT(vcd.changes.at(clk).size(), 2 * (stop_ps - start_ps) / period_ps - 4);
  EXPECT_GT(vcd.changes.count(rvalid) ? vcd.changes.at(rvalid).size() : 0, 2u);

  // TLM probes: bytes read by the bridge and by the DRAM channel grow inside the window.
  for (const std::string probe : {"tlm.m_axi_gmem.read_bytes", "tlm.hbm0.read_bytes"}) {
    const std::string code = find_code(vcd, probe);
    ASSERT_FALSE(code.empty()) << probe;
    const auto& values = vcd.changes.at(code);
    ASSERT_GT(values.size(), 2u) << probe;
    EXPECT_LT(std::stoull(values.front().second, nullptr, 2), std::stoull(values.back().second, nullptr, 2)) << probe;
  }
  std::remove(path.c_str());
}

TEST(RtlVcdWindow, GtkwaveSaveFileNamesSignalsOfTheVcd) {
  const std::string path = ::testing::TempDir() + "rtl_vcd_gtkw_test.vcd";
  record(path);
  const ParsedVcd vcd = parse_vcd(path);
  const std::vector<std::string> signals = vp::test::gtkw_signals(std::string(VP_SOURCE_DIR) + "/rtl/kernel.gtkw");
  for (const std::string& name : signals) EXPECT_EQ(vcd.code_of.count(name), 1u) << name;
  EXPECT_GT(signals.size(), 40u);
  std::remove(path.c_str());
}

TEST(RtlVcdWindow, WindowWhileTheClockIsStoppedHoldsTheIdleKernelAtItsStart) {
  const std::string path = ::testing::TempDir() + "rtl_vcd_stopped_test.vcd";
  std::remove(path.c_str());
  VerilatedKernelConfig config;
  config.vcd = {path, sc_core::sc_time(20, sc_core::SC_US), sc_core::sc_time(30, sc_core::SC_US)};
  RtlStreamCopySoc soc(std::make_unique<StreamCopy>(), config, [&](RtlTestHost& host) {
    host.run_copy(0x10000, 0x80000, 4096, 0);
    host.acknowledge();
    sc_core::wait(sc_core::sc_time(50, sc_core::SC_US));  // the kernel's clock stops meanwhile
  });
  sc_core::sc_start();
  const ParsedVcd vcd = parse_vcd(path);
  ASSERT_EQ(vcd.times.size(), 1u);
  EXPECT_EQ(vcd.times.front(), 20000000u);
  const std::string idle = find_code(vcd, "stream_copy_kernel.ap_idle");
  ASSERT_FALSE(idle.empty());
  ASSERT_EQ(vcd.changes.at(idle).size(), 1u);
  EXPECT_EQ(vcd.changes.at(idle).front().second, "1");
  std::remove(path.c_str());
}

// Until the Llama kernel's RTL is in the SoC, a waveform request is refused, not ignored; a
// backwards window is refused naming its key.
TEST(RtlVcdWindow, VcdKeyAndAliasAreRefusedInFastModeAndBackwardsWindowsAreNamed) {
  auto message_of = [](std::vector<const char*> argv) {
    return vp::test::thrown_message([&] { vp::parse_sim_config(static_cast<int>(argv.size()), argv.data()); });
  };
  EXPECT_NE(message_of({"vpsim", "--vcd", "k.vcd"}).find("run.vcd"), std::string::npos);
  EXPECT_NE(message_of({"vpsim", "--run.vcd=k.vcd", "--run.vcd_start_ns=1500"}).find("run.mode = rtl"),
            std::string::npos);
  EXPECT_NE(message_of({"vpsim", "--run.vcd_start_ns=10", "--run.vcd_stop_ns=5"}).find("run.vcd_stop_ns"),
            std::string::npos);
  EXPECT_EQ(message_of({"vpsim", "--run.vcd_start_ns=1500", "--run.vcd_stop_ns=4000.5"}), "");
}

TEST(RtlVcdWindow, StopBeforeStartIsRejected) {
  EXPECT_THROW(vp::RtlVcdRecorder({"x.vcd", sc_core::sc_time(2, sc_core::SC_US), sc_core::sc_time(1, sc_core::SC_US)}),
               std::runtime_error);
}

}  // namespace
