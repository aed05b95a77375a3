// Timing-only runs (run.functional = off) against functional ones: simulated 110M-shape tokens per
// wall second on the u280 preset, each run in its own process (SystemC simulates once per process),
// and whether the two runs' cycles agree.
//   build/bench/bench_timing_only [tokens] [extra vpsim arguments...]
// The prompt covers every step, so both runs feed the same tokens and their cycles are equal.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <systemc>

#include "platform/sim_config.h"
#include "platform/simulation.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Figures {
  double tokens_per_wall_s = 0;  // between the first and the last token callbacks (upload excluded)
  double run_wall_s = 0;         // the whole run, model load and upload included
  uint64_t total_cycles = 0;
  int ok = 0;
};

Figures measure(const vp::SimConfig& config) {
  Figures f;
  std::vector<Clock::time_point> marks;
  const vp::RunResult result =
      vp::run_simulation(config, [&](const vp::TokenStats&) { marks.push_back(Clock::now()); });
  if (!result.error.empty() || marks.size() < 2) {
    std::fprintf(stderr, "bench_timing_only: run failed: %s\n", result.error.c_str());
    return f;
  }
  f.tokens_per_wall_s = double(marks.size() - 1) / std::chrono::duration<double>(marks.back() - marks.front()).count();
  f.run_wall_s = result.wall_seconds;
  for (const vp::TokenStats& t : result.tokens) f.total_cycles += t.cycles;
  f.ok = 1;
  return f;
}

// One run in a forked child, its figures back through a pipe.
Figures measure_in_child(const vp::SimConfig& config) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    const Figures f = measure(config);
    const ssize_t written = write(fds[1], &f, sizeof f);
    _exit(written == sizeof f ? 0 : 1);
  }
  close(fds[1]);
  Figures f;
  if (pid < 0 || read(fds[0], &f, sizeof f) != sizeof f) f = {};
  close(fds[0]);
  if (pid > 0) waitpid(pid, nullptr, 0);
  return f;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  const int tokens = argc > 1 ? std::stoi(argv[1]) : 8;
  std::string prompt;
  for (int i = 0; i <= tokens; ++i) prompt += (i ? " " : "") + std::to_string(1 + 997 * i % 31999);
  std::vector<std::string> args{"bench_timing_only", std::string(VP_SOURCE_DIR) + "/platform/u280.cfg",
                                "--run.steps=" + std::to_string(tokens + 1), "--run.prompt=" + prompt};
  for (int i = 2; i < argc; ++i) args.push_back(argv[i]);
  auto config_with = [&](const char* functional) {
    std::vector<std::string> all = args;
    all.push_back(std::string("--run.functional=") + functional);
    std::vector<const char*> cargs;
    for (const std::string& a : all) cargs.push_back(a.c_str());
    return vp::parse_sim_config(static_cast<int>(cargs.size()), cargs.data());
  };
  const Figures on = measure_in_child(config_with("on"));
  const Figures off = measure_in_child(config_with("off"));
  if (!on.ok || !off.ok) return 1;
  std::printf("model: %s shape, u280 preset, %d tokens timed\n", config_with("on").run.model_shape.c_str(), tokens);
  std::printf("functional on : %8.2f tokens/wall-s  (whole run %.2f s)\n", on.tokens_per_wall_s, on.run_wall_s);
  std::printf("functional off: %8.2f tokens/wall-s  (whole run %.2f s)\n", off.tokens_per_wall_s, off.run_wall_s);
  std::printf("speed-up off / on: %.2f; kernel cycles of all calls %s (%llu vs %llu)\n",
              off.tokens_per_wall_s / on.tokens_per_wall_s, on.total_cycles == off.total_cycles ? "equal" : "DIFFER",
              static_cast<unsigned long long>(on.total_cycles), static_cast<unsigned long long>(off.total_cycles));
  return on.total_cycles == off.total_cycles ? 0 : 1;
}
