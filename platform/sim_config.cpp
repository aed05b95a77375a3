#include "platform/sim_config.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <boost/program_options.hpp>

namespace po = boost::program_options;

namespace vp {
namespace {

MemoryKind parse_memory_kind(const std::string& value, const std::string& key) {
  if (value == "hbm") return MemoryKind::kHbm;
  if (value == "ddr") return MemoryKind::kDdr;
  throw std::runtime_error("config key " + key + " = '" + value + "': expected hbm or ddr");
}

const char* memory_kind_name(MemoryKind k) { return k == MemoryKind::kHbm ? "hbm" : "ddr"; }

// Boost's lexical_cast turns "-1" into 4294967295 for an unsigned key: refuse a sign where only counts fit.
void reject_negative_counts(const po::parsed_options& parsed, const std::string& source) {
  for (const po::option& o : parsed.options) {
    const po::option_description* d = parsed.description ? parsed.description->find_nothrow(o.string_key, false) : nullptr;
    if (!d) continue;
    const po::value_semantic* s = d->semantic().get();
    const bool is_count = dynamic_cast<const po::typed_value<unsigned>*>(s) ||
                          dynamic_cast<const po::typed_value<unsigned long>*>(s) ||
                          dynamic_cast<const po::typed_value<unsigned long long>*>(s);
    for (const std::string& v : o.value)
      if (is_count && v.find('-') != std::string::npos)
        throw std::runtime_error(source + ": config key " + o.string_key + " = '" + v +
                                 "': expected a non-negative integer");
  }
}

// Every real-valued key must be finite ("nan" and "inf" parse). Durations of the memory, link and register
// models are at most 1 ms: that keeps every time derived from them (up to 2^32 cycles or bytes' worth) inside
// sc_time's 64-bit picosecond range, where a larger value wraps around and the simulation hangs.
void check_real_values(const po::options_description& options, const po::variables_map& vm) {
  const std::string timed_sections[] = {"hbm.", "ddr.", "pcie.", "interconnect.", "control."};
  for (const auto& d : options.options()) {
    const std::string& key = d->long_name();
    if (!vm.count(key)) continue;
    double v = 0;
    if (dynamic_cast<const po::typed_value<double>*>(d->semantic().get())) v = vm[key].as<double>();
    else if (dynamic_cast<const po::typed_value<float>*>(d->semantic().get())) v = vm[key].as<float>();
    else continue;
    if (!std::isfinite(v)) throw std::runtime_error("config key " + key + " = " + std::to_string(v) + ": expected a finite number");
    const bool duration = key.size() > 3 && key.compare(key.size() - 3, 3, "_ns") == 0;
    for (const std::string& section : timed_sections)
      if (duration && key.compare(0, section.size(), section) == 0 && v > 1e6)
        throw std::runtime_error("config key " + key + " = " + std::to_string(v) + ": longer than 1 ms (1e6 ns)");
  }
}

// Boost.Program_options builds its error messages by replacing placeholders such as
// %canonical_option% until none is left, so a key or value holding one never terminates.
void reject_boost_placeholders(const std::string& text, const std::string& where) {
  for (const char* token : {"%canonical_option%", "%option%", "%value%", "%prefix%", "%original_token%"})
    if (text.find(token) != std::string::npos)
      throw std::runtime_error(where + ": '" + token + "' is not allowed in a config key or value");
}

// Keys naming a file: a relative path given in a config file is relative to that file's directory
// (so a preset can name its neighbours); on the command line, to the working directory.
void resolve_paths_against(po::parsed_options& parsed, const std::string& config_file) {
  for (po::option& o : parsed.options) {
    if (o.string_key != "power.resource_report") continue;
    for (std::string& v : o.value)
      if (!v.empty() && v != "none" && std::filesystem::path(v).is_relative())
        v = (std::filesystem::path(config_file).parent_path() / v).lexically_normal().string();
  }
}

po::options_description declare_all(const SimConfig& d) {
  po::options_description all("Options (also INI keys: [section] key = value)");
  all.add_options()("help", "print this list and exit");
  po::options_description run("run");
  run.add_options()
      ("run.checkpoint", po::value<std::string>()->default_value(d.run.checkpoint), "llama2.c checkpoint (fp32 legacy or ak42 Q8_0); empty: random model")
      ("run.model_shape", po::value<std::string>()->default_value(d.run.model_shape), "random model shape: stories110M, stories15M, tiny or dim,hidden,layers,heads,kv_heads,vocab,seq")
      ("run.model_seed", po::value<uint64_t>()->default_value(d.run.model_seed), "seed of the random model")
      ("run.max_group_size", po::value<uint32_t>()->default_value(d.run.max_group_size), "largest Q8_0 group size to quantize with")
      ("run.tokenizer", po::value<std::string>()->default_value(d.run.tokenizer), "llama2.c tokenizer.bin; empty: token ids")
      ("run.prompt", po::value<std::string>()->default_value(d.run.prompt), "prompt text, or token ids without a tokenizer")
      ("run.steps", po::value<uint32_t>()->default_value(d.run.steps), "positions to run, prompt included")
      ("run.temperature", po::value<float>()->default_value(d.run.temperature), "sampling temperature (0 = greedy)")
      ("run.topp", po::value<float>()->default_value(d.run.topp), "top-p nucleus (0 or 1: off)")
      ("run.seed", po::value<uint64_t>()->default_value(d.run.seed), "sampler seed")
      ("run.mode", po::value<std::string>()->default_value(d.run.mode), "kernel fidelity: fast | rtl")
      ("run.functional", po::value<bool>()->default_value(d.run.functional, d.run.functional ? "on" : "off"), "off: timing only (fast mode): same cycles, traffic and energy, no arithmetic and no logits; feeds the prompt's tokens, then its last token again")
      ("run.stats", po::value<std::string>()->default_value(d.run.stats), "write statistics JSON here")
      ("run.dump_logits", po::value<std::string>()->default_value(d.run.dump_logits), "write fp32 logits [steps][vocab] here")
      ("run.cache_dir", po::value<std::string>()->default_value(d.run.cache_dir), "directory for generated checkpoints (default: $VP_CACHE_DIR or ./vp_cache)")
      ("run.record_trace", po::value<std::string>()->default_value(d.run.record_trace), "record every interconnect transaction here (binary; .txt: text), for vpreplay")
      ("run.timeline", po::value<std::string>()->default_value(d.run.timeline), "write a Chrome/Perfetto trace-event JSON timeline here (alias --trace)")
      ("run.vcd", po::value<std::string>()->default_value(d.run.vcd), "rtl mode: write RTL signals and TLM channel activity as VCD here (alias --vcd)")
      ("run.vcd_start_ns", po::value<double>()->default_value(d.run.vcd_start_ns), "VCD window start (ns)")
      ("run.vcd_stop_ns", po::value<double>()->default_value(d.run.vcd_stop_ns), "VCD window end (ns); 0: end of the run")
      ("run.vcd_start_token", po::value<int64_t>()->default_value(d.run.vcd_start_token), "VCD window from the start of this token's kernel call (position index; -1: unused)")
      ("run.vcd_stop_token", po::value<int64_t>()->default_value(d.run.vcd_stop_token), "VCD window to the end of this token's kernel call, inclusive (-1: unused)");
  po::options_description board("board");
  board.add_options()
      ("board.name", po::value<std::string>()->default_value(d.board.name), "board name for reports")
      ("board.hbm_channels", po::value<uint32_t>()->default_value(d.board.hbm_channels), "HBM2 pseudo-channels")
      ("board.ddr_channels", po::value<uint32_t>()->default_value(d.board.ddr_channels), "DDR4 channels");
  po::options_description kernel("kernel");
  const KernelMicroarch& m = d.kernel.microarch;
  kernel.add_options()
      ("kernel.clock_mhz", po::value<double>()->default_value(d.kernel.clock_mhz), "kernel clock")
      ("kernel.axi_data_bits", po::value<uint32_t>()->default_value(d.kernel.axi_data_bits), "m_axi data width (64..512)")
      ("kernel.weight_ports", po::value<uint32_t>()->default_value(d.kernel.weight_ports), "m_axi weight ports (rows sliced over them)")
      ("kernel.max_outstanding", po::value<uint32_t>()->default_value(d.kernel.max_outstanding), "outstanding bursts per port")
      ("kernel.mac_lanes", po::value<uint32_t>()->default_value(m.mac_lanes), "int8 MACs per cycle per weight port")
      ("kernel.vector_unit", po::value<std::string>()->default_value(vector_unit_name(m.vector_unit)), "fp32 vector unit: sequential (the RTL's) | pipelined (HLS-style what-if, fast mode only) | hlstransform (the whole kernel as HLSTransform's forward.cpp under Vitis HLS, fast mode only)")
      ("kernel.fp_lanes", po::value<uint32_t>()->default_value(m.fp_lanes), "fp32 vector lanes: the pipelined vector unit's; in the RTL (sequential), the quantizer's FP_LANES")
      ("kernel.accumulators", po::value<uint32_t>()->default_value(m.accumulators), "matmul rows accumulated concurrently (rtl/llama_gemv.sv ACCUMULATORS)")
      ("kernel.memory_latency", po::value<uint32_t>()->default_value(m.memory_latency), "fast-mode estimate of a blocking access's round trip (cycles), sequential vector unit")
      ("kernel.fadd_latency", po::value<uint32_t>()->default_value(m.fadd_latency), "fp32 adder latency (cycles)")
      ("kernel.fmul_latency", po::value<uint32_t>()->default_value(m.fmul_latency), "fp32 multiplier latency")
      ("kernel.exp_latency", po::value<uint32_t>()->default_value(m.exp_latency), "exp unit latency")
      ("kernel.recip_latency", po::value<uint32_t>()->default_value(m.recip_latency), "reciprocal unit latency")
      ("kernel.rsqrt_latency", po::value<uint32_t>()->default_value(m.rsqrt_latency), "rsqrt unit latency")
      ("kernel.div_latency", po::value<uint32_t>()->default_value(m.div_latency), "fp32 divider latency (quantization)")
      ("kernel.round_latency", po::value<uint32_t>()->default_value(m.round_latency), "fp32 -> int rounding unit latency (quantization)")
      ("kernel.matmul_latency", po::value<uint32_t>()->default_value(m.matmul_latency), "MAC pipeline depth")
      ("kernel.phase_overhead", po::value<uint32_t>()->default_value(m.phase_overhead), "sequencer cycles per phase")
      ("kernel.hls_weights_maxi_bits", po::value<uint32_t>()->default_value(m.hlstransform.weights_maxi_bits), "vector_unit = hlstransform: m_axi width of the weights bundle (gmem0) as HLS builds it; > 32: widened, bursts pack elements")
      ("kernel.hls_kv_maxi_bits", po::value<uint32_t>()->default_value(m.hlstransform.kv_maxi_bits), "vector_unit = hlstransform: m_axi width of the KV-cache bundle (gmem)")
      ("kernel.hls_row_burst", po::value<bool>()->default_value(m.hlstransform.row_burst, m.hlstransform.row_burst ? "on" : "off"), "vector_unit = hlstransform: burst inferred for each matmul row copy (else one request per element)")
      ("kernel.hls_maxi_latency", po::value<uint32_t>()->default_value(m.hlstransform.maxi_latency), "vector_unit = hlstransform: m_axi read latency (cycles) the schedule assumes")
      ("kernel.hls_max_read_burst", po::value<uint32_t>()->default_value(m.hlstransform.max_read_burst), "vector_unit = hlstransform: m_axi max_read_burst_length (beats)")
      ("kernel.hls_max_write_burst", po::value<uint32_t>()->default_value(m.hlstransform.max_write_burst), "vector_unit = hlstransform: m_axi max_write_burst_length (beats)")
      ("kernel.hls_unroll", po::value<uint32_t>()->default_value(m.hlstransform.unroll), "vector_unit = hlstransform: UNROLL_FACTOR of forward.cpp's vector loops and array partitions")
      ("kernel.hls_swiglu_unroll", po::value<uint32_t>()->default_value(m.hlstransform.swiglu_unroll), "vector_unit = hlstransform: unroll factor of the SwiGLU loop")
      ("kernel.hls_softmax_unroll", po::value<uint32_t>()->default_value(m.hlstransform.softmax_unroll), "vector_unit = hlstransform: unroll factor of softmax's exp and norm loops")
      ("kernel.weights_memory", po::value<std::string>()->default_value(memory_kind_name(d.placement.weights_memory)), "hbm | ddr")
      ("kernel.weights_channel", po::value<uint32_t>()->default_value(d.placement.weights_channel), "channel of weight port 0 (port p: +p)")
      ("kernel.kv_memory", po::value<std::string>()->default_value(memory_kind_name(d.placement.kv_memory)), "hbm | ddr")
      ("kernel.kv_channel", po::value<uint32_t>()->default_value(d.placement.kv_channel), "channel of the KV cache")
      ("kernel.out_memory", po::value<std::string>()->default_value(memory_kind_name(d.placement.out_memory)), "hbm | ddr")
      ("kernel.out_channel", po::value<uint32_t>()->default_value(d.placement.out_channel), "channel of the logits")
      ("kernel.timeout_cycles", po::value<uint64_t>()->default_value(d.placement.timeout_cycles), "cycles before a call counts as hung")
      ("kernel.rtl_run_ahead", po::value<bool>()->default_value(d.placement.rtl_run_ahead), "rtl mode: simulate clock edges no other model can influence in one activation (same cycles, faster)");
  po::options_description memory("memory and links");
  DramConfig::declare_options(memory, "hbm.", d.hbm);
  DramConfig::declare_options(memory, "ddr.", d.ddr);
  PcieConfig::declare_options(memory, "pcie.", d.pcie);
  InterconnectConfig::declare_options(memory, "interconnect.", d.interconnect);
  ControlRegsConfig::declare_options(memory, "control.", d.control);
  po::options_description energy("power and baselines");
  PowerConfig::declare_options(energy, "power.", d.power);
  BaselineConfig::declare_options(energy, "baseline.", d.baseline);
  po::options_description replay("trace replay (vpreplay)");
  ReplayConfig::declare_options(replay, "replay.", d.replay);
  all.add(run).add(board).add(kernel).add(memory).add(energy).add(replay);
  return all;
}

template <class T>
T get(const po::variables_map& vm, const char* key) {
  return vm[key].as<T>();
}

SimConfig from_values(const po::variables_map& vm) {
  SimConfig c;
  c.run.checkpoint = get<std::string>(vm, "run.checkpoint");
  c.run.model_shape = get<std::string>(vm, "run.model_shape");
  c.run.model_seed = get<uint64_t>(vm, "run.model_seed");
  c.run.max_group_size = get<uint32_t>(vm, "run.max_group_size");
  c.run.tokenizer = get<std::string>(vm, "run.tokenizer");
  c.run.prompt = get<std::string>(vm, "run.prompt");
  c.run.steps = get<uint32_t>(vm, "run.steps");
  c.run.temperature = get<float>(vm, "run.temperature");
  c.run.topp = get<float>(vm, "run.topp");
  c.run.seed = get<uint64_t>(vm, "run.seed");
  c.run.mode = get<std::string>(vm, "run.mode");
  c.run.functional = get<bool>(vm, "run.functional");
  c.run.stats = get<std::string>(vm, "run.stats");
  c.run.dump_logits = get<std::string>(vm, "run.dump_logits");
  c.run.cache_dir = get<std::string>(vm, "run.cache_dir");
  c.run.record_trace = get<std::string>(vm, "run.record_trace");
  c.run.timeline = get<std::string>(vm, "run.timeline");
  c.run.vcd = get<std::string>(vm, "run.vcd");
  c.run.vcd_start_ns = get<double>(vm, "run.vcd_start_ns");
  c.run.vcd_stop_ns = get<double>(vm, "run.vcd_stop_ns");
  c.run.vcd_start_token = get<int64_t>(vm, "run.vcd_start_token");
  c.run.vcd_stop_token = get<int64_t>(vm, "run.vcd_stop_token");
  c.board.name = get<std::string>(vm, "board.name");
  c.board.hbm_channels = get<uint32_t>(vm, "board.hbm_channels");
  c.board.ddr_channels = get<uint32_t>(vm, "board.ddr_channels");
  c.kernel.clock_mhz = get<double>(vm, "kernel.clock_mhz");
  c.kernel.axi_data_bits = get<uint32_t>(vm, "kernel.axi_data_bits");
  c.kernel.weight_ports = get<uint32_t>(vm, "kernel.weight_ports");
  c.kernel.max_outstanding = get<uint32_t>(vm, "kernel.max_outstanding");
  KernelMicroarch& m = c.kernel.microarch;
  m.mac_lanes = get<uint32_t>(vm, "kernel.mac_lanes");
  m.vector_unit = parse_vector_unit(get<std::string>(vm, "kernel.vector_unit"), "kernel.vector_unit");
  m.fp_lanes = get<uint32_t>(vm, "kernel.fp_lanes");
  m.accumulators = get<uint32_t>(vm, "kernel.accumulators");
  m.memory_latency = get<uint32_t>(vm, "kernel.memory_latency");
  m.fadd_latency = get<uint32_t>(vm, "kernel.fadd_latency");
  m.fmul_latency = get<uint32_t>(vm, "kernel.fmul_latency");
  m.exp_latency = get<uint32_t>(vm, "kernel.exp_latency");
  m.recip_latency = get<uint32_t>(vm, "kernel.recip_latency");
  m.rsqrt_latency = get<uint32_t>(vm, "kernel.rsqrt_latency");
  m.div_latency = get<uint32_t>(vm, "kernel.div_latency");
  m.round_latency = get<uint32_t>(vm, "kernel.round_latency");
  m.matmul_latency = get<uint32_t>(vm, "kernel.matmul_latency");
  m.phase_overhead = get<uint32_t>(vm, "kernel.phase_overhead");
  m.hlstransform.weights_maxi_bits = get<uint32_t>(vm, "kernel.hls_weights_maxi_bits");
  m.hlstransform.kv_maxi_bits = get<uint32_t>(vm, "kernel.hls_kv_maxi_bits");
  m.hlstransform.row_burst = get<bool>(vm, "kernel.hls_row_burst");
  m.hlstransform.maxi_latency = get<uint32_t>(vm, "kernel.hls_maxi_latency");
  m.hlstransform.max_read_burst = get<uint32_t>(vm, "kernel.hls_max_read_burst");
  m.hlstransform.max_write_burst = get<uint32_t>(vm, "kernel.hls_max_write_burst");
  m.hlstransform.read_outstanding = c.kernel.max_outstanding;  // the m_axi adapter's num_read_outstanding
  m.hlstransform.unroll = get<uint32_t>(vm, "kernel.hls_unroll");
  m.hlstransform.swiglu_unroll = get<uint32_t>(vm, "kernel.hls_swiglu_unroll");
  m.hlstransform.softmax_unroll = get<uint32_t>(vm, "kernel.hls_softmax_unroll");
  c.placement.weights_memory = parse_memory_kind(get<std::string>(vm, "kernel.weights_memory"), "kernel.weights_memory");
  c.placement.weights_channel = get<uint32_t>(vm, "kernel.weights_channel");
  c.placement.kv_memory = parse_memory_kind(get<std::string>(vm, "kernel.kv_memory"), "kernel.kv_memory");
  c.placement.kv_channel = get<uint32_t>(vm, "kernel.kv_channel");
  c.placement.out_memory = parse_memory_kind(get<std::string>(vm, "kernel.out_memory"), "kernel.out_memory");
  c.placement.out_channel = get<uint32_t>(vm, "kernel.out_channel");
  c.placement.timeout_cycles = get<uint64_t>(vm, "kernel.timeout_cycles");
  c.placement.rtl_run_ahead = get<bool>(vm, "kernel.rtl_run_ahead");
  c.hbm = DramConfig::from_options(vm, "hbm.");
  c.ddr = DramConfig::from_options(vm, "ddr.");
  c.pcie = PcieConfig::from_options(vm, "pcie.");
  c.interconnect = InterconnectConfig::from_options(vm, "interconnect.");
  c.control = ControlRegsConfig::from_options(vm, "control.");
  c.power = PowerConfig::from_options(vm, "power.");
  c.baseline = BaselineConfig::from_options(vm, "baseline.");
  c.replay = ReplayConfig::from_options(vm, "replay.");
  return c;
}

SimConfig defaults() {
  SimConfig d;
  d.hbm = DramConfig::hbm2_pseudo_channel();
  d.ddr = DramConfig::ddr4_2400();
  return d;
}

}  // namespace

std::vector<MemoryBank> SimConfig::weight_banks() const {
  std::vector<MemoryBank> banks;
  for (uint32_t p = 0; p < kernel.weight_ports; ++p)
    banks.push_back({placement.weights_memory, placement.weights_channel + p});
  return banks;
}

void SimConfig::validate() const {
  kernel.validate("kernel.");
  if (run.mode != "fast" && run.mode != "rtl")
    throw std::runtime_error("config key run.mode = '" + run.mode + "': expected fast or rtl");
  // The RTL kernel always computes; the fast kernel is the one that can leave the arithmetic out.
  if (!run.functional && run.mode != "fast")
    throw std::runtime_error("config key run.functional = off needs run.mode = fast (run.mode = " + run.mode +
                             " always computes)");
  if (!run.functional && !run.dump_logits.empty())
    throw std::runtime_error("config key run.dump_logits needs run.functional = on: a timing-only run computes no logits");
  if (run.steps == 0) throw std::runtime_error("config key run.steps must be at least 1");
  if (run.temperature < 0.0f) throw std::runtime_error("config key run.temperature must be >= 0");
  if (run.topp < 0.0f || run.topp > 1.0f) throw std::runtime_error("config key run.topp must be in [0, 1]");
  if (run.max_group_size == 0) throw std::runtime_error("config key run.max_group_size must be positive");
  if (!(run.vcd_start_ns >= 0.0)) throw std::runtime_error("config key run.vcd_start_ns must be >= 0");
  if (!(run.vcd_stop_ns >= 0.0) || (run.vcd_stop_ns > 0.0 && run.vcd_stop_ns < run.vcd_start_ns))
    throw std::runtime_error("config key run.vcd_stop_ns must be 0 (end of run) or >= run.vcd_start_ns");
  // A VCD window by token: inside the positions run; never together with one in ns.
  if ((run.vcd_start_token != -1 || run.vcd_stop_token != -1) && (run.vcd_start_ns != 0.0 || run.vcd_stop_ns != 0.0))
    throw std::runtime_error("config keys run.vcd_start_ns/run.vcd_stop_ns and run.vcd_start_token/"
                             "run.vcd_stop_token both set a VCD window: give it in ns or in tokens, not both");
  const int64_t steps = run.steps;
  if (run.vcd_start_token < -1 || run.vcd_start_token >= steps)
    throw std::runtime_error("config key run.vcd_start_token = " + std::to_string(run.vcd_start_token) +
                             ": expected -1 (unused) or a token 0.." + std::to_string(steps - 1) + " (run.steps = " +
                             std::to_string(steps) + ")");
  if (run.vcd_stop_token < -1 || run.vcd_stop_token >= steps ||
      (run.vcd_stop_token >= 0 && run.vcd_stop_token < run.vcd_start_token))
    throw std::runtime_error("config key run.vcd_stop_token = " + std::to_string(run.vcd_stop_token) +
                             ": expected -1 (unused) or a token " +
                             std::to_string(run.vcd_start_token > 0 ? run.vcd_start_token : 0) + ".." +
                             std::to_string(steps - 1) + " (>= run.vcd_start_token, < run.steps = " +
                             std::to_string(steps) + ")");
  // The waveform holds RTL signals: the fast kernel has none, refuse rather than ignore.
  if (!run.vcd.empty() && run.mode != "rtl")
    throw std::runtime_error("config key run.vcd (--vcd) needs run.mode = rtl; the fast kernel has no RTL signals "
                             "(use --trace FILE for a timeline of the fast mode)");
  if (kernel.clock_mhz <= 0.0) throw std::runtime_error("config key kernel.clock_mhz must be positive");
  if (placement.timeout_cycles == 0) throw std::runtime_error("config key kernel.timeout_cycles must be positive");
  // Limits that keep derived quantities representable: the kernel's clock period and hang budget in sc_time
  // (integer ps below 2^64), the link's transfer times, and a SystemC module per memory channel.
  if (kernel.clock_mhz < 1.0)
    throw std::runtime_error("config key kernel.clock_mhz = " + std::to_string(kernel.clock_mhz) + ": below 1 MHz");
  if (double(placement.timeout_cycles) * (1e6 / kernel.clock_mhz) >= 0x1p63)
    throw std::runtime_error("config key kernel.timeout_cycles = " + std::to_string(placement.timeout_cycles) +
                             " at kernel.clock_mhz = " + std::to_string(kernel.clock_mhz) +
                             " exceeds the simulated time range (2^63 ps, about 106 days)");
  constexpr uint32_t kMaxChannels = 256;
  if (board.hbm_channels > kMaxChannels || board.ddr_channels > kMaxChannels)
    throw std::runtime_error("config keys board.hbm_channels = " + std::to_string(board.hbm_channels) +
                             ", board.ddr_channels = " + std::to_string(board.ddr_channels) + ": at most " +
                             std::to_string(kMaxChannels) + " each");
  if (board.hbm_channels == 0 && board.ddr_channels == 0)
    throw std::runtime_error("config keys board.hbm_channels and board.ddr_channels are both 0: no device memory");
  if (board.hbm_channels > 0) hbm.validate("hbm.");
  if (board.ddr_channels > 0) ddr.validate("ddr.");
  pcie.validate("pcie.");
  if (!(pcie.effective_bytes_per_s() >= 1e6))
    throw std::runtime_error("config keys pcie.gts_per_lane, pcie.lanes, pcie.encoding_efficiency give " +
                             std::to_string(pcie.effective_bytes_per_s()) + " B/s: below 1 MB/s");
  interconnect.validate("interconnect.");
  control.validate("control.");
  auto channels = [&](MemoryKind k) { return k == MemoryKind::kHbm ? board.hbm_channels : board.ddr_channels; };
  auto check = [&](MemoryKind k, uint64_t last, const std::string& keys) {
    if (last >= channels(k))
      throw std::runtime_error("config keys " + keys + " need " + (k == MemoryKind::kHbm ? "HBM" : "DDR") +
                               " channel " + std::to_string(last) + " but board '" + board.name + "' has " +
                               std::to_string(channels(k)) + " (board." +
                               (k == MemoryKind::kHbm ? "hbm_channels" : "ddr_channels") + ")");
  };
  check(placement.weights_memory, uint64_t(placement.weights_channel) + kernel.weight_ports - 1,
        "kernel.weights_memory/weights_channel/weight_ports");
  check(placement.kv_memory, placement.kv_channel, "kernel.kv_memory/kv_channel");
  check(placement.out_memory, placement.out_channel, "kernel.out_memory/out_channel");
}

SimConfig parse_sim_config(int argc, const char* const* argv, std::string* help) {
  const SimConfig d = defaults();
  const po::options_description options = declare_all(d);
  po::options_description cli;
  cli.add(options).add_options()("config", po::value<std::vector<std::string>>()->composing(), "config files");
  // Short command-line spellings of output keys (ARCHITECTURE.md): --stats F is --run.stats=F.
  const std::vector<std::pair<std::string, std::string>> aliases = {{"stats", "run.stats"},
                                                                    {"dump-logits", "run.dump_logits"},
                                                                    {"trace", "run.timeline"},
                                                                    {"vcd", "run.vcd"},
                                                                    {"mode", "run.mode"}};
  for (const auto& [alias, key] : aliases)
    cli.add_options()(alias.c_str(), po::value<std::string>(), ("same as --" + key).c_str());
  po::positional_options_description positional;
  positional.add("config", -1);

  po::variables_map vm;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) reject_boost_placeholders(argv[i], "command line argument " + std::to_string(i));
  try {
    // Command line first: Boost keeps the first value stored, so it wins over the files.
    const po::parsed_options parsed = po::command_line_parser(argc, argv).options(cli).positional(positional).run();
    reject_negative_counts(parsed, "command line");
    po::store(parsed, vm);
    if (vm.count("config")) files = vm["config"].as<std::vector<std::string>>();
  } catch (const po::error& e) {
    throw std::runtime_error(std::string("command line: ") + e.what());
  }
  if (vm.count("help") && help) {
    std::ostringstream os;
    os << options;
    *help = os.str();
  }
  // Later files override earlier ones, so store them last to first.
  for (auto it = files.rbegin(); it != files.rend(); ++it) {
    std::ifstream file(*it);
    if (!file) throw std::runtime_error("config file " + *it + ": cannot be opened");
    // No real config line is this long; Boost's error messages grow quadratically with one.
    constexpr size_t kMaxLine = 4096;
    std::ostringstream text;
    std::string line;
    for (int number = 1; std::getline(file, line); ++number) {
      if (line.size() > kMaxLine)
        throw std::runtime_error("config file " + *it + " line " + std::to_string(number) + ": longer than " +
                                 std::to_string(kMaxLine) + " characters");
      reject_boost_placeholders(line, "config file " + *it + " line " + std::to_string(number));
      text << line << '\n';
    }
    std::istringstream in(text.str());
    try {
      po::parsed_options parsed = po::parse_config_file(in, options, false);
      reject_negative_counts(parsed, "config file " + *it);
      resolve_paths_against(parsed, *it);
      po::store(parsed, vm);
    } catch (const po::error& e) {
      throw std::runtime_error("config file " + *it + ": " + e.what());
    }
  }
  po::notify(vm);
  check_real_values(options, vm);
  SimConfig c;
  try {
    c = from_values(vm);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("config: ") + e.what());
  }
  for (const auto& [alias, key] : aliases) {
    if (!vm.count(alias)) continue;
    const std::string value = vm[alias].as<std::string>();
    if (key == "run.stats") c.run.stats = value;
    if (key == "run.dump_logits") c.run.dump_logits = value;
    if (key == "run.timeline") c.run.timeline = value;
    if (key == "run.vcd") c.run.vcd = value;
    if (key == "run.mode") c.run.mode = value;
  }
  c.sources = files;
  if (c.run.cache_dir.empty()) {
    const char* env = std::getenv("VP_CACHE_DIR");
    c.run.cache_dir = env && *env ? env : "vp_cache";
  }
  c.validate();
  return c;
}

}  // namespace vp
