#include "traces/replay_report.h"

#include <cstdio>
#include <stdexcept>

#include "sw/hex_format.h"
#include "sw/output_file.h"
#include "traces/trace_time.h"

namespace vp {
namespace {

uint64_t field(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number_unsigned())
    throw std::runtime_error(std::string("DRAM statistics JSON: missing or non-integer '") + key + "'");
  return j[key].get<uint64_t>();
}

}  // namespace

nlohmann::json dram_stats_json(const DramStats& s) {
  return {{"read_requests", s.read_requests},
          {"write_requests", s.write_requests},
          {"read_bytes", s.read_bytes},
          {"write_bytes", s.write_bytes},
          {"activates", s.activates},
          {"precharges", s.precharges},
          {"precharge_alls", s.precharge_alls},
          {"reads", s.reads},
          {"writes", s.writes},
          {"refreshes", s.refreshes},
          {"row_hits", s.row_hits},
          {"row_misses", s.row_misses},
          {"row_conflicts", s.row_conflicts},
          {"data_bus_busy_cycles", s.data_bus_busy_cycles},
          {"total_read_latency_ps", to_ps(s.total_read_latency)},
          {"total_write_latency_ps", to_ps(s.total_write_latency)},
          {"total_queueing_delay_ps", to_ps(s.total_queueing_delay)}};
}

DramStats dram_stats_from_json(const nlohmann::json& j) {
  DramStats s;
  s.read_requests = field(j, "read_requests");
  s.write_requests = field(j, "write_requests");
  s.read_bytes = field(j, "read_bytes");
  s.write_bytes = field(j, "write_bytes");
  s.activates = field(j, "activates");
  s.precharges = field(j, "precharges");
  s.precharge_alls = field(j, "precharge_alls");
  s.reads = field(j, "reads");
  s.writes = field(j, "writes");
  s.refreshes = field(j, "refreshes");
  s.row_hits = field(j, "row_hits");
  s.row_misses = field(j, "row_misses");
  s.row_conflicts = field(j, "row_conflicts");
  s.data_bus_busy_cycles = field(j, "data_bus_busy_cycles");
  s.total_read_latency = from_ps(field(j, "total_read_latency_ps"));
  s.total_write_latency = from_ps(field(j, "total_write_latency_ps"));
  s.total_queueing_delay = from_ps(field(j, "total_queueing_delay_ps"));
  return s;
}

void print_replay_report(const ReplayResult& r, const std::string& trace_path, std::ostream& out) {
  out << "replay of " << trace_path << ": " << r.transactions << " transactions, timing "
      << replay_timing_name(r.timing)
      << (r.timing == ReplayTiming::kRecorded
              ? (r.order_enforced ? " (recorded channel order held)" : " (other memory layout: order not held)")
              : "")
      << "\n";
  out << "completed " << r.completed << ", error responses " << r.error_responses << ", completed at the recorded time "
      << r.completions_as_recorded << "\n";
  out << "elapsed " << fmt("%.6f", r.elapsed_s * 1e3) << " ms (recorded run: " << fmt("%.6f", r.recorded_elapsed_s * 1e3)
      << " ms)\n";
  out << "memory channels with traffic:\n";
  double total_pj = 0, total_bytes = 0;
  for (const ReplayChannelResult& c : r.channels) {
    total_pj += c.energy_pj;
    const double bytes = double(c.stats.read_bytes + c.stats.write_bytes);
    total_bytes += bytes;
    if (bytes == 0) continue;
    out << "  " << c.name << ": read " << fmt("%.3f", double(c.stats.read_bytes) / 1e6) << " MB, written "
        << fmt("%.3f", double(c.stats.write_bytes) / 1e6) << " MB, " << fmt("%.3f", c.bytes_per_s / 1e9)
        << " GB/s (" << fmt("%.1f", 100.0 * c.bytes_per_s / c.peak_bytes_per_s) << "% of "
        << fmt("%.1f", c.peak_bytes_per_s / 1e9) << " GB/s peak), row hits " << c.stats.row_hits << ", misses "
        << c.stats.row_misses << ", conflicts " << c.stats.row_conflicts << ", energy "
        << fmt("%.4f", c.energy_pj * 1e-9) << " mJ\n";
  }
  out << "total: " << fmt("%.3f", total_bytes / 1e6) << " MB, "
      << fmt("%.3f", r.elapsed_s > 0 ? total_bytes / r.elapsed_s / 1e9 : 0.0) << " GB/s; DRAM energy (all channels, "
      << "incl. background) " << fmt("%.4f", total_pj * 1e-9) << " mJ\n";
  if (!r.error.empty()) out << "ERROR: " << r.error << "\n";
}

nlohmann::json replay_stats_json(const ReplayResult& r, const std::string& trace_path) {
  nlohmann::json channels = nlohmann::json::array();
  for (const ReplayChannelResult& c : r.channels) {
    nlohmann::json j = dram_stats_json(c.stats);
    j["name"] = c.name;
    j["peak_bytes_per_s"] = c.peak_bytes_per_s;
    j["bytes_per_s"] = c.bytes_per_s;
    j["energy_pj"] = c.energy_pj;
    channels.push_back(j);
  }
  return {{"trace", trace_path},
          {"timing", replay_timing_name(r.timing)},
          {"order_enforced", r.order_enforced},
          {"transactions", r.transactions},
          {"completed", r.completed},
          {"error_responses", r.error_responses},
          {"completions_as_recorded", r.completions_as_recorded},
          {"elapsed_seconds", r.elapsed_s},
          {"recorded_elapsed_seconds", r.recorded_elapsed_s},
          {"channels", channels},
          {"error", r.error}};
}

void write_replay_stats_json(const ReplayResult& r, const std::string& trace_path, const std::string& path) {
  const nlohmann::json j = replay_stats_json(r, trace_path);
  write_file_atomically(path, [&](std::ostream& out) { out << j.dump(2) << "\n"; });
}

}  // namespace vp
