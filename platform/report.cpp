#include "platform/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "hls/kernel_phase.h"
#include "models/kernel/fpga_device.h"
#include "models/kernel/power_model.h"
#include "platform/baseline_model.h"
#include "sw/hex_format.h"
#include "sw/output_file.h"

namespace vp {
namespace {

// Whether the synthesized design the energy follows fits the board's FPGA: a design over the
// device's LUTs or DSPs could not be built as simulated, so its figures are a what-if.
std::string resource_fit_line(const PowerConfig& p) {
  const std::optional<FpgaDeviceCapacity> device = fpga_device_capacity(p.fpga_device);
  if (!device) return "device totals of " + p.fpga_device + " not known: fit not checked";
  const std::vector<ResourceOverflow> over = resource_overflows(*p.resources, *device);
  if (over.empty()) return "fits the " + device->name + " (" + device->source + ")";
  std::string line = "WARNING: does not fit the " + device->name + " (" + device->source + "):";
  for (const ResourceOverflow& o : over)
    line += " " + o.resource + " " + fmt("%.0f", o.used) + " > " + fmt("%.0f", o.available) + " (" +
            fmt("%.1f", 100 * o.used / o.available) + "%)";
  return line;
}

nlohmann::json resource_fit_json(const PowerConfig& p) {
  const std::optional<FpgaDeviceCapacity> device = fpga_device_capacity(p.fpga_device);
  if (!device) return {{"device", p.fpga_device}, {"checked", false}};
  nlohmann::json over = nlohmann::json::array();
  for (const ResourceOverflow& o : resource_overflows(*p.resources, *device))
    over.push_back({{"resource", o.resource}, {"used", o.used}, {"available", o.available}});
  return {{"device", device->name}, {"checked", true}, {"fits", over.empty()}, {"over", over},
          {"source", device->source}};
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
  double peak = 0;
  std::vector<std::string> seen;
  for (const MemoryBank& b : r.config.kernel_port_banks()) {
    const std::string name = b.name();
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
    seen.push_back(name);
    for (const ChannelSummary& c : r.channels)
      if (c.name == name) peak += c.peak_bytes_per_s;
  }
  return peak;
}

// Energy per token and the roofline baselines of the same work (models/kernel/power_model.h,
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

// One baseline line of the report: a roofline bound or a measurement, with what it rests on.
struct BaselineRow {
  std::string device;  // "CPU" or "GPU"
  std::string kind;    // kRooflineLabel or kMeasuredLabel
  std::string name;
  bool roofline = false;
  BaselineEstimate estimate;  // roofline rows
  double tokens_per_s = 0, energy_j = 0, power_w = 0;
  std::string source;         // measured rows: where the figures come from
  std::string energy_basis;   // measured rows: "measured" or "configured" (the power is the config's)
  std::string energy_source;  // measured rows: how the energy per token was obtained
};

std::vector<BaselineRow> baseline_rows(const RunResult& r, const EnergySummary& s) {
  const BaselineConfig& c = r.config.baseline;
  std::vector<BaselineRow> rows;
  auto roofline = [&](const char* device, const RooflineDevice& d, const BaselineEstimate& b) {
    BaselineRow row;
    row.device = device;
    row.kind = kRooflineLabel;
    row.name = d.name;
    row.roofline = true;
    row.estimate = b;
    row.tokens_per_s = b.tokens_per_s();
    row.energy_j = b.energy_j;
    row.power_w = d.power_w;
    rows.push_back(row);
  };
  auto configured = [&](const char* device, const RooflineDevice& d, const MeasuredBaseline& m) {
    if (!m.present()) return;
    BaselineRow row;
    row.device = device;
    row.kind = kMeasuredLabel;
    row.name = d.name;
    row.tokens_per_s = m.tokens_per_s;
    row.power_w = m.power_w;
    row.energy_j = m.energy_per_token_j();
    row.source = m.source;
    row.energy_basis = kMeasuredLabel;
    row.energy_source = "measured power / measured tokens/s";
    rows.push_back(row);
  };
  roofline("CPU", c.cpu, s.cpu);
  configured("CPU", c.cpu, c.cpu_measured);
  if (r.cpu_measured) {
    const CpuMeasurement& m = *r.cpu_measured;
    BaselineRow row;
    row.device = "CPU";
    row.kind = kMeasuredLabel;
    row.name = m.cpu_model + " (this machine)";
    row.tokens_per_s = m.tokens_per_s;
    row.power_w = m.power_w;
    row.energy_j = m.energy_per_token_j;
    row.source = "measured on this machine: " + m.workload + ", " + fmt("%.4g", m.seconds) + " s";
    row.energy_basis = m.energy_measured ? kMeasuredLabel : "configured";
    row.energy_source = m.energy_source;
    rows.push_back(row);
  }
  roofline("GPU", c.gpu, s.gpu);
  configured("GPU", c.gpu, c.gpu_measured);
  return rows;
}

// Kernel dynamic components of the model that did not run are left out (they are zero).
nlohmann::json breakdown_json(const EnergyBreakdown& e, const PowerConfig& p) {
  nlohmann::json j;
  for (int i = 0; i < kEnergyComponentCount; ++i) {
    const EnergyComponent c = EnergyComponent(i);
    if (is_kernel_dynamic(c) && is_resource_class(c) != p.uses_resources()) continue;
    j[energy_component_name(c)] = e.pj[size_t(i)];
  }
  j["kernel_dynamic"] = e.kernel_dynamic_pj();
  j["card"] = e.card_pj();
  j["total"] = e.total_pj();
  return j;
}

// Which kernel dynamic model ran: the synthesized resources (power.resource_report) or the
// per-action energies; the components of the other model are zero and left out of the report.
bool shown_kernel_component(const PowerConfig& p, EnergyComponent c) {
  return is_kernel_dynamic(c) && is_resource_class(c) == p.uses_resources();
}

std::string kernel_dynamic_model(const PowerConfig& p) {
  return p.uses_resources() ? "resources" : "per_action";
}

void print_energy(const RunResult& r, std::ostream& out) {
  const EnergySummary s = energy_summary(r);
  if (s.tokens == 0) return;
  const EnergyBreakdown& e = s.per_token;
  const PowerConfig& p = r.config.power;
  auto mj = [](double pj) { return fmt("%.3f", pj * 1e-9); };
  out << "energy per token (mean of " << s.tokens << "; kernel call + host driving the card), mJ:\n";
  if (p.uses_resources())
    out << "  kernel dynamic model: synthesized resources of " << p.resources->module << " ("
        << p.resources->source << ") at toggle rate " << fmt("%.4g", p.toggle_rate) << ", "
        << fmt("%.4g", r.config.kernel.clock_mhz) << " MHz; " << resource_fit_line(p) << "\n";
  else
    out << "  kernel dynamic model: per-action energies (power.resource_report not set)\n";
  out << "  kernel dynamic   " << mj(e.kernel_dynamic_pj()) << " (";
  bool first = true;
  for (int i = 0; i < kEnergyComponentCount; ++i) {
    const EnergyComponent c = EnergyComponent(i);
    if (!shown_kernel_component(p, c)) continue;
    out << (first ? "" : ", ") << energy_component_name(c) << " " << fmt("%.4f", e[c] * 1e-9);
    first = false;
  }
  out << ")\n";
  if (p.uses_resources()) {
    out << "  kernel dynamic power by resource class (count x uW/MHz at 12.5% toggle, scaled to the toggle rate):\n";
    double watts = 0;
    for (const ResourceClassPower& c : resource_power(p, r.config.kernel.clock_mhz)) {
      char line[160];
      std::snprintf(line, sizeof line, "    %-10s %10.6g x %8.4g uW/MHz = %8.4f W, %s mJ/token\n",
                    energy_component_name(c.component), c.count, c.uw_per_mhz, c.watts, mj(e[c.component]).c_str());
      out << line;
      watts += c.watts;
    }
    out << "    total      " << fmt("%.4f", watts) << " W while the kernel runs\n";
  }
  for (int i = 0; i < kEnergyComponentCount; ++i) {
    const EnergyComponent c = EnergyComponent(i);
    if (is_kernel_dynamic(c)) continue;
    char line[64];
    std::snprintf(line, sizeof line, "  %-16s %s", energy_component_name(c), mj(e[c]).c_str());
    out << line << (c == EnergyComponent::kFpgaStatic ? " (" + p.fpga_device + ")" : std::string()) << "\n";
  }
  out << "  total            " << mj(e.total_pj()) << " per token (card " << mj(e.card_pj()) << ", host "
      << mj(e[EnergyComponent::kHost]) << "); " << mj(s.total.total_pj()) << " over the " << s.tokens
      << " tokens = " << fmt("%.2f", e.total_pj() * 1e-12 / s.token_s) << " W average\n";

  const double acc_tps = 1.0 / s.token_s;
  const double acc_j = e.card_pj() * 1e-12;
  out << "vs baselines (same model, Q8_0; per token " << fmt("%.2f", s.work.bytes / 1e6) << " MB read, "
      << fmt("%.3f", s.work.int8_ops / 1e9) << " G int8 ops, " << fmt("%.4f", s.work.fp32_ops / 1e9)
      << " G fp32 ops; a roofline is an upper bound on the device's speed):\n";
  out << "  accelerator (" << r.config.board.name << " card): " << fmt("%.2f", acc_tps) << " tokens/s, "
      << fmt("%.3f", acc_j * 1e3) << " mJ/token\n";
  for (const BaselineRow& b : baseline_rows(r, s)) {
    out << "  " << b.device << " " << b.name << " [" << b.kind << "]: " << fmt("%.2f", b.tokens_per_s)
        << " tokens/s, " << fmt("%.3f", b.energy_j * 1e3) << " mJ/token at " << fmt("%.4g", b.power_w) << " W";
    if (b.roofline)
      out << " (" << (b.estimate.memory_bound() ? "memory" : "compute") << "-bound: "
          << fmt("%.3f", b.estimate.memory_s * 1e3) << " ms memory, " << fmt("%.3f", b.estimate.compute_s * 1e3)
          << " ms compute)\n";
    else
      out << "\n      source: " << b.source << "\n      energy per token [" << b.energy_basis << "]: " << b.energy_source
          << "\n";
    out << "      energy ratio " << fmt("%.2f", b.energy_j / acc_j) << "x (baseline / accelerator energy per token), "
        << "speed ratio " << fmt("%.2f", acc_tps / b.tokens_per_s) << "x (accelerator / baseline tokens/s)\n";
  }
}

nlohmann::json energy_json(const RunResult& r) {
  using nlohmann::json;
  const EnergySummary s = energy_summary(r);
  json j;
  j["tokens"] = s.tokens;
  j["fpga_device"] = r.config.power.fpga_device;
  j["kernel_dynamic_model"] = kernel_dynamic_model(r.config.power);
  if (r.config.power.uses_resources()) {
    const PowerConfig& p = r.config.power;
    json classes = json::object();
    double watts = 0;
    for (const ResourceClassPower& c : resource_power(p, r.config.kernel.clock_mhz)) {
      classes[energy_component_name(c.component)] = {{"count", c.count},
                                                      {"uw_per_mhz_at_reference_toggle", c.uw_per_mhz},
                                                      {"watts", c.watts},
                                                      {"per_token_pj", s.per_token[c.component]}};
      watts += c.watts;
    }
    j["resources"] = {{"report", p.resources->source},
                      {"module", p.resources->module},
                      {"provenance", p.resources->provenance},
                      {"toggle_rate", p.toggle_rate},
                      {"reference_toggle_rate", kReferenceToggleRate},
                      {"clock_mhz", r.config.kernel.clock_mhz},
                      {"classes", classes},
                      {"dynamic_watts", watts},
                      {"fit", resource_fit_json(p)}};
  }
  j["per_token_pj"] = breakdown_json(s.per_token, r.config.power);
  j["total_pj"] = breakdown_json(s.total, r.config.power);
  if (s.tokens == 0) return j;
  const double acc_tps = 1.0 / s.token_s;
  const double acc_j = s.per_token.card_pj() * 1e-12;
  // Roofline rows stay under "cpu" and "gpu"; each measured row is an entry of "measured".
  json baselines = {{"work_per_token", {{"bytes", s.work.bytes}, {"int8_ops", s.work.int8_ops}, {"fp32_ops", s.work.fp32_ops}}},
                    {"accelerator", {{"tokens_per_s", acc_tps},
                                     {"energy_per_token_j", acc_j},
                                     {"energy_per_token_with_host_j", s.per_token.total_pj() * 1e-12}}},
                    {"measured", json::array()}};
  for (const BaselineRow& b : baseline_rows(r, s)) {
    json row = {{"device", b.device},
                {"kind", b.kind},
                {"name", b.name},
                {"tokens_per_s", b.tokens_per_s},
                {"energy_per_token_j", b.energy_j},
                {"power_w", b.power_w},
                {"energy_ratio", b.energy_j / acc_j},
                {"speed_ratio", acc_tps / b.tokens_per_s}};
    if (b.roofline) {
      row["memory_s"] = b.estimate.memory_s;
      row["compute_s"] = b.estimate.compute_s;
      row["memory_bound"] = b.estimate.memory_bound();
      baselines[b.device == "CPU" ? "cpu" : "gpu"] = row;
    } else {
      row["source"] = b.source;
      row["energy_basis"] = b.energy_basis;
      row["energy_source"] = b.energy_source;
      baselines["measured"].push_back(row);
    }
  }
  j["baselines"] = baselines;
  return j;
}

// Elapsed cycles per phase of one token, to the nearest cycle; phases the call did not run are left out.
nlohmann::json phase_cycles_json(const TokenStats& t) {
  nlohmann::json j = nlohmann::json::object();
  for (int i = 0; i < kKernelPhaseCount; ++i)
    if (t.phase_cycles[size_t(i)] > 0) j[phase_name(KernelPhase(i))] = std::llround(t.phase_cycles[size_t(i)]);
  return j;
}

// Bandwidth over time: bytes per channel and time bin (traces/channel_traffic.h), channels with
// traffic only, bytes rounded to whole bytes.
nlohmann::json channel_traffic_json(const RunResult& r) {
  using nlohmann::json;
  const ChannelTrafficSeries& s = r.channel_traffic;
  json channels = json::array();
  size_t bins = 0;
  for (size_t i = 0; i < s.bytes.size(); ++i) {
    bins = std::max(bins, s.bytes[i].size());
    bool any = false;
    json bytes = json::array();
    for (double b : s.bytes[i]) {
      const long long rounded = std::llround(b);
      any = any || rounded != 0;
      bytes.push_back(rounded);
    }
    if (!any) continue;
    json c = {{"index", i}, {"bytes", std::move(bytes)}};
    if (i < r.channels.size()) {
      c["name"] = r.channels[i].name;
      c["peak_bytes_per_s"] = r.channels[i].peak_bytes_per_s;
    }
    channels.push_back(std::move(c));
  }
  return {{"origin_s", double(s.origin_ps) * 1e-12},
          {"bin_s", double(s.bin_ps) * 1e-12},
          {"bins", bins},
          {"spread", "each transaction's bytes evenly over its time in the channel (forwarded to completion)"},
          {"channels", std::move(channels)}};
}

}  // namespace

void print_run_header(const SimConfig& c, std::ostream& out) {
  out << "board " << c.board.name << ": " << c.board.hbm_channels << " HBM2 pseudo-channels, " << c.board.ddr_channels
      << " DDR4 channels; kernel " << c.run.mode << " mode" << (c.run.functional ? "" : ", timing only")
      << " at " << c.kernel.clock_mhz << " MHz, "
      << c.kernel.weight_ports << " weight port(s) x " << c.kernel.microarch.mac_lanes << " MAC lanes, "
      << c.kernel.axi_data_bits << "-bit AXI\n";
  for (const std::string& s : c.sources) out << "config " << s << "\n";
  if (c.baseline.cpu_mode == CpuBaselineMode::kMeasure)
    out << "CPU baseline: measured after the simulation (golden Q8_0 model, 1 thread, same tokens and positions)\n";
  if (!c.run.functional)
    out << "functional: off (timing only: same cycles, traffic and energy as a functional run fed the same tokens; "
           "no arithmetic, no logits, no tokens shown)\n";
}

void print_token_line(const TokenStats& t, const SimConfig& c, std::ostream& out) {
  char tokens[64];
  if (c.run.functional) std::snprintf(tokens, sizeof tokens, "token %6d -> %6d", t.token, t.next_token);
  else std::snprintf(tokens, sizeof tokens, "%-22s", "timing only");
  char buf[256];
  std::snprintf(buf, sizeof buf, "pos %4d  %s  %12llu cycles (compute %llu)  %8.3f ms  %7.2f MB  %6.2f GB/s",
                t.pos, tokens, static_cast<unsigned long long>(t.cycles),
                static_cast<unsigned long long>(t.compute_cycles), t.kernel_s * 1e3,
                double(t.read_bytes + t.write_bytes) / 1e6,
                t.kernel_s > 0 ? double(t.read_bytes + t.write_bytes) / t.kernel_s / 1e9 : 0.0);
  out << buf;
  if (!t.piece.empty()) {
    std::string shown;
    for (char ch : t.piece) shown += (ch == '\n') ? std::string("\\n") : std::string(1, ch);
    out << "  '" << shown << "'";
  }
  out << "\n";
}

void print_summary(const RunResult& r, std::ostream& out) {
  const size_t n = r.tokens.size();
  out << "\nmodel: " << to_string(r.shape) << ", Q8_0 group size " << r.group_size << "\n";
  out << "source: " << r.model_source << "\n";
  if (r.config.run.functional) out << "text: " << r.text << "\n";
  else out << "text: none (run.functional = off)\n";
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
                 {"functional", r.config.run.functional ? "on" : "off"},
                 {"kernel_clock_mhz", r.config.kernel.clock_mhz},
                 {"weight_ports", r.config.kernel.weight_ports},
                 {"kv_ports", r.config.kernel.kv_ports},
                 {"mac_lanes", r.config.kernel.microarch.mac_lanes},
                 {"axi_data_bits", r.config.kernel.axi_data_bits},
                 {"files", r.config.sources}};
  j["config"]["keys"] = config_values_json(r.config);  // every key's value (models/config_fields.h)
  j["upload"] = {{"bytes", r.upload.bytes}, {"seconds", r.upload.end_s - r.upload.start_s}};
  json tokens = json::array();
  for (const TokenStats& t : r.tokens) {
    tokens.push_back({{"pos", t.pos},
                      {"cycles", t.cycles},
                      {"compute_cycles", t.compute_cycles},
                      {"kernel_seconds", t.kernel_s},
                      {"token_seconds", t.token_s},
                      {"start_s", t.start_s},
                      {"kernel_start_s", t.kernel_start_s},
                      {"read_bytes", t.read_bytes},
                      {"write_bytes", t.write_bytes},
                      {"channel_bytes", t.channel_bytes},
                      {"phase_cycles", phase_cycles_json(t)}});
    if (r.config.run.functional) {  // a timing-only run's tokens were chosen, not generated
      tokens.back()["token"] = t.token;
      tokens.back()["next_token"] = t.next_token;
    }
  }
  for (size_t i = 0; i < r.tokens.size(); ++i) tokens[i]["energy_pj"] = breakdown_json(r.tokens[i].energy, r.config.power);
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
  j["channel_traffic"] = channel_traffic_json(r);
  j["pcie"] = {{"bytes_host_to_card", r.pcie.bytes_host_to_card},
               {"bytes_card_to_host", r.pcie.bytes_card_to_host},
               {"mmio_reads", r.pcie.mmio_reads},
               {"mmio_writes", r.pcie.mmio_writes},
               {"energy_pj", r.pcie_energy_pj}};
  if (r.config.run.functional) j["text"] = r.text;
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
