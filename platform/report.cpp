#include "platform/report.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "platform/output_file.h"

namespace vp {
namespace {

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

double mean(const std::vector<TokenStats>& t, double TokenStats::*field) {
  double s = 0;
  for (const TokenStats& x : t) s += x.*field;
  return t.empty() ? 0 : s / double(t.size());
}

double mean_cycles(const std::vector<TokenStats>& t) {
  double s = 0;
  for (const TokenStats& x : t) s += double(x.cycles);
  return t.empty() ? 0 : s / double(t.size());
}

// Peak bandwidth of the channels the kernel's ports are placed on (each counted once).
double kernel_peak_bytes_per_s(const RunResult& r) {
  std::vector<MemoryBank> banks = r.config.weight_banks();
  banks.push_back(r.config.kv_bank());
  banks.push_back(r.config.out_bank());
  double peak = 0;
  std::vector<std::string> seen;
  for (const MemoryBank& b : banks) {
    const std::string name = b.name();
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
    seen.push_back(name);
    for (const ChannelSummary& c : r.channels)
      if (c.name == name) peak += c.peak_bytes_per_s;
  }
  return peak;
}

}  // namespace

void print_run_header(const SimConfig& c, std::ostream& out) {
  out << "board " << c.board.name << ": " << c.board.hbm_channels << " HBM2 pseudo-channels, " << c.board.ddr_channels
      << " DDR4 channels; kernel " << c.run.mode << " mode at " << c.kernel.clock_mhz << " MHz, "
      << c.kernel.weight_ports << " weight port(s) x " << c.kernel.microarch.mac_lanes << " MAC lanes, "
      << c.kernel.axi_data_bits << "-bit AXI\n";
  for (const std::string& s : c.sources) out << "config " << s << "\n";
}

void print_token_line(const TokenStats& t, const SimConfig& c, std::ostream& out) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "pos %4d  token %6d -> %6d  %12llu cycles (compute %llu)  %8.3f ms  %7.2f MB  %6.2f GB/s",
                t.pos, t.token, t.next_token, static_cast<unsigned long long>(t.cycles),
                static_cast<unsigned long long>(t.compute_cycles), t.kernel_s * 1e3,
                double(t.read_bytes + t.write_bytes) / 1e6,
                t.kernel_s > 0 ? double(t.read_bytes + t.write_bytes) / t.kernel_s / 1e9 : 0.0);
  out << buf;
  if (!t.piece.empty()) {
    std::string shown;
    for (char ch : t.piece) shown += (ch == '\n') ? std::string("\\n") : std::string(1, ch);
    out << "  '" << shown << "'";
  }
  (void)c;
  out << "\n";
}

void print_summary(const RunResult& r, std::ostream& out) {
  const size_t n = r.tokens.size();
  out << "\nmodel: " << to_string(r.shape) << ", Q8_0 group size " << r.group_size << "\n";
  out << "source: " << r.model_source << "\n";
  out << "text: " << r.text << "\n";
  out << "weights upload: " << fmt("%.1f", double(r.upload.bytes) / 1e6) << " MB over PCIe in "
      << fmt("%.3f", (r.upload.end_s - r.upload.start_s) * 1e3) << " ms (simulated)\n";
  if (n == 0) {
    out << "no token completed\n";
    return;
  }
  const double cycles = mean_cycles(r.tokens);
  const double kernel_s = mean(r.tokens, &TokenStats::kernel_s);
  const double token_s = mean(r.tokens, &TokenStats::token_s);
  double bytes = 0;
  for (const TokenStats& t : r.tokens) bytes += double(t.read_bytes + t.write_bytes);
  bytes /= double(n);
  const double peak = kernel_peak_bytes_per_s(r);
  out << "tokens: " << n << "\n";
  out << "kernel cycles per token: " << fmt("%.0f", cycles) << " at " << r.config.kernel.clock_mhz << " MHz = "
      << fmt("%.3f", kernel_s * 1e3) << " ms -> " << fmt("%.2f", 1.0 / kernel_s) << " tokens/s (kernel)\n";
  out << "host view per token (args, start, interrupt, logits read-back): " << fmt("%.3f", token_s * 1e3)
      << " ms -> " << fmt("%.2f", 1.0 / token_s) << " tokens/s end to end\n";
  out << "kernel memory traffic per token: " << fmt("%.2f", bytes / 1e6) << " MB, achieved "
      << fmt("%.2f", bytes / kernel_s / 1e9) << " GB/s of " << fmt("%.2f", peak / 1e9) << " GB/s peak on its channels ("
      << fmt("%.1f", 100.0 * bytes / kernel_s / peak) << "%)\n";

  // Where the cycles go, summed over all tokens and layers.
  std::map<int, std::pair<double, double>> phases;  // phase -> (elapsed cycles, compute cycles)
  const double cycle_s = 1e-6 / r.config.kernel.clock_mhz;
  for (const KernelCallRecord& call : r.calls)
    for (const PhaseRecord& p : call.phases) {
      auto& e = phases[int(p.phase)];
      e.first += (p.end - p.start).to_seconds() / cycle_s;
      e.second += double(p.compute_cycles);
    }
  out << "phase breakdown (cycles per token: elapsed / compute-only):\n";
  for (const auto& [phase, e] : phases) {
    char line[128];
    std::snprintf(line, sizeof line, "  %-16s %12.0f / %12.0f\n", phase_name(KernelPhase(phase)),
                  e.first / double(r.calls.size()), e.second / double(r.calls.size()));
    out << line;
  }

  out << "memory channels with traffic (whole run, including the weights upload):\n";
  double dram_pj = 0;
  for (const ChannelSummary& c : r.channels) {
    dram_pj += c.energy_pj;
    if (c.stats.read_bytes + c.stats.write_bytes == 0) continue;
    out << "  " << c.name << ": read " << fmt("%.2f", double(c.stats.read_bytes) / 1e6) << " MB, written "
        << fmt("%.2f", double(c.stats.write_bytes) / 1e6) << " MB, row hits " << c.stats.row_hits << ", misses "
        << c.stats.row_misses << ", conflicts " << c.stats.row_conflicts << ", refreshes " << c.stats.refreshes
        << ", energy " << fmt("%.3f", c.energy_pj * 1e-9) << " mJ\n";
  }
  out << "PCIe: " << fmt("%.2f", double(r.pcie.bytes_host_to_card) / 1e6) << " MB to card, "
      << fmt("%.3f", double(r.pcie.bytes_card_to_host) / 1e6) << " MB to host, " << r.pcie.mmio_writes
      << " MMIO writes, " << r.pcie.mmio_reads << " MMIO reads, energy " << fmt("%.3f", r.pcie_energy_pj * 1e-9)
      << " mJ\n";
  out << "DRAM energy (all channels, whole run incl. background): " << fmt("%.3f", dram_pj * 1e-9) << " mJ\n";
  out << "simulated time " << fmt("%.6f", r.sim_seconds) << " s, wall time " << fmt("%.2f", r.wall_seconds)
      << " s\n";
  if (!r.error.empty()) out << "ERROR: " << r.error << "\n";
}

nlohmann::json stats_json(const RunResult& r) {
  using nlohmann::json;
  json j;
  j["model"] = {{"dim", r.shape.dim},           {"hidden_dim", r.shape.hidden_dim}, {"n_layers", r.shape.n_layers},
                {"n_heads", r.shape.n_heads},   {"n_kv_heads", r.shape.n_kv_heads}, {"vocab_size", r.shape.vocab_size},
                {"seq_len", r.shape.seq_len},   {"group_size", r.group_size},       {"source", r.model_source}};
  j["config"] = {{"board", r.config.board.name},
                 {"mode", r.config.run.mode},
                 {"kernel_clock_mhz", r.config.kernel.clock_mhz},
                 {"weight_ports", r.config.kernel.weight_ports},
                 {"mac_lanes", r.config.kernel.microarch.mac_lanes},
                 {"axi_data_bits", r.config.kernel.axi_data_bits},
                 {"files", r.config.sources}};
  j["upload"] = {{"bytes", r.upload.bytes}, {"seconds", r.upload.end_s - r.upload.start_s}};
  json tokens = json::array();
  for (const TokenStats& t : r.tokens)
    tokens.push_back({{"pos", t.pos},
                      {"token", t.token},
                      {"next_token", t.next_token},
                      {"cycles", t.cycles},
                      {"compute_cycles", t.compute_cycles},
                      {"kernel_seconds", t.kernel_s},
                      {"token_seconds", t.token_s},
                      {"read_bytes", t.read_bytes},
                      {"write_bytes", t.write_bytes},
                      {"channel_bytes", t.channel_bytes}});
  j["tokens"] = tokens;
  json channels = json::array();
  for (const ChannelSummary& c : r.channels) {
    const DramStats& s = c.stats;
    channels.push_back({{"name", c.name},
                        {"peak_bytes_per_s", c.peak_bytes_per_s},
                        {"read_bytes", s.read_bytes},
                        {"write_bytes", s.write_bytes},
                        {"read_requests", s.read_requests},
                        {"write_requests", s.write_requests},
                        {"activates", s.activates},
                        {"precharges", s.precharges},
                        {"reads", s.reads},
                        {"writes", s.writes},
                        {"refreshes", s.refreshes},
                        {"row_hits", s.row_hits},
                        {"row_misses", s.row_misses},
                        {"row_conflicts", s.row_conflicts},
                        {"energy_pj", c.energy_pj}});
  }
  j["channels"] = channels;
  j["pcie"] = {{"bytes_host_to_card", r.pcie.bytes_host_to_card},
               {"bytes_card_to_host", r.pcie.bytes_card_to_host},
               {"mmio_reads", r.pcie.mmio_reads},
               {"mmio_writes", r.pcie.mmio_writes},
               {"energy_pj", r.pcie_energy_pj}};
  j["text"] = r.text;
  j["sim_seconds"] = r.sim_seconds;
  j["error"] = r.error;
  return j;
}

void write_stats_json(const RunResult& r, const std::string& path) {
  const nlohmann::json j = stats_json(r);
  write_file_atomically(path, [&](std::ostream& out) { out << j.dump(2) << "\n"; });
}

void write_logits(const RunResult& r, const std::string& path) {
  write_file_atomically(path, [&](std::ostream& out) {
    for (const std::vector<float>& row : r.logits)
      out.write(reinterpret_cast<const char*>(row.data()), std::streamsize(row.size() * sizeof(float)));
  });
}

}  // namespace vp
