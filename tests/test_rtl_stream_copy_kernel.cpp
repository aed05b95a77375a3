// The Verilated stream-copy kernel (rtl/stream_copy_kernel.sv: s_axi_control, AXI4 read and
// write masters) in a small SoC with the real interconnect and HBM2 channel models: data,
// burst legality, outstanding reads, interrupt, clock stopping, and a faulty variant whose
// 4 KiB crossing the protocol checker must stop.
// Each test case elaborates and simulates once (ctest runs each case in its own process).
#include "tests/rtl_stream_copy_soc.h"

#include "Vstream_copy_kernel.h"
#include "Vstream_copy_kernel_faulty.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using vp::KernelControlRegs;
using vp::VerilatedKernelConfig;
using vp::test::RtlStreamCopySoc;
using vp::test::RtlTestHost;
using StreamCopy = vp::StreamCopyRtlTop<Vstream_copy_kernel>;
using StreamCopyFaulty = vp::StreamCopyRtlTop<Vstream_copy_kernel_faulty>;

constexpr uint64_t kSrc = 0x10000;
constexpr uint64_t kDst = 0x80000;

TEST(RtlStreamCopyKernel, CopiesAndAddsThroughInterconnectAndDram) {
  constexpr uint32_t kBytes = 40000;  // many 4 KiB pages: bursts split at every boundary
  constexpr uint32_t kAddend = 0x01020304;
  std::vector<uint8_t> src, dst_before, dst_after, untouched_after;
  RtlStreamCopySoc soc(std::make_unique<StreamCopy>(), VerilatedKernelConfig{}, [&](RtlTestHost& host) {
    src = vp::test::pattern(kBytes, 1);
    dst_before = vp::test::pattern(kBytes + 128, 2);
    host.poke(kSrc, src);
    host.poke(kDst, dst_before);
    host.run_copy(kSrc, kDst, kBytes, kAddend);
    dst_after = host.peek(kDst, kBytes + 128);
  });
  sc_core::sc_start();
  ASSERT_FALSE(soc.kernel.violation()) << soc.kernel.violation()->message();
  ASSERT_EQ(dst_after.size(), kBytes + 128u);
  std::vector<uint8_t> src_window = src;
  src_window.resize(kBytes + 128, 0);
  EXPECT_EQ(dst_after, vp::test::expected_copy(src_window, 0, kBytes, kAddend, dst_before));
  // The 128 bytes past the end were not written.
  EXPECT_TRUE(std::equal(dst_after.begin() + kBytes, dst_after.end(), dst_before.begin() + kBytes));
  EXPECT_TRUE(soc.kernel.master(0).error().empty()) << soc.kernel.master(0).error();
}

TEST(RtlStreamCopyKernel, UnalignedTransferWritesExactlyItsBytes) {
  // Start 20 bytes into a beat and end mid-beat: first and last beats carry partial strobes.
  constexpr uint32_t kOffset = 20, kBytes = 5000, kWindow = 5120;
  std::vector<uint8_t> src, dst_before, dst_after;
  RtlStreamCopySoc soc(std::make_unique<StreamCopy>(), VerilatedKernelConfig{}, [&](RtlTestHost& host) {
    src = vp::test::pattern(kWindow, 3);
    dst_before = vp::test::pattern(kWindow, 4);
    host.poke(kSrc, src);
    host.poke(kDst, dst_before);
    host.run_copy(kSrc + kOffset, kDst + kOffset, kBytes, 0);
    dst_after = host.peek(kDst, kWindow);
  });
  sc_core::sc_start();
  ASSERT_FALSE(soc.kernel.violation()) << soc.kernel.violation()->message();
  EXPECT_EQ(dst_after, vp::test::expected_copy(src, kOffset, kBytes, 0, dst_before));
  EXPECT_EQ(dst_after[kOffset - 1], dst_before[kOffset - 1]);
  EXPECT_EQ(dst_after[kOffset], src[kOffset]);
  EXPECT_EQ(dst_after[kOffset + kBytes - 1], src[kOffset + kBytes - 1]);
  EXPECT_EQ(dst_after[kOffset + kBytes], dst_before[kOffset + kBytes]);
}

TEST(RtlStreamCopyKernel, BurstsAreLegalAndReadsOverlapInMemory) {
  constexpr uint32_t kBytes = 64 * 1024;  // 16 pages of 64 beats of 64 bytes
  RtlStreamCopySoc soc(std::make_unique<StreamCopy>(), VerilatedKernelConfig{}, [&](RtlTestHost& host) {
    host.poke(kSrc, vp::test::pattern(kBytes, 5));
    host.run_copy(kSrc, kDst, kBytes, 0);
  });
  sc_core::sc_start();
  ASSERT_FALSE(soc.kernel.violation()) << soc.kernel.violation()->message();
  const vp::AxiProtocolChecker& checker = soc.kernel.master_checker(0);
  // 4 KiB-aligned source and destination: exactly one 64-beat burst per page each way.
  EXPECT_EQ(checker.read_bursts(), kBytes / 4096);
  EXPECT_EQ(checker.write_bursts(), kBytes / 4096);
  // Reads are outstanding on the AXI port and inside the memory system at the same time.
  EXPECT_GT(checker.max_outstanding_reads(), 1u);
  EXPECT_LE(checker.max_outstanding_reads(), VerilatedKernelConfig{}.bridge.max_reads);
  EXPECT_GT(soc.kernel.master(0).stats().max_reads_in_memory, 1u);
  EXPECT_EQ(soc.kernel.master(0).stats().read_bytes, kBytes);
  EXPECT_EQ(soc.kernel.master(0).stats().write_bytes, kBytes);
  EXPECT_EQ(soc.dram.stats().read_bytes, kBytes);
  EXPECT_EQ(soc.dram.stats().write_bytes, kBytes);
  EXPECT_FALSE(soc.kernel.control_checker().violation());
}

TEST(RtlStreamCopyKernel, DoneIsReportedInApCtrlAndTheInterruptClears) {
  uint32_t ctrl_after_done = 0, ctrl_second_read = 0, isr = 0;
  bool irq_after_ack = true;
  RtlStreamCopySoc soc(std::make_unique<StreamCopy>(), VerilatedKernelConfig{}, [&](RtlTestHost& host) {
    host.poke(kSrc, vp::test::pattern(4096, 6));
    host.run_copy(kSrc, kDst, 4096, 0);
    isr = host.read32(KernelControlRegs::kIsr);
    ctrl_after_done = host.read32(KernelControlRegs::kApCtrl);
    ctrl_second_read = host.read32(KernelControlRegs::kApCtrl);
    host.write32(KernelControlRegs::kIsr, KernelControlRegs::kIrqDone);  // toggle-on-write clears
    sc_core::wait(sc_core::sc_time(100, sc_core::SC_NS));
    irq_after_ack = host.interrupt.read();
  });
  sc_core::sc_start();
  EXPECT_EQ(isr & KernelControlRegs::kIrqDone, KernelControlRegs::kIrqDone);
  EXPECT_TRUE(ctrl_after_done & KernelControlRegs::kApDone);
  EXPECT_TRUE(ctrl_after_done & KernelControlRegs::kApIdle);
  EXPECT_FALSE(ctrl_after_done & KernelControlRegs::kApStart);
  EXPECT_FALSE(ctrl_second_read & KernelControlRegs::kApDone);  // clear on read
  EXPECT_TRUE(ctrl_second_read & KernelControlRegs::kApIdle);
  EXPECT_FALSE(irq_after_ack);
}

TEST(RtlStreamCopyKernel, ClockStopsWhileTheKernelWaitsForTheHost) {
  sc_core::sc_time finished;
  RtlStreamCopySoc soc(std::make_unique<StreamCopy>(), VerilatedKernelConfig{}, [&](RtlTestHost& host) {
    host.poke(kSrc, vp::test::pattern(4096, 7));
    host.run_copy(kSrc, kDst, 4096, 0);
    host.acknowledge();
    sc_core::wait(sc_core::sc_time(100, sc_core::SC_US));  // the host is busy elsewhere
    host.run_copy(kSrc, kDst + 8192, 4096, 0);             // the clock restarts on MMIO
    finished = sc_core::sc_time_stamp();
  });
  sc_core::sc_start();
  ASSERT_FALSE(soc.kernel.violation()) << soc.kernel.violation()->message();
  EXPECT_EQ(soc.kernel.master_checker(0).read_bursts(), 2u);
  EXPECT_EQ(soc.kernel.master(0).stats().write_bytes, 2 * 4096u);
  // 100 us at 300 MHz is 30000 cycles; the kernel simulated only a fraction of them.
  const double periods = finished / soc.kernel.cycle();
  EXPECT_GT(periods, 30000.0);
  EXPECT_LT(double(soc.kernel.clock_edges()), periods / 4);
}

TEST(RtlStreamCopyKernel, SixtyFourBitVariantCopiesWhenBurstsStayInsideAPage) {
  // The faulty variant only differs in its boundary (8 KiB): 2 KiB bursts from an 8 KiB
  // aligned address never cross 4 KiB, so it must work, with a 64-bit data bus.
  constexpr uint32_t kBytes = 8192;
  std::vector<uint8_t> src, dst_after;
  RtlStreamCopySoc soc(std::make_unique<StreamCopyFaulty>(), VerilatedKernelConfig{}, [&](RtlTestHost& host) {
    src = vp::test::pattern(kBytes, 8);
    host.poke(kSrc, src);
    host.run_copy(kSrc, kDst, kBytes, 7);
    dst_after = host.peek(kDst, kBytes);
  });
  sc_core::sc_start();
  ASSERT_FALSE(soc.kernel.violation()) << soc.kernel.violation()->message();
  EXPECT_EQ(soc.kernel.master(0).config().max_reads, 16u);
  EXPECT_EQ(soc.kernel.master_checker(0).read_bursts(), kBytes / 2048);  // 256 beats of 8 bytes
  EXPECT_EQ(dst_after, vp::test::expected_copy(src, 0, kBytes, 7, std::vector<uint8_t>(kBytes, 0)));
}

TEST(RtlStreamCopyKernel, ProtocolCheckerStopsABurstCrossing4KiB) {
  std::string error;
  bool host_finished = false;
  RtlStreamCopySoc soc(std::make_unique<StreamCopyFaulty>(), VerilatedKernelConfig{}, [&](RtlTestHost& host) {
    host.poke(kSrc, vp::test::pattern(8192, 9));
    // With an 8 KiB boundary the splitter issues a full 256-beat (2 KiB) burst from 0x10c00,
    // across the 4 KiB boundary at 0x11000.
    host.run_copy(kSrc + 0xc00, kDst, 4096, 0);
    host_finished = true;
  });
  soc.kernel.set_error_handler([&](const std::string& message) {
    error = message;
    sc_core::sc_stop();
  });
  sc_core::sc_start();
  ASSERT_TRUE(soc.kernel.violation());
  EXPECT_FALSE(host_finished);
  EXPECT_EQ(soc.kernel.violation()->rule.find("INCR burst crosses a 4096-byte boundary"), 0u)
      << soc.kernel.violation()->rule;
  EXPECT_NE(error.find("kernel.m_axi_gmem"), std::string::npos) << error;
  EXPECT_NE(error.find("ARADDR=0x10c00"), std::string::npos) << error;
  EXPECT_NE(error.find("ARLEN=255"), std::string::npos) << error;
  EXPECT_GT(soc.kernel.violation()->time, sc_core::SC_ZERO_TIME);
  EXPECT_NE(error.find(" at " + soc.kernel.violation()->time.to_string()), std::string::npos) << error;
}

}  // namespace
