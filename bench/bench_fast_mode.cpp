// Fast-mode simulation speed: simulated 110M-shape tokens per wall second on the u280 preset,
// beside the golden Q8_0 model's native tokens per second (target: at least half of it). Fast mode runs
// the kernel's arithmetic on a host thread beside the SystemC thread (models/kernel/fast_kernel.h), so
// its CPU seconds per token (all threads) are printed too: on a machine whose cores are all busy, that
// is what the wall time follows.
// The golden model's tokens are timed between the simulated ones (one after each simulated token, from the
// token callback, outside the simulated tokens' intervals), so that both sides of the ratio are measured
// in the same minutes: on a VM whose speed drifts by tens of percent within minutes, a golden figure
// taken before the run would not be the speed of the machine the simulation ran on. Each simulated token
// and the golden token after it form a pair; the spread of the pairs' ratios shows how noisy the machine was.
//   build/bench_fast_mode [tokens] [extra vpsim arguments...]
#include <algorithm>
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

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

double cpu_seconds_between(std::clock_t from, std::clock_t to) { return double(to - from) / CLOCKS_PER_SEC; }

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
  vp::GoldenQ8Model golden(model.weights);
  golden.forward(1, 0);  // warm caches
  int golden_pos = 1;

  // Each callback after the first closes a simulated token's interval, runs one golden token, and opens the
  // next interval: simulated tokens (golden tokens excluded) and golden tokens alternate. The first callback
  // ends the upload and the first token, which are not measured.
  double sim_wall_s = 0, sim_cpu_s = 0, golden_wall_s = 0, golden_cpu_s = 0;
  int callbacks = 0;
  std::vector<double> pair_ratios;  // golden token time / simulated token time, one per measured token
  Clock::time_point interval_start;
  std::clock_t interval_cpu_start = 0;
  const vp::RunResult result = vp::run_simulation(config, [&](const vp::TokenStats&) {
    if (callbacks++ > 0) {
      const Clock::time_point sim_end = Clock::now();
      const std::clock_t sim_cpu_end = std::clock();  // process CPU time, every thread
      const double sim_token_s = seconds_between(interval_start, sim_end);
      sim_wall_s += sim_token_s;
      sim_cpu_s += cpu_seconds_between(interval_cpu_start, sim_cpu_end);
      golden.forward(golden_pos % 1000, golden_pos);
      ++golden_pos;
      const double golden_token_s = seconds_between(sim_end, Clock::now());
      golden_wall_s += golden_token_s;
      golden_cpu_s += cpu_seconds_between(sim_cpu_end, std::clock());
      pair_ratios.push_back(golden_token_s / sim_token_s);
    }
    interval_start = Clock::now();
    interval_cpu_start = std::clock();
  });
  if (!result.error.empty()) {
    std::fprintf(stderr, "bench_fast_mode: run failed: %s\n", result.error.c_str());
    return 1;
  }
  const int measured_tokens = static_cast<int>(pair_ratios.size());
  if (measured_tokens < 1) {
    std::fprintf(stderr, "bench_fast_mode: no token measured (tokens = %d; at least 1)\n", tokens);
    return 1;
  }
  const double golden_speed = measured_tokens / golden_wall_s;
  const double sim_speed = measured_tokens / sim_wall_s;
  std::printf("model: %s\n", vp::to_string(model.weights.shape).c_str());
  std::printf("golden Q8_0 model (native, 1 thread): %8.2f tokens/s  (%d tokens, timed between the simulated ones)\n",
              golden_speed, measured_tokens);
  std::printf("fast-mode platform (u280, simulated): %8.2f tokens/wall-s  (%.1f simulated tokens/s at the kernel clock)\n",
              sim_speed, 1.0 / result.tokens.back().kernel_s);
  std::printf("fast-mode CPU time, all threads: %.1f ms/token (golden: %.1f ms/token)\n",
              1e3 * sim_cpu_s / measured_tokens, 1e3 * golden_cpu_s / measured_tokens);
  std::printf("ratio fast-mode / golden: %.2f (target >= 0.5)\n", sim_speed / golden_speed);
  std::sort(pair_ratios.begin(), pair_ratios.end());
  std::printf("  per token pair (simulated token, then golden token): median %.2f, range %.2f .. %.2f over %zu pairs\n",
              pair_ratios[pair_ratios.size() / 2], pair_ratios.front(), pair_ratios.back(), pair_ratios.size());
  return 0;
}
