#include "platform/report.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "models/power_model.h"
#include "platform/baseline_model.h"
#include "sw/output_file.h"

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

// Energy per token and the roofline baselines of the same work (models/power_model.h,
// platform/baseline_model.h). Accelerator figures are per token in the host's view (the
// kernel call plus driving the card); the ratios use the card's energy (without the host),
// as the baselines' powers are those of the CPU package and the GPU board.
struct EnergySummary {
  size_t tokens = 0;
  EnergyBreakdown total, per_token;
  double token_s = 0;  // mean host-view time per token
  TokenWork work;      // mean per token: bytes the kernel read, its int8 and fp32 ops
  BaselineEstimate cpu, gpu;
};

EnergySummary energy_summary(const RunResult& r) {
  EnergySummary s;
  s.tokens = r.tokens.size();
  KernelActionCounts actions;
  double bytes = 0;
  for (const TokenStats& t : r.tokens) {
    s.total += t.energy;
    s.token_s += t.token_s;
    actions += t.actions;
    bytes += double(t.read_bytes);
  }
  if (s.tokens == 0) return s;
  const double n = double(s.tokens);
  s.per_token = s.total;
  s.per_token *= 1.0 / n;
  s.token_s /= n;
  s.work = token_work(actions, bytes);
  s.work.bytes /= n;
  s.work.int8_ops /= n;
  s.work.fp32_ops /= n;
  s.cpu = estimate_token(r.config.baseline.cpu, s.work);
  s.gpu = estimate_token(r.config.baseline.gpu, s.work);
  return s;
}

nlohmann::json breakdown_json(const EnergyBreakdown& e) {
  nlohmann::json j;
  for (int i = 0; i < kEnergyComponentCount; ++i) j[energy_component_name(EnergyComponent(i))] = e.pj[size_t(i)];
  j["kernel_dynamic"] = e.kernel_dynamic_pj();
  j["card"] = e.card_pj();
  j["total"] = e.total_pj();
  return j;
}

void print_energy(const RunResult& r, std::ostream& out) {
  const EnergySummary s = energy_summary(r);
  if (s.tokens == 0) return;
  const EnergyBreakdown& e = s.per_token;
  auto mj = [](double pj) { return fmt("%.3f", pj * 1e-9); };
  out << "energy per token (mean of " << s.tokens << "; kernel call + host driving the card), mJ:\n";
  out << "  kernel dynamic   " << mj(e.kernel_dynamic_pj()) << " (";
  for (int i = 0; i < kEnergyComponentCount; ++i) {
    const EnergyComponent c = EnergyComponent(i);
    if (!is_kernel_dynamic(c)) continue;
    out << (i ? ", " : "") << energy_component_name(c) << " " << fmt("%.4f", e[c] * 1e-9);
  }
  out << ")\n";
  for (int i = 0; i < kEnergyComponentCount; ++i) {
    const EnergyComponent c = EnergyComponent(i);
    if (is_kernel_dynamic(c)) continue;
    char line[64];
    std::snprintf(line, sizeof line, "  %-16s %s", energy_component_name(c), mj(e[c]).c_str());
    out << line << (c == EnergyComponent::kFpgaStatic ? " (" + r.config.power.fpga_device + ")" : std::string()) << "\n";
  }
  out << "  total            " << mj(e.total_pj()) << " per token (card " << mj(e.card_pj()) << ", host "
      << mj(e[EnergyComponent::kHost]) << "); " << mj(s.total.total_pj()) << " over the " << s.tokens
      << " tokens = " << fmt("%.2f", e.total_pj() * 1e-12 / s.token_s) << " W average\n";

  const double acc_tps = 1.0 / s.token_s;
  const double acc_j = e.card_pj() * 1e-12;
  out << "vs roofline baselines (same model, Q8_0; per token " << fmt("%.2f", s.work.bytes / 1e6) << " MB read, "
      << fmt("%.3f", s.work.int8_ops / 1e9) << " G int8 ops, " << fmt("%.4f", s.work.fp32_ops / 1e9)
      << " G fp32 ops):\n";
  out << "  accelerator (" << r.config.board.name << " card): " << fmt("%.2f", acc_tps) << " tokens/s, "
      << fmt("%.3f", acc_j * 1e3) << " mJ/token\n";
  auto line = [&](const char* kind, const RooflineDevice& d, const BaselineEstimate& b) {
    out << "  " << kind << " " << d.name << ": " << fmt("%.2f", b.tokens_per_s()) << " tokens/s, "
        << fmt("%.3f", b.energy_j * 1e3) << " mJ/token at " << fmt("%.4g", d.power_w) << " W ("
        << (b.memory_bound() ? "memory" : "compute") << "-bound: " << fmt("%.3f", b.memory_s * 1e3)
        << " ms memory, " << fmt("%.3f", b.compute_s * 1e3) << " ms compute)\n"
        << "      energy ratio " << fmt("%.2f", b.energy_j / acc_j) << "x (baseline / accelerator energy per token), "
        << "speed ratio " << fmt("%.2f", acc_tps / b.tokens_per_s()) << "x (accelerator / baseline tokens/s)\n";
  };
  line("CPU", r.config.baseline.cpu, s.cpu);
  line("GPU", r.config.baseline.gpu, s.gpu);
}

nlohmann::json energy_json(const RunResult& r) {
  using nlohmann::json;
  const EnergySummary s = energy_summary(r);
  json j;
  j["tokens"] = s.tokens;
  j["fpga_device"] = r.config.power.fpga_device;
  j["per_token_pj"] = breakdown_json(s.per_token);
  j["total_pj"] = breakdown_json(s.total);
  if (s.tokens == 0) return j;
  const double acc_tps = 1.0 / s.token_s;
  const double acc_j = s.per_token.card_pj() * 1e-12;
  auto baseline = [&](const RooflineDevice& d, const BaselineEstimate& b) {
    return json{{"name", d.name},
                {"tokens_per_s", b.tokens_per_s()},
                {"energy_per_token_j", b.energy_j},
                {"memory_s", b.memory_s},
                {"compute_s", b.compute_s},
                {"memory_bound", b.memory_bound()},
                {"power_w", d.power_w},
                {"energy_ratio", b.energy_j / acc_j},
                {"speed_ratio", acc_tps / b.tokens_per_s()}};
  };
  j["baselines"] = {{"work_per_token", {{"bytes", s.work.bytes}, {"int8_ops", s.work.int8_ops}, {"fp32_ops", s.work.fp32_ops}}},
                    {"accelerator", {{"tokens_per_s", acc_tps},
                                     {"energy_per_token_j", acc_j},
                                     {"energy_per_token_with_host_j", s.per_token.total_pj() * 1e-12}}},
                    {"cpu", baseline(r.config.baseline.cpu, s.cpu)},
                    {"gpu", baseline(r.config.baseline.gpu, s.gpu)}};
  return j;
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
  print_energy(r, out);
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
  for (size_t i = 0; i < r.tokens.size(); ++i) tokens[i]["energy_pj"] = breakdown_json(r.tokens[i].energy);
  j["tokens"] = tokens;
  j["energy"] = energy_json(r);
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
