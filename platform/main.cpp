// vpsim: the virtual platform's command-line simulator (run it through run_sim.sh).
#include <iostream>
#include <string>

#include <systemc>

#include "platform/report.h"
#include "platform/sim_config.h"
#include "platform/simulation.h"

int sc_main(int argc, char* argv[]) {
  // SystemC prints its banner and info reports to stdout; keep stdout for the report.
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  vp::SimConfig config;
  try {
    std::string help;
    config = vp::parse_sim_config(argc, argv, &help);
    if (!help.empty()) {
      std::cout << "usage: run_sim.sh [CONFIG.cfg ...] [--key=value ...]\n" << help;
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "vpsim: " << e.what() << "\n";
    return 2;
  }
  vp::RunResult result;
  try {
    vp::print_run_header(config, std::cout);
    result = vp::run_simulation(config, [&](const vp::TokenStats& t) {
      vp::print_token_line(t, config, std::cout);
      std::cout.flush();
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
  } catch (const std::exception& e) {
    std::cerr << "vpsim: " << e.what() << "\n";
    return 1;
  }
  if (!result.error.empty()) {
    std::cerr << "vpsim: " << result.error << "\n";
    return 1;
  }
  return 0;
}
