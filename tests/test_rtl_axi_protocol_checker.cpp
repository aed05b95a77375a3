// AxiProtocolChecker driven directly, edge by edge: legal traffic passes and is counted, every
// rule it enforces is reported with the port, the time and the signal values.
#include "models/axi/axi_protocol_checker.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using sc_core::sc_time;
using sc_core::SC_NS;
using vp::AxiCheckerConfig;
using vp::AxiPortSignals;
using vp::AxiProtocolChecker;

// Feeds edges 10 ns apart; returns false at the first edge the checker rejects.
class Driver {
 public:
  explicit Driver(AxiCheckerConfig config = {}) : checker("soc.kernel.m_axi_gmem", config) {}
  bool edge(const AxiPortSignals& s) {
    t += sc_time(10, SC_NS);
    return checker.check(s, t);
  }
  std::string rule() const { return checker.violation() ? checker.violation()->rule : "(none)"; }
  std::string message() const { return checker.violation() ? checker.violation()->message() : "(none)"; }

  AxiProtocolChecker checker;
  sc_time t = sc_core::SC_ZERO_TIME;
};

AxiPortSignals ar(uint64_t addr, uint32_t len, bool ready) {
  AxiPortSignals s;
  s.ar_valid = true;
  s.ar_ready = ready;
  s.ar_addr = addr;
  s.ar_len = len;
  s.ar_size = 6;  // 64-byte beats
  s.ar_burst = 1;
  return s;
}

AxiPortSignals r_beat(bool last) {
  AxiPortSignals s;
  s.r_valid = true;
  s.r_ready = true;
  s.r_last = last;
  return s;
}

AxiPortSignals aw(uint64_t addr, uint32_t len) {
  AxiPortSignals s;
  s.aw_valid = true;
  s.aw_ready = true;
  s.aw_addr = addr;
  s.aw_len = len;
  s.aw_size = 6;
  s.aw_burst = 1;
  return s;
}

AxiPortSignals w_beat(bool last) {
  AxiPortSignals s;
  s.w_valid = true;
  s.w_ready = true;
  s.w_last = last;
  s.w_strb = ~0ull;
  return s;
}

AxiPortSignals b_resp() {
  AxiPortSignals s;
  s.b_valid = true;
  s.b_ready = true;
  return s;
}

TEST(AxiProtocolChecker, LegalReadsAndWritesPassAndOutstandingReadsAreCounted) {
  Driver d;
  ASSERT_TRUE(d.edge(ar(0x0000, 1, false)));  // waits one edge for ARREADY
  ASSERT_TRUE(d.edge(ar(0x0000, 1, true)));
  ASSERT_TRUE(d.edge(ar(0x1000, 0, true)));
  ASSERT_TRUE(d.edge(ar(0x2000, 0, true)));   // three bursts outstanding now
  ASSERT_TRUE(d.edge(r_beat(false)));
  ASSERT_TRUE(d.edge(r_beat(true)));
  ASSERT_TRUE(d.edge(r_beat(true)));
  ASSERT_TRUE(d.edge(r_beat(true)));
  ASSERT_TRUE(d.edge(w_beat(false)));         // W may run ahead of its AW
  ASSERT_TRUE(d.edge(aw(0x3000, 1)));
  ASSERT_TRUE(d.edge(w_beat(true)));
  ASSERT_TRUE(d.edge(b_resp())) << d.message();
  EXPECT_FALSE(d.checker.violation());
  EXPECT_EQ(d.checker.read_bursts(), 3u);
  EXPECT_EQ(d.checker.write_bursts(), 1u);
  EXPECT_EQ(d.checker.max_outstanding_reads(), 3u);
  EXPECT_EQ(d.checker.max_outstanding_writes(), 1u);
}

TEST(AxiProtocolChecker, ArvalidDroppedBeforeArreadyIsReportedWithPortTimeAndSignals) {
  Driver d;
  ASSERT_TRUE(d.edge(ar(0x1040, 3, false)));
  EXPECT_FALSE(d.edge(AxiPortSignals{}));
  EXPECT_EQ(d.rule(), "ARVALID dropped before ARREADY");
  const std::string m = d.message();
  EXPECT_NE(m.find("soc.kernel.m_axi_gmem"), std::string::npos) << m;
  EXPECT_NE(m.find("20 ns"), std::string::npos) << m;
  EXPECT_NE(m.find("ARADDR=0x1040"), std::string::npos) << m;
  EXPECT_NE(m.find("ARLEN=3"), std::string::npos) << m;
  EXPECT_FALSE(d.edge(ar(0x1040, 3, true)));  // stays failed
}

TEST(AxiProtocolChecker, AddressChangedWhileWaitingForReadyIsReported) {
  Driver d;
  ASSERT_TRUE(d.edge(ar(0x1000, 3, false)));
  EXPECT_FALSE(d.edge(ar(0x1040, 3, true)));
  EXPECT_EQ(d.rule(), "AR payload changed while ARVALID && !ARREADY");
  EXPECT_NE(d.message().find("ARADDR=0x1040"), std::string::npos) << d.message();
}

TEST(AxiProtocolChecker, AwLengthChangedWhileWaitingForReadyIsReported) {
  Driver d;
  AxiPortSignals s = aw(0x1000, 3);
  s.aw_ready = false;
  ASSERT_TRUE(d.edge(s));
  s.aw_len = 7;
  EXPECT_FALSE(d.edge(s));
  EXPECT_EQ(d.rule(), "AW payload changed while AWVALID && !AWREADY");
}

TEST(AxiProtocolChecker, IncrBurstCrossing4KiBIsReported) {
  Driver d;
  EXPECT_FALSE(d.edge(ar(0x0fc0, 1, true)));  // bytes 0xfc0..0x103f
  EXPECT_EQ(d.rule().rfind("INCR burst crosses a 4096-byte boundary", 0), 0u) << d.rule();
}

TEST(AxiProtocolChecker, BurstEndingExactlyAtTheBoundaryIsLegal) {
  Driver d;
  EXPECT_TRUE(d.edge(ar(0x0f00, 3, true))) << d.message();  // bytes 0xf00..0xfff
}

TEST(AxiProtocolChecker, BurstLongerThan256BeatsIsReported) {
  Driver d;
  EXPECT_FALSE(d.edge(ar(0x0, 256, true)));
  EXPECT_EQ(d.rule(), "INCR burst of 257 beats (ARLEN > 255)");
}

TEST(AxiProtocolChecker, ReservedBurstTypeAndOversizedBeatsAreReported) {
  Driver reserved;
  AxiPortSignals s = aw(0x0, 0);
  s.aw_burst = 3;
  EXPECT_FALSE(reserved.edge(s));
  EXPECT_EQ(reserved.rule(), "AWBURST 3 is reserved");

  Driver wide(AxiCheckerConfig{false, 8, 4096});  // 64-bit bus
  EXPECT_FALSE(wide.edge(ar(0x0, 0, true)));      // 64-byte beats
  EXPECT_EQ(wide.rule(), "ARSIZE 6 is wider than the 8-byte data bus");
}

TEST(AxiProtocolChecker, WrapBurstOfThreeBeatsIsReported) {
  Driver d;
  AxiPortSignals s = ar(0x0, 2, true);
  s.ar_burst = 2;
  EXPECT_FALSE(d.edge(s));
  EXPECT_EQ(d.rule(), "WRAP burst of 3 beats (must be 2, 4, 8 or 16)");
}

TEST(AxiProtocolChecker, EarlyWlastIsReported) {
  Driver d;
  ASSERT_TRUE(d.edge(aw(0x0, 3)));
  ASSERT_TRUE(d.edge(w_beat(false)));
  EXPECT_FALSE(d.edge(w_beat(true)));
  EXPECT_EQ(d.rule(), "WLAST on beat 2 of a 4-beat burst");
}

TEST(AxiProtocolChecker, MissingWlastIsReported) {
  Driver d;
  ASSERT_TRUE(d.edge(aw(0x0, 1)));
  ASSERT_TRUE(d.edge(w_beat(false)));
  EXPECT_FALSE(d.edge(w_beat(false)));
  EXPECT_EQ(d.rule(), "WLAST missing on beat 2 of a 2-beat burst");
}

TEST(AxiProtocolChecker, WDataAheadOfItsAwMustMatchItsLength) {
  Driver d;
  ASSERT_TRUE(d.edge(w_beat(true)));  // one beat, then an AW for two
  EXPECT_FALSE(d.edge(aw(0x0, 1)));
  EXPECT_EQ(d.rule(), "WLAST on beat 1 of a 2-beat burst");
}

TEST(AxiProtocolChecker, WdataChangedWhileWaitingForReadyIsReported) {
  Driver d;
  std::vector<uint8_t> data(64, 0x11);
  AxiPortSignals s = aw(0x0, 0);
  ASSERT_TRUE(d.edge(s));
  s = w_beat(true);
  s.w_ready = false;
  s.w_data = data.data();
  ASSERT_TRUE(d.edge(s));
  data[5] = 0x22;
  EXPECT_FALSE(d.edge(s));
  EXPECT_EQ(d.rule(), "W payload changed while WVALID && !WREADY");
  EXPECT_NE(d.message().find("WDATA changed"), std::string::npos) << d.message();
}

TEST(AxiProtocolChecker, RlastMismatchIsReported) {
  Driver early;
  ASSERT_TRUE(early.edge(ar(0x0, 2, true)));
  EXPECT_FALSE(early.edge(r_beat(true)));
  EXPECT_EQ(early.rule(), "RLAST on beat 1 of a 3-beat burst");

  Driver missing;
  ASSERT_TRUE(missing.edge(ar(0x0, 0, true)));
  EXPECT_FALSE(missing.edge(r_beat(false)));
  EXPECT_EQ(missing.rule(), "RLAST missing on beat 1 of a 1-beat burst");
}

TEST(AxiProtocolChecker, ReadDataWithoutARequestIsReported) {
  Driver d;
  EXPECT_FALSE(d.edge(r_beat(true)));
  EXPECT_EQ(d.rule(), "R beat without an outstanding read");
}

TEST(AxiProtocolChecker, RvalidDroppedBeforeRreadyIsReported) {
  Driver d;
  ASSERT_TRUE(d.edge(ar(0x0, 0, true)));
  AxiPortSignals s = r_beat(true);
  s.r_ready = false;
  ASSERT_TRUE(d.edge(s));
  EXPECT_FALSE(d.edge(AxiPortSignals{}));
  EXPECT_EQ(d.rule(), "RVALID dropped before RREADY");
}

TEST(AxiProtocolChecker, WriteResponseBeforeTheLastWBeatIsReported) {
  Driver d;
  ASSERT_TRUE(d.edge(aw(0x0, 1)));
  ASSERT_TRUE(d.edge(w_beat(false)));
  EXPECT_FALSE(d.edge(b_resp()));
  EXPECT_EQ(d.rule(), "B response before the write's AW and last W beat were accepted");
  EXPECT_NE(d.message().find("W beats accepted 1 of 2"), std::string::npos) << d.message();
}

TEST(AxiProtocolChecker, ValidDuringResetIsReported) {
  Driver d;
  AxiPortSignals s = ar(0x0, 0, false);
  s.reset = true;
  EXPECT_FALSE(d.edge(s));
  EXPECT_EQ(d.rule(), "VALID high while reset is asserted");
}

TEST(AxiProtocolChecker, LiteAccessesNeedNoBurstFields) {
  Driver d(AxiCheckerConfig{true, 4, 4096});
  AxiPortSignals write;
  write.aw_valid = write.aw_ready = true;
  write.aw_addr = 0x10;
  write.aw_burst = 0;  // ignored on AXI4-Lite
  write.w_valid = write.w_ready = true;
  write.w_strb = 0xF;
  ASSERT_TRUE(d.edge(write)) << d.message();
  ASSERT_TRUE(d.edge(b_resp())) << d.message();
  AxiPortSignals read;
  read.ar_valid = read.ar_ready = true;
  read.ar_len = 9;  // ignored on AXI4-Lite
  ASSERT_TRUE(d.edge(read)) << d.message();
  read = AxiPortSignals{};
  read.r_valid = read.r_ready = true;
  ASSERT_TRUE(d.edge(read)) << d.message();
  EXPECT_FALSE(d.edge(b_resp()));  // no write left to answer
  EXPECT_EQ(d.rule(), "B response before the write's AW and last W beat were accepted");
}

}  // namespace
