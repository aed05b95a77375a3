// AxiMasterPort against the real memory model (one HBM2 pseudo-channel, models/dram/dram_channel): legal
// bursts never crossing 4 KiB, at most max_outstanding in flight, one address per cycle, R beats
// serialized, beats and bytes counted, data moved (or not, timing-only), errors named with the address;
// DMI read pointers kept per granted or refused range (a small DMI target).
// Each test case elaborates and simulates once (ctest runs each case in its own process).
#include "models/axi/axi_master_port.h"

#include <gtest/gtest.h>
#include <tlm_utils/simple_target_socket.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/axi/axi_burst.h"
#include "models/dram/dram_channel.h"
#include "models/dram/dram_config.h"
#include "tests/u280_dram_channels.h"

namespace vp {
namespace {

using sc_core::sc_time;
using sc_core::SC_NS;

constexpr double kCycleNs = 10.0;

// The port bound straight to one DRAM channel, and a test body running as an SC_THREAD that
// stops the simulation when it returns.
class Bench : public sc_core::sc_module {
 public:
  DramConfig dram_config = vp::test::u280_hbm_channel();
  DramChannel dram;
  AxiMasterPort port;
  std::vector<AxiTransactionRecord> records;

  SC_HAS_PROCESS(Bench);
  Bench(const AxiPortConfig& config, std::function<void(Bench&)> body)
      : sc_module("bench"), dram("hbm0", dram_config), port("m_axi_w0", 0, config), body_(std::move(body)) {
    port.socket.bind(dram.socket);
    port.set_observer([this](const AxiTransactionRecord& r) { records.push_back(r); });
    SC_THREAD(run);
  }

  void wait_idle() {
    while (!port.idle()) sc_core::wait(port.idle_event());
  }

 private:
  void run() {
    body_(*this);
    sc_core::sc_stop();
  }
  std::function<void(Bench&)> body_;
};

AxiPortConfig port_config(uint32_t max_outstanding, bool timing_only = false) {
  AxiPortConfig c;
  c.beat_bytes = 64;
  c.cycle = sc_time(kCycleNs, SC_NS);
  c.max_outstanding = max_outstanding;
  c.timing_only = timing_only;
  return c;
}

std::vector<uint8_t> pattern(size_t bytes, uint32_t seed) {
  std::vector<uint8_t> out(bytes);
  for (size_t i = 0; i < bytes; ++i) out[i] = static_cast<uint8_t>(i * 7 + seed * 13 + (i >> 8));
  return out;
}

TEST(AxiMasterPort, WritesSplitAtFourKiBReachTheDramAndReadBackIntact) {
  // 0xF80 .. 0x1080 on a 64-byte bus: 0xF80 + 128 bytes (2 beats) up to the boundary, 0x1000 + 128 (2 beats).
  // 0x1FF0 .. 0x2010: an unaligned 16-byte head (1 beat) and 16-byte tail (1 beat).
  const std::vector<uint8_t> a = pattern(256, 1), b = pattern(32, 2);
  std::vector<uint8_t> got_a(256), got_b(32), got_read(256);
  Bench bench(port_config(4), [&](Bench& t) {
    for (const AxiBurst& burst : split_into_bursts(0xF80, a.size(), 64))
      t.port.enqueue_write(burst, a.data() + (burst.address - 0xF80));
    for (const AxiBurst& burst : split_into_bursts(0x1FF0, b.size(), 64))
      t.port.enqueue_write(burst, b.data() + (burst.address - 0x1FF0));
    t.wait_idle();
    t.port.debug_read(0xF80, got_a.data(), 256);
    t.port.debug_read(0x1FF0, got_b.data(), 32);
    for (const AxiBurst& burst : split_into_bursts(0xF80, 256, 64)) t.port.enqueue_read(burst);
    t.wait_idle();
  });
  sc_core::sc_start();
  EXPECT_EQ(got_a, a);
  EXPECT_EQ(got_b, b);
  ASSERT_EQ(bench.records.size(), 6u);  // 2 + 2 writes, 2 reads
  for (const AxiTransactionRecord& r : bench.records) {
    EXPECT_EQ(r.address / 4096, (r.address + r.bytes - 1) / 4096) << "burst at " << r.address << " crosses 4 KiB";
    EXPECT_EQ(r.port, 0u);
  }
  const AxiPortStats& s = bench.port.stats();
  EXPECT_EQ(s.write_bursts, 4u);
  EXPECT_EQ(s.write_bytes, 256u + 32u);
  EXPECT_EQ(s.write_beats, 2u + 2u + 1u + 1u);
  EXPECT_EQ(s.read_bursts, 2u);
  EXPECT_EQ(s.read_bytes, 256u);
  EXPECT_EQ(s.read_beats, 4u);
  EXPECT_TRUE(bench.port.error().empty()) << bench.port.error();
  EXPECT_EQ(bench.dram.stats().write_bytes, 256u + 32u);
  EXPECT_EQ(bench.dram.stats().read_bytes, 256u);
}

TEST(AxiMasterPort, NeverHasMoreThanMaxOutstandingBurstsInFlight) {
  constexpr uint32_t kMax = 2;
  uint32_t in_flight_after_enqueue = 0;
  size_t queued_after_enqueue = 0;
  uint32_t peak = 0;
  Bench bench(port_config(kMax), [&](Bench& t) {
    // 8 bursts of 4 KiB (64 beats) on different pages, all queued at once.
    for (uint64_t i = 0; i < 8; ++i) t.port.enqueue_read({i * 0x10000, 4096, 64});
    sc_core::wait(sc_core::SC_ZERO_TIME);
    sc_core::wait(sc_core::SC_ZERO_TIME);
    in_flight_after_enqueue = t.port.in_flight();
    queued_after_enqueue = t.port.queued();
    while (!t.port.idle()) {
      peak = std::max(peak, t.port.in_flight());
      sc_core::wait(sc_time(1, SC_NS));
    }
  });
  sc_core::sc_start();
  EXPECT_EQ(in_flight_after_enqueue, kMax);
  EXPECT_EQ(queued_after_enqueue, 8u - kMax);
  EXPECT_EQ(peak, kMax);
  ASSERT_EQ(bench.records.size(), 8u);
  // From the records: at no instant more than kMax bursts between issue and completion.
  for (const AxiTransactionRecord& r : bench.records) {
    int overlapping = 0;
    for (const AxiTransactionRecord& o : bench.records)
      if (o.issue <= r.issue && r.issue < o.complete) ++overlapping;
    EXPECT_LE(overlapping, int(kMax)) << "at " << r.issue;
  }
  EXPECT_EQ(bench.port.stats().read_beats, 8u * 64u);
}

TEST(AxiMasterPort, IssuesOneAddressPerCycleAndSerializesReadBeats) {
  Bench bench(port_config(8), [&](Bench& t) {
    for (uint64_t i = 0; i < 4; ++i) t.port.enqueue_read({i * 0x1000, 1024, 16});
    t.wait_idle();
  });
  sc_core::sc_start();
  ASSERT_EQ(bench.records.size(), 4u);
  std::vector<AxiTransactionRecord> by_issue = bench.records;
  std::sort(by_issue.begin(), by_issue.end(), [](const auto& x, const auto& y) { return x.issue < y.issue; });
  const sc_time cycle(kCycleNs, SC_NS);
  for (size_t i = 1; i < by_issue.size(); ++i)
    EXPECT_GE(by_issue[i].issue - by_issue[i - 1].issue, cycle) << "addresses " << i - 1 << " and " << i;
  // Each burst's 16 beats take 16 cycles on R; all four share the one R channel: 64 beats in all.
  sc_time first_issue = by_issue.front().issue, last_complete = sc_core::SC_ZERO_TIME;
  for (const AxiTransactionRecord& r : bench.records) {
    EXPECT_GE(r.complete - r.issue, cycle * 16.0);
    last_complete = std::max(last_complete, r.complete);
  }
  EXPECT_GE(last_complete - first_issue, cycle * 64.0);
  EXPECT_EQ(bench.port.stats().read_beats, 64u);
}

TEST(AxiMasterPort, TimingOnlyBurstsMoveNoData) {
  const std::vector<uint8_t> before = pattern(128, 5), ignored = pattern(128, 9);
  std::vector<uint8_t> after(128);
  Bench bench(port_config(4, /*timing_only=*/true), [&](Bench& t) {
    t.port.debug_write(0x2000, before.data(), 128);  // functional, zero time
    t.port.enqueue_write({0x2000, 128, 2}, ignored.data());
    t.wait_idle();
    t.port.debug_read(0x2000, after.data(), 128);
  });
  sc_core::sc_start();
  EXPECT_EQ(after, before);
  EXPECT_EQ(bench.port.stats().write_beats, 2u);
  EXPECT_EQ(bench.dram.stats().write_bytes, 128u);  // still timed by the DRAM
}

TEST(AxiMasterPort, ErrorResponseIsReportedWithPortDirectionAndAddress) {
  // One HBM2 pseudo-channel holds 256 MiB = 0x10000000 bytes: the second read is past its end.
  Bench bench(port_config(4), [&](Bench& t) {
    t.port.enqueue_read({0x1000, 64, 1});
    t.port.enqueue_read({0x10000040, 64, 1});
    t.port.enqueue_write({0x10001000, 64, 1}, pattern(64, 3).data());  // a second error: not the one kept
    t.wait_idle();
  });
  sc_core::sc_start();
  const std::string& error = bench.port.error();
  EXPECT_NE(error.find("m_axi_w0"), std::string::npos) << error;
  EXPECT_NE(error.find("read of 64 bytes at 0x10000040"), std::string::npos) << error;
  EXPECT_EQ(error.find("0x10001000"), std::string::npos) << error;
  EXPECT_EQ(bench.port.stats().read_bursts, 2u);  // an errored burst still completes
}

TEST(AxiMasterPort, DebugAccessOutsideMemoryThrowsNamingTheAddress) {
  std::string message;
  Bench bench(port_config(1), [&](Bench& t) {
    uint8_t buf[32] = {};
    try {
      t.port.debug_read(0x10000000, buf, sizeof buf);
    } catch (const std::runtime_error& e) {
      message = e.what();
    }
  });
  sc_core::sc_start();
  EXPECT_NE(message.find("m_axi_w0"), std::string::npos) << message;
  EXPECT_NE(message.find("read of 32 bytes at 0x10000000"), std::string::npos) << message;
}

// A target granting read DMI page by page (4 KiB), refusing its first page; it counts the requests.
class DmiMemory : public sc_core::sc_module {
 public:
  static constexpr uint64_t kPage = 4096;
  tlm_utils::simple_target_socket<DmiMemory> socket;
  std::vector<uint8_t> storage = std::vector<uint8_t>(4 * kPage);
  unsigned dmi_requests = 0;

  explicit DmiMemory(sc_core::sc_module_name name) : sc_module(name), socket("socket") {
    socket.register_get_direct_mem_ptr(this, &DmiMemory::get_direct_mem_ptr);
  }
  void invalidate(uint64_t start, uint64_t end) { socket->invalidate_direct_mem_ptr(start, end); }

 private:
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) {
    ++dmi_requests;
    const uint64_t start = trans.get_address() / kPage * kPage;
    dmi.set_start_address(start);
    dmi.set_end_address(start + kPage - 1);
    if (start == 0) {
      dmi.allow_none();
      return false;
    }
    dmi.set_dmi_ptr(storage.data() + start);
    dmi.allow_read();
    return true;
  }
};

TEST(AxiMasterPort, DmiReadPointerIsKeptPerRangeAndDroppedOnInvalidation) {
  DmiMemory memory("memory");
  AxiMasterPort port("m_axi_w0", 0, port_config(1));
  port.socket.bind(memory.socket);
  const uint8_t* base = memory.storage.data();
  EXPECT_EQ(port.dmi_read_pointer(0x1010, 64), base + 0x1010);
  EXPECT_EQ(port.dmi_read_pointer(0x1F00, 256), base + 0x1F00);  // ends on the page's last byte
  EXPECT_EQ(memory.dmi_requests, 1u) << "the grant is kept";
  EXPECT_EQ(port.dmi_read_pointer(0x1F00, 257), nullptr) << "runs past the grant";
  EXPECT_EQ(port.dmi_read_pointer(0x2000, 16), base + 0x2000);
  EXPECT_EQ(port.dmi_read_pointer(0x0040, 16), nullptr) << "refused page";
  EXPECT_EQ(port.dmi_read_pointer(0x0080, 16), nullptr);
  EXPECT_EQ(memory.dmi_requests, 3u) << "the refusal is kept too";
  memory.invalidate(0x1000, 0x1FFF);
  EXPECT_EQ(port.dmi_read_pointer(0x1010, 64), base + 0x1010);
  EXPECT_EQ(memory.dmi_requests, 4u) << "asked again after the invalidation";
}

TEST(AxiMasterPort, ZeroMaxOutstandingIsRefused) {
  AxiPortConfig c = port_config(0);
  EXPECT_THROW(AxiMasterPort("bad", 0, c), std::invalid_argument);
}

}  // namespace
}  // namespace vp
