// rtl/axi_lite_control.sv (inside the stream-copy kernel) reached through AxiLiteTlmBridge: the
// Vitis register map of models/kernel/kernel_control_regs.h, bit for bit as the host driver sees it.
// Each test case elaborates and simulates once (ctest runs each case in its own process).
#include "tests/rtl_stream_copy_soc.h"

#include "Vstream_copy_kernel.h"

#include <gtest/gtest.h>

namespace {

using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_US;
using vp::KernelControlRegs;
using vp::VerilatedKernelConfig;
using vp::test::RtlStreamCopySoc;
using vp::test::RtlTestHost;
using StreamCopy = vp::StreamCopyRtlTop<Vstream_copy_kernel>;
namespace args = vp::stream_copy_args;

TEST(RtlAxiLiteControl, ArgumentsReadBackAndUnknownOffsetsAnswerAddressErrors) {
  uint32_t src_lo = 0, src_hi = 0, bytes = 0, addend = 0, idle_ctrl = 0;
  tlm::tlm_response_status past_arguments{}, past_address_space{}, unaligned{};
  RtlStreamCopySoc soc(std::make_unique<StreamCopy>(), VerilatedKernelConfig{}, [&](RtlTestHost& host) {
    host.write64(args::kSrc, 0x0000'0012'3456'7890ull);
    host.write32(args::kBytes, 4096);
    host.write32(args::kAddend, 0xdeadbeef);
    src_lo = host.read32(args::kSrc);
    src_hi = host.read32(args::kSrc + 4);
    bytes = host.read32(args::kBytes);
    addend = host.read32(args::kAddend);
    idle_ctrl = host.read32(KernelControlRegs::kApCtrl);
    uint32_t value = 0;
    past_arguments = host.access(tlm::TLM_READ_COMMAND, 0x28, value);      // first word past the arguments
    past_address_space = host.access(tlm::TLM_WRITE_COMMAND, 0x40, value); // beyond the 6 address bits
    unaligned = host.access(tlm::TLM_READ_COMMAND, 0x12, value);
  });
  sc_core::sc_start();
  EXPECT_EQ(src_lo, 0x34567890u);
  EXPECT_EQ(src_hi, 0x12u);
  EXPECT_EQ(bytes, 4096u);
  EXPECT_EQ(addend, 0xdeadbeefu);
  EXPECT_EQ(idle_ctrl, KernelControlRegs::kApIdle);  // after reset: idle, nothing else
  EXPECT_EQ(past_arguments, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(past_address_space, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(unaligned, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_FALSE(soc.kernel.control_checker().violation());
}

TEST(RtlAxiLiteControl, IsrTogglesOnWriteAndTheInterruptNeedsGieAndIer) {
  bool irq_without_gie = true, irq_with_gie = false, irq_after_toggle = true, irq_after_second_toggle = false;
  uint32_t isr_before_gie = 0, isr_after_toggle = 1;
  RtlStreamCopySoc soc(std::make_unique<StreamCopy>(), VerilatedKernelConfig{}, [&](RtlTestHost& host) {
    const sc_time settle(100, SC_NS);
    host.write64(args::kSrc, 0x10000);
    host.write64(args::kDst, 0x20000);
    host.write32(args::kBytes, 4096);
    host.write32(KernelControlRegs::kIer, KernelControlRegs::kIrqDone);  // GIE still 0
    host.write32(KernelControlRegs::kApCtrl, KernelControlRegs::kApStart);
    sc_core::wait(sc_time(5, SC_US));
    irq_without_gie = host.interrupt.read();
    isr_before_gie = host.read32(KernelControlRegs::kIsr);
    host.write32(KernelControlRegs::kGie, 1);
    sc_core::wait(settle);
    irq_with_gie = host.interrupt.read();
    host.write32(KernelControlRegs::kIsr, KernelControlRegs::kIrqDone);
    sc_core::wait(settle);
    irq_after_toggle = host.interrupt.read();
    isr_after_toggle = host.read32(KernelControlRegs::kIsr);
    host.write32(KernelControlRegs::kIsr, KernelControlRegs::kIrqDone);  // toggles back on
    sc_core::wait(settle);
    irq_after_second_toggle = host.interrupt.read();
  });
  sc_core::sc_start();
  EXPECT_FALSE(irq_without_gie);
  EXPECT_EQ(isr_before_gie, KernelControlRegs::kIrqDone);
  EXPECT_TRUE(irq_with_gie);
  EXPECT_FALSE(irq_after_toggle);
  EXPECT_EQ(isr_after_toggle, 0u);
  EXPECT_TRUE(irq_after_second_toggle);
}

TEST(RtlAxiLiteControl, ApReadyIsClearedByReadingApCtrl) {
  uint32_t first = 0, second = 0;
  RtlStreamCopySoc soc(std::make_unique<StreamCopy>(), VerilatedKernelConfig{}, [&](RtlTestHost& host) {
    host.write32(args::kBytes, 64 * 1024);
    host.write64(args::kDst, 0x100000);
    host.write32(KernelControlRegs::kApCtrl, KernelControlRegs::kApStart);
    first = host.read32(KernelControlRegs::kApCtrl);   // the kernel has taken the start: running
    second = host.read32(KernelControlRegs::kApCtrl);
  });
  sc_core::sc_start();
  EXPECT_EQ(first & (KernelControlRegs::kApStart | KernelControlRegs::kApReady | KernelControlRegs::kApIdle),
            KernelControlRegs::kApReady);
  EXPECT_EQ(second & KernelControlRegs::kApReady, 0u);
}

TEST(RtlAxiLiteControl, AutoRestartRunsTheKernelAgainUntilCleared) {
  uint32_t ctrl_running = 0, ctrl_final = 0;
  RtlStreamCopySoc soc(std::make_unique<StreamCopy>(), VerilatedKernelConfig{}, [&](RtlTestHost& host) {
    host.write64(args::kSrc, 0x10000);
    host.write64(args::kDst, 0x20000);
    host.write32(args::kBytes, 4096);
    host.write32(KernelControlRegs::kApCtrl, KernelControlRegs::kApStart | KernelControlRegs::kAutoRestart);
    sc_core::wait(sc_time(10, SC_US));
    ctrl_running = host.read32(KernelControlRegs::kApCtrl);
    host.write32(KernelControlRegs::kApCtrl, 0);  // clears auto_restart; the run in progress finishes
    sc_core::wait(sc_time(10, SC_US));
    host.read32(KernelControlRegs::kApCtrl);  // clear-on-read of the last done
    ctrl_final = host.read32(KernelControlRegs::kApCtrl);
  });
  sc_core::sc_start();
  EXPECT_TRUE(ctrl_running & KernelControlRegs::kAutoRestart);
  EXPECT_TRUE(ctrl_running & KernelControlRegs::kApStart);  // stays set while auto-restarting
  EXPECT_GE(soc.kernel.master_checker(0).read_bursts(), 3u);  // several runs of one burst each
  EXPECT_EQ(ctrl_final, KernelControlRegs::kApIdle);
  EXPECT_EQ(soc.kernel.master_checker(0).read_bursts(), soc.kernel.master_checker(0).write_bursts());
}

}  // namespace
