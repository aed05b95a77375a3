// Bad input to the vpsim binary: each case must stop with a non-zero exit (2 for the configuration,
// 1 for what the run reads: checkpoint, tokenizer, prompt; 3 for run.mode = rtl in a build without the
// RTL kernel) and a message on stderr that names the key or file at fault. Runs the real binary as a
// child process.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "platform/model_source.h"
#include "platform/rtl_kernel_assembly.h"
#include "sw/checkpoint_writer.h"
#include "sw/random_checkpoint.h"
#include "tests/expect_mentions.h"
#include "tests/sim_config_args.h"
#include "tests/test_data.h"
#include "tests/vpsim_child.h"

namespace {

using vp::test::ChildResult;
using vp::test::ScratchDir;

constexpr int kConfigError = 2;  // platform/main.cpp: the configuration could not be parsed or validated
constexpr int kRunError = 1;     // the run started and failed
// run.mode = rtl in a build without the RTL kernel: run_sim.sh tests for this very value.
constexpr int kNoRtlKernel = 3;
static_assert(kNoRtlKernel == vp::kNoRtlKernelStatus);

// A tiny random-model run in `dir`, plus the extra arguments.
ChildResult run_tiny(const ScratchDir& dir, std::vector<std::string> extra) {
  std::vector<std::string> args{"--run.model_shape=tiny", "--run.steps=2", "--run.cache_dir=" + dir.file("cache")};
  args.insert(args.end(), extra.begin(), extra.end());
  return vp::test::run_vpsim(args);
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The "tiny" shape as an ak42 Q8_0 file (group size 64) or a legacy fp32 file, written by the project's
// writers; the tests then damage it.
std::string tiny_q8_file(const ScratchDir& dir) {
  const std::string path = dir.file("tiny_q8.bin");
  vp::write_q8_checkpoint(path, vp::random_q8_checkpoint(vp::parse_model_shape("tiny"), 64, 3));
  return path;
}
std::string tiny_fp32_file(const ScratchDir& dir) {
  const std::string path = dir.file("tiny_fp32.bin");
  vp::write_fp32_checkpoint(path, vp::random_fp32_checkpoint(vp::parse_model_shape("tiny"), 3));
  return path;
}



// run_tiny(dir, extra) refused as a configuration error whose message names each of `parts`.
ChildResult expect_config_error(const ScratchDir& dir, const std::vector<std::string>& extra,
                                const std::vector<std::string>& parts) {
  ChildResult r = run_tiny(dir, extra);
  std::string command_line;
  for (const std::string& a : extra) command_line += " " + a;
  EXPECT_EQ(r.exit_code, kConfigError) << command_line;
  for (const std::string& part : parts) EXPECT_MENTIONS(r.err, part);
  return r;
}

// A run of the tiny model from checkpoint `path` fails (a run error), the message naming the file and each of `parts`.
void expect_checkpoint_refused(const ScratchDir& dir, const std::string& path, const std::vector<std::string>& parts) {
  const ChildResult r = run_tiny(dir, {"--run.checkpoint=" + path});
  EXPECT_EQ(r.exit_code, kRunError) << path;
  EXPECT_MENTIONS(r.err, path);
  for (const std::string& part : parts) EXPECT_MENTIONS(r.err, part);
}

// A configuration file `name` in `dir` holding `text`, refused as expect_config_error says, naming `key` and the file.
void expect_config_file_error(const ScratchDir& dir, const std::string& name, const std::string& text,
                              const std::string& key) {
  const std::string cfg = dir.file(name);
  write_bytes(cfg, text);
  expect_config_error(dir, {cfg}, {key, cfg});
}

TEST(VpsimCli, AGoodRunAndHelpExitZero) {
  ScratchDir dir("cli_good");
  const ChildResult run = run_tiny(dir, {});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_MENTIONS(run.out, "pos    1");
  const ChildResult help = vp::test::run_vpsim({"--help"});
  EXPECT_EQ(help.exit_code, 0) << help.err;
  EXPECT_MENTIONS(help.out, "--kernel.timeout_cycles");
}

TEST(VpsimCli, UnknownKeyOnTheCommandLineIsNamed) {
  ScratchDir dir("cli_unknown");
  expect_config_error(dir, {"--run.stepz=3"}, {"run.stepz", "command line"});
}

TEST(VpsimCli, UnknownKeyInAnIniFileNamesKeyAndFile) {
  ScratchDir dir("cli_unknown_ini");
  expect_config_file_error(dir, "typo.cfg", "[run]\nsteps = 2\n[kernel]\nweight_portz = 2\n", "kernel.weight_portz");
}

TEST(VpsimCli, UnparsableValueIsNamedOnTheCommandLineAndInAFile) {
  ScratchDir dir("cli_unparsable");
  expect_config_error(dir, {"--run.seed=abc"}, {"run.seed", "abc"});

  expect_config_file_error(dir, "bad_value.cfg", "[kernel]\nclock_mhz = fast\n", "kernel.clock_mhz");
}

TEST(VpsimCli, OutOfRangeValueIsNamed) {
  ScratchDir dir("cli_range");
  expect_config_error(dir, {"--kernel.weight_ports=99"}, {"kernel.weight_ports", "99"});
}

// Boost reads "-1" for an unsigned key as 4294967295: 4 billion steps or channels, not an error.
TEST(VpsimCli, NegativeCountIsRefusedNotWrappedAround) {
  ScratchDir dir("cli_negative");
  expect_config_error(dir, {"--board.hbm_channels=-1"}, {"board.hbm_channels", "non-negative"});

  expect_config_file_error(dir, "negative.cfg", "[run]\nseed = -5\n", "run.seed");
}

TEST(VpsimCli, NonFiniteNumberIsRefused) {
  ScratchDir dir("cli_nonfinite");
  expect_config_error(dir, {"--hbm.e_act_pj=inf"}, {"hbm.e_act_pj", "finite"});
}

// Values whose derived times leave sc_time's 64-bit picosecond range used to hang the simulator.
TEST(VpsimCli, TimesBeyondTheSimulatedRangeAreRefused) {
  ScratchDir dir("cli_time_range");
  const vp::test::RefusedOption cases[] = {{"--kernel.clock_mhz=1e-300", "kernel.clock_mhz"},
                                           {"--pcie.latency_ns=1e300", "pcie.latency_ns"},
                                           {"--hbm.tck_ns=1e300", "hbm.tck_ns"},
                                           {"--kernel.timeout_cycles=18446744073709551615", "kernel.timeout_cycles"},
                                           {"--pcie.gts_per_lane=1e-300", "pcie.gts_per_lane"},
                                           {"--board.ddr_channels=4294967295", "board.ddr_channels"}};
  for (const auto& c : cases) expect_config_error(dir, {c.arg}, {c.key});
}

TEST(VpsimCli, MeasuredBaselineWithAMissingOrNegativeFigureIsRefusedNamingTheKey) {
  ScratchDir dir("cli_measured");
  expect_config_error(dir, {"--baseline.gpu_measured_tokens_per_s=107", "--baseline.gpu_measured_source=logs"},
                      {"baseline.gpu_measured_power_w is missing"});
  const ChildResult negative = expect_config_error(
      dir,
      {"--baseline.gpu_measured_tokens_per_s=107", "--baseline.gpu_measured_power_w=-129.5",
       "--baseline.gpu_measured_source=logs"},
      {"baseline.gpu_measured_power_w = -129.5"});
  EXPECT_EQ(negative.out, "");
}

// baseline.cpu = measure on a machine without readable RAPL (an empty powercap root stands for it):
// the run says so and still reports the golden model's tokens/s, labelled measured, beside the roofline
// rows and the preset's measured GPU.
TEST(VpsimCli, CpuMeasureWithoutRaplSaysSoAndStillReportsTokensPerSecond) {
  ScratchDir dir("cli_cpu_measure");
  std::filesystem::create_directories(dir.file("powercap"));
  const ChildResult r = run_tiny(dir, {std::string(VP_SOURCE_DIR) + "/platform/u280.cfg", "--baseline.cpu=measure",
                                       "--baseline.cpu_rapl_root=" + dir.file("powercap")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const size_t at = r.out.find("(this machine) [measured]: ");
  ASSERT_NE(at, std::string::npos) << r.out;
  const double tokens_per_s = std::stod(r.out.substr(at + std::strlen("(this machine) [measured]: ")));
  EXPECT_GT(tokens_per_s, 0);
  EXPECT_MENTIONS(r.out, "golden Q8_0 model (sw/golden_model), 1 thread");
  EXPECT_MENTIONS(r.out, "2 tokens at pos 0..1");
  EXPECT_MENTIONS(r.out, "energy per token [configured]: RAPL not readable (no " + dir.file("powercap"));
  EXPECT_MENTIONS(r.out, "configured baseline.cpu_power_w = 72.5 W");
  EXPECT_MENTIONS(r.out, "CPU Xeon E5-2686 v4, 1 thread (HLSTransform runq setup) [roofline (upper bound)]: ");
  EXPECT_MENTIONS(r.out, "GPU RTX 3090 [roofline (upper bound)]: ");
  EXPECT_MENTIONS(r.out, "GPU RTX 3090 [measured]: 107.00 tokens/s, 1210.280 mJ/token at 129.5 W");
}

TEST(VpsimCli, MissingCheckpointIsNamed) {
  ScratchDir dir("cli_missing");
  expect_checkpoint_refused(dir, dir.file("no_such.bin"), {});
}

TEST(VpsimCli, TruncatedCheckpointNamesFileAndSizes) {
  ScratchDir dir("cli_truncated");
  for (const std::string& path : {tiny_q8_file(dir), tiny_fp32_file(dir)}) {
    const std::string whole = vp::test::read_file(path);
    write_bytes(path, whole.substr(0, whole.size() - 100));
    expect_checkpoint_refused(dir, path, {"truncated", std::to_string(whole.size() - 100)});
  }
}

TEST(VpsimCli, WrongMagicNamesFileAndTheMagicItLacks) {
  ScratchDir dir("cli_magic");
  const std::string path = tiny_q8_file(dir);
  std::string bytes = vp::test::read_file(path);
  bytes[0] = 'x';  // "ak42" -> "xk42": no longer recognised as Q8_0, so read as a legacy file
  write_bytes(path, bytes);
  expect_checkpoint_refused(dir, path, {"ak42"});
}

TEST(VpsimCli, UnsupportedQ8VersionIsNamed) {
  ScratchDir dir("cli_version");
  const std::string path = tiny_q8_file(dir);
  std::string bytes = vp::test::read_file(path);
  bytes[4] = 3;  // int32 version at offset 4
  write_bytes(path, bytes);
  expect_checkpoint_refused(dir, path, {"version 3"});
}

TEST(VpsimCli, DimsThatDoNotDivideAreNamed) {
  ScratchDir dir("cli_dims");
  // Legacy header: dim 10 over 4 heads.
  const std::string heads = dir.file("heads.bin");
  const int32_t header[7] = {10, 32, 1, 4, 4, 16, 8};
  write_bytes(heads, std::string(reinterpret_cast<const char*>(header), sizeof header) + std::string(4096, '\0'));
  expect_checkpoint_refused(dir, heads, {"dim 10 is not a multiple of n_heads 4"});

  // Q8_0 header: group size 48 (int32 at offset 37) does not divide dim 64.
  const std::string group = tiny_q8_file(dir);
  std::string bytes = vp::test::read_file(group);
  const int32_t gs = 48;
  std::memcpy(&bytes[37], &gs, sizeof gs);
  write_bytes(group, bytes);
  expect_checkpoint_refused(dir, group, {"group size 48 does not divide"});
}

TEST(VpsimCli, TokenizerWhoseVocabDoesNotMatchTheModelIsNamed) {
  VP_REQUIRE_SHARED_DATA("llama2c/tokenizer.bin");
  const std::string tokenizer = vp::test::shared_data("llama2c/tokenizer.bin");
  ScratchDir dir("cli_vocab");
  const ChildResult r = vp::test::run_vpsim({"--run.model_shape=64,128,1,4,2,40000,16", "--run.steps=2",
                                             "--run.tokenizer=" + tokenizer, "--run.prompt=Once",
                                             "--run.cache_dir=" + dir.file("cache")});
  EXPECT_EQ(r.exit_code, kRunError);
  EXPECT_MENTIONS(r.err, tokenizer);
  EXPECT_MENTIONS(r.err, "32000");
  EXPECT_MENTIONS(r.err, "40000");
}

TEST(VpsimCli, PromptIdOutOfRangeIsNamed) {
  ScratchDir dir("cli_prompt");
  const ChildResult r = run_tiny(dir, {"--run.prompt=1 256"});  // tiny: vocab 256
  EXPECT_EQ(r.exit_code, kRunError);
  EXPECT_MENTIONS(r.err, "run.prompt");
  EXPECT_MENTIONS(r.err, "'256'");
}

// run.mode = rtl depends on the build (CMake option VP_RTL, which defines VP_RTL_BUILD here): with the
// Verilated kernel it runs, bit for bit the fast mode's tokens; without, vpsim refuses it before
// loading the model, saying why.
#if VP_RTL_BUILD
TEST(VpsimCli, RtlModeRunsInABuildWithTheRtlKernel) {
  ScratchDir dir("cli_rtl_mode");
  const ChildResult rtl = run_tiny(dir, {"--run.mode=rtl"});
  EXPECT_EQ(rtl.exit_code, 0) << rtl.err;
  EXPECT_MENTIONS(rtl.out, "pos    1");
  const ChildResult fast = run_tiny(dir, {"--run.mode=fast"});
  EXPECT_EQ(fast.exit_code, 0) << fast.err;
  // The summary's "text: " line: the generated token ids (no tokenizer).
  auto text = [](const std::string& out) {
    const size_t at = out.find("\ntext: ");
    return at == std::string::npos ? std::string("(no text line)") : out.substr(at, out.find('\n', at + 1) - at);
  };
  EXPECT_EQ(text(rtl.out), text(fast.out));
}
#else
TEST(VpsimCli, RtlModeIsRefusedInABuildWithoutTheRtlKernel) {
  ScratchDir dir("cli_rtl_mode");
  const ChildResult r = run_tiny(dir, {"--run.mode=rtl"});
  EXPECT_EQ(r.exit_code, kNoRtlKernel);
  EXPECT_EQ(r.err, std::string("vpsim: ") + vp::kNoRtlKernelMessage + "\n");
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(std::filesystem::exists(dir.file("cache"))) << "the model was prepared before the refusal";
  // --check says so too: run_sim.sh asks it whether to add the RTL kernel to its build.
  const ChildResult check = run_tiny(dir, {"--run.mode=rtl", "--check"});
  EXPECT_EQ(check.exit_code, kNoRtlKernel);
  EXPECT_EQ(check.err, r.err);
}
#endif

}  // namespace
