#pragma once
// What vpreplay tells its user: per-channel traffic, bandwidth and DRAM energy of a replay, on
// stdout and as JSON (--run.stats). The JSON keeps every DramStats counter (latency sums as
// integer ps), so two runs can be compared exactly.
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "models/dram/dram_stats.h"
#include "traces/trace_replayer.h"

namespace vp {

nlohmann::json dram_stats_json(const DramStats& stats);
// Inverse of dram_stats_json; throws naming the missing key.
DramStats dram_stats_from_json(const nlohmann::json& j);

void print_replay_report(const ReplayResult& result, const std::string& trace_path, std::ostream& out);
nlohmann::json replay_stats_json(const ReplayResult& result, const std::string& trace_path);
// Atomic; throws naming the path.
void write_replay_stats_json(const ReplayResult& result, const std::string& trace_path, const std::string& path);

}  // namespace vp
