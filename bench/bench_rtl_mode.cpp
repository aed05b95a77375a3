// rtl-mode simulation speed: the Verilated Llama kernel (rtl/llama_kernel.sv) running the
// stories110M-shaped random model on the u280 preset; prints wall seconds per simulated token
// (target: at most 5), the process CPU seconds per token (the measure that holds on a shared
// machine), simulated kernel cycles per token and per wall (and CPU) second, the RTL's MAC lanes
// and the Verilated variant (a run with --vcd uses the traced one, otherwise the untraced one).
// With --run.dump_logits=<file> it writes the logits there (fp32 [steps][vocab], as vpsim) and
// prints their FNV-1a hash, so that two builds can be held against each other bit for bit.
//   build/bench_rtl_mode [tokens (default 2)] [extra vpsim arguments...]
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include <systemc>

#include "models/verilated/llama_rtl_limits.h"
#include "platform/model_source.h"
#include "platform/sim_config.h"
#include "platform/simulation.h"

int sc_main(int argc, char* argv[]) {
  using Clock = std::chrono::steady_clock;
  const int tokens = argc > 1 ? std::stoi(argv[1]) : 2;
  // One token more than measured: the first callback marks the start (upload excluded).
  std::vector<std::string> args{"bench_rtl_mode", std::string(VP_SOURCE_DIR) + "/platform/u280.cfg",
                                "--run.mode=rtl", "--run.model_shape=stories110M",
                                "--run.steps=" + std::to_string(tokens + 1)};
  for (int i = 2; i < argc; ++i) args.push_back(argv[i]);
  std::vector<const char*> cargs;
  for (const std::string& a : args) cargs.push_back(a.c_str());
  const vp::SimConfig config = vp::parse_sim_config(static_cast<int>(cargs.size()), cargs.data());

  std::vector<Clock::time_point> marks;
  std::vector<std::clock_t> cpu_marks;  // process CPU time (all threads)
  const auto start = Clock::now();
  const vp::RunResult result = vp::run_simulation(config, [&](const vp::TokenStats& t) {
    marks.push_back(Clock::now());
    cpu_marks.push_back(std::clock());
    std::printf("pos %d: %llu cycles, %.1f wall s since start\n", t.pos, static_cast<unsigned long long>(t.cycles),
                std::chrono::duration<double>(marks.back() - start).count());
    std::fflush(stdout);
  });
  if (!result.error.empty() || marks.size() < 2) {
    std::fprintf(stderr, "bench_rtl_mode: run failed: %s\n", result.error.c_str());
    return 1;
  }
  const double wall_per_token =
      std::chrono::duration<double>(marks.back() - marks.front()).count() / double(marks.size() - 1);
  const double cpu_per_token =
      double(cpu_marks.back() - cpu_marks.front()) / CLOCKS_PER_SEC / double(cpu_marks.size() - 1);
  double cycles = 0;
  for (size_t i = 1; i < result.tokens.size(); ++i) cycles += double(result.tokens[i].cycles);
  cycles /= double(result.tokens.size() - 1);
  if (!config.run.dump_logits.empty()) {
    uint64_t hash = 1469598103934665603ull;  // FNV-1a over the logits' bytes
    std::ofstream out(config.run.dump_logits, std::ios::binary);
    for (const std::vector<float>& step : result.logits) {
      out.write(reinterpret_cast<const char*>(step.data()), std::streamsize(step.size() * sizeof(float)));
      for (float f : step) {
        uint32_t bits = 0;
        std::memcpy(&bits, &f, sizeof bits);
        for (int b = 0; b < 4; ++b) hash = (hash ^ ((bits >> (8 * b)) & 0xFFu)) * 1099511628211ull;
      }
    }
    std::printf("logits: %zu steps written to %s, FNV-1a %016llx\n", result.logits.size(),
                config.run.dump_logits.c_str(), static_cast<unsigned long long>(hash));
  }
  std::printf("model: %s\n", vp::to_string(result.shape).c_str());
  std::printf("RTL kernel: %u MAC lanes (rtl/llama_kernel.sv MAC_LANES), %.0f MHz, Verilated %s\n",
              vp::LlamaRtlParams{}.mac_lanes, config.kernel.clock_mhz,
              config.run.vcd.empty() && config.kernel.weight_ports == 1 ? "without --trace (Vllama_kernel_untraced)"
                                                                           : "with --trace");
  std::printf("rtl mode (u280): %.2f wall s per simulated token (target <= 5), %.2f CPU s per token, "
              "%.0f simulated cycles per token, %.0f simulated cycles per wall second (%.0f per CPU second)\n",
              wall_per_token, cpu_per_token, cycles, cycles / wall_per_token, cycles / cpu_per_token);
  return 0;
}
