// rtl/llama_kernel.sv on its own (Verilated, no SoC), its m_axi ports answered by a cycle-level
// AXI memory: every token's logits equal the hls/ kernel's C-simulation bit for bit, on a tiny
// random shape (GS 64, GQA) and on the trained stories260K (GS 4, rows that are not whole beats).
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <memory>

#include "Vllama_kernel.h"
#include "hls/csim_memory.h"
#include "hls/kernel_timing_model.h"
#include "hls/llama_kernel.h"
#include "rtl/dv/axi_memory_slave.h"
#include "sw/checkpoint_reader.h"
#include "sw/device_image.h"
#include "sw/random_checkpoint.h"
#include "tests/device_memory_layout.h"
#include "tests/reference_data.h"
#include "tests/test_data.h"

namespace {

// Device memory as the host lays it out (one weight port), as the bytes the AXI memory serves.
struct DeviceMemory {
  vp::DeviceImage image;
  vp::test::DeviceMemoryLayout layout;
  std::vector<uint8_t> bytes;

  explicit DeviceMemory(const vp::Q8Checkpoint& model)
      : image(vp::build_device_image(model, 1)),
        layout(vp::test::device_memory_layout(image)),
        bytes(layout.total_bytes, 0) {
    vp::test::copy_weight_ports(image, layout, bytes.data());
  }
  std::vector<float> logits() const {
    std::vector<float> out(image.descriptor.vocab_size);
    std::memcpy(out.data(), bytes.data() + layout.args.logits, image.logits_bytes);
    return out;
  }
};

class RtlKernelBench {
 public:
  explicit RtlKernelBench(std::vector<uint8_t>& memory) : context_(std::make_unique<VerilatedContext>()) {
    context_->randReset(0);
    m_ = std::make_unique<Vllama_kernel>(context_.get(), "llama_kernel");
    slaves_.emplace_back(VP_AXI_MASTER_PINS(*m_, m_axi_gmem_w0), memory);
    slaves_.emplace_back(VP_AXI_MASTER_PINS(*m_, m_axi_gmem_kv), memory);
    slaves_.emplace_back(VP_AXI_MASTER_PINS(*m_, m_axi_gmem_out), memory);
    m_->ap_rst_n = 0;
    cycle();
    cycle();
    m_->ap_rst_n = 1;
  }
  ~RtlKernelBench() { m_->final(); }

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
  std::array<uint64_t, vp::kKernelPhaseCount> phase_cycles{};

  // Runs one call; returns its cycles from ap_start to ap_idle.
  uint64_t run(const vp::KernelArgs& a, uint64_t max_cycles) {
    phase_cycles.fill(0);
    namespace k = vp::kernel_args;
    write_register(k::kToken, a.token);
    write_register(k::kPos, a.pos);
    write_register64(k::kKeyCache, a.key_cache);
    write_register64(k::kValueCache, a.value_cache);
    write_register64(k::kLogits, a.logits);
    write_register64(k::weights(0), a.weights[0]);
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
    return cycles;
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
  std::unique_ptr<Vllama_kernel> m_;
  std::vector<vp::rtl_dv::AxiMemorySlave> slaves_;
};

void expect_rtl_equals_csim(const vp::Q8Checkpoint& model, const std::vector<int>& tokens) {
  DeviceMemory rtl_memory(model);
  DeviceMemory csim_image(model);
  vp::CsimMemory csim(csim_image.bytes.size());
  std::memcpy(csim.at(0, csim_image.bytes.size()), csim_image.bytes.data(), csim_image.bytes.size());
  vp::KernelBuffers buffers;
  RtlKernelBench bench(rtl_memory.bytes);
  for (size_t pos = 0; pos < tokens.size(); ++pos) {
    vp::KernelArgs a = rtl_memory.layout.args;
    a.token = uint32_t(tokens[pos]);
    a.pos = uint32_t(pos);
    const uint64_t cycles = bench.run(a, 50'000'000);
    vp::llama_forward(csim, a, buffers);
    std::vector<float> want(model.shape.vocab_size);
    std::memcpy(want.data(), csim.at(a.logits, want.size() * 4), want.size() * 4);
    const std::vector<float> got = rtl_memory.logits();
    for (size_t i = 0; i < want.size(); ++i)
      ASSERT_EQ(vp::fp::bits_of(got[i]), vp::fp::bits_of(want[i]))
          << "logit " << i << " at pos " << pos << ": rtl " << got[i] << " hls " << want[i];
    vp::KernelMicroarch micro;
    micro.memory_latency = 16;  // this testbench's AXI memory answers 8 cycles after AR
    uint64_t model_total = 0;
    for (int ph = 0; ph < vp::kKernelPhaseCount; ++ph) {
      const auto phase = static_cast<vp::KernelPhase>(ph);
      const uint64_t layers = (phase == vp::KernelPhase::kLoadDescriptor || phase == vp::KernelPhase::kEmbedding ||
                               phase == vp::KernelPhase::kFinalRmsnorm || phase == vp::KernelPhase::kClassifier)
                                  ? 1
                                  : model.shape.n_layers;
      const uint64_t mc = layers * vp::phase_compute_cycles(phase, rtl_memory.image.descriptor, a.pos, micro);
      model_total += mc;
    }
    std::printf("pos %zu: %llu cycles, model %llu\n", pos, static_cast<unsigned long long>(cycles),
                static_cast<unsigned long long>(model_total));
  }
}

TEST(RtlLlamaKernel, EqualsHlsCsimOnTinyShape) {
  const vp::ModelShape shape{64, 128, 2, 4, 2, 256, 64};
  const vp::Q8Checkpoint model = vp::random_q8_checkpoint(shape, 64, 7);
  expect_rtl_equals_csim(model, {1, 17, 200, 3, 99, 255, 0, 42});
}

TEST(RtlLlamaKernel, EqualsHlsCsimOnStories260K) {
  VP_REQUIRE_SHARED_DATA("llama2c/stories260K.bin");
  const vp::Q8Checkpoint model = vp::load_checkpoint_as_q8(vp::test::shared_data("llama2c/stories260K.bin"), 64);
  std::vector<int> tokens =
      vp::test::read_token_ids(vp::test::shared_data("reference/stories260K_q80gs4_greedy256_tokens.txt"));
  tokens.resize(8);
  expect_rtl_equals_csim(model, tokens);
}

}  // namespace
