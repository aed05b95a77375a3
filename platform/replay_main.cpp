// vpreplay: replays a recorded AXI transaction trace (run.record_trace) into the memory system of
// a configuration, without the kernel; run it as `run_sim.sh replay TRACE [CONFIG.cfg ...] [--key=value ...]`.
#include <iostream>
#include <string>
#include <vector>

#include <systemc>

#include "platform/memory_placement.h"
#include "platform/sim_config.h"
#include "traces/axi_trace_file.h"
#include "traces/replay_report.h"
#include "traces/trace_replayer.h"

int sc_main(int argc, char* argv[]) {
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  const std::string usage = "usage: run_sim.sh replay TRACE [CONFIG.cfg ...] [--key=value ...]\n";
  if (argc < 2 || std::string(argv[1]).rfind("--", 0) == 0) {
    std::string help;
    try {
      const char* args[] = {argv[0], "--help"};
      vp::parse_sim_config(2, args, &help);
    } catch (const std::exception&) {
    }
    std::cout << usage << "Replays TRACE into the memory system of the configuration (replay.timing selects how);\n"
              << "--run.stats=FILE writes the replay's statistics as JSON.\n" << help;
    return argc < 2 ? 2 : 0;
  }
  const std::string trace_path = argv[1];
  vp::SimConfig config;
  vp::AxiTrace trace;
  try {
    std::vector<const char*> rest{argv[0]};
    for (int i = 2; i < argc; ++i) rest.push_back(argv[i]);
    config = vp::parse_sim_config(static_cast<int>(rest.size()), rest.data());
    trace = vp::load_axi_trace(trace_path);
  } catch (const std::exception& e) {
    std::cerr << "vpreplay: " << e.what() << "\n";
    return 2;
  }
  vp::ReplayResult result;
  try {
    vp::TraceReplayer replayer("replay", trace, vp::memory_system_config(config), config.replay, config.board.name);
    sc_core::sc_start();
    result = replayer.result();
  } catch (const std::exception& e) {
    std::cerr << "vpreplay: " << e.what() << "\n";
    return 1;
  }
  vp::print_replay_report(result, trace_path, std::cout);
  try {
    if (!config.run.stats.empty()) vp::write_replay_stats_json(result, trace_path, config.run.stats);
  } catch (const std::exception& e) {
    std::cerr << "vpreplay: " << e.what() << "\n";
    return 1;
  }
  if (!result.error.empty()) {
    std::cerr << "vpreplay: " << result.error << "\n";
    return 1;
  }
  return 0;
}
