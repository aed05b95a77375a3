#pragma once
// rtl/llama_kernel.sv on its own (any Verilated variant of it: Vllama_kernel, or the test build's
// Vllama_kernel_checked with assertions and random initial values and 4 KV ports), its m_axi ports
// answered by rtl/dv's cycle-level AXI memory (one slave per port: weight port 0, each KV port,
// the logits port) and its s_axi_control driven by the host's register writes.
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "verilated.h"

#include "hls/kernel_phase.h"
#include "hls/llama_kernel.h"
#include "rtl/dv/axi_memory_slave.h"
#include "sw/device_image.h"
#include "tests/device_memory_layout.h"

namespace vp::test {

// Device memory as the host lays it out (weight_ports weight buffers, kv_ports key and value
// caches), as the bytes the AXI memory serves.
struct DeviceMemory {
  DeviceImage image;
  DeviceMemoryLayout layout;
  std::vector<uint8_t> bytes;

  explicit DeviceMemory(const Q8Checkpoint& model, uint32_t weight_ports = 1, uint32_t kv_ports = 1)
      : image(build_device_image(model, weight_ports, kv_ports)),
        layout(device_memory_layout(image)),
        bytes(layout.total_bytes, 0) {
    copy_weight_ports(image, layout, bytes.data());
  }
  std::vector<float> logits() const {
    std::vector<float> out(image.descriptor.vocab_size);
    std::memcpy(out.data(), bytes.data() + layout.args.logits, image.logits_bytes);
    return out;
  }
};

struct LlamaBenchOptions {
  int rand_reset = 0;        // VerilatedContext::randReset: 0 all zeros, 2 random (with rand_seed)
  int rand_seed = 0;
  uint64_t stall_seed = 0;   // AXI memory back-pressure (rtl/dv/axi_memory_slave.h); 0: none
};

// kKvPorts: the model's KV_PORTS (its m_axi_gmem_kv_* vectors have that many lanes). The bench
// drives weight port 0 only (a one-weight-port model).
template <class Model, unsigned kKvPorts = 1>
class LlamaKernelBench {
 public:
  explicit LlamaKernelBench(std::vector<uint8_t>& memory, const LlamaBenchOptions& options = {})
      : context_(std::make_unique<VerilatedContext>()) {
    // Initial values are drawn when the model is constructed.
    context_->randReset(options.rand_reset);
    if (options.rand_reset == 2) context_->randSeed(options.rand_seed);
    // A failed assertion ($error, $stop) marks the context instead of aborting: run() throws naming it.
    context_->fatalOnError(false);
    m_ = std::make_unique<Model>(context_.get(), "llama_kernel");
    // ports in kernel order: w0, kv0 .. kv{P-1}, out
    for (unsigned port = 0; port < kKvPorts + 2; ++port) {
      const AxiMasterPins pins = port == 0              ? VP_AXI_READ_LANE_PINS(*m_, m_axi_gmem_w, 0, 64)
                                 : port <= kKvPorts     ? VP_AXI_LANE_PINS(*m_, m_axi_gmem_kv, port - 1, 64)
                                                        : VP_AXI_MASTER_PINS(*m_, m_axi_gmem_out);
      // Each port stalls on its own pattern.
      slaves_.emplace_back(pins, memory, 8, options.stall_seed == 0 ? 0 : options.stall_seed * 3 + uint64_t(port));
    }
    // The host's side of s_axi_control idle; under random initial values the inputs start random too.
    m_->s_axi_control_awvalid = 0;
    m_->s_axi_control_wvalid = 0;
    m_->s_axi_control_arvalid = 0;
    m_->s_axi_control_bready = 1;
    m_->s_axi_control_rready = 1;
    // Power-up: a falling reset edge before the first clock edge resets the registers at once, as
    // the asynchronous reset does in hardware, so no random initial value reaches a handshake.
    m_->ap_clk = 0;
    m_->ap_rst_n = 1;
    m_->eval();
    m_->ap_rst_n = 0;
    m_->eval();
    cycle();
    cycle();
    m_->ap_rst_n = 1;
  }
  ~LlamaKernelBench() { m_->final(); }
  LlamaKernelBench(const LlamaKernelBench&) = delete;
  LlamaKernelBench& operator=(const LlamaKernelBench&) = delete;

  void write_register(uint32_t addr, uint32_t value) {
    m_->s_axi_control_awvalid = 1;
    m_->s_axi_control_awaddr = addr;
    m_->s_axi_control_wvalid = 1;
    m_->s_axi_control_wdata = value;
    m_->s_axi_control_wstrb = 0xf;
    m_->s_axi_control_bready = 1;
    bool aw = false, w = false, b = false;
    for (int i = 0; i < 100 && !b; ++i) {
      settle();
      const bool aw_fire = m_->s_axi_control_awvalid && m_->s_axi_control_awready;
      const bool w_fire = m_->s_axi_control_wvalid && m_->s_axi_control_wready;
      const bool b_fire = m_->s_axi_control_bvalid && m_->s_axi_control_bready;
      edge();
      aw |= aw_fire;
      w |= w_fire;
      b |= b_fire;
      if (aw) m_->s_axi_control_awvalid = 0;
      if (w) m_->s_axi_control_wvalid = 0;
    }
    if (!b) throw std::runtime_error("s_axi_control write not answered");
  }
  void write_register64(uint32_t addr, uint64_t value) {
    write_register(addr, uint32_t(value));
    write_register(addr + 4, uint32_t(value >> 32));
  }

  // Cycles of the last call per phase (kernel_phase_o), from ap_start to ap_idle.
  std::array<uint64_t, kKernelPhaseCount> phase_cycles{};

  // Runs one call; returns its cycles from ap_start to ap_idle. Throws when the kernel does not
  // start or finish in time, or when an assertion of the model failed (its message is on stdout).
  uint64_t run(const KernelArgs& a, uint64_t max_cycles) {
    phase_cycles.fill(0);
    namespace k = kernel_args;
    write_register(k::kToken, a.token);
    write_register(k::kPos, a.pos);
    write_register64(k::kLogits, a.logits);
    write_register64(k::weights(0), a.weights[0]);
    for (uint32_t p = 0; p < kKvPorts; ++p) {
      write_register64(k::key_cache(p, 1), a.key_cache[p]);
      write_register64(k::value_cache(p, 1), a.value_cache[p]);
    }
    write_register(0x00, 1);  // ap_start
    uint64_t cycles = 0;
    while (m_->ap_idle) {
      cycle();
      if (++cycles > 100) throw std::runtime_error("kernel did not start");
    }
    while (!m_->ap_idle) {
      ++phase_cycles.at(m_->kernel_phase_o);
      cycle();
      if (++cycles > max_cycles) throw std::runtime_error("kernel did not finish");
    }
    if (context_->gotError())
      throw std::runtime_error("an assertion of the RTL failed (the %Error lines above name it) in the call at pos " +
                               std::to_string(a.pos));
    return cycles;
  }

  // Cycles in which a master's VALID met a READY the AXI memory withheld, over all ports.
  uint64_t stalled_handshakes() const {
    uint64_t n = 0;
    for (const auto& s : slaves_) n += s.stalled_handshakes();
    return n;
  }

 private:
  void settle() {
    for (auto& s : slaves_) s.drive();
    m_->ap_clk = 0;
    m_->eval();
  }
  void edge() {
    m_->ap_clk = 1;
    m_->eval();
  }
  void cycle() {
    settle();
    for (auto& s : slaves_) s.sample();
    edge();
  }

  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Model> m_;
  std::vector<rtl_dv::AxiMemorySlave> slaves_;
};

}  // namespace vp::test
