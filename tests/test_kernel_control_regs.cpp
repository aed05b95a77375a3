// KernelControlRegs: the Vitis HLS s_axi_control register map seen from the host socket and the
// kernel API. Each test case elaborates and simulates once (ctest runs each case alone).
#include "models/kernel/kernel_control_regs.h"

#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/sc_test_host.h"
#include "tests/stand_in_kernel.h"
#include "tests/thrown_message.h"

namespace {

using sc_core::sc_time;
using sc_core::SC_NS;
using Regs = vp::KernelControlRegs;

// The host side of s_axi_control, running the test body as its SC_THREAD.
class TestHost : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<TestHost> socket;

  SC_HAS_PROCESS(TestHost);
  TestHost(const sc_core::sc_module_name& name, std::function<void(TestHost&)> body)
      : sc_module(name), socket("socket"), body_(std::move(body)) {
    SC_THREAD(run);
  }

  tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t address, uint8_t* data, unsigned length) {
    sc_time delay = sc_core::SC_ZERO_TIME;
    const tlm::tlm_response_status status = vp::test::blocking_transfer(socket, cmd, address, data, length, delay);
    sc_core::wait(delay);
    return status;
  }
  uint32_t read(uint64_t address) {
    uint32_t v = 0;
    const auto status = access(tlm::TLM_READ_COMMAND, address, reinterpret_cast<uint8_t*>(&v), 4);
    EXPECT_EQ(status, tlm::TLM_OK_RESPONSE) << "read at " << address;
    return v;
  }
  void write(uint64_t address, uint32_t v) {
    const auto status = access(tlm::TLM_WRITE_COMMAND, address, reinterpret_cast<uint8_t*>(&v), 4);
    EXPECT_EQ(status, tlm::TLM_OK_RESPONSE) << "write at " << address;
  }

 private:
  void run() { body_(*this); }
  std::function<void(TestHost&)> body_;
};

// A kernel that waits for start, reads its arguments and runs for a fixed time, `runs` times.
class TestKernel : public vp::test::StandInKernel {
 public:
  unsigned runs = 0;
  std::vector<sc_time> accepted_at;
  std::vector<uint32_t> token_seen;

  TestKernel(const sc_core::sc_module_name& name, Regs& regs, sc_time run_time, bool read_token = false)
      : StandInKernel(name, regs), run_time_(run_time), read_token_(read_token) {}

 private:
  void call() override {
    accepted_at.push_back(sc_core::sc_time_stamp());
    if (read_token_) token_seen.push_back(regs_.arg32("token"));
    sc_core::wait(run_time_);
    ++runs;
  }
  sc_time run_time_;
  bool read_token_;
};

// Register file + interrupt wire, with access_ns = 10.
struct Bench {
  Regs regs{"regs", vp::ControlRegsConfig{10.0}};
  sc_core::sc_signal<bool> interrupt{"interrupt"};
  Bench() { regs.interrupt_o.bind(interrupt); }

  // Connects `host` to s_axi_control and simulates for `duration`, or until nothing is left to do.
  void run(TestHost& host, sc_time duration) {
    host.socket.bind(regs.s_axi_control);
    sc_core::sc_start(duration);
  }
  void run(TestHost& host) {
    host.socket.bind(regs.s_axi_control);
    sc_core::sc_start();
  }
};

TEST(KernelControlRegs, StartDoneHandshake) {
  Bench b;
  b.regs.add_argument("token", 0x10, 32);
  TestKernel kernel("kernel", b.regs, sc_time(1, sc_core::SC_US), true);
  uint32_t before = 0, running = 0, after = 0;
  sc_time done_seen;
  TestHost host("host", [&](TestHost& h) {
    before = h.read(Regs::kApCtrl);
    h.write(0x10, 42);
    h.write(Regs::kApCtrl, Regs::kApStart);
    sc_core::wait(sc_time(100, SC_NS));
    running = h.read(Regs::kApCtrl);
    do after = h.read(Regs::kApCtrl);
    while (!(after & Regs::kApDone));
    done_seen = sc_core::sc_time_stamp();
  });
  b.run(host, sc_time(10, sc_core::SC_US));

  EXPECT_EQ(before, Regs::kApIdle) << "reset state: idle only";
  EXPECT_EQ(running & (Regs::kApStart | Regs::kApIdle | Regs::kApDone), 0u) << "started, not idle, not done";
  EXPECT_TRUE(running & Regs::kApReady) << "inputs accepted";
  EXPECT_TRUE(after & Regs::kApIdle);
  EXPECT_EQ(after & Regs::kApStart, 0u);
  EXPECT_EQ(kernel.runs, 1u);
  ASSERT_EQ(kernel.token_seen.size(), 1u);
  EXPECT_EQ(kernel.token_seen[0], 42u);
  ASSERT_EQ(kernel.accepted_at.size(), 1u);
  EXPECT_EQ(kernel.accepted_at[0], sc_time(30, SC_NS)) << "three 10 ns accesses before the start lands";
  EXPECT_GE(done_seen, kernel.accepted_at[0] + sc_time(1, sc_core::SC_US));
}

TEST(KernelControlRegs, DoneAndReadyClearOnRead) {
  Bench b;
  TestKernel kernel("kernel", b.regs, sc_time(200, SC_NS));
  uint32_t first = 0, second = 0;
  TestHost host("host", [&](TestHost& h) {
    h.write(Regs::kApCtrl, Regs::kApStart);
    sc_core::wait(sc_time(1, sc_core::SC_US));
    first = h.read(Regs::kApCtrl);
    second = h.read(Regs::kApCtrl);
  });
  b.run(host, sc_time(10, sc_core::SC_US));

  EXPECT_EQ(first, Regs::kApDone | Regs::kApIdle | Regs::kApReady);
  EXPECT_EQ(second, Regs::kApIdle);
}

TEST(KernelControlRegs, IsrTogglesOnWrite) {
  Bench b;
  TestKernel kernel("kernel", b.regs, sc_time(200, SC_NS));
  std::vector<uint32_t> isr;
  TestHost host("host", [&](TestHost& h) {
    h.write(Regs::kIer, Regs::kIrqDone | Regs::kIrqReady);
    h.write(Regs::kApCtrl, Regs::kApStart);
    sc_core::wait(sc_time(1, sc_core::SC_US));
    isr.push_back(h.read(Regs::kIsr));  // done and ready
    h.write(Regs::kIsr, Regs::kIrqDone);
    isr.push_back(h.read(Regs::kIsr));  // done toggled off
    h.write(Regs::kIsr, Regs::kIrqDone | Regs::kIrqReady);
    isr.push_back(h.read(Regs::kIsr));  // done on again, ready off: a toggle, not a clear
    h.write(Regs::kIsr, 0);
    isr.push_back(h.read(Regs::kIsr));  // writing 0 changes nothing
  });
  b.run(host, sc_time(10, sc_core::SC_US));

  EXPECT_EQ(isr, (std::vector<uint32_t>{3, 2, 1, 1}));
}

TEST(KernelControlRegs, InterruptNeedsGlobalAndIpEnable) {
  Bench b;
  TestKernel kernel("kernel", b.regs, sc_time(200, SC_NS));
  std::vector<bool> level;
  std::vector<uint32_t> isr;
  TestHost host("host", [&](TestHost& h) {
    auto sample = [&] {
      sc_core::wait(sc_time(1, SC_NS));
      level.push_back(b.interrupt.read());
    };
    // Run 1: no IP enable -> ISR stays clear even with GIE.
    h.write(Regs::kGie, 1);
    h.write(Regs::kApCtrl, Regs::kApStart);
    sc_core::wait(sc_time(1, sc_core::SC_US));
    isr.push_back(h.read(Regs::kIsr));
    sample();  // 0
    // Run 2: IP enable but no GIE -> ISR set, line low.
    h.write(Regs::kGie, 0);
    h.write(Regs::kIer, Regs::kIrqDone);
    h.write(Regs::kApCtrl, Regs::kApStart);
    sc_core::wait(sc_time(1, sc_core::SC_US));
    isr.push_back(h.read(Regs::kIsr));
    sample();  // 0
    h.write(Regs::kGie, 1);
    sample();  // 1: both enables and a pending status
    h.write(Regs::kIer, 0);
    sample();  // 0: status still pending but masked
    h.write(Regs::kIer, Regs::kIrqDone);
    sample();  // 1
    h.write(Regs::kIsr, Regs::kIrqDone);
    sample();  // 0: acknowledged
  });
  b.run(host, sc_time(10, sc_core::SC_US));

  EXPECT_EQ(isr, (std::vector<uint32_t>{0, Regs::kIrqDone}));
  EXPECT_EQ(level, (std::vector<bool>{false, false, true, false, true, false}));
  EXPECT_FALSE(b.interrupt.read());
}

TEST(KernelControlRegs, InterruptRisesWhenTheKernelFinishes) {
  Bench b;
  const sc_time run_time(500, SC_NS);
  TestKernel kernel("kernel", b.regs, run_time);
  sc_time accepted, raised;
  TestHost host("host", [&](TestHost& h) {
    h.write(Regs::kGie, 1);
    h.write(Regs::kIer, Regs::kIrqDone);
    h.write(Regs::kApCtrl, Regs::kApStart);
    sc_core::wait(b.interrupt.posedge_event());
    raised = sc_core::sc_time_stamp();
  });
  b.run(host, sc_time(10, sc_core::SC_US));
  ASSERT_EQ(kernel.accepted_at.size(), 1u);
  EXPECT_EQ(raised, kernel.accepted_at[0] + run_time);
}

TEST(KernelControlRegs, StartDuringARunIsHeldUntilFinish) {
  Bench b;
  const sc_time run_time(1, sc_core::SC_US);
  TestKernel kernel("kernel", b.regs, run_time);
  uint32_t pending = 0;
  TestHost host("host", [&](TestHost& h) {
    h.write(Regs::kApCtrl, Regs::kApStart);
    sc_core::wait(sc_time(300, SC_NS));
    h.write(Regs::kApCtrl, Regs::kApStart);  // while running
    pending = h.read(Regs::kApCtrl);
  });
  b.run(host, sc_time(10, sc_core::SC_US));

  EXPECT_TRUE(pending & Regs::kApStart);
  EXPECT_FALSE(pending & Regs::kApIdle);
  EXPECT_EQ(kernel.runs, 2u);
  ASSERT_EQ(kernel.accepted_at.size(), 2u);
  EXPECT_EQ(kernel.accepted_at[1], kernel.accepted_at[0] + run_time);
}

TEST(KernelControlRegs, AutoRestartRerunsUntilCleared) {
  Bench b;
  const sc_time run_time(1, sc_core::SC_US);
  TestKernel kernel("kernel", b.regs, run_time);
  uint32_t during = 0, final_ctrl = 0;
  TestHost host("host", [&](TestHost& h) {
    h.write(Regs::kApCtrl, Regs::kApStart | Regs::kAutoRestart);  // accepted at 10 ns
    sc_core::wait(sc_time(2500, SC_NS));                          // inside run 3 (2.01 .. 3.01 us)
    during = h.read(Regs::kApCtrl);
    h.write(Regs::kApCtrl, 0);
    sc_core::wait(sc_time(5, sc_core::SC_US));
    final_ctrl = h.read(Regs::kApCtrl);
  });
  b.run(host, sc_time(20, sc_core::SC_US));

  EXPECT_EQ(during & (Regs::kApStart | Regs::kAutoRestart), Regs::kApStart | Regs::kAutoRestart)
      << "ap_start stays set under auto_restart";
  // Run 3 was accepted with auto_restart set, so ap_start survives it and run 4 starts; run 4
  // is accepted after auto_restart was cleared, which clears ap_start.
  EXPECT_EQ(kernel.runs, 4u);
  for (size_t i = 1; i < kernel.accepted_at.size(); ++i)
    EXPECT_EQ(kernel.accepted_at[i], kernel.accepted_at[i - 1] + run_time) << "back-to-back run " << i;
  EXPECT_EQ(final_ctrl & (Regs::kApStart | Regs::kAutoRestart | Regs::kApIdle), Regs::kApIdle);
}

TEST(KernelControlRegs, SixtyFourBitArgumentSpansTwoWords) {
  Bench b;
  b.regs.add_argument("weights", 0x10, 64);
  b.regs.add_argument("token", 0x18, 32);
  uint32_t lo = 0, hi = 0;
  TestHost host("host", [&](TestHost& h) {
    h.write(0x10, 0x89ABCDEF);
    h.write(0x14, 0x01234567);
    h.write(0x18, 7);
    lo = h.read(0x10);
    hi = h.read(0x14);
  });
  b.run(host);

  EXPECT_EQ(b.regs.arg64("weights"), 0x0123456789ABCDEFull);
  EXPECT_EQ(lo, 0x89ABCDEFu);
  EXPECT_EQ(hi, 0x01234567u);
  EXPECT_EQ(b.regs.arg32("token"), 7u);
  EXPECT_EQ(b.regs.arg64("token"), 7u);
  EXPECT_THROW(b.regs.arg32("weights"), std::runtime_error);
  const std::string unknown = vp::test::thrown_message([&] { b.regs.arg64("logits"); });
  EXPECT_NE(unknown.find("logits"), std::string::npos) << "unknown argument: " << unknown;
}

TEST(KernelControlRegs, BadArgumentDeclarationsThrowNamingTheArgument) {
  Regs regs("regs", vp::ControlRegsConfig{});
  regs.add_argument("weights", 0x10, 64);
  auto message_of = [&](const std::string& name, uint32_t offset, unsigned width) {
    return vp::test::thrown_message([&] { regs.add_argument(name, offset, width); });
  };
  const std::string overlap = message_of("pos", 0x14, 32);  // the hi word of weights
  EXPECT_NE(overlap.find("pos"), std::string::npos) << overlap;
  EXPECT_NE(overlap.find("weights"), std::string::npos) << overlap;
  EXPECT_NE(message_of("ctrl_shadow", 0x0C, 32).find("ctrl_shadow"), std::string::npos);
  EXPECT_NE(message_of("odd", 0x1A, 32).find("odd"), std::string::npos);
  EXPECT_NE(message_of("wide", 0x20, 128).find("wide"), std::string::npos);
  EXPECT_NE(message_of("weights", 0x40, 32).find("weights"), std::string::npos) << "duplicate name";
  EXPECT_EQ(message_of("pos", 0x18, 32), "") << "the next free word is fine";
}

TEST(KernelControlRegs, UnknownOffsetsGetAddressError) {
  Bench b;
  b.regs.add_argument("token", 0x10, 32);
  b.regs.add_argument("pos", 0x20, 32);
  std::vector<tlm::tlm_response_status> status;
  TestHost host("host", [&](TestHost& h) {
    uint32_t v = 0;
    auto* p = reinterpret_cast<uint8_t*>(&v);
    status.push_back(h.access(tlm::TLM_READ_COMMAND, 0x18, p, 4));    // gap between arguments
    status.push_back(h.access(tlm::TLM_WRITE_COMMAND, 0x100, p, 4));  // past the map
    status.push_back(h.access(tlm::TLM_READ_COMMAND, 0x20, p, 4));    // a real one
  });
  b.run(host);
  EXPECT_EQ(status, (std::vector<tlm::tlm_response_status>{tlm::TLM_ADDRESS_ERROR_RESPONSE,
                                                            tlm::TLM_ADDRESS_ERROR_RESPONSE, tlm::TLM_OK_RESPONSE}));
}

TEST(KernelControlRegs, MisalignedAndWideAccessesAreRejected) {
  Bench b;
  b.regs.add_argument("weights", 0x10, 64);
  std::vector<tlm::tlm_response_status> status;
  TestHost host("host", [&](TestHost& h) {
    uint8_t buf[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    status.push_back(h.access(tlm::TLM_WRITE_COMMAND, 0x12, buf, 4));  // misaligned
    status.push_back(h.access(tlm::TLM_WRITE_COMMAND, 0x10, buf, 8));  // 64-bit burst
    status.push_back(h.access(tlm::TLM_READ_COMMAND, 0x10, buf, 2));   // 16-bit
  });
  b.run(host);
  EXPECT_EQ(status, (std::vector<tlm::tlm_response_status>{tlm::TLM_ADDRESS_ERROR_RESPONSE,
                                                            tlm::TLM_BURST_ERROR_RESPONSE,
                                                            tlm::TLM_BURST_ERROR_RESPONSE}));
  EXPECT_EQ(b.regs.arg64("weights"), 0u) << "rejected writes change nothing";
}

TEST(KernelControlRegs, AccessTakesConfiguredTime) {
  Regs regs("regs", vp::ControlRegsConfig{25.0});
  sc_core::sc_signal<bool> interrupt("interrupt");
  regs.interrupt_o.bind(interrupt);
  sc_time write_time, read_time;
  TestHost host("host", [&](TestHost& h) {
    h.write(Regs::kIer, 1);
    write_time = sc_core::sc_time_stamp();
    h.read(Regs::kIer);
    read_time = sc_core::sc_time_stamp();
  });
  host.socket.bind(regs.s_axi_control);
  sc_core::sc_start();
  EXPECT_EQ(write_time, sc_time(25, SC_NS));
  EXPECT_EQ(read_time, sc_time(50, SC_NS));
}

TEST(KernelControlRegs, DebugReadHasNoClearOnReadSideEffect) {
  Bench b;
  TestKernel kernel("kernel", b.regs, sc_time(100, SC_NS));
  uint32_t peeked = 0, read = 0;
  TestHost host("host", [&](TestHost& h) {
    h.write(Regs::kApCtrl, Regs::kApStart);
    sc_core::wait(sc_time(1, sc_core::SC_US));
    tlm::tlm_generic_payload t;
    t.set_command(tlm::TLM_READ_COMMAND);
    t.set_address(Regs::kApCtrl);
    t.set_data_ptr(reinterpret_cast<uint8_t*>(&peeked));
    t.set_data_length(4);
    h.socket->transport_dbg(t);
    read = h.read(Regs::kApCtrl);
  });
  b.run(host, sc_time(10, sc_core::SC_US));
  EXPECT_TRUE(peeked & Regs::kApDone);
  EXPECT_TRUE(read & Regs::kApDone) << "the debug read did not clear ap_done";
}

TEST(ControlRegsConfig, OptionsOverrideDefaultsAndNegativeTimeIsNamed) {
  namespace po = boost::program_options;
  po::options_description desc;
  vp::declare_config_fields(desc, "control.", vp::ControlRegsConfig::fields(), vp::ControlRegsConfig{});
  const char* argv[] = {"prog", "--control.access_ns=33"};
  po::variables_map vm;
  po::store(po::parse_command_line(2, argv, desc), vm);
  po::notify(vm);
  EXPECT_EQ(vp::config_from_options<vp::ControlRegsConfig>(vm, "control.").access_ns, 33.0);
  const std::string negative = vp::test::thrown_message([] { vp::ControlRegsConfig{-1.0}.validate("control."); });
  EXPECT_NE(negative.find("control.access_ns"), std::string::npos) << "negative access time: " << negative;
}

}  // namespace
