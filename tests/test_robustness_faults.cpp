// Faults during a run: accesses outside device memory, a kernel that never finishes, SIGINT,
// failed output writes, and reproducibility. Where the behaviour is an exit status, a signal or
// files on disk, the test runs the vpsim binary as a child; the memory faults need a corrupted
// pointer that no configuration produces, so those build the SoC in-process (one sc_start per case).
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hls/device_layout.h"
#include "models/host/host_cpu.h"
#include "models/kernel/fast_kernel.h"
#include "platform/model_source.h"
#include "platform/sim_config.h"
#include "platform/soc.h"
#include "sw/host_program.h"
#include "sw/random_checkpoint.h"
#include "tests/expect_mentions.h"
#include "tests/vpsim_child.h"

namespace {

using vp::test::ChildResult;
using vp::test::ScratchDir;

// Far above every mapped range: HBM from 0, DDR from 64 GiB (platform/soc.h).
constexpr uint64_t kUnmapped = 0xF000'0000'0000ull;

vp::SimConfig tiny_config() {
  const char* argv[] = {"test", "--run.model_shape=tiny"};
  return vp::parse_sim_config(2, argv);
}

// "... at 12345 ns" or similar: SystemC's time format.
bool names_a_time(const std::string& text) { return std::regex_search(text, std::regex(R"(at [0-9.]+ [munpf]?s)")); }

// A corrupted logits pointer: the kernel's functional write goes through debug transport, which finds
// no memory there; the kernel stops without raising done and the platform reports port, address, time.
TEST(RobustnessFaults, KernelWriteOutsideDeviceMemoryStopsTheRunNamingPortAddressAndTime) {
  const vp::SimConfig config = tiny_config();
  const vp::Q8Checkpoint model = vp::random_q8_checkpoint(vp::parse_model_shape("tiny"), 64, 1);
  vp::Soc soc("soc", config);
  vp::HostProgram host(soc.driver(), model, {config.weight_banks(), config.kv_banks(), config.out_bank()});
  vp::HostCpu cpu("host_cpu", [&] {
    host.upload();
    soc.driver().set_arg64(vp::kernel_args::kLogits, kUnmapped);
    host.forward(1, 0);
  });
  sc_core::sc_start();
  const std::string& error = soc.kernel_error();
  EXPECT_MENTIONS(error, "m_axi_out");
  EXPECT_MENTIONS(error, "0xf00000000000");
  EXPECT_MENTIONS(error, "outside mapped device memory");
  EXPECT_MENTIONS(error, "classifier");
  EXPECT_TRUE(names_a_time(error)) << error;
  EXPECT_FALSE(cpu.finished()) << "the host must not see done from a failed call";
}

// The timed path: a burst to an unmapped address gets the interconnect's decode error as its TLM
// response, and the port keeps the first one with direction, address and time (the fast kernel turns
// it into a kernel error after the phase).
TEST(RobustnessFaults, ErrorResponseToATimedBurstIsRecordedWithPortAddressAndTime) {
  const vp::SimConfig config = tiny_config();
  vp::Soc soc("soc", config);
  vp::AxiMasterPort& port = *vp::kernel_as<vp::FastKernel>(soc.kernel()).ports.back();
  vp::HostCpu cpu("host_cpu", [&] {
    port.enqueue_read({kUnmapped, 64, 1});
    port.enqueue_read({kUnmapped + 64, 64, 1});
    while (!port.idle()) sc_core::wait(port.idle_event());
  });
  sc_core::sc_start();
  ASSERT_TRUE(cpu.finished());
  const std::string& error = port.error();
  EXPECT_MENTIONS(error, "m_axi_out");
  EXPECT_MENTIONS(error, "read");
  EXPECT_MENTIONS(error, "0xf00000000000");  // the first error, not the second
  EXPECT_MENTIONS(error, "ADDRESS_ERROR");
  EXPECT_TRUE(names_a_time(error)) << error;
}

// Through vpsim: a kernel error ends the run with exit 1 and the statistics still written, marked failed.
TEST(RobustnessFaults, KernelErrorExitsNonZeroAndMarksTheStatisticsFailed) {
  ScratchDir dir("faults_kernel_error");
  const std::string stats = dir.file("stats.json");
  // seq_len 8192 is beyond the kernel's on-chip capacity: it refuses the descriptor.
  const ChildResult r = vp::test::run_vpsim({"--run.model_shape=64,128,1,4,4,64,8192", "--run.steps=2",
                                             "--stats=" + stats, "--run.cache_dir=" + dir.file("cache")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_MENTIONS(r.err, "seq_len 8192");
  const nlohmann::json j = nlohmann::json::parse(vp::test::read_file(stats));
  EXPECT_MENTIONS(j.at("error").get<std::string>(), "seq_len 8192");
  EXPECT_TRUE(j.at("tokens").empty());
}

TEST(RobustnessFaults, KernelPastItsTimeoutStopsWithAStateDumpInsteadOfHanging) {
  ScratchDir dir("faults_timeout");
  // A tiny-model call takes a few thousand cycles: 2000 is too few.
  const ChildResult r = vp::test::run_vpsim(
      {"--run.model_shape=tiny", "--run.steps=2", "--kernel.timeout_cycles=2000", "--run.cache_dir=" + dir.file("cache")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_MENTIONS(r.err, "did not raise its done interrupt");
  EXPECT_MENTIONS(r.err, "kernel.timeout_cycles");
  EXPECT_MENTIONS(r.err, "layer 0 phase ");
  EXPECT_MENTIONS(r.err, "outstanding bursts per port: m_axi_w0 ");
  EXPECT_MENTIONS(r.err, "m_axi_kv ");
  EXPECT_MENTIONS(r.err, "m_axi_out ");
}

TEST(RobustnessFaults, SigintWritesTheStatisticsSoFarAndExitsNonZero) {
  ScratchDir dir("faults_sigint");
  const std::string stats = dir.file("stats.json");
  // 1024 tokens take about a second: the signal lands long before the end.
  vp::test::VpsimChild child({"--run.model_shape=64,172,2,8,4,512,1024", "--run.steps=1024", "--stats=" + stats,
                              "--run.cache_dir=" + dir.file("cache")});
  ASSERT_TRUE(child.wait_for_line("pos "));
  child.send_signal(SIGINT);
  const ChildResult r = child.finish();
  EXPECT_EQ(r.exit_code, 128 + SIGINT) << r.err;
  EXPECT_MENTIONS(r.err, "interrupted by SIGINT");
  const nlohmann::json j = nlohmann::json::parse(vp::test::read_file(stats));
  const size_t tokens = j.at("tokens").size();
  EXPECT_GE(tokens, 1u);
  EXPECT_LT(tokens, 1024u);
  EXPECT_MENTIONS(j.at("error").get<std::string>(), "SIGINT");
  // Every token line printed is in the statistics, and no more.
  size_t lines = 0;
  for (size_t at = r.out.find("\npos "); at != std::string::npos; at = r.out.find("\npos ", at + 1)) ++lines;
  lines += r.out.compare(0, 4, "pos ") == 0;
  EXPECT_EQ(lines, tokens);
}

TEST(RobustnessFaults, AFailedOrKilledWriteLeavesNoOutputThatLooksComplete) {
  ScratchDir dir("faults_atomic");
  const std::string cache = "--run.cache_dir=" + dir.file("cache");
  ASSERT_EQ(vp::test::run_vpsim({"--run.model_shape=tiny", "--run.steps=1", cache}).exit_code, 0);  // fills the cache
  const std::string stats = dir.file("stats.json"), logits = dir.file("logits.f32");
  // Both outputs exceed 4 KiB (8 x 256 logits = 8 KiB; stats for 34 channels): writes past the limit fail.
  const std::vector<std::string> args{"--run.model_shape=tiny", "--run.steps=8", cache, "--stats=" + stats,
                                      "--dump-logits=" + logits};
  vp::test::ChildOptions limited;
  limited.file_size_limit = 4096;

  limited.ignore_sigxfsz = true;  // write() fails with EFBIG: vpsim reports it
  const ChildResult failed = vp::test::run_vpsim(args, limited);
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_MENTIONS(failed.err, "cannot write " + stats);
  EXPECT_FALSE(std::filesystem::exists(stats));
  EXPECT_FALSE(std::filesystem::exists(logits));
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    EXPECT_EQ(entry.path().filename(), "cache") << "left behind: " << entry.path();

  limited.ignore_sigxfsz = false;  // killed by SIGXFSZ in the middle of a write, as by a crash
  const ChildResult killed = vp::test::run_vpsim(args, limited);
  EXPECT_EQ(killed.term_signal, SIGXFSZ);
  EXPECT_FALSE(std::filesystem::exists(stats));
  EXPECT_FALSE(std::filesystem::exists(logits));

  // Without the limit the same run writes both, complete.
  const ChildResult ok = vp::test::run_vpsim(args);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(std::filesystem::file_size(logits), 8u * 256u * sizeof(float));
  EXPECT_TRUE(nlohmann::json::parse(vp::test::read_file(stats)).at("error").get<std::string>().empty());
}

TEST(RobustnessFaults, SameConfigAndSeedGiveBitIdenticalTokensLogitsAndStats) {
  ScratchDir dir("faults_determinism");
  auto run = [&](const std::string& name, uint64_t seed) {
    const ChildResult r = vp::test::run_vpsim(
        {"--run.model_shape=tiny", "--run.steps=48", "--run.temperature=1.2", "--run.topp=0.95",
         "--run.seed=" + std::to_string(seed), "--run.cache_dir=" + dir.file("cache"),
         "--stats=" + dir.file(name + ".json"), "--dump-logits=" + dir.file(name + ".f32")});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return std::make_pair(vp::test::read_file(dir.file(name + ".json")), vp::test::read_file(dir.file(name + ".f32")));
  };
  const auto first = run("first", 7), second = run("second", 7), other = run("other_seed", 8);
  ASSERT_FALSE(first.first.empty());
  ASSERT_EQ(first.second.size(), 48u * 256u * sizeof(float));
  EXPECT_TRUE(first.first == second.first) << "stats JSON differs between identical runs";
  EXPECT_TRUE(first.second == second.second) << "logits differ between identical runs";
  // The comparison means something only if sampling drew on the seed: another seed, other tokens.
  const auto text = [](const std::string& json) { return nlohmann::json::parse(json).at("text").get<std::string>(); };
  EXPECT_NE(text(first.first), text(other.first));
}

}  // namespace
