// The test build's Llama kernel (Vllama_kernel_checked, rtl/CMakeLists.txt): rtl/llama_kernel.sv
// with 4 KV ports (the attention unit's 4 lanes in lockstep, caches position-interleaved) and 32
// vector lanes (a 32-bank scratchpad; the other kernels have 16), the
// SystemVerilog assertions of rtl/assertions/ bound and enabled, every register without a
// reset starting from Verilator's random initial values (--x-initial unique). Run on its own against
// an AXI memory that pushes back (rtl/dv/axi_memory_slave.h): random initial values under several
// seeds give the zero-initialized run's logits bit for bit (and the hls/ kernel's), no assertion
// fails, and a protocol violation driven into the kernel's ports stops the simulation naming the
// assertion (the bound checks are really there).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "Vllama_kernel_checked.h"
#include "hls/csim_memory.h"
#include "hls/fp32_math.h"
#include "hls/kernel_timing_model.h"
#include "hls/llama_kernel.h"
#include "sw/checkpoint_reader.h"
#include "sw/random_checkpoint.h"
#include "tests/llama_kernel_bench.h"
#include "tests/reference_data.h"
#include "tests/test_data.h"

namespace {

constexpr uint32_t kKvPorts = 4;  // the checked variant's KV_PORTS (rtl/CMakeLists.txt)
using Bench = vp::test::LlamaKernelBench<Vllama_kernel_checked, kKvPorts>;
using Logits = std::vector<std::vector<float>>;  // [position][vocab]

struct CheckedRun {
  Logits logits;
  uint64_t stalled_handshakes = 0;
};

CheckedRun run_checked(const vp::Q8Checkpoint& model, const std::vector<int>& tokens,
                       const vp::test::LlamaBenchOptions& options) {
  vp::test::DeviceMemory memory(model, 1, kKvPorts);
  Bench bench(memory.bytes, options);
  CheckedRun run;
  for (size_t pos = 0; pos < tokens.size(); ++pos) {
    bench.run(memory.layout.call(uint32_t(tokens[pos]), uint32_t(pos)), 50'000'000);
    run.logits.push_back(memory.logits());
  }
  run.stalled_handshakes = bench.stalled_handshakes();
  return run;
}

Logits csim_logits(const vp::Q8Checkpoint& model, const std::vector<int>& tokens) {
  vp::test::DeviceMemory image(model, 1, kKvPorts);
  vp::CsimMemory csim(image.bytes.size());
  std::memcpy(csim.at(0, image.bytes.size()), image.bytes.data(), image.bytes.size());
  vp::KernelBuffers buffers;
  Logits out;
  for (size_t pos = 0; pos < tokens.size(); ++pos) {
    const vp::KernelArgs a = image.layout.call(uint32_t(tokens[pos]), uint32_t(pos));
    vp::llama_forward(csim, a, buffers);
    std::vector<float> logits(model.shape.vocab_size);
    std::memcpy(logits.data(), csim.at(a.logits, logits.size() * 4), logits.size() * 4);
    out.push_back(std::move(logits));
  }
  return out;
}

void expect_same_logits(const Logits& got, const Logits& want, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t pos = 0; pos < want.size(); ++pos) {
    ASSERT_EQ(got[pos].size(), want[pos].size()) << what;
    for (size_t i = 0; i < want[pos].size(); ++i)
      ASSERT_EQ(vp::fp::bits_of(got[pos][i]), vp::fp::bits_of(want[pos][i]))
          << what << ": first differing logit at pos " << pos << " index " << i << ": " << got[pos][i] << " vs "
          << want[pos][i];
  }
}

// 64x128, 2 layers, 4 heads over 2 KV heads, group size 64 (as tests/test_rtl_llama_kernel.cpp).
// Its 8 positions make two full groups of 4 (positions 3 and 7) and partial last groups
// (positions 0-2 and 4-6).
vp::Q8Checkpoint tiny_model() { return vp::random_q8_checkpoint(vp::ModelShape{64, 128, 2, 4, 2, 256, 64}, 64, 7); }
const std::vector<int> kTinyTokens{1, 17, 200, 3, 99, 255, 0, 42};

// Lane 0 of a vector of 64-bit addresses (Verilator keeps it as 32-bit words, least significant first).
template <class Wide>
uint64_t lane0_address(const Wide& port) {
  return uint64_t(port[0]) | uint64_t(port[1]) << 32;
}

// The model before any reset: what its register-driven outputs show right after construction.
std::vector<uint64_t> outputs_before_reset(int rand_reset, int seed) {
  VerilatedContext context;
  context.randReset(rand_reset);
  context.randSeed(seed);
  Vllama_kernel_checked m(&context, "llama_kernel");
  m.ap_rst_n = 1;
  m.ap_clk = 0;
  m.eval();
  std::vector<uint64_t> out{m.kernel_phase_o,        m.kernel_layer_o,       m.m_axi_gmem_w_araddr,
                            m.m_axi_gmem_w_arlen,   lane0_address(m.m_axi_gmem_kv_araddr), m.m_axi_gmem_out_awaddr,
                            m.s_axi_control_rdata,   m.s_axi_control_bresp};
  m.final();
  return out;
}

// Without this the seed tests below could pass on a model whose registers all start at zero.
TEST(RtlLlamaKernelChecked, InitialValuesAreRandomPerSeed) {
  const std::vector<uint64_t> zero = outputs_before_reset(0, 0);
  const std::vector<uint64_t> seed1 = outputs_before_reset(2, 1);
  const std::vector<uint64_t> seed2 = outputs_before_reset(2, 2);
  EXPECT_NE(seed1, zero);
  EXPECT_NE(seed2, zero);
  EXPECT_NE(seed1, seed2);
  EXPECT_EQ(outputs_before_reset(2, 1), seed1) << "the same seed gives the same initial values";
}

class RtlLlamaKernelCheckedSeed : public ::testing::TestWithParam<int> {};

// The zero-initialized run with an always-ready memory equals the hls/ C-simulation; each seed's
// random initial values, with the memory pushing back on its own pattern, give the same logits.
TEST_P(RtlLlamaKernelCheckedSeed, RandomInitialValuesAndAxiStallsGiveTheZeroInitializedLogits) {
  const vp::Q8Checkpoint model = tiny_model();
  const CheckedRun zero = run_checked(model, kTinyTokens, {});
  expect_same_logits(zero.logits, csim_logits(model, kTinyTokens), "zero-initialized rtl vs hls csim");
  EXPECT_EQ(zero.stalled_handshakes, 0u);
  const int seed = GetParam();
  const CheckedRun random = run_checked(model, kTinyTokens, {2, seed, uint64_t(seed)});
  expect_same_logits(random.logits, zero.logits, "seed " + std::to_string(seed) + " vs zero-initialized");
  EXPECT_GT(random.stalled_handshakes, 200u) << "the masters must have had to hold VALID";
}

INSTANTIATE_TEST_SUITE_P(Seeds, RtlLlamaKernelCheckedSeed, ::testing::Values(1, 2, 3));

// stories260K: group size 4 (rows that are not whole beats), 8 query heads over 4 KV heads.
TEST(RtlLlamaKernelChecked, Stories260KFromRandomInitialValuesGivesTheZeroInitializedLogits) {
  VP_REQUIRE_SHARED_DATA("llama2c/stories260K.bin");
  const vp::Q8Checkpoint model = vp::load_checkpoint_as_q8(vp::test::shared_data("llama2c/stories260K.bin"), 64);
  std::vector<int> tokens =
      vp::test::read_token_ids(vp::test::shared_data("reference/stories260K_q80gs4_greedy256_tokens.txt"));
  tokens.resize(4);
  const CheckedRun zero = run_checked(model, tokens, {});
  expect_same_logits(zero.logits, csim_logits(model, tokens), "zero-initialized rtl vs hls csim");
  const CheckedRun random = run_checked(model, tokens, {2, 4, 4});
  expect_same_logits(random.logits, zero.logits, "seed 4 vs zero-initialized");
}

// Group size 128 (two beats of codes per group), rows of 2 and 5 groups.
TEST(RtlLlamaKernelChecked, GroupSize128FromRandomInitialValuesGivesTheZeroInitializedLogits) {
  const vp::Q8Checkpoint model = vp::random_q8_checkpoint(vp::ModelShape{256, 640, 2, 4, 2, 512, 64}, 128, 5);
  const std::vector<int> tokens{3, 500, 17, 260};
  const CheckedRun zero = run_checked(model, tokens, {});
  expect_same_logits(zero.logits, csim_logits(model, tokens), "zero-initialized rtl vs hls csim");
  const CheckedRun random = run_checked(model, tokens, {2, 5, 5});
  expect_same_logits(random.logits, zero.logits, "seed 5 vs zero-initialized");
}

// The 32 lanes in time: the RoPE and KV-write phase (two RoPE loops at 32 elements a beat, then
// the cache rows' stores) takes exactly the cycles of the fast mode's sequential timing model at
// fp_lanes = 32, which differ from its cycles at 16 lanes. (The other phases wait on this bench's
// AXI memory, which the SoC tests time against the fast mode's memory models instead; the loops'
// beats a cycle at 32 lanes are checked in tests/test_rtl_llama_vector_stream.cpp.)
TEST(RtlLlamaKernelChecked, ThirtyTwoLanesRopePhaseTakesTheTimingModelsCycles) {
  const vp::Q8Checkpoint model = vp::random_q8_checkpoint(vp::ModelShape{256, 640, 2, 4, 2, 512, 64}, 64, 5);
  vp::test::DeviceMemory memory(model, 1, kKvPorts);
  Bench bench(memory.bytes, {});
  vp::KernelMicroarch lanes32, lanes16;
  lanes32.fp_lanes = 32;
  const std::vector<int> tokens{3, 500, 17};
  const auto rope = vp::KernelPhase::kRopeKvWrite;
  for (size_t pos = 0; pos < tokens.size(); ++pos) {
    const vp::KernelArgs a = memory.layout.call(uint32_t(tokens[pos]), uint32_t(pos));
    bench.run(a, 50'000'000);
    const uint64_t want = model.shape.n_layers * vp::phase_compute_cycles(rope, memory.image.descriptor, a.pos, lanes32);
    const uint64_t at16 = model.shape.n_layers * vp::phase_compute_cycles(rope, memory.image.descriptor, a.pos, lanes16);
    EXPECT_EQ(bench.phase_cycles[static_cast<int>(rope)], want) << "pos " << pos;
    EXPECT_NE(at16, want) << "the lane count must show in this phase";
  }
}

// ---- violations at the kernel's ports: the bound assertions fire ----

// The kernel's pins driven by hand, cycle by cycle, with assertion failures fatal (Verilator's
// default): a failing assertion prints its name and aborts the process.
class PortDriver {
 public:
  PortDriver() {
    context_.randReset(0);
    m_ = std::make_unique<Vllama_kernel_checked>(&context_, "llama_kernel");
    m_->ap_rst_n = 1;
    m_->eval();
    m_->ap_rst_n = 0;  // asynchronous reset, then one clock edge in reset
    m_->eval();
    tick();
    m_->ap_rst_n = 1;
  }
  ~PortDriver() { m_->final(); }
  Vllama_kernel_checked& pins() { return *m_; }
  void tick() {
    m_->ap_clk = 0;
    m_->eval();
    m_->ap_clk = 1;
    m_->eval();
  }
  bool failed() const { return context_.gotError(); }

 private:
  VerilatedContext context_;
  std::unique_ptr<Vllama_kernel_checked> m_;
};

// Verilator prints assertion failures on stdout; death tests match stderr.
void stdout_to_stderr() { dup2(STDERR_FILENO, STDOUT_FILENO); }

// The host writes a register but does not take the response, then offers a second write whose
// address it changes before AWREADY (held low while B is pending): `change_address` makes it a
// violation of s_axi_control's AW channel.
void control_write_behind_pending_response(bool change_address) {
  PortDriver d;
  Vllama_kernel_checked& p = d.pins();
  p.s_axi_control_awvalid = 1;
  p.s_axi_control_awaddr = 0x10;
  p.s_axi_control_wvalid = 1;
  p.s_axi_control_wdata = 5;
  p.s_axi_control_wstrb = 0xf;
  p.s_axi_control_bready = 0;
  d.tick();  // AW and W taken, B pending
  p.s_axi_control_wvalid = 0;
  p.s_axi_control_awaddr = 0x14;
  d.tick();  // AW offered, not ready
  if (!p.s_axi_control_bvalid || p.s_axi_control_awready) throw std::logic_error("expected B pending, AWREADY low");
  if (change_address) p.s_axi_control_awaddr = 0x18;
  d.tick();
  p.s_axi_control_bready = 1;
  d.tick();
  d.tick();
  if (d.failed()) throw std::logic_error("an assertion failed on a legal sequence");
}

TEST(RtlLlamaKernelCheckedDeathTest, ControlAddressChangedBeforeAwreadyStopsTheRun) {
  control_write_behind_pending_response(false);  // legal: holding the address passes
  EXPECT_DEATH(
      {
        stdout_to_stderr();
        control_write_behind_pending_response(true);
      },
      "Assertion failed in llama_kernel\\.llama_kernel\\.u_sva_s_axi_control\\.a_aw_hold");
}

// A write response on m_axi_gmem_out while the kernel has no write in flight: the output port's
// axi_write_master sees its outstanding count underflow.
TEST(RtlLlamaKernelCheckedDeathTest, WriteResponseWithNothingOutstandingStopsTheRun) {
  {
    PortDriver idle;
    for (int i = 0; i < 4; ++i) idle.tick();
    ASSERT_FALSE(idle.failed());
    ASSERT_TRUE(idle.pins().m_axi_gmem_out_bready) << "the write master always takes B";
  }
  EXPECT_DEATH(
      {
        stdout_to_stderr();
        PortDriver d;
        d.pins().m_axi_gmem_out_bvalid = 1;
        d.tick();
      },
      "Assertion failed in llama_kernel\\.llama_kernel\\..*\\.u_sva\\.a_b_underflow");
}

// An R beat the slave withdraws before RREADY (low while the kernel is idle) on weight port 0: the
// port's R-channel check.
TEST(RtlLlamaKernelCheckedDeathTest, ReadDataWithdrawnBeforeRreadyStopsTheRun) {
  {
    PortDriver idle;
    idle.pins().m_axi_gmem_w_rvalid = 1;
    idle.tick();
    ASSERT_FALSE(idle.pins().m_axi_gmem_w_rready) << "an idle kernel takes no read data";
    idle.tick();  // legal: RVALID still up
    ASSERT_FALSE(idle.failed());
  }
  EXPECT_DEATH(
      {
        stdout_to_stderr();
        PortDriver d;
        d.pins().m_axi_gmem_w_rvalid = 1;
        d.tick();
        d.pins().m_axi_gmem_w_rvalid = 0;
        d.tick();
      },
      "Assertion failed in llama_kernel\\.llama_kernel\\.u_sva_m_axi_gmem_w\\.u_sva\\.g_port\\[0\\]\\.u_sva\\.a_r_hold");
}

}  // namespace
