// HostDeviceDriver (models/host/host_device_driver.h) over the real PCIe model and the real
// s_axi_control register file (KernelControlRegs): its MMIO sequence for a kernel call
// (arguments before ap_start, the done wait, the clear of the done interrupt), the logits
// read-back after done, its buffer allocator and its error paths. The kernel and the device
// memory are small test parts (the real ones are the whole SoC). Each test case elaborates and
// simulates once (ctest runs each case alone).
#include "models/host/host_device_driver.h"

#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "hls/device_layout.h"
#include "models/kernel/kernel_control_regs.h"
#include "models/host/pcie_dma.h"
#include "tests/sc_test_host.h"
#include "tests/stand_in_kernel.h"

namespace {

using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_US;
using Regs = vp::KernelControlRegs;

// Sits between the PCIe model and s_axi_control and records every register access.
class MmioRecorder : public sc_core::sc_module {
 public:
  struct Access {
    bool write;
    uint32_t offset;
    uint32_t value;  // written, or read back
    sc_time at;      // when the access reached the register file
  };
  tlm_utils::simple_target_socket<MmioRecorder> target;
  tlm_utils::simple_initiator_socket<MmioRecorder> initiator;
  std::vector<Access> log;

  explicit MmioRecorder(const sc_core::sc_module_name& name) : sc_module(name), target("target"), initiator("initiator") {
    target.register_b_transport(this, &MmioRecorder::b_transport);
  }

  // "W 0x30=0x1000" / "R 0x00": the sequence without values read or times.
  std::vector<std::string> sequence() const {
    std::vector<std::string> s;
    char text[32];
    for (const Access& a : log) {
      if (a.write)
        std::snprintf(text, sizeof text, "W 0x%02x=0x%x", a.offset, a.value);
      else
        std::snprintf(text, sizeof text, "R 0x%02x", a.offset);
      s.push_back(text);
    }
    return s;
  }

 private:
  void b_transport(tlm::tlm_generic_payload& t, sc_time& delay) {
    const sc_time at = sc_core::sc_time_stamp() + delay;
    uint32_t value = 0;
    if (t.is_write()) std::memcpy(&value, t.get_data_ptr(), 4);
    initiator->b_transport(t, delay);
    if (t.is_read()) std::memcpy(&value, t.get_data_ptr(), 4);
    log.push_back({t.is_write(), uint32_t(t.get_address()), value, at});
  }
};

// Device memory from `base`, zero latency beyond the PCIe model's own; records reads.
class TestMemory : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<TestMemory> socket;
  std::vector<uint8_t> storage;
  uint64_t base;
  std::vector<std::pair<uint64_t, sc_time>> reads;  // address, time

  TestMemory(const sc_core::sc_module_name& name, uint64_t base_address, size_t size)
      : sc_module(name), socket("socket"), storage(size, 0), base(base_address) {
    socket.register_b_transport(this, &TestMemory::b_transport);
  }
  uint8_t* at(uint64_t address) { return storage.data() + (address - base); }

 private:
  void b_transport(tlm::tlm_generic_payload& t, sc_time& delay) {
    sc_core::wait(delay);
    delay = sc_core::SC_ZERO_TIME;
    const uint64_t a = t.get_address();
    if (a < base || a - base + t.get_data_length() > storage.size()) {
      t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    if (t.is_write()) {
      std::memcpy(at(a), t.get_data_ptr(), t.get_data_length());
    } else {
      reads.emplace_back(a, sc_core::sc_time_stamp());
      std::memcpy(t.get_data_ptr(), at(a), t.get_data_length());
    }
    t.set_response_status(tlm::TLM_OK_RESPONSE);
  }
};

constexpr uint32_t kVocab = 64;

// A kernel on the register file's kernel API: takes its arguments at start, writes logits
// (token * 100 + i) into the logits buffer, runs for `run_time`, then finishes (unless `hang`).
class TestKernel : public vp::test::StandInKernel {
 public:
  struct Call {
    uint32_t token, pos;
    uint64_t logits;
    sc_time accepted, finished;
  };
  std::vector<Call> calls;

  TestKernel(const sc_core::sc_module_name& name, Regs& regs, TestMemory& memory, sc_time run_time, bool hang = false)
      : StandInKernel(name, regs), memory_(memory), run_time_(run_time), hang_(hang) {}

 private:
  void call() override {
    Call c{regs_.arg32("token"), regs_.arg32("pos"), regs_.arg64("logits"), sc_core::sc_time_stamp(), {}};
    if (hang_) {
      calls.push_back(c);
      sc_core::wait(never_);  // forever: no done
    }
    sc_core::wait(run_time_);
    for (uint32_t i = 0; i < kVocab; ++i) {
      const float v = float(c.token) * 100.0f + float(i);
      std::memcpy(memory_.at(c.logits + 4ull * i), &v, 4);
    }
    c.finished = sc_core::sc_time_stamp();
    calls.push_back(c);
  }
  TestMemory& memory_;
  sc_time run_time_;
  bool hang_;
  sc_core::sc_event never_;
};

using vp::test::TestHost;

constexpr uint64_t kHbm0Base = 0x2'0000'0000ull;  // above 4 GiB: the hi word of a pointer is not zero
constexpr uint64_t kBankBytes = 64 * 1024;
const vp::MemoryBank kHbm0{vp::MemoryKind::kHbm, 0};

// PCIe -> (device memory, MMIO recorder -> KernelControlRegs), the interrupt wire, and the driver.
struct Bench {
  vp::PcieDma pcie{"pcie", vp::PcieConfig{}};
  Regs regs{"regs", vp::ControlRegsConfig{10.0}};
  MmioRecorder mmio{"mmio"};
  TestMemory memory{"memory", kHbm0Base, kBankBytes};
  sc_core::sc_signal<bool> interrupt{"interrupt"};
  vp::HostDeviceDriver driver;

  explicit Bench(sc_time budget = sc_time(100, SC_US))
      : driver(pcie, interrupt, {{kHbm0, kHbm0Base, kBankBytes}}, budget, [] { return "stuck in test phase"; }) {
    regs.add_argument("token", vp::kernel_args::kToken, 32);
    regs.add_argument("pos", vp::kernel_args::kPos, 32);
    regs.add_argument("logits", vp::kernel_args::kLogits, 64);
    regs.interrupt_o.bind(interrupt);
    pcie.to_device.bind(memory.socket);
    pcie.to_mmio.bind(mmio.target);
    mmio.initiator.bind(regs.s_axi_control);
  }
};

std::string write_of(uint32_t offset, uint32_t value) {
  char text[32];
  std::snprintf(text, sizeof text, "W 0x%02x=0x%x", offset, value);
  return text;
}
std::string read_of(uint32_t offset) {
  char text[32];
  std::snprintf(text, sizeof text, "R 0x%02x", offset);
  return text;
}

TEST(HostDeviceDriver, KernelCallWritesArgumentsThenStartsThenWaitsForDoneThenReadsLogits) {
  Bench b;
  TestKernel kernel("kernel", b.regs, b.memory, sc_time(5, SC_US));
  vp::DeviceBuffer logits_buffer;
  std::vector<std::vector<float>> logits(2, std::vector<float>(kVocab, -1.0f));
  std::vector<sc_time> wait_returned;
  double now_at_end = -1;
  TestHost host("host", [&] {
    logits_buffer = b.driver.allocate(kHbm0, kVocab * 4);
    b.driver.set_arg64(vp::kernel_args::kLogits, logits_buffer.address);
    for (int call = 0; call < 2; ++call) {  // as HostProgram::forward: token, pos, start, wait, read
      b.driver.set_arg32(vp::kernel_args::kToken, 5 + call);
      b.driver.set_arg32(vp::kernel_args::kPos, 2 + call);
      b.driver.start();
      b.driver.wait();
      wait_returned.push_back(sc_core::sc_time_stamp());
      b.driver.read(logits_buffer, 0, logits[call].data(), kVocab * 4);
    }
    now_at_end = b.driver.now_seconds();
  });
  sc_core::sc_start();

  ASSERT_EQ(logits_buffer.address, kHbm0Base) << "the bank's first buffer starts at its base";
  // Vitis s_axi_control map: 64-bit pointer lo at 0x30 then hi at 0x34; GIE 0x04 and IER 0x08
  // (done) once, before the first ap_start; ap_ctrl 0x00 bit 0 = ap_start; after the interrupt,
  // ap_ctrl read (clears ap_done) and ISR 0x0c written 1 (toggles done off).
  const std::vector<std::string> expected = {
      write_of(0x30, 0x0), write_of(0x34, 0x2),                     // logits pointer
      write_of(0x10, 5),   write_of(0x18, 2),                       // token, pos
      write_of(0x04, 1),   write_of(0x08, 1),   write_of(0x00, 1),  // GIE, IER done, ap_start
      read_of(0x00),       write_of(0x0c, 1),                       // done seen and cleared
      write_of(0x10, 6),   write_of(0x18, 3),                       // second call: no GIE/IER again
      write_of(0x00, 1),   read_of(0x00),       write_of(0x0c, 1),
  };
  EXPECT_EQ(b.mmio.sequence(), expected);

  ASSERT_EQ(kernel.calls.size(), 2u);
  for (int call = 0; call < 2; ++call) {
    const auto& c = kernel.calls[call];
    EXPECT_EQ(c.token, uint32_t(5 + call)) << "arguments reach the registers before ap_start";
    EXPECT_EQ(c.pos, uint32_t(2 + call));
    EXPECT_EQ(c.logits, kHbm0Base);
    // The done wait: the ap_ctrl read happens after the kernel finished and sees ap_done.
    const auto& done_read = b.mmio.log[call == 0 ? 7 : 12];
    ASSERT_FALSE(done_read.write);
    EXPECT_GE(done_read.at, c.finished) << "call " << call;
    EXPECT_TRUE(done_read.value & Regs::kApDone) << "call " << call << ": ap_ctrl = " << done_read.value;
    EXPECT_GE(wait_returned[call], c.finished);
    // The logits the host read are the ones this call wrote (the second call overwrote the first).
    for (uint32_t i = 0; i < kVocab; ++i)
      ASSERT_EQ(logits[call][i], float(5 + call) * 100.0f + float(i)) << "call " << call << " logit " << i;
  }
  // Each call's read-back (one 256-byte DMA chunk) touched device memory only after its done wait.
  ASSERT_EQ(b.memory.reads.size(), 2u);
  for (int call = 0; call < 2; ++call) {
    EXPECT_EQ(b.memory.reads[call].first, kHbm0Base);
    EXPECT_GE(b.memory.reads[call].second, wait_returned[call]) << "call " << call;
  }
  EXPECT_EQ(b.pcie.stats().bytes_card_to_host, 2u * kVocab * 4);
  EXPECT_EQ(b.pcie.stats().mmio_reads, 2u);
  EXPECT_EQ(b.pcie.stats().mmio_writes, 12u);
  EXPECT_FALSE(b.regs.interrupt_level()) << "the ISR write dropped the done interrupt";
  EXPECT_FALSE(b.interrupt.read());
  EXPECT_DOUBLE_EQ(now_at_end, sc_core::sc_time_stamp().to_seconds());
}

TEST(HostDeviceDriver, WaitReturnsWithoutSleepingWhenDoneIsAlreadyRaised) {
  Bench b;
  TestKernel kernel("kernel", b.regs, b.memory, sc_time(1, SC_US));
  sc_time wait_called;
  TestHost host("host", [&] {
    b.driver.set_arg64(vp::kernel_args::kLogits, kHbm0Base);
    b.driver.start();
    sc_core::wait(sc_time(50, SC_US));  // long after the kernel finished
    wait_called = sc_core::sc_time_stamp();
    b.driver.wait();
  });
  sc_core::sc_start();
  ASSERT_EQ(kernel.calls.size(), 1u);
  ASSERT_EQ(b.mmio.log.size(), 7u);  // lo, hi, GIE, IER, ap_start, ap_ctrl read, ISR write
  EXPECT_FALSE(b.mmio.log[5].write);
  EXPECT_EQ(b.mmio.log[5].offset, 0x00u);
  // The read leaves at once: it reaches the register file one PCIe read round trip after the call.
  EXPECT_LT(b.mmio.log[5].at, wait_called + sc_time(vp::PcieConfig{}.mmio_read_ns, SC_NS) + sc_time(1, SC_NS));
  EXPECT_TRUE(b.mmio.log[5].value & Regs::kApDone);
}

TEST(HostDeviceDriver, WaitThrowsAfterItsBudgetNamingTheKernelState) {
  Bench b(sc_time(20, SC_US));
  TestKernel kernel("kernel", b.regs, b.memory, sc_time(1, SC_US), /*hang=*/true);
  sc_time wait_called, thrown_at;
  std::string message;
  TestHost host("host", [&] {
    b.driver.start();
    wait_called = sc_core::sc_time_stamp();
    try {
      b.driver.wait();
    } catch (const std::runtime_error& e) {
      message = e.what();
      thrown_at = sc_core::sc_time_stamp();
    }
  });
  sc_core::sc_start();
  ASSERT_EQ(kernel.calls.size(), 1u) << "the kernel did start";
  EXPECT_EQ(thrown_at, wait_called + sc_time(20, SC_US)) << "gives up exactly at the budget";
  EXPECT_NE(message.find("did not raise its done interrupt"), std::string::npos) << message;
  EXPECT_NE(message.find("kernel.timeout_cycles"), std::string::npos) << message;
  EXPECT_NE(message.find("stuck in test phase"), std::string::npos) << "names the kernel state: " << message;
  // No ap_ctrl read or ISR write after a timeout: the last access is ap_start.
  ASSERT_FALSE(b.mmio.log.empty());
  EXPECT_EQ(b.mmio.sequence().back(), write_of(0x00, 1));
}

TEST(HostDeviceDriver, AllocateCarvesFourKibAlignedBuffersPerBankAndNamesAFullOrMissingBank) {
  vp::PcieDma pcie("pcie", vp::PcieConfig{});
  sc_core::sc_signal<bool> interrupt("interrupt");
  const vp::MemoryBank hbm1{vp::MemoryKind::kHbm, 1}, ddr0{vp::MemoryKind::kDdr, 0};
  vp::HostDeviceDriver driver(pcie, interrupt,
                              {{kHbm0, 0x1000'0000, 64 * 1024}, {hbm1, 0x2000'0000, 16 * 1024},
                               {ddr0, 0x4000'0000, 1 << 20}},
                              sc_time(1, SC_US), [] { return std::string(); });
  const vp::DeviceBuffer a = driver.allocate(kHbm0, 100);
  const vp::DeviceBuffer c = driver.allocate(kHbm0, 5000);  // starts at the next 4 KiB boundary
  const vp::DeviceBuffer e = driver.allocate(kHbm0, 1);     // 4096 + 5000 = 9096 -> 12288
  EXPECT_EQ(a.address, 0x1000'0000u);
  EXPECT_EQ(a.bytes, 100u);
  EXPECT_EQ(c.address, 0x1000'0000u + 4096);
  EXPECT_EQ(c.bytes, 5000u);
  EXPECT_EQ(e.address, 0x1000'0000u + 12288);
  // DDR[0] and HBM[0] share a channel number but not a bank.
  const vp::DeviceBuffer d = driver.allocate(ddr0, 10);
  EXPECT_EQ(d.address, 0x4000'0000u);
  EXPECT_EQ(d.bank.kind, vp::MemoryKind::kDdr);
  // A bank fills exactly, then refuses one byte more, naming itself and what is free.
  const vp::DeviceBuffer full = driver.allocate(hbm1, 16 * 1024);
  EXPECT_EQ(full.address, 0x2000'0000u);
  try {
    driver.allocate(hbm1, 1);
    ADD_FAILURE() << "a full bank accepted a buffer";
  } catch (const std::runtime_error& err) {
    const std::string m = err.what();
    EXPECT_NE(m.find("HBM[1]"), std::string::npos) << m;
    EXPECT_NE(m.find("cannot hold 1 more bytes"), std::string::npos) << m;
    EXPECT_NE(m.find("0 free of 16384"), std::string::npos) << m;
  }
  // A failed allocation takes nothing: the next one in another bank is unaffected.
  EXPECT_EQ(driver.allocate(kHbm0, 8).address, 0x1000'0000u + 16384);
  try {
    driver.allocate(vp::MemoryBank{vp::MemoryKind::kHbm, 5}, 1);
    ADD_FAILURE() << "a missing bank gave a buffer";
  } catch (const std::invalid_argument& err) {
    EXPECT_NE(std::string(err.what()).find("HBM[5] does not exist"), std::string::npos) << err.what();
  }
}

TEST(HostDeviceDriver, WriteAndReadMoveBytesAtBufferOffsetAndRefuseToOverrun) {
  Bench b;
  std::vector<uint8_t> back(16, 0);
  std::string write_error, read_error;
  TestHost host("host", [&] {
    b.driver.allocate(kHbm0, 10);  // the next buffer starts at the next 4 KiB boundary
    const vp::DeviceBuffer buf = b.driver.allocate(kHbm0, 256);
    uint8_t data[16];
    for (int i = 0; i < 16; ++i) data[i] = uint8_t(0xa0 + i);
    b.driver.write(buf, 100, data, 16);
    b.driver.read(buf, 100, back.data(), 16);
    try {
      b.driver.write(buf, 250, data, 8);
    } catch (const std::out_of_range& e) {
      write_error = e.what();
    }
    try {
      b.driver.read(buf, 0, back.data(), 257);
    } catch (const std::out_of_range& e) {
      read_error = e.what();
    }
  });
  sc_core::sc_start();
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(*b.memory.at(kHbm0Base + 4096 + 100 + i), uint8_t(0xa0 + i)) << "byte " << i;
    EXPECT_EQ(back[i], uint8_t(0xa0 + i)) << "byte " << i;
  }
  EXPECT_NE(write_error.find("write of 8 bytes at offset 250 overruns"), std::string::npos) << write_error;
  EXPECT_NE(read_error.find("read of 257 bytes at offset 0 overruns"), std::string::npos) << read_error;
  EXPECT_NE(read_error.find("(256 bytes)"), std::string::npos) << read_error;
  // The refused calls moved nothing over the link.
  EXPECT_EQ(b.pcie.stats().bytes_host_to_card, 16u);
  EXPECT_EQ(b.pcie.stats().bytes_card_to_host, 16u);
}

}  // namespace
