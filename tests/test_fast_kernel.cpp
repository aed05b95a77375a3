// FastKernel alone: its own control registers, its m_axi ports on an interconnect with one HBM2
// pseudo-channel (real DRAM model), and a host thread that loads a tiny random Q8_0 image, writes
// the arguments and starts calls. It must give the hls/ kernel's C-simulation logits bit for bit,
// keep one call record per call whose phases tile the call, and refuse a bad descriptor by name.
// Each test case elaborates and simulates once (ctest runs each case in its own process).
#include "models/kernel/fast_kernel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>

#include "hls/csim_memory.h"
#include "hls/llama_kernel.h"
#include "models/axi/axi_interconnect.h"
#include "models/dram/dram_channel.h"
#include "models/dram/dram_config.h"
#include "models/kernel/kernel_control_regs.h"
#include "sw/device_image.h"
#include "sw/random_checkpoint.h"
#include "tests/device_memory_layout.h"
#include "tests/one_hbm_channel.h"
#include "tests/sc_test_host.h"
#include "tests/thrown_message.h"

namespace vp {
namespace {

using sc_core::sc_time;
using sc_core::SC_MS;
using sc_core::SC_NS;

// dim 64, hidden 128, 2 layers, 4 heads, 2 KV heads (kv_dim 32), vocab 96, seq_len 16.
const ModelShape kShape{64, 128, 2, 4, 2, 96, 16, true};
constexpr uint32_t kKvDim = 32;
constexpr int kGroupSize = 32;

class Host : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Host> mmio{"mmio"};
  sc_core::sc_in<bool> interrupt{"interrupt"};

  SC_HAS_PROCESS(Host);
  Host(const sc_core::sc_module_name& name, std::function<void(Host&)> body) : sc_module(name), body_(std::move(body)) {
    SC_THREAD(run);
  }

  uint32_t access(tlm::tlm_command cmd, uint32_t offset, uint32_t value) {
    sc_time delay = sc_core::SC_ZERO_TIME;
    const tlm::tlm_response_status status = vp::test::blocking_transfer(mmio, cmd, offset, &value, 4, delay);
    sc_core::wait(delay);
    if (status != tlm::TLM_OK_RESPONSE) throw std::runtime_error("register access failed at " + std::to_string(offset));
    return value;
  }
  void write32(uint32_t offset, uint32_t value) { access(tlm::TLM_WRITE_COMMAND, offset, value); }
  uint32_t read32(uint32_t offset) { return access(tlm::TLM_READ_COMMAND, offset, 0); }
  void write64(uint32_t offset, uint64_t value) {
    write32(offset, static_cast<uint32_t>(value));
    write32(offset + 4, static_cast<uint32_t>(value >> 32));
  }
  // Starts one call with the done interrupt enabled; true when done was raised within `timeout`
  // (then acknowledged as a driver would).
  bool call(const KernelArgs& a, uint32_t weight_ports, sc_time timeout) {
    write32(kernel_args::kToken, a.token);
    write32(kernel_args::kPos, a.pos);
    write64(kernel_args::kKeyCache, a.key_cache[0]);
    write64(kernel_args::kValueCache, a.value_cache[0]);
    write64(kernel_args::kLogits, a.logits);
    for (uint32_t p = 0; p < weight_ports; ++p) write64(kernel_args::weights(p), a.weights[p]);
    write32(KernelControlRegs::kGie, 1);
    write32(KernelControlRegs::kIer, KernelControlRegs::kIrqDone);
    write32(KernelControlRegs::kApCtrl, KernelControlRegs::kApStart);
    if (!interrupt.read()) sc_core::wait(timeout, interrupt.value_changed_event());
    if (!interrupt.read()) return false;
    read32(KernelControlRegs::kApCtrl);
    write32(KernelControlRegs::kIsr, KernelControlRegs::kIrqDone);
    return true;
  }

 private:
  void run() {
    body_(*this);
    sc_core::sc_stop();
  }
  std::function<void(Host&)> body_;
};

FastKernelConfig kernel_config(uint32_t weight_ports) {
  FastKernelConfig c;
  c.clock_mhz = 250.0;  // 4 ns: cycles are whole picoseconds
  c.weight_ports = weight_ports;
  return c;
}

// DRAM + interconnect + fast kernel (with its control registers) + host.
struct Bench : test::OneHbmChannel {
  FastKernel kernel;
  sc_core::sc_signal<bool> irq{"irq"};
  Host host;

  Bench(uint32_t weight_ports, std::function<void(Host&)> body)
      : kernel("kernel", kernel_config(weight_ports)), host("host", std::move(body)) {
    for (auto& port : kernel.ports) port->socket.bind(interconnect.masters);
    host.mmio.bind(kernel.control().s_axi_control);
    kernel.control().interrupt_o(irq);
    host.interrupt(irq);
  }

  // The image at the test layout's addresses, written through the kernel's own port 0 (zero time).
  void load(const DeviceImage& image, const test::DeviceMemoryLayout& layout) {
    for (size_t p = 0; p < image.port_buffers.size(); ++p)
      kernel.ports[0]->debug_write(layout.args.weights[p], image.port_buffers[p].data(),
                                   static_cast<uint32_t>(image.port_buffers[p].size()));
  }
  std::vector<float> logits(const test::DeviceMemoryLayout& layout, uint32_t vocab) {
    std::vector<float> out(vocab);
    kernel.ports.back()->debug_read(layout.args.logits, out.data(), vocab * sizeof(float));
    return out;
  }
};

// The same calls in native C-simulation (hls/csim_memory.h): the kernel's numerical reference.
std::vector<std::vector<float>> csim_logits(const DeviceImage& image, const test::DeviceMemoryLayout& layout,
                                            const std::vector<uint32_t>& tokens) {
  CsimMemory memory(layout.total_bytes);
  test::copy_weight_ports(image, layout, memory.at(0, layout.total_bytes));
  KernelBuffers buffers;
  std::vector<std::vector<float>> out;
  for (uint32_t pos = 0; pos < tokens.size(); ++pos) {
    const KernelArgs a = layout.call(tokens[pos], pos);
    llama_forward(memory, a, buffers);
    std::vector<float> logits(image.descriptor.vocab_size);
    std::memcpy(logits.data(), memory.at(a.logits, image.logits_bytes), image.logits_bytes);
    out.push_back(std::move(logits));
  }
  return out;
}

bool inside_layers(KernelPhase p) {
  return p != KernelPhase::kLoadDescriptor && p != KernelPhase::kEmbedding && p != KernelPhase::kFinalRmsnorm &&
         p != KernelPhase::kClassifier;
}

// Three calls (pos 0, 1, 2) on a model sliced over two weight ports; the logits the kernel leaves
// in device memory after each call equal the C-sim's bit for bit.
TEST(FastKernel, CallsGiveTheCsimLogitsBitForBit) {
  const Q8Checkpoint model = random_q8_checkpoint(kShape, kGroupSize, 21);
  const DeviceImage image = build_device_image(model, 2);
  const test::DeviceMemoryLayout layout = test::device_memory_layout(image);
  const std::vector<uint32_t> tokens{5, 95, 0};
  const std::vector<std::vector<float>> want = csim_logits(image, layout, tokens);
  std::vector<std::vector<float>> got;
  std::vector<bool> done;
  Bench* bench = nullptr;
  Bench b(2, [&](Host& host) {
    bench->load(image, layout);
    for (uint32_t pos = 0; pos < tokens.size(); ++pos) {
      done.push_back(host.call(layout.call(tokens[pos], pos), 2, sc_time(10, SC_MS)));
      got.push_back(bench->logits(layout, kShape.vocab_size));
    }
  });
  bench = &b;
  sc_core::sc_start();
  ASSERT_EQ(got.size(), tokens.size());
  for (size_t pos = 0; pos < tokens.size(); ++pos) {
    EXPECT_TRUE(done[pos]) << "no done interrupt at pos " << pos;
    ASSERT_EQ(got[pos].size(), want[pos].size());
    EXPECT_EQ(std::memcmp(got[pos].data(), want[pos].data(), got[pos].size() * sizeof(float)), 0)
        << "logits differ from the C-sim at pos " << pos;
  }
  EXPECT_EQ(b.kernel.calls().size(), tokens.size());
  EXPECT_EQ(b.kernel.state(), "idle");
}

// One record per call: token and pos as written; phases from load_descriptor to classifier that
// tile [start, end) without gap; cycles = duration / clock period; each phase at least its
// stall-free compute cycles; the bytes the hls/ kernel's loops move in the phases that move them.
TEST(FastKernel, CallRecordPhasesTileTheCallAndSumToItsCycles) {
  const Q8Checkpoint model = random_q8_checkpoint(kShape, kGroupSize, 22);
  const DeviceImage image = build_device_image(model, 1);
  const test::DeviceMemoryLayout layout = test::device_memory_layout(image);
  const std::vector<uint32_t> tokens{7, 3};
  Bench* bench = nullptr;
  Bench b(1, [&](Host& host) {
    bench->load(image, layout);
    for (uint32_t pos = 0; pos < tokens.size(); ++pos) {
      ASSERT_TRUE(host.call(layout.call(tokens[pos], pos), 1, sc_time(10, SC_MS)));
    }
  });
  bench = &b;
  sc_core::sc_start();
  const sc_time cycle(4, SC_NS);
  const std::vector<KernelCallRecord>& calls = b.kernel.calls();
  ASSERT_EQ(calls.size(), tokens.size());
  for (uint32_t pos = 0; pos < calls.size(); ++pos) {
    const KernelCallRecord& c = calls[pos];
    SCOPED_TRACE("call at pos " + std::to_string(pos));
    EXPECT_EQ(c.token, tokens[pos]);
    EXPECT_EQ(c.pos, pos);
    ASSERT_FALSE(c.phases.empty());
    EXPECT_EQ(c.phases.front().phase, KernelPhase::kLoadDescriptor);
    EXPECT_EQ(c.phases.back().phase, KernelPhase::kClassifier);
    EXPECT_EQ(c.phases.front().start, c.start);
    EXPECT_EQ(c.phases.back().end, c.end);
    // load_descriptor, embedding, 8 per layer, final_rmsnorm, classifier.
    EXPECT_EQ(c.phases.size(), 4u + 8u * kShape.n_layers);
    sc_time total = sc_core::SC_ZERO_TIME;
    uint64_t compute = 0, written = 0;
    std::set<int> layers;
    for (size_t i = 0; i < c.phases.size(); ++i) {
      const PhaseRecord& p = c.phases[i];
      if (i > 0) {
        EXPECT_EQ(p.start, c.phases[i - 1].end) << "gap before phase " << i;
      }
      EXPECT_GE(p.end - p.start, cycle * double(p.compute_cycles)) << phase_name(p.phase) << " shorter than its compute";
      if (inside_layers(p.phase)) layers.insert(p.layer);
      else EXPECT_EQ(p.layer, -1) << phase_name(p.phase);
      if (p.phase == KernelPhase::kRopeKvWrite) {
        EXPECT_EQ(p.write_bytes, 2u * kKvDim * 4u);  // a K and a V row
      } else if (p.phase == KernelPhase::kAttention) {
        EXPECT_EQ(p.read_bytes, 2u * (pos + 1) * kKvDim * 4u);  // every cached K and V row up to pos
      } else if (p.phase == KernelPhase::kClassifier) {
        EXPECT_EQ(p.write_bytes, uint64_t(kShape.vocab_size) * 4u);  // the fp32 logits
      }
      total += p.end - p.start;
      compute += p.compute_cycles;
      written += p.write_bytes;
    }
    EXPECT_EQ(layers, (std::set<int>{0, 1}));
    EXPECT_EQ(total, c.end - c.start);
    EXPECT_EQ(c.cycles, static_cast<uint64_t>(std::llround((c.end - c.start) / cycle)));
    EXPECT_EQ(c.compute_cycles, compute);
    EXPECT_LE(c.compute_cycles, c.cycles);
    EXPECT_EQ(written, kShape.n_layers * 2u * kKvDim * 4u + kShape.vocab_size * 4u);
  }
  // The calls are sequential: the second starts after the first ended.
  EXPECT_GE(calls[1].start, calls[0].end);
}

// The weight streams' prefetch (rtl/llama_weight_prefetch.sv, kernel.prefetch_beats = 512 by
// default): each matmul phase's first weight bursts are read in the phase before it, after that
// phase's own weight reads (wq's after the attention RMS weights, in attn_rmsnorm; w1's in
// ffn_rmsnorm), and counted in the matmul phase's bytes.
TEST(FastKernel, MatmulPhasesFirstWeightBurstsAreReadInThePhaseBefore) {
  const Q8Checkpoint model = random_q8_checkpoint(kShape, kGroupSize, 25);
  const DeviceImage image = build_device_image(model, 1);
  const test::DeviceMemoryLayout layout = test::device_memory_layout(image);
  std::vector<AxiTransactionRecord> reads;
  Bench* bench = nullptr;
  Bench b(1, [&](Host& host) {
    bench->load(image, layout);
    ASSERT_TRUE(host.call(layout.call(5, 0), 1, sc_time(10, SC_MS)));
  });
  bench = &b;
  b.kernel.ports[0]->set_observer([&](const AxiTransactionRecord& r) {
    if (!r.write) reads.push_back(r);
  });
  sc_core::sc_start();
  ASSERT_EQ(b.kernel.calls().size(), 1u);
  const KernelCallRecord& c = b.kernel.calls()[0];
  const uint64_t base = layout.args.weights[0];
  auto issue_of = [&](uint64_t address) {
    for (const AxiTransactionRecord& r : reads)
      if (r.address == address) return r.issue;
    ADD_FAILURE() << "no read at " << address;
    return sc_core::SC_ZERO_TIME;
  };
  auto phase = [&](KernelPhase p, int layer) -> const PhaseRecord& {
    for (const PhaseRecord& r : c.phases)
      if (r.phase == p && r.layer == layer) return r;
    throw std::runtime_error("no phase");
  };
  for (int layer = 0; layer < int(kShape.n_layers); ++layer) {
    SCOPED_TRACE("layer " + std::to_string(layer));
    const uint64_t lo = uint64_t(layer) * image.descriptor.layer_stride;
    const sc_time wq = issue_of(base + image.descriptor.off_wq + lo);
    EXPECT_GE(wq, phase(KernelPhase::kAttnRmsnorm, layer).start);
    EXPECT_LT(wq, phase(KernelPhase::kQkvMatmul, layer).start) << "wq is read during attn_rmsnorm";
    const sc_time wo = issue_of(base + image.descriptor.off_wo + lo);
    EXPECT_GE(wo, phase(KernelPhase::kAttention, layer).start);
    EXPECT_LT(wo, phase(KernelPhase::kWoMatmul, layer).start) << "wo is read during attention";
    const sc_time w1 = issue_of(base + image.descriptor.off_w1 + lo);
    EXPECT_GE(w1, phase(KernelPhase::kFfnRmsnorm, layer).start);
    EXPECT_LT(w1, phase(KernelPhase::kW13Matmul, layer).start) << "w1 is read during ffn_rmsnorm";
    const sc_time w2 = issue_of(base + image.descriptor.off_w2 + lo);
    EXPECT_LT(w2, phase(KernelPhase::kW2Matmul, layer).start) << "w2 is read behind w3";
    // The RMS weights' load comes first on port 0.
    EXPECT_LT(issue_of(base + image.descriptor.off_rms_att + uint64_t(layer) * kShape.dim * 4), wq);
    // q, k and v: dim + 2 kv_dim rows of 64 codes and 2 scales (72 B, padded to 128 B).
    EXPECT_EQ(phase(KernelPhase::kQkvMatmul, layer).read_bytes, (64u + 2u * kKvDim) * 128u);
  }
  const sc_time classifier = issue_of(base + image.descriptor.off_classifier);
  EXPECT_LT(classifier, phase(KernelPhase::kClassifier, -1).start) << "read during final_rmsnorm";
}

// Weights buffer 0 without the descriptor magic: the error handler gets a message naming the
// kernel, the bad magic and where the kernel was; no done, no call record.
TEST(FastKernel, BadDescriptorMagicIsRefusedNamingIt) {
  const Q8Checkpoint model = random_q8_checkpoint(kShape, kGroupSize, 23);
  const DeviceImage image = build_device_image(model, 1);
  const test::DeviceMemoryLayout layout = test::device_memory_layout(image);
  std::string error;
  bool done = true;
  uint32_t ap_ctrl = 0;
  Bench* bench = nullptr;
  Bench b(1, [&](Host& host) {
    bench->load(image, layout);
    const uint32_t zero = 0;
    bench->kernel.ports[0]->debug_write(layout.args.weights[0], &zero, 4);  // clobber the magic
    KernelArgs a = layout.args;
    a.token = 1;
    done = host.call(a, 1, sc_time(1, SC_MS));
    ap_ctrl = host.read32(KernelControlRegs::kApCtrl);
  });
  bench = &b;
  b.kernel.set_error_handler([&](const std::string& message) { error = message; });
  sc_core::sc_start();
  EXPECT_FALSE(done);
  EXPECT_EQ(ap_ctrl & KernelControlRegs::kApDone, 0u);
  EXPECT_NE(error.find("kernel"), std::string::npos) << error;
  EXPECT_NE(error.find("kernel descriptor: bad magic"), std::string::npos) << error;
  EXPECT_NE(error.find("phase load_descriptor"), std::string::npos) << error;
  EXPECT_TRUE(b.kernel.calls().empty());
}

// The forward pass runs on a host thread of its own: an error it meets (here the logits buffer outside
// device memory, met at the classifier's first write) reaches the error handler naming the phase it
// was met in, after the phases before it were played; no done, no call record.
TEST(FastKernel, ErrorInTheForwardPassNamesItsPhase) {
  const Q8Checkpoint model = random_q8_checkpoint(kShape, kGroupSize, 25);
  const DeviceImage image = build_device_image(model, 1);
  const test::DeviceMemoryLayout layout = test::device_memory_layout(image);
  std::string error;
  bool done = true;
  sc_time error_time;
  Bench* bench = nullptr;
  Bench b(1, [&](Host& host) {
    bench->load(image, layout);
    KernelArgs a = layout.call(1, 0);
    a.logits = uint64_t{1} << 40;  // mapped nowhere
    done = host.call(a, 1, sc_time(1, SC_MS));
  });
  bench = &b;
  b.kernel.set_error_handler([&](const std::string& message) {
    error = message;
    error_time = sc_core::sc_time_stamp();
  });
  sc_core::sc_start();
  EXPECT_FALSE(done);
  EXPECT_NE(error.find("outside mapped device memory"), std::string::npos) << error;
  EXPECT_NE(error.find("phase classifier"), std::string::npos) << error;
  EXPECT_GT(error_time, sc_core::SC_ZERO_TIME) << "the layers were played first";
  EXPECT_TRUE(b.kernel.calls().empty());
}

// An image built for two weight ports on a one-port kernel is refused naming both counts.
TEST(FastKernel, ImageForOtherWeightPortCountIsRefused) {
  const Q8Checkpoint model = random_q8_checkpoint(kShape, kGroupSize, 24);
  const DeviceImage image = build_device_image(model, 2);
  const test::DeviceMemoryLayout layout = test::device_memory_layout(image);
  std::string error;
  bool done = true;
  Bench* bench = nullptr;
  Bench b(1, [&](Host& host) {
    bench->load(image, layout);
    KernelArgs a = layout.args;
    done = host.call(a, 1, sc_time(1, SC_MS));
  });
  bench = &b;
  b.kernel.set_error_handler([&](const std::string& message) { error = message; });
  sc_core::sc_start();
  EXPECT_FALSE(done);
  EXPECT_NE(error.find("image built for 2 weight ports, kernel.weight_ports = 1"), std::string::npos) << error;
  EXPECT_TRUE(b.kernel.calls().empty());
}

TEST(FastKernel, ConfigOutsideItsRangesIsRefusedNamingTheKey) {
  FastKernelConfig c;
  c.axi_data_bits = 96;
  const std::string error = test::thrown_message<std::invalid_argument>([&] { c.validate("kernel."); });
  EXPECT_NE(error.find("kernel.axi_data_bits = 96"), std::string::npos) << error;
  c = FastKernelConfig{};
  c.max_outstanding = 0;
  EXPECT_THROW(c.validate("kernel."), std::invalid_argument);
}

}  // namespace
}  // namespace vp
