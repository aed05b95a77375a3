#pragma once
// A small SoC around the Verilated stream-copy kernel for tests and benchmarks: one HBM2
// pseudo-channel (DramChannel) behind the AxiInterconnect, the kernel's m_axi port on the
// interconnect, and a host thread that reaches s_axi_control through the kernel's AXI4-Lite
// bridge and device memory through the interconnect (debug transport, zero time).
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/verilated/stream_copy_rtl_top.h"  // before generated headers (see verilated_top.h)

#include "models/axi/axi_interconnect.h"
#include "models/dram/dram_channel.h"
#include "models/dram/dram_config.h"
#include "models/kernel/kernel_control_regs.h"
#include "models/verilated/verilated_kernel.h"
#include "tests/byte_pattern.h"
#include "tests/one_hbm_channel.h"
#include "tests/sc_test_host.h"

namespace vp::test {

// The host: a test body as SC_THREAD with register and memory helpers.
class RtlTestHost : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<RtlTestHost> mmio;
  tlm_utils::simple_initiator_socket<RtlTestHost> memory;
  sc_core::sc_in<bool> interrupt;

  SC_HAS_PROCESS(RtlTestHost);
  RtlTestHost(const sc_core::sc_module_name& name, std::function<void(RtlTestHost&)> body)
      : sc_module(name), mmio("mmio"), memory("memory"), interrupt("interrupt"), body_(std::move(body)) {
    SC_THREAD(run);
  }

  tlm::tlm_response_status access(tlm::tlm_command cmd, uint32_t offset, uint32_t& value) {
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    return blocking_transfer(mmio, cmd, offset, &value, 4, delay);
  }
  void write32(uint32_t offset, uint32_t value) {
    if (access(tlm::TLM_WRITE_COMMAND, offset, value) != tlm::TLM_OK_RESPONSE)
      throw std::runtime_error("register write failed at " + std::to_string(offset));
  }
  uint32_t read32(uint32_t offset) {
    uint32_t value = 0;
    if (access(tlm::TLM_READ_COMMAND, offset, value) != tlm::TLM_OK_RESPONSE)
      throw std::runtime_error("register read failed at " + std::to_string(offset));
    return value;
  }
  void write64(uint32_t offset, uint64_t value) {
    write32(offset, static_cast<uint32_t>(value));
    write32(offset + 4, static_cast<uint32_t>(value >> 32));
  }

  void poke(uint64_t address, const std::vector<uint8_t>& bytes) { debug(tlm::TLM_WRITE_COMMAND, address, const_cast<uint8_t*>(bytes.data()), bytes.size()); }
  std::vector<uint8_t> peek(uint64_t address, size_t bytes) {
    std::vector<uint8_t> out(bytes);
    debug(tlm::TLM_READ_COMMAND, address, out.data(), bytes);
    return out;
  }

  // Programs and starts one stream copy with the done interrupt enabled; returns when the
  // interrupt rises (throws after `timeout`, or when the last one was not acknowledged).
  void run_copy(uint64_t src, uint64_t dst, uint32_t bytes, uint32_t addend,
                sc_core::sc_time timeout = sc_core::sc_time(1, sc_core::SC_MS)) {
    if (interrupt.read()) throw std::runtime_error("run_copy: the previous interrupt was not acknowledged");
    write64(stream_copy_args::kSrc, src);
    write64(stream_copy_args::kDst, dst);
    write32(stream_copy_args::kBytes, bytes);
    write32(stream_copy_args::kAddend, addend);
    write32(KernelControlRegs::kGie, 1);
    write32(KernelControlRegs::kIer, KernelControlRegs::kIrqDone);
    write32(KernelControlRegs::kApCtrl, KernelControlRegs::kApStart);
    wait_interrupt(timeout);
  }
  // What a driver does after the done interrupt: clear ap_done (read) and the ISR bit (toggle).
  void acknowledge() {
    read32(KernelControlRegs::kApCtrl);
    write32(KernelControlRegs::kIsr, KernelControlRegs::kIrqDone);
  }
  void wait_interrupt(sc_core::sc_time timeout) {
    if (!interrupt.read()) sc_core::wait(timeout, interrupt.value_changed_event());
    if (!interrupt.read()) throw std::runtime_error("kernel raised no interrupt within " + timeout.to_string());
  }

 private:
  void debug(tlm::tlm_command cmd, uint64_t address, uint8_t* data, size_t bytes) {
    tlm::tlm_generic_payload gp;
    gp.set_command(cmd);
    gp.set_address(address);
    gp.set_data_ptr(data);
    gp.set_data_length(static_cast<unsigned>(bytes));
    gp.set_streaming_width(static_cast<unsigned>(bytes));
    if (memory->transport_dbg(gp) != bytes) throw std::runtime_error("debug access outside device memory");
  }
  void run() {
    body_(*this);
    sc_core::sc_stop();
  }
  std::function<void(RtlTestHost&)> body_;
};

// DRAM + interconnect + RTL kernel + host, elaborated in the constructor.
struct RtlStreamCopySoc : OneHbmChannel {
  VerilatedKernel kernel;
  sc_core::sc_signal<bool> irq;
  RtlTestHost host;

  RtlStreamCopySoc(std::unique_ptr<VerilatedTop> top, const VerilatedKernelConfig& config,
                   std::function<void(RtlTestHost&)> body)
      : kernel("kernel", std::move(top), config), irq("irq"), host("host", std::move(body)) {
    for (size_t i = 0; i < kernel.master_count(); ++i) kernel.master(i).socket.bind(interconnect.masters);
    host.memory.bind(interconnect.masters);
    host.mmio.bind(kernel.control().socket);
    kernel.interrupt_o(irq);
    host.interrupt(irq);
  }
};

// Deterministic test pattern (no time-based seeds).
inline std::vector<uint8_t> pattern(size_t bytes, uint32_t seed) {
  return xorshift_bytes(bytes, seed * 2654435761u + 1);
}

// What the kernel must produce: every 32-bit little-endian word (lanes counted from the
// beat-aligned start, as the RTL adds per bus lane) plus addend; only [offset, offset+bytes)
// of the destination is written.
inline std::vector<uint8_t> expected_copy(const std::vector<uint8_t>& src_window, size_t offset, size_t bytes,
                                          uint32_t addend, const std::vector<uint8_t>& dst_window) {
  std::vector<uint8_t> out = dst_window;
  for (size_t word = 0; word * 4 < src_window.size(); ++word) {
    uint32_t v = 0;
    std::memcpy(&v, src_window.data() + word * 4, 4);
    v += addend;
    uint8_t b[4];
    std::memcpy(b, &v, 4);
    for (size_t i = 0; i < 4; ++i) {
      const size_t at = word * 4 + i;
      if (at >= offset && at < offset + bytes) out[at] = b[i];
    }
  }
  return out;
}

}  // namespace vp::test
