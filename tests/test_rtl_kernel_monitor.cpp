// RtlKernelMonitor around the Verilated Llama kernel (rtl/llama_kernel.sv, one weight port) on an
// interconnect with one HBM2 pseudo-channel: call records that follow ap_idle and the phase/layer
// pins with the bytes the m_axi bridges moved, a start refused before the RTL sees it, the state a
// hang report shows when the host's wait times out, and a bus error reported with the bridge's words.
// Each test case elaborates and simulates once (ctest runs each case in its own process).
#include "tests/rtl_stream_copy_soc.h"  // RtlTestHost
#include "models/verilated/llama_rtl_top.h"  // before the generated header (see verilated_top.h)

#include "models/verilated/rtl_kernel_monitor.h"

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "Vllama_kernel.h"
#include "hls/csim_memory.h"
#include "hls/llama_kernel.h"
#include "models/verilated/llama_rtl_limits.h"
#include "sw/device_image.h"
#include "sw/random_checkpoint.h"
#include "tests/device_memory_layout.h"
#include "tests/one_hbm_channel.h"

namespace vp {
namespace {

using sc_core::sc_time;
using sc_core::SC_MS;
using sc_core::SC_NS;
using test::RtlTestHost;

// dim 64, hidden 128, 2 layers, 4 heads, 2 KV heads (kv_dim 32), vocab 96, seq_len 16, group size 32.
const ModelShape kShape{64, 128, 2, 4, 2, 96, 16, true};
constexpr uint32_t kKvDim = 32;
constexpr int kGroupSize = 32;
constexpr double kClockMhz = 250.0;  // 4 ns

std::unique_ptr<VerilatedTop> make_top(RtlKernelStatusPins& status) {
  auto top = std::make_unique<LlamaRtlTop<Vllama_kernel, 1>>();
  status = {top->ports().idle, top->phase_pin(), top->layer_pin()};
  return top;
}

VerilatedKernelConfig kernel_config() {
  VerilatedKernelConfig c;
  c.clock_mhz = kClockMhz;
  return c;
}

// DRAM + interconnect + Verilated kernel + monitor on its control path + host.
struct Bench : test::OneHbmChannel {
  RtlKernelStatusPins status{};
  VerilatedKernel kernel;
  RtlKernelMonitor monitor;
  sc_core::sc_signal<bool> irq{"irq"};
  RtlTestHost host;
  std::vector<std::string> errors;

  explicit Bench(std::function<void(RtlTestHost&)> body)
      : kernel("kernel", make_top(status), kernel_config()),
        monitor("kernel_monitor", kernel, status, 1, 1, KernelMicroarch{}, start_check(kernel)),
        host("host", std::move(body)) {
    for (size_t i = 0; i < kernel.master_count(); ++i) kernel.master(i).socket.bind(interconnect.masters);
    host.memory.bind(interconnect.masters);
    host.mmio.bind(monitor.from_host);
    monitor.to_kernel.bind(kernel.control().socket);
    kernel.interrupt_o(irq);
    host.interrupt(irq);
    monitor.set_error_handler([this](const std::string& m) { errors.push_back(m); });
    kernel.set_error_handler([this](const std::string& m) { errors.push_back(m); });
  }

  // The platform's check (models/verilated/llama_rtl_limits.h).
  static RtlKernelMonitor::StartCheck start_check(VerilatedKernel& kernel) {
    return [&kernel](const KernelArgs& args) { return check_rtl_kernel_start(kernel, LlamaRtlParams{}, args); };
  }

  uint64_t bridge_read_bytes() {
    uint64_t n = 0;
    for (size_t i = 0; i < kernel.master_count(); ++i) n += kernel.master(i).stats().read_bytes;
    return n;
  }
  uint64_t bridge_write_bytes() {
    uint64_t n = 0;
    for (size_t i = 0; i < kernel.master_count(); ++i) n += kernel.master(i).stats().write_bytes;
    return n;
  }
};

struct Model {
  DeviceImage image;
  test::DeviceMemoryLayout layout;
  explicit Model(uint64_t seed)
      : image(build_device_image(random_q8_checkpoint(kShape, kGroupSize, seed), 1)),
        layout(test::device_memory_layout(image)) {}

  void load(RtlTestHost& host) const { host.poke(layout.args.weights[0], image.port_buffers[0]); }
  KernelArgs args(uint32_t token, uint32_t pos) const { return layout.call(token, pos); }
};

void write_args(RtlTestHost& host, const KernelArgs& a) {
  host.write32(kernel_args::kToken, a.token);
  host.write32(kernel_args::kPos, a.pos);
  host.write64(kernel_args::kKeyCache, a.key_cache[0]);
  host.write64(kernel_args::kValueCache, a.value_cache[0]);
  host.write64(kernel_args::kLogits, a.logits);
  host.write64(kernel_args::weights(0), a.weights[0]);
}

// Starts a call with the done interrupt enabled; true when done was raised within `timeout`.
bool start_and_wait(RtlTestHost& host, const KernelArgs& a, sc_time timeout) {
  write_args(host, a);
  host.write32(KernelControlRegs::kGie, 1);
  host.write32(KernelControlRegs::kIer, KernelControlRegs::kIrqDone);
  host.write32(KernelControlRegs::kApCtrl, KernelControlRegs::kApStart);
  try {
    host.wait_interrupt(timeout);
  } catch (const std::runtime_error&) {
    return false;
  }
  host.acknowledge();
  return true;
}

bool inside_layers(KernelPhase p) {
  return p != KernelPhase::kLoadDescriptor && p != KernelPhase::kEmbedding && p != KernelPhase::kFinalRmsnorm &&
         p != KernelPhase::kClassifier;
}

std::vector<float> csim_logits(const Model& m, const std::vector<uint32_t>& tokens) {
  CsimMemory memory(m.layout.total_bytes);
  test::copy_weight_ports(m.image, m.layout, memory.at(0, m.layout.total_bytes));
  KernelBuffers buffers;
  for (uint32_t pos = 0; pos < tokens.size(); ++pos) llama_forward(memory, m.args(tokens[pos], pos), buffers);
  std::vector<float> logits(kShape.vocab_size);
  std::memcpy(logits.data(), memory.at(m.layout.args.logits, m.image.logits_bytes), m.image.logits_bytes);
  return logits;
}

// Two calls: one record each with the host's token and pos, from the edge ap_idle falls to the
// edge it rises (whole clock periods), phases tiling it from load_descriptor to classifier,
// and the bytes the bridges moved split over the phases without loss.
TEST(RtlKernelMonitor, RecordsEachCallWithPhasesTilingItAndTheBridgesBytes) {
  const Model m(31);
  const std::vector<uint32_t> tokens{9, 90};
  std::vector<bool> done;
  std::vector<uint64_t> read_before, write_before, read_after, write_after;
  std::vector<float> logits;
  Bench* bench = nullptr;
  Bench b([&](RtlTestHost& host) {
    m.load(host);
    for (uint32_t pos = 0; pos < tokens.size(); ++pos) {
      read_before.push_back(bench->bridge_read_bytes());
      write_before.push_back(bench->bridge_write_bytes());
      done.push_back(start_and_wait(host, m.args(tokens[pos], pos), sc_time(20, SC_MS)));
      read_after.push_back(bench->bridge_read_bytes());
      write_after.push_back(bench->bridge_write_bytes());
    }
    const std::vector<uint8_t> bytes = host.peek(m.layout.args.logits, kShape.vocab_size * sizeof(float));
    logits.resize(kShape.vocab_size);
    std::memcpy(logits.data(), bytes.data(), bytes.size());
  });
  bench = &b;
  sc_core::sc_start();
  EXPECT_TRUE(b.errors.empty()) << b.errors.front();
  ASSERT_EQ(done, std::vector<bool>(tokens.size(), true));
  const std::vector<float> want = csim_logits(m, tokens);
  EXPECT_EQ(std::memcmp(logits.data(), want.data(), want.size() * sizeof(float)), 0) << "logits differ from the C-sim";

  const sc_time period(1000.0 / kClockMhz, SC_NS);
  const std::vector<KernelCallRecord>& calls = b.monitor.calls();
  ASSERT_EQ(calls.size(), tokens.size());
  for (uint32_t pos = 0; pos < calls.size(); ++pos) {
    const KernelCallRecord& c = calls[pos];
    SCOPED_TRACE("call at pos " + std::to_string(pos));
    EXPECT_EQ(c.token, tokens[pos]);
    EXPECT_EQ(c.pos, pos);
    EXPECT_GT(c.cycles, 0u);
    EXPECT_EQ(c.end - c.start, period * double(c.cycles));
    ASSERT_FALSE(c.phases.empty());
    EXPECT_EQ(c.phases.front().phase, KernelPhase::kLoadDescriptor);
    EXPECT_EQ(c.phases.back().phase, KernelPhase::kClassifier);
    EXPECT_EQ(c.phases.front().start, c.start);
    EXPECT_EQ(c.phases.back().end, c.end);
    uint64_t read = 0, written = 0, compute = 0;
    std::set<int> layers;
    for (size_t i = 0; i < c.phases.size(); ++i) {
      const PhaseRecord& p = c.phases[i];
      if (i > 0) {
        EXPECT_EQ(p.start, c.phases[i - 1].end) << "gap before phase " << i;
      }
      if (inside_layers(p.phase)) {
        layers.insert(p.layer);
      } else {
        EXPECT_EQ(p.layer, -1) << phase_name(p.phase);
      }
      read += p.read_bytes;
      written += p.write_bytes;
      compute += p.compute_cycles;
    }
    EXPECT_EQ(layers, (std::set<int>{0, 1}));
    EXPECT_EQ(c.compute_cycles, compute);
    EXPECT_GT(c.compute_cycles, 0u);
    // Every byte the bridges moved during the call is in one of its phases.
    EXPECT_EQ(read, read_after[pos] - read_before[pos]);
    EXPECT_EQ(written, write_after[pos] - write_before[pos]);
    // A K and a V row per layer, then the fp32 logits.
    EXPECT_EQ(written, kShape.n_layers * 2u * kKvDim * 4u + kShape.vocab_size * 4u);
  }
  EXPECT_GE(calls[1].start, calls[0].end);
  EXPECT_EQ(b.monitor.state(), "idle");
  const KernelArgs last = b.monitor.args();
  EXPECT_EQ(last.token, tokens.back());
  EXPECT_EQ(last.logits, m.layout.args.logits);
}

// A start the check refuses never reaches the RTL: the error names the monitor, the call and the
// reason; no interrupt, no record, no byte moved.
TEST(RtlKernelMonitor, RefusedStartNeverStartsTheRtl) {
  const Model m(32);
  bool done = true;
  Bench b([&](RtlTestHost& host) {
    m.load(host);
    host.poke(m.layout.args.weights[0], std::vector<uint8_t>(4, 0));  // clobber the magic
    done = start_and_wait(host, m.args(3, 0), sc_time(100, sc_core::SC_US));
  });
  sc_core::sc_start();
  EXPECT_FALSE(done);
  ASSERT_EQ(b.errors.size(), 1u);
  const std::string& e = b.errors[0];
  EXPECT_NE(e.find("kernel_monitor: call refused before start (token 3, pos 0)"), std::string::npos) << e;
  EXPECT_NE(e.find("bad magic"), std::string::npos) << e;
  EXPECT_TRUE(b.monitor.calls().empty());
  EXPECT_EQ(b.bridge_read_bytes(), 0u);
  EXPECT_EQ(b.monitor.state(), "idle");
}

// The host gives up after 3000 cycles, inside layer 0 (the descriptor and one embedding row take
// a few hundred): the monitor's state, what a hang report shows, names the layer and phase the
// RTL's pins show at that moment, and no record exists for the unfinished call.
TEST(RtlKernelMonitor, StateOnATimeoutNamesTheRtlsLayerAndPhase) {
  const Model m(33);
  bool done = true;
  std::string state;
  uint32_t phase_pin = 0, layer_pin = 0;
  size_t records = 99;
  Bench* bench = nullptr;
  Bench b([&](RtlTestHost& host) {
    m.load(host);
    done = start_and_wait(host, m.args(4, 0), sc_time(1000.0 / kClockMhz * 3000, SC_NS));
    state = bench->monitor.state();
    phase_pin = static_cast<uint32_t>(bench->status.phase.get());
    layer_pin = static_cast<uint32_t>(bench->status.layer.get());
    records = bench->monitor.calls().size();
  });
  bench = &b;
  sc_core::sc_start();
  EXPECT_FALSE(done);
  EXPECT_EQ(records, 0u);
  ASSERT_LT(phase_pin, uint32_t(kKernelPhaseCount));
  const KernelPhase phase = static_cast<KernelPhase>(phase_pin);
  ASSERT_TRUE(inside_layers(phase)) << phase_name(phase);
  EXPECT_EQ(layer_pin, 0u);
  EXPECT_EQ(state, "layer " + std::to_string(layer_pin) + " phase " + phase_name(phase));
}

// Logits pointed past the end of device memory: the output bridge's first write burst gets an
// error response, and the monitor reports it once, naming the port and the address, and keeps no
// record of the call (the RTL itself goes on: the monitor only watches).
TEST(RtlKernelMonitor, BusErrorIsReportedOnceWithThePortAndAddress) {
  const Model m(34);
  Bench b([&](RtlTestHost& host) {
    m.load(host);
    KernelArgs a = m.args(2, 0);
    a.logits = 0x10000000;  // one HBM2 pseudo-channel: 256 MiB, mapped from 0
    start_and_wait(host, a, sc_time(20, SC_MS));
  });
  sc_core::sc_start();
  std::vector<std::string> from_monitor;
  for (const std::string& e : b.errors)
    if (e.rfind("kernel_monitor: ", 0) == 0) from_monitor.push_back(e);
  ASSERT_EQ(from_monitor.size(), 1u);
  const std::string& e = from_monitor[0];
  EXPECT_NE(e.find("m_axi_gmem_out"), std::string::npos) << e;
  EXPECT_NE(e.find("write burst at 0x10000000"), std::string::npos) << e;
  EXPECT_TRUE(b.monitor.calls().empty());
}

}  // namespace
}  // namespace vp
