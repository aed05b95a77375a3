// Timing-only runs (run.functional = off): the fast kernel makes every access of a functional run
// but skips the arithmetic, so a run gives the same cycles, per-phase times, DRAM counters and
// energy as a functional run fed the same tokens, bit for bit, and no logits or tokens.
// SystemC simulates once per process: the functional run of a comparison runs in a forked child
// before this process elaborates anything, and hands its figures back in a JSON file.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hls/csim_memory.h"
#include "hls/llama_kernel.h"
#include "platform/model_source.h"
#include "platform/report.h"
#include "platform/sim_config.h"
#include "platform/simulation.h"
#include "sw/device_image.h"
#include "sw/random_checkpoint.h"
#include "tests/device_memory_layout.h"
#include "tests/sim_config_args.h"

namespace {

using nlohmann::json;

// ---- The kernel alone: which accesses it makes, with and without the arithmetic ----

struct Access {
  vp::KernelPhase phase;
  int layer;
  uint32_t port;
  bool write;
  uint64_t address;
  uint32_t bytes;
  bool operator==(const Access& o) const {
    return phase == o.phase && layer == o.layer && port == o.port && write == o.write && address == o.address &&
           bytes == o.bytes;
  }
};

// A C-sim memory that lists the kernel's accesses; with `computes` false it moves no data except
// the descriptor, as the fast kernel's timing-only memory does.
class RecordingMemory {
 public:
  RecordingMemory(vp::CsimMemory& memory, bool computes) : memory_(memory), computes_(computes) {}
  bool computes() const { return computes_; }
  void read(uint32_t port, uint64_t addr, void* dst, uint32_t bytes) {
    if (computes_ || phase_ == vp::KernelPhase::kLoadDescriptor) memory_.read(port, addr, dst, bytes);
    accesses.push_back({phase_, layer_, port, false, addr, bytes});
  }
  void write(uint32_t port, uint64_t addr, const void* src, uint32_t bytes) {
    if (computes_) memory_.write(port, addr, src, bytes);
    accesses.push_back({phase_, layer_, port, true, addr, bytes});
  }
  void phase(vp::KernelPhase phase, int layer) {
    phase_ = phase;
    layer_ = layer;
  }
  void finish() {}

  std::vector<Access> accesses;

 private:
  vp::CsimMemory& memory_;
  bool computes_;
  vp::KernelPhase phase_ = vp::KernelPhase::kLoadDescriptor;
  int layer_ = -1;
};

// Grouped-query attention, an unshared classifier and rows sliced over two ports.
struct KernelBench {
  vp::DeviceImage image;
  vp::test::DeviceMemoryLayout layout;
  vp::CsimMemory memory;
  vp::KernelBuffers buffers;

  KernelBench()
      : image(vp::build_device_image(vp::random_q8_checkpoint(shape(), 32, 5), 2)),
        layout(vp::test::device_memory_layout(image)),
        memory(layout.total_bytes) {
    vp::test::copy_weight_ports(image, layout, memory.at(0, layout.total_bytes));
  }
  static vp::ModelShape shape() {
    return vp::ModelShape{96, 160, 2, 6, 2, 77, 16, false};
  }
  std::vector<Access> call(int token, int pos, bool computes) {
    vp::KernelArgs args = layout.args;
    args.token = static_cast<uint32_t>(token);
    args.pos = static_cast<uint32_t>(pos);
    RecordingMemory mem(memory, computes);
    vp::llama_forward(mem, args, buffers);
    return mem.accesses;
  }
};

TEST(TimingOnlyKernel, MakesTheSameAccessesInTheSameOrderWithoutTheArithmetic) {
  KernelBench bench;
  const std::vector<int> tokens{3, 76, 0, 40, 12};
  std::vector<std::vector<Access>> functional;
  for (int pos = 0; pos < int(tokens.size()); ++pos) functional.push_back(bench.call(tokens[pos], pos, true));
  for (int pos = 0; pos < int(tokens.size()); ++pos) {
    const std::vector<Access> timing_only = bench.call(tokens[pos], pos, false);
    ASSERT_EQ(timing_only.size(), functional[pos].size()) << "pos " << pos;
    for (size_t i = 0; i < timing_only.size(); ++i)
      ASSERT_TRUE(timing_only[i] == functional[pos][i]) << "pos " << pos << " access " << i;
  }
}

// Why a timing-only run is exact only for the tokens it is fed: the token picks the embedding row
// (and, with rows sliced over ports, its port), and nothing else.
TEST(TimingOnlyKernel, OnlyTheEmbeddingReadDependsOnTheToken) {
  KernelBench bench;
  const std::vector<Access> a = bench.call(3, 2, false);
  const std::vector<Access> b = bench.call(70, 2, false);  // its row sits on the other weight port
  ASSERT_EQ(a.size(), b.size());
  std::vector<size_t> differing;
  for (size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i])) differing.push_back(i);
  ASSERT_EQ(differing.size(), 1u);
  const Access& ea = a[differing[0]];
  const Access& eb = b[differing[0]];
  EXPECT_EQ(ea.phase, vp::KernelPhase::kEmbedding);
  EXPECT_FALSE(ea.write);
  EXPECT_EQ(ea.bytes, eb.bytes);
  EXPECT_NE(ea.port, eb.port);
}

// ---- Whole runs through the platform ----

// `args` on the tiny shape unless they name another.
vp::SimConfig config_from(std::vector<std::string> args) {
  bool shape_given = false;
  for (const std::string& a : args) shape_given |= a.rfind("--run.model_shape=", 0) == 0;
  if (!shape_given) args.insert(args.begin(), "--run.model_shape=tiny");
  args.insert(args.begin(), "--run.cache_dir=" + ::testing::TempDir() + "vp_timing_only_cache");
  return vp::test::config_from(args);
}

json dram_json(const vp::DramStats& s) {
  return {s.read_requests,   s.write_requests, s.read_bytes,      s.write_bytes,
          s.activates,       s.precharges,     s.precharge_alls,  s.reads,
          s.writes,          s.refreshes,      s.row_hits,        s.row_misses,
          s.row_conflicts,   s.data_bus_busy_cycles,              s.total_read_latency.value(),
          s.total_write_latency.value(),       s.total_queueing_delay.value()};
}

// Every timing figure of a run, exact (times in ps, energies as the doubles' bit patterns through
// JSON's round trip), beside its stats JSON.
json figures_of(const vp::RunResult& r) {
  json calls = json::array();
  for (const vp::KernelCallRecord& c : r.calls) {
    json phases = json::array();
    for (const vp::PhaseRecord& p : c.phases)
      phases.push_back({int(p.phase), p.layer, p.start.value(), p.end.value(), p.compute_cycles, p.read_bytes,
                        p.write_bytes});
    calls.push_back({{"token", c.token},
                     {"pos", c.pos},
                     {"start_ps", c.start.value()},
                     {"end_ps", c.end.value()},
                     {"cycles", c.cycles},
                     {"compute_cycles", c.compute_cycles},
                     {"phases", phases}});
  }
  json tokens = json::array();
  for (const vp::TokenStats& t : r.tokens)
    tokens.push_back({{"axi_beats", t.axi_beats},
                      {"channel_bytes", t.channel_bytes},
                      {"times", {t.start_s, t.kernel_start_s, t.kernel_end_s, t.end_s}},
                      {"energy_pj", t.energy.pj},
                      {"actions",
                       {t.actions.int8_macs, t.actions.fp32_adds, t.actions.fp32_muls, t.actions.exp_ops,
                        t.actions.recip_ops, t.actions.rsqrt_ops, t.actions.buffer_read_words,
                        t.actions.buffer_write_words}}});
  json channels = json::array();
  for (const vp::ChannelSummary& c : r.channels) channels.push_back({c.name, c.energy_pj, dram_json(c.stats)});
  return {{"error", r.error},
          {"calls", calls},
          {"tokens", tokens},
          {"channels", channels},
          {"pcie", {r.pcie.bytes_host_to_card, r.pcie.bytes_card_to_host, r.pcie.mmio_reads, r.pcie.mmio_writes,
                    r.pcie_energy_pj}},
          {"sim_seconds", r.sim_seconds},
          {"stats", vp::stats_json(r)}};
}

// Runs `config` in a forked child (its own SystemC simulation); call before this process
// elaborates any module.
json run_in_child(const vp::SimConfig& config) {
  const std::string path = ::testing::TempDir() + "vp_timing_only_child_" + std::to_string(getpid()) + ".json";
  std::remove(path.c_str());
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int code = 0;
    json out;
    try {
      out = figures_of(vp::run_simulation(config, [](const vp::TokenStats&) {}));
    } catch (const std::exception& e) {
      out = {{"error", std::string("child threw: ") + e.what()}};
      code = 1;
    }
    std::ofstream(path) << out.dump();
    std::fflush(nullptr);
    _exit(code);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  std::ifstream in(path);
  json out = json::parse(in, nullptr, false);
  std::remove(path.c_str());
  return out;
}

json run_here(const vp::SimConfig& config) {
  return figures_of(vp::run_simulation(config, [](const vp::TokenStats&) {}));
}

// The stats JSON of the two runs may differ only where a timing-only run says what it is.
void drop_functional_only_keys(json& stats) {
  stats["config"].erase("functional");
  stats["config"]["keys"].erase("run.functional");
  stats.erase("text");
  for (json& t : stats["tokens"]) {
    t.erase("token");
    t.erase("next_token");
  }
}

// The prompt covers every step, so both runs feed the same tokens.
void expect_same_timing_as_a_functional_run(const std::vector<std::string>& args) {
  std::vector<std::string> functional_args = args, timing_args = args;
  functional_args.push_back("--run.functional=on");
  timing_args.push_back("--run.functional=off");
  json functional = run_in_child(config_from(functional_args));
  json timing_only = run_here(config_from(timing_args));
  ASSERT_EQ(functional["error"], "") << functional["error"];
  ASSERT_EQ(timing_only["error"], "") << timing_only["error"];
  ASSERT_EQ(timing_only["calls"].size(), 5u);
  EXPECT_EQ(timing_only["stats"]["config"]["functional"], "off");
  EXPECT_EQ(functional["stats"]["config"]["functional"], "on");
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(timing_only["calls"][i]["cycles"], functional["calls"][i]["cycles"]) << "call " << i;
    EXPECT_EQ(timing_only["calls"][i]["phases"], functional["calls"][i]["phases"]) << "call " << i;
  }
  EXPECT_EQ(timing_only["calls"], functional["calls"]);
  EXPECT_EQ(timing_only["tokens"], functional["tokens"]);
  EXPECT_EQ(timing_only["channels"], functional["channels"]);
  EXPECT_EQ(timing_only["pcie"], functional["pcie"]);
  EXPECT_EQ(timing_only["sim_seconds"], functional["sim_seconds"]);
  drop_functional_only_keys(functional["stats"]);
  drop_functional_only_keys(timing_only["stats"]);
  EXPECT_EQ(timing_only["stats"], functional["stats"]);
}

// stories15M: a shape whose embedding rows fall in different DRAM rows, so feeding other tokens
// would change the DRAM counters.
TEST(TimingOnlyRun, SameCallPhaseDramAndEnergyFiguresAsAFunctionalRun) {
  expect_same_timing_as_a_functional_run({std::string(VP_SOURCE_DIR) + "/platform/u280.cfg",
                                          "--run.model_shape=stories15M", "--run.steps=5",
                                          "--run.prompt=1 200 7 7 31999"});
}

// The HLS what-if merges reads into longer bursts, and rows are sliced over two HBM channels.
TEST(TimingOnlyRun, SameFiguresWithPipelinedVectorUnitOverTwoWeightPorts) {
  expect_same_timing_as_a_functional_run({std::string(VP_SOURCE_DIR) + "/platform/u280.cfg", "--run.steps=5",
                                          "--run.prompt=1 200 7 7 255", "--kernel.vector_unit=pipelined",
                                          "--kernel.weight_ports=2"});
}

TEST(TimingOnlyRun, FeedsThePromptThenItsLastTokenAndShowsNoTokens) {
  const vp::SimConfig config = config_from({"--run.steps=5", "--run.prompt=7 9", "--run.functional=off"});
  const vp::RunResult r = vp::run_simulation(config, [](const vp::TokenStats&) {});
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.calls.size(), 5u);  // every step: no sampling, so no early stop at BOS
  const std::vector<uint32_t> want{7, 9, 9, 9, 9};
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(r.calls[i].token, want[i]) << "pos " << i;
  EXPECT_TRUE(r.text.empty());
  EXPECT_TRUE(r.logits.empty());
  const json stats = vp::stats_json(r);
  EXPECT_EQ(stats["config"]["functional"], "off");
  EXPECT_FALSE(stats.contains("text"));
  for (const json& t : stats["tokens"]) {
    EXPECT_FALSE(t.contains("token"));
    EXPECT_FALSE(t.contains("next_token"));
  }
}

TEST(TimingOnlyRun, WithoutAPromptFeedsBos) {
  const vp::RunResult r = vp::run_simulation(config_from({"--run.steps=2", "--run.functional=off"}),
                                             [](const vp::TokenStats&) {});
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.calls.size(), 2u);
  EXPECT_EQ(r.calls[0].token, 1u);
  EXPECT_EQ(r.calls[1].token, 1u);
}

void expect_refused_naming(const std::vector<std::string>& args, const std::string& key) {
  try {
    config_from(args);
    ADD_FAILURE() << "accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
  }
}

TEST(TimingOnlyRunConfig, RtlModeIsRefusedNamingTheKey) {
  expect_refused_naming({"--run.mode=rtl", "--run.functional=off"}, "run.functional");
}

TEST(TimingOnlyRunConfig, DumpingLogitsIsRefusedNamingBothKeys) {
  expect_refused_naming({"--run.dump_logits=x.bin", "--run.functional=off"}, "run.dump_logits");
  expect_refused_naming({"--run.dump_logits=x.bin", "--run.functional=off"}, "run.functional");
}

TEST(TimingOnlyRunConfig, OnAndOffParseFromAnIniFileAndDefaultToOn) {
  EXPECT_TRUE(config_from({}).run.functional);
  const std::string path = ::testing::TempDir() + "vp_timing_only_" + std::to_string(getpid()) + ".cfg";
  std::ofstream(path) << "[run]\nfunctional = off\n";
  EXPECT_FALSE(config_from({path}).run.functional);
  EXPECT_TRUE(config_from({path, "--run.functional=on"}).run.functional);
  std::remove(path.c_str());
  expect_refused_naming({"--run.functional=maybe"}, "run.functional");
}

}  // namespace
