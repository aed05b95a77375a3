#pragma once
// What a run tells its user: a line per token as it is produced, a summary at the end, and
// the same figures as JSON (--run.stats) and the raw logits (--run.dump_logits).
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "platform/simulation.h"

namespace vp {

void print_run_header(const SimConfig& config, std::ostream& out);
void print_token_line(const TokenStats& token, const SimConfig& config, std::ostream& out);
void print_summary(const RunResult& result, std::ostream& out);

nlohmann::json stats_json(const RunResult& result);
// Both write atomically and throw naming the path on failure.
void write_stats_json(const RunResult& result, const std::string& path);
void write_logits(const RunResult& result, const std::string& path);

}  // namespace vp
