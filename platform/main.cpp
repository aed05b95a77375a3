// vpsim: the virtual platform's command-line simulator (run it through run_sim.sh).
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include <systemc>

#include "platform/report.h"
#include "platform/rtl_kernel_assembly.h"
#include "platform/sim_config.h"
#include "platform/simulation.h"
#include "traces/axi_trace_file.h"
#include "platform/timeline.h"

namespace {

// SIGINT (Ctrl-C) asks the run to stop after the token in progress, so that the statistics gathered so
// far are still written. A signal handler can reach only an object of static storage duration, hence
// this one flag; SA_RESETHAND makes a second Ctrl-C end the process at once.
volatile std::sig_atomic_t sigint_received = 0;

void on_sigint(int) { sigint_received = 1; }

void install_sigint_handler() {
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND | SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  // SystemC prints info reports to stdout; keep stdout for the report.
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  vp::SimConfig config;
  // --check (vpsim's own flag, not a config key): parse and validate the configuration, run nothing.
  std::vector<char*> args;
  bool check_only = false;
  for (int i = 0; i < argc; ++i) {
    if (i > 0 && std::string(argv[i]) == "--check") check_only = true;
    else args.push_back(argv[i]);
  }
  try {
    std::string help;
    config = vp::parse_sim_config(static_cast<int>(args.size()), args.data(), &help);
    if (!help.empty()) {
      std::cout << "usage: run_sim.sh [CONFIG.cfg ...] [--key=value ...] [--check]\n"
                << "  --check                               validate the configuration (every key, range and\n"
                << "                                        placement check made before the model loads), run nothing\n"
                << help;
      return 0;
    }
    // Before the model is loaded: a build without the RTL kernel (-DVP_RTL=OFF) cannot run it. Its own
    // status, so that run_sim.sh (which asks with --check) knows to add the RTL kernel to the build.
    if (config.run.mode == "rtl" && !vp::rtl_kernel_built()) {
      std::cerr << "vpsim: " << vp::kNoRtlKernelMessage << "\n";
      return vp::kNoRtlKernelStatus;
    }
  } catch (const std::exception& e) {
    std::cerr << "vpsim: " << e.what() << "\n";
    return 2;
  }
  if (check_only) {
    std::cout << "vpsim: configuration accepted (" << config.sources.size() << " config file(s)); --check runs nothing\n";
    return 0;
  }
  vp::RunResult result;
  install_sigint_handler();
  try {
    vp::print_run_header(config, std::cout);
    result = vp::run_simulation(config, [&](const vp::TokenStats& t) {
      vp::print_token_line(t, config, std::cout);
      std::cout.flush();
      // Thrown on the host CPU's thread, it ends the host program like any other host error.
      if (sigint_received)
        throw std::runtime_error("interrupted by SIGINT after the token at pos " + std::to_string(t.pos));
    });
  } catch (const std::exception& e) {
    std::cerr << "vpsim: " << e.what() << "\n";
    return 1;
  }
  vp::print_summary(result, std::cout);
  // Results computed before a failure are still written.
  try {
    if (!config.run.stats.empty()) vp::write_stats_json(result, config.run.stats);
    if (!config.run.dump_logits.empty()) vp::write_logits(result, config.run.dump_logits);
    if (!config.run.record_trace.empty()) vp::save_axi_trace(result.trace, config.run.record_trace);
    if (!config.run.timeline.empty()) vp::write_timeline(result, config.run.timeline);
  } catch (const std::exception& e) {
    std::cerr << "vpsim: " << e.what() << "\n";
    return 1;
  }
  if (!result.error.empty()) {
    std::cerr << "vpsim: " << result.error << "\n";
    return sigint_received ? 128 + SIGINT : 1;  // the shell's status for a process ended by SIGINT
  }
  return 0;
}
