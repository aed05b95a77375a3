#include "platform/simulation.h"

#include <chrono>
#include <memory>
#include <sstream>

#include "platform/model_source.h"
#include "platform/soc.h"
#include "models/host/host_cpu.h"
#include "sw/tokenizer.h"
#include "traces/axi_trace_recorder.h"

namespace vp {
namespace {

std::vector<int> parse_token_ids(const std::string& text, int vocab) {
  std::vector<int> ids;
  std::stringstream in(text);
  std::string item;
  while (in >> item) {
    size_t used = 0;
    int id = -1;
    try {
      id = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || id < 0 || id >= vocab)
      throw std::runtime_error("config key run.prompt: '" + item + "' is not a token id in 0.." +
                               std::to_string(vocab - 1) + " (without run.tokenizer the prompt is token ids)");
    ids.push_back(id);
  }
  return ids;
}

// Refresh is accounted lazily (at a channel's next scheduler step), so idle channels catch up
// first: each token's DRAM energy then holds every channel's refreshes of its time.
std::vector<DramStats> snapshot(const Soc& soc) {
  std::vector<DramStats> s;
  for (const MemoryChannelInfo& c : soc.channels()) {
    c.model->catch_up_refresh();
    s.push_back(c.model->stats());
  }
  return s;
}

uint64_t kernel_axi_beats(Soc& soc) { return soc.kernel_axi_beats(); }

}  // namespace

RunResult run_simulation(const SimConfig& config, const std::function<void(const TokenStats&)>& on_token) {
  const auto wall_start = std::chrono::steady_clock::now();
  RunResult result;
  result.config = config;
  LoadedModel model = load_model(config.run);
  const ModelShape& shape = model.weights.shape;
  result.shape = shape;
  result.group_size = model.weights.group_size;
  result.model_source = model.source;

  std::unique_ptr<Tokenizer> tokenizer;
  std::vector<int> prompt;
  if (!config.run.tokenizer.empty()) {
    tokenizer = std::make_unique<Tokenizer>(Tokenizer::load(config.run.tokenizer, shape.vocab_size));
    prompt = tokenizer->encode(config.run.prompt, true, false);
  } else {
    prompt = parse_token_ids(config.run.prompt, shape.vocab_size);
  }
  const int steps = static_cast<int>(std::min<uint32_t>(config.run.steps, static_cast<uint32_t>(shape.seq_len)));
  Sampler sampler(shape.vocab_size, config.run.temperature, config.run.topp, config.run.seed);

  Soc soc("soc", config);
  HostBufferPlan plan{config.weight_banks(), config.kv_banks(), config.out_bank()};
  HostProgram host(soc.driver(), model.weights, plan);
  const bool keep_logits = !config.run.dump_logits.empty();
  std::unique_ptr<AxiTraceRecorder> recorder;
  if (!config.run.record_trace.empty() || !config.run.timeline.empty())
    recorder = std::make_unique<AxiTraceRecorder>(soc.memory(), "board " + config.board.name + ", model " +
                                                                    to_string(shape) + ", " + model.source);
  ChannelTrafficBins traffic(soc.channels().size());
  soc.memory().interconnect().add_observer([&traffic](const InterconnectTransaction& t) { traffic.add(t); });

  auto program = [&] {
    result.upload = host.upload();
    traffic.start(sc_core::sc_time_stamp());
    std::vector<DramStats> before = snapshot(soc);
    uint64_t beats_before = kernel_axi_beats(soc);
    double pcie_pj_before = soc.pcie().energy_pj();
    auto on_token_done = [&](const TokenRecord& rec) {
      const std::vector<DramStats> after = snapshot(soc);
      TokenStats t;
      t.pos = rec.pos;
      t.token = rec.token;
      t.next_token = rec.next_token;
      t.token_s = rec.end_s - rec.start_s;
      t.kernel_s = rec.kernel_end_s - rec.kernel_start_s;
      t.start_s = rec.start_s;
      t.kernel_start_s = rec.kernel_start_s;
      t.kernel_end_s = rec.kernel_end_s;
      t.end_s = rec.end_s;
      const KernelCallRecord& call = soc.kernel_calls().back();
      t.cycles = call.cycles;
      t.compute_cycles = call.compute_cycles;
      const double cycle_s = 1e-6 / config.kernel.clock_mhz;  // as the summary's phase breakdown
      for (const PhaseRecord& p : call.phases) {
        t.read_bytes += p.read_bytes;
        t.write_bytes += p.write_bytes;
        t.phase_cycles[size_t(p.phase)] += (p.end - p.start).to_seconds() / cycle_s;
      }
      // Channel traffic includes the host's logits read-back, which belongs to the token too.
      for (size_t i = 0; i < after.size(); ++i)
        t.channel_bytes.push_back(after[i].read_bytes - before[i].read_bytes + after[i].write_bytes -
                                  before[i].write_bytes);
      // Energy of the token's interval (models/kernel/power_model.h).
      TokenActivity activity;
      activity.actions = call_action_counts(call, host.image().descriptor, config.kernel.microarch);
      activity.kernel_cycles = call.cycles;
      activity.axi_beats = kernel_axi_beats(soc) - beats_before;
      activity.kernel_s = t.kernel_s;
      activity.token_s = t.token_s;
      for (size_t i = 0; i < after.size(); ++i) {
        const DramConfig& dram = *soc.channels()[i].config;
        activity.dram_dynamic_pj += dram_command_energy_pj(after[i], before[i], dram);
        activity.dram_background_w += dram.p_background_mw * 1e-3;
      }
      activity.pcie_pj = soc.pcie().energy_pj() - pcie_pj_before;
      t.actions = activity.actions;
      t.axi_beats = activity.axi_beats;
      t.energy = token_energy(config.power, activity);
      beats_before += activity.axi_beats;
      pcie_pj_before += activity.pcie_pj;
      before = after;
      if (tokenizer && config.run.functional) t.piece = tokenizer->decode_piece(rec.token, rec.next_token);
      if (keep_logits) result.logits.push_back(*rec.logits);
      result.tokens.push_back(t);
      on_token(result.tokens.back());
    };
    if (config.run.functional) generate(host, prompt, steps, sampler, on_token_done);
    else feed_without_sampling(host, prompt, steps, on_token_done);
  };
  HostCpu cpu("host_cpu", program);
  sc_core::sc_start();

  if (!soc.kernel_error().empty()) result.error = soc.kernel_error();
  else if (!cpu.error().empty()) result.error = "host program: " + cpu.error();
  else if (!cpu.finished()) result.error = "simulation ended before the host program finished";

  result.calls = soc.kernel_calls();
  result.sim_seconds = sc_core::sc_time_stamp().to_seconds();
  for (const MemoryChannelInfo& c : soc.channels()) {
    ChannelSummary s;
    s.name = c.name;
    s.peak_bytes_per_s = c.config->peak_bytes_per_s();
    s.stats = c.model->stats();
    s.energy_pj = s.stats.energy_pj(*c.config, sc_core::sc_time_stamp());
    result.channels.push_back(s);
  }
  result.pcie = soc.pcie().stats();
  result.pcie_energy_pj = soc.pcie().energy_pj();
  result.channel_traffic = traffic.series();
  if (recorder) result.trace = recorder->trace(sc_core::sc_time_stamp());
  std::ostringstream text;  // none in a timing-only run: its tokens were chosen, not generated
  for (const TokenStats& t : result.tokens) {
    if (!config.run.functional) continue;
    if (tokenizer) text << t.piece;
    else text << (t.pos == 0 ? std::to_string(t.token) : "") << ' ' << t.next_token;
  }
  result.text = text.str();
  // The CPU baseline measured on this machine: the same model over the same (token, pos) sequence,
  // after the simulation so that nothing else of this process runs beside it.
  if (config.baseline.cpu_mode == CpuBaselineMode::kMeasure && !result.tokens.empty()) {
    std::vector<std::pair<int, int>> token_pos;
    for (const TokenStats& t : result.tokens) token_pos.emplace_back(t.token, t.pos);
    try {
      result.cpu_measured = measure_golden_q8_cpu(model.weights, token_pos, config.baseline.rapl_root,
                                                  config.baseline.cpu.power_w, "baseline.cpu_power_w");
    } catch (const std::exception& e) {
      if (result.error.empty()) result.error = std::string("CPU baseline measurement: ") + e.what();
    }
  }
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

}  // namespace vp
