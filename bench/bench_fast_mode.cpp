// Fast-mode simulation speed: simulated 110M-shape tokens per wall second on the u280 preset,
// beside the golden Q8_0 model's native tokens per second (target: at least half of it). Fast mode runs
// the kernel's arithmetic on a host thread beside the SystemC thread (models/kernel/fast_kernel.h), so
// its CPU seconds per token (all threads) are printed too: on a machine whose cores are all busy, that
// is what the wall time follows.
//   build/bench_fast_mode [tokens] [extra vpsim arguments...]
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include <systemc>

#include "platform/model_source.h"
#include "platform/sim_config.h"
#include "platform/simulation.h"
#include "sw/golden_model.h"

namespace {

using Clock = std::chrono::steady_clock;

struct GoldenSpeed {
  double tokens_per_s;
  double cpu_ms_per_token;
};

GoldenSpeed golden_speed(const vp::Q8Checkpoint& model, int tokens) {
  vp::GoldenQ8Model golden(model);
  golden.forward(1, 0);  // warm caches
  const auto start = Clock::now();
  const std::clock_t cpu_start = std::clock();
  for (int pos = 1; pos <= tokens; ++pos) golden.forward(pos % 1000, pos);
  const double cpu_s = double(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  return {tokens / std::chrono::duration<double>(Clock::now() - start).count(), 1e3 * cpu_s / tokens};
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  const int tokens = argc > 1 ? std::stoi(argv[1]) : 8;
  std::vector<std::string> args{"bench_fast_mode", std::string(VP_SOURCE_DIR) + "/platform/u280.cfg",
                                "--run.steps=" + std::to_string(tokens + 1)};
  for (int i = 2; i < argc; ++i) args.push_back(argv[i]);
  std::vector<const char*> cargs;
  for (const std::string& a : args) cargs.push_back(a.c_str());
  const vp::SimConfig config = vp::parse_sim_config(static_cast<int>(cargs.size()), cargs.data());

  const vp::LoadedModel model = vp::load_model(config.run);
  const GoldenSpeed golden_run = golden_speed(model.weights, tokens);
  const double golden = golden_run.tokens_per_s;

  // Wall time between the first and the last token callbacks: generation and upload excluded.
  std::vector<Clock::time_point> marks;
  std::vector<std::clock_t> cpu_marks;  // process CPU time, every thread
  const vp::RunResult result = vp::run_simulation(config, [&](const vp::TokenStats&) {
    marks.push_back(Clock::now());
    cpu_marks.push_back(std::clock());
  });
  if (!result.error.empty() || marks.size() < 2) {
    std::fprintf(stderr, "bench_fast_mode: run failed: %s\n", result.error.c_str());
    return 1;
  }
  const double sim = double(marks.size() - 1) / std::chrono::duration<double>(marks.back() - marks.front()).count();
  std::printf("model: %s\n", vp::to_string(model.weights.shape).c_str());
  std::printf("golden Q8_0 model (native, 1 thread): %8.2f tokens/s\n", golden);
  std::printf("fast-mode platform (u280, simulated): %8.2f tokens/wall-s  (%.1f simulated tokens/s at the kernel clock)\n",
              sim, 1.0 / result.tokens.back().kernel_s);
  std::printf("fast-mode CPU time, all threads: %.1f ms/token (golden: %.1f ms/token)\n",
              1e3 * double(cpu_marks.back() - cpu_marks.front()) / CLOCKS_PER_SEC / double(marks.size() - 1),
              golden_run.cpu_ms_per_token);
  std::printf("ratio fast-mode / golden: %.2f (target >= 0.5)\n", sim / golden);
  return 0;
}
