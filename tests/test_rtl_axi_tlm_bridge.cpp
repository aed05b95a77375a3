// AxiTlmBridge with a scripted AXI master standing in for the RTL (plain variables bound as
// pins), in front of the real interconnect and HBM2 channel: narrow bursts, write strobes with
// holes, error responses, READY back-pressure at the outstanding limit. An AxiProtocolChecker
// watches every edge, so the bridge's own side of the protocol is checked too.
// Each test case elaborates and simulates once (ctest runs each case in its own process).
#include "models/verilated/axi_tlm_bridge.h"

#include "models/axi/axi_interconnect.h"
#include "models/axi/axi_protocol_checker.h"
#include "models/dram/dram_channel.h"
#include "tests/u280_dram_channels.h"

#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <array>
#include <functional>
#include <vector>

namespace {

using sc_core::sc_time;
using sc_core::SC_NS;

// The RTL's side of the port: what a Verilated model would hold.
struct FakeRtl {
  uint8_t awvalid = 0, awready = 0, awlen = 0, awsize = 6, awburst = 1;
  uint64_t awaddr = 0;
  uint8_t wvalid = 0, wready = 0, wlast = 0;
  uint64_t wstrb = 0;
  std::array<uint8_t, 64> wdata{};
  uint8_t bvalid = 0, bready = 1, bresp = 0;
  uint8_t arvalid = 0, arready = 0, arlen = 0, arsize = 6, arburst = 1;
  uint64_t araddr = 0;
  uint8_t rvalid = 0, rready = 1, rresp = 0, rlast = 0;
  std::array<uint8_t, 64> rdata{};

  vp::AxiMasterPins pins() {
    vp::AxiMasterPins p;
    p.awvalid = vp::PinRef(awvalid), p.awready = vp::PinRef(awready), p.awaddr = vp::PinRef(awaddr);
    p.awlen = vp::PinRef(awlen), p.awsize = vp::PinRef(awsize), p.awburst = vp::PinRef(awburst);
    p.wvalid = vp::PinRef(wvalid), p.wready = vp::PinRef(wready), p.wlast = vp::PinRef(wlast);
    p.wstrb = vp::PinRef(wstrb), p.wdata = vp::DataPinRef(wdata);
    p.bvalid = vp::PinRef(bvalid), p.bready = vp::PinRef(bready), p.bresp = vp::PinRef(bresp);
    p.arvalid = vp::PinRef(arvalid), p.arready = vp::PinRef(arready), p.araddr = vp::PinRef(araddr);
    p.arlen = vp::PinRef(arlen), p.arsize = vp::PinRef(arsize), p.arburst = vp::PinRef(arburst);
    p.rvalid = vp::PinRef(rvalid), p.rready = vp::PinRef(rready), p.rresp = vp::PinRef(rresp);
    p.rlast = vp::PinRef(rlast), p.rdata = vp::DataPinRef(rdata);
    return p;
  }
};

struct RBeat {
  std::array<uint8_t, 64> data;
  uint32_t resp;
  bool last;
  uint64_t cycle;
};

// Bridge + interconnect + DRAM, and a test body that scripts the master cycle by cycle.
class BridgeBench : public sc_core::sc_module {
 public:
  FakeRtl rtl;
  vp::DramConfig dram_config = vp::test::u280_hbm_channel();
  vp::DramChannel dram;
  vp::AxiInterconnect interconnect;
  vp::AxiTlmBridge bridge;
  vp::AxiProtocolChecker checker;
  tlm_utils::simple_initiator_socket<BridgeBench> debug;
  std::vector<RBeat> r_beats;
  std::vector<bool> arready_seen;  // ARREADY at each edge where ARVALID was high
  uint64_t cycle = 0;

  SC_HAS_PROCESS(BridgeBench);
  BridgeBench(const vp::AxiBridgeConfig& config, std::function<void(BridgeBench&)> body)
      : sc_module("bench"),
        dram("hbm0", dram_config),
        interconnect("interconnect", vp::InterconnectConfig{}),
        bridge("m_axi_test", rtl.pins(), config),
        checker("bench.m_axi_test", vp::AxiCheckerConfig{}),
        debug("debug"),
        body_(std::move(body)) {
    interconnect.channels.bind(dram.socket);
    interconnect.add_region("HBM[0]", 0, dram_config.capacity_bytes(), 0);
    bridge.socket.bind(interconnect.masters);
    debug.bind(interconnect.masters);
    SC_THREAD(run);
  }

  // One rising edge (10 ns clock).
  void step() {
    bridge.drive(false);
    const vp::AxiPortSignals& s = bridge.sample(false);
    const sc_time now = sc_core::sc_time_stamp();
    EXPECT_TRUE(checker.check(s, now)) << checker.violation()->message();
    if (s.ar_valid) arready_seen.push_back(s.ar_ready);
    if (s.r_valid && s.r_ready) r_beats.push_back({rtl.rdata, s.r_resp, s.r_last, cycle});
    bridge.edge(s, now);
    last_ = s;
    ++cycle;
    sc_core::wait(sc_time(10, SC_NS));
  }
  // Holds VALID until the handshake, then drops it.
  void address(bool write, uint64_t addr, uint8_t len, uint8_t size, uint8_t burst = 1) {
    (write ? rtl.awvalid : rtl.arvalid) = 1;
    (write ? rtl.awaddr : rtl.araddr) = addr;
    (write ? rtl.awlen : rtl.arlen) = len;
    (write ? rtl.awsize : rtl.arsize) = size;
    (write ? rtl.awburst : rtl.arburst) = burst;
    do step();
    while (!(write ? last_.aw_ready : last_.ar_ready));
    (write ? rtl.awvalid : rtl.arvalid) = 0;
  }
  void w_beat(const std::array<uint8_t, 64>& data, uint64_t strb, bool last) {
    rtl.wvalid = 1;
    rtl.wdata = data;
    rtl.wstrb = strb;
    rtl.wlast = last;
    do step();
    while (!last_.w_ready);
    rtl.wvalid = 0;
  }
  void wait_until(const std::function<bool()>& done, uint64_t max_cycles = 10000) {
    for (uint64_t i = 0; i < max_cycles && !done(); ++i) step();
  }
  void poke(uint64_t address, std::vector<uint8_t> bytes) { transport_dbg(tlm::TLM_WRITE_COMMAND, address, bytes); }
  std::vector<uint8_t> peek(uint64_t address, size_t n) {
    std::vector<uint8_t> bytes(n);
    transport_dbg(tlm::TLM_READ_COMMAND, address, bytes);
    return bytes;
  }

 private:
  void transport_dbg(tlm::tlm_command cmd, uint64_t address, std::vector<uint8_t>& bytes) {
    tlm::tlm_generic_payload gp;
    gp.set_command(cmd);
    gp.set_address(address);
    gp.set_data_ptr(bytes.data());
    gp.set_data_length(static_cast<unsigned>(bytes.size()));
    gp.set_streaming_width(static_cast<unsigned>(bytes.size()));
    ASSERT_EQ(debug->transport_dbg(gp), bytes.size());
  }
  void run() {
    body_(*this);
    sc_core::sc_stop();
  }
  std::function<void(BridgeBench&)> body_;
  vp::AxiPortSignals last_;
};

std::vector<uint8_t> ramp(size_t n, uint8_t first) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(first + i);
  return v;
}

TEST(AxiTlmBridge, NarrowReadBurstPutsEachBeatInItsByteLanesOneBeatPerCycle) {
  BridgeBench bench(vp::AxiBridgeConfig{}, [](BridgeBench& b) {
    b.poke(0x1000, ramp(128, 0));
    b.address(false, 0x1004, 3, 2);  // 4 beats of 4 bytes from 0x1004
    b.wait_until([&] { return b.r_beats.size() == 4; });
  });
  sc_core::sc_start();
  ASSERT_EQ(bench.r_beats.size(), 4u);
  for (size_t k = 0; k < 4; ++k) {
    const size_t lane = 4 + 4 * k;  // (0x1004 + 4k) % 64
    for (size_t i = 0; i < 4; ++i) EXPECT_EQ(bench.r_beats[k].data[lane + i], lane + i) << "beat " << k;
    EXPECT_EQ(bench.r_beats[k].last, k == 3);
    EXPECT_EQ(bench.r_beats[k].resp, 0u);
    if (k > 0) {
      EXPECT_EQ(bench.r_beats[k].cycle, bench.r_beats[k - 1].cycle + 1);
    }
  }
  EXPECT_EQ(bench.bridge.stats().read_bytes, 16u);
}

TEST(AxiTlmBridge, WriteStrobesWithHolesWriteOnlyTheEnabledBytes) {
  std::vector<uint8_t> after;
  BridgeBench bench(vp::AxiBridgeConfig{}, [&](BridgeBench& b) {
    b.poke(0x2000, std::vector<uint8_t>(128, 0xee));
    b.address(true, 0x2000, 1, 6);
    std::array<uint8_t, 64> beat0{}, beat1{};
    for (size_t i = 0; i < 64; ++i) beat0[i] = static_cast<uint8_t>(i), beat1[i] = static_cast<uint8_t>(100 + i);
    b.w_beat(beat0, 0xFF0Full, false);  // bytes 0-3 and 8-15
    b.w_beat(beat1, ~0ull, true);
    b.wait_until([&] { return b.bridge.idle(); });
    after = b.peek(0x2000, 128);
  });
  sc_core::sc_start();
  ASSERT_EQ(after.size(), 128u);
  for (size_t i = 0; i < 64; ++i) {
    const bool enabled = i < 4 || (i >= 8 && i < 16);
    EXPECT_EQ(after[i], enabled ? i : 0xee) << "byte " << i;
    EXPECT_EQ(after[64 + i], 100 + i) << "byte " << 64 + i;
  }
  EXPECT_EQ(bench.bridge.stats().write_bytes, 4u + 8u + 64u);
  EXPECT_EQ(bench.checker.write_bursts(), 1u);
  EXPECT_TRUE(bench.bridge.error().empty());
}

TEST(AxiTlmBridge, UnmappedAddressAnswersDecerrAndIsReported) {
  BridgeBench bench(vp::AxiBridgeConfig{}, [](BridgeBench& b) {
    b.address(false, 0x7000'0000'0000ull, 1, 6);
    b.wait_until([&] { return b.r_beats.size() == 2; });
  });
  sc_core::sc_start();
  ASSERT_EQ(bench.r_beats.size(), 2u);
  EXPECT_EQ(bench.r_beats[0].resp, 3u);  // DECERR on every beat of the burst
  EXPECT_EQ(bench.r_beats[1].resp, 3u);
  EXPECT_TRUE(bench.r_beats[1].last);
  EXPECT_NE(bench.bridge.error().find("0x700000000000"), std::string::npos) << bench.bridge.error();
  EXPECT_NE(bench.bridge.error().find("read"), std::string::npos) << bench.bridge.error();
}

TEST(AxiTlmBridge, FixedBurstIsRefusedWithSlverr) {
  BridgeBench bench(vp::AxiBridgeConfig{}, [](BridgeBench& b) {
    b.address(false, 0x0, 0, 6, 0);
    b.wait_until([&] { return b.r_beats.size() == 1; });
  });
  sc_core::sc_start();
  ASSERT_EQ(bench.r_beats.size(), 1u);
  EXPECT_EQ(bench.r_beats[0].resp, 2u);
  EXPECT_NE(bench.bridge.error().find("unsupported burst type 0"), std::string::npos) << bench.bridge.error();
}

TEST(AxiTlmBridge, ArreadyDropsAtTheOutstandingLimitAndReadsOverlapInMemory) {
  BridgeBench bench(vp::AxiBridgeConfig{2, 2}, [](BridgeBench& b) {
    b.address(false, 0x0000, 63, 6);
    b.address(false, 0x1000, 63, 6);
    b.rtl.rready = 0;  // hold the data back so both stay outstanding
    b.rtl.arvalid = 1, b.rtl.araddr = 0x2000, b.rtl.arlen = 63;
    for (int i = 0; i < 20; ++i) b.step();  // the third AR must wait
    b.rtl.rready = 1;
    b.address(false, 0x2000, 63, 6);  // taken once the first burst has been returned
    b.wait_until([&] { return b.r_beats.size() == 64 * 3; });
  });
  sc_core::sc_start();
  ASSERT_GE(bench.arready_seen.size(), 22u);
  // The first two ARs were taken at once; the third saw ARREADY low while two were outstanding.
  EXPECT_TRUE(bench.arready_seen[0]);
  EXPECT_TRUE(bench.arready_seen[1]);
  for (size_t i = 2; i < 22; ++i) EXPECT_FALSE(bench.arready_seen[i]) << "edge " << i;
  EXPECT_EQ(bench.bridge.stats().max_reads_in_memory, 2u);
  EXPECT_EQ(bench.checker.max_outstanding_reads(), 2u);
  EXPECT_EQ(bench.r_beats.size(), 64u * 3);
}

}  // namespace
