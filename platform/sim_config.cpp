#include "platform/sim_config.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <boost/program_options.hpp>

namespace po = boost::program_options;

// platform/u280.cfg, compiled in (CMakeLists.txt generates its definition into the build tree).
extern "C" const char vp_default_board_config[];

namespace vp {
namespace {

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

// Every section of the configuration in --help order: its --help group, its key prefix and its struct,
// whose fields() declare the keys.
template <class Config, class Visit>
void for_each_section(Config& c, Visit&& visit) {
  visit("run", "run.", c.run);
  visit("board", "board.", c.board);
  visit("kernel", "kernel.", c.kernel);
  visit("kernel", "kernel.", c.placement);
  visit("memory and links", "hbm.", c.hbm);
  visit("memory and links", "ddr.", c.ddr);
  visit("memory and links", "pcie.", c.pcie);
  visit("memory and links", "interconnect.", c.interconnect);
  visit("memory and links", "control.", c.control);
  visit("power and baselines", "power.", c.power);
  visit("power and baselines", "baseline.", c.baseline);
  visit("trace replay (vpreplay)", "replay.", c.replay);
}

template <class Section>
const ConfigFields<Section>& fields_of(const Section&) {
  return Section::fields();
}

po::options_description declare_all(const SimConfig& d) {
  po::options_description all("Options (also INI keys: [section] key = value)");
  all.add_options()("help", "print this list and exit");
  std::vector<std::pair<std::string, std::unique_ptr<po::options_description>>> groups;
  for_each_section(d, [&](const char* group, const char* prefix, const auto& section) {
    if (groups.empty() || groups.back().first != group)
      groups.emplace_back(group, std::make_unique<po::options_description>(group));
    declare_config_fields(*groups.back().second, prefix, fields_of(section), section);
  });
  for (const auto& g : groups) all.add(*g.second);
  return all;
}

SimConfig from_values(const po::variables_map& vm) {
  SimConfig c;
  BaselineConfig::require_complete_measured(vm, "baseline.");
  for_each_section(c, [&](const char*, const char* prefix, auto& section) {
    read_config_fields(vm, prefix, fields_of(section), section);
  });
  c.kernel.microarch.hlstransform.read_outstanding = c.kernel.max_outstanding;  // the m_axi adapter's num_read_outstanding
  const DramConfig& weights_memory = c.placement.weights_memory == MemoryKind::kHbm ? c.hbm : c.ddr;
  c.kernel.microarch.memory_bytes_per_cycle = weights_memory.peak_bytes_per_s() / (c.kernel.clock_mhz * 1e6);
  // The components' own checks, as they are read; SimConfig::validate checks the rest and across sections.
  c.hbm.validate("hbm.");
  c.ddr.validate("ddr.");
  c.pcie.validate("pcie.");
  c.interconnect.validate("interconnect.");
  c.control.validate("control.");
  c.power.validate("power.");
  c.power.load_resource_report("power.");
  c.baseline.validate("baseline.");
  return c;
}

SimConfig defaults() {
  SimConfig d;
  d.hbm = default_dram_config(MemoryKind::kHbm);
  d.ddr = default_dram_config(MemoryKind::kDdr);
  return d;
}

// Some components throw std::invalid_argument for a bad value (a logic error where they are built in
// code); from a configuration it is a std::runtime_error like every other config error.
template <class Check>
void as_config_error(Check&& check) {
  try {
    check();
  } catch (const std::logic_error& e) {
    throw std::runtime_error(e.what());
  }
}

const std::vector<std::pair<std::string, MemoryKind>> kMemoryKinds = {{"hbm", MemoryKind::kHbm},
                                                                      {"ddr", MemoryKind::kDdr}};

}  // namespace

const ConfigFields<RunConfig>& RunConfig::fields() {
  using C = RunConfig;
  static const ConfigFields<C> list = {
      field(&C::checkpoint, "checkpoint", any_value(), "", "llama2.c checkpoint (fp32 legacy or ak42 Q8_0); empty: random model"),
      field(&C::model_shape, "model_shape", any_value(), "",
            "random model shape: stories110M, stories15M, tiny or dim,hidden,layers,heads,kv_heads,vocab,seq"),
      field(&C::model_seed, "model_seed", any_value(), "", "seed of the random model"),
      field(&C::max_group_size, "max_group_size", at_least(1), "", "largest Q8_0 group size to quantize with"),
      field(&C::tokenizer, "tokenizer", any_value(), "", "llama2.c tokenizer.bin; empty: token ids"),
      field(&C::prompt, "prompt", any_value(), "", "prompt text, or token ids without a tokenizer"),
      field(&C::steps, "steps", at_least(1), "", "positions to run, prompt included"),
      field(&C::temperature, "temperature", at_least(0), "", "sampling temperature (0 = greedy)"),
      field(&C::topp, "topp", between(0, 1), "", "top-p nucleus (0 or 1: off)"),
      field(&C::seed, "seed", any_value(), "", "sampler seed"),
      word_field(&C::mode, "mode", {"fast", "rtl"}, "kernel fidelity"),
      field(&C::functional, "functional", any_value(), "",
            "off: timing only (fast mode): same cycles, traffic and energy, no arithmetic and no logits; feeds the "
            "prompt's tokens, then its last token again"),
      output_field(field(&C::stats, "stats", any_value(), "", "write statistics JSON here")),
      output_field(field(&C::dump_logits, "dump_logits", any_value(), "", "write fp32 logits [steps][vocab] here")),
      output_field(field(&C::cache_dir, "cache_dir", any_value(), "",
                         "directory for generated checkpoints (default: $VP_CACHE_DIR or ./vp_cache)")),
      output_field(field(&C::record_trace, "record_trace", any_value(), "",
                         "record every interconnect transaction here (binary; .txt: text), for vpreplay")),
      output_field(field(&C::timeline, "timeline", any_value(), "",
                         "write a Chrome/Perfetto trace-event JSON timeline here (alias --trace)")),
      output_field(field(&C::vcd, "vcd", any_value(), "",
                         "rtl mode: write RTL signals and TLM channel activity as VCD here (alias --vcd)")),
      field(&C::vcd_start_ns, "vcd_start_ns", at_least(0), "ns", "VCD window start"),
      field(&C::vcd_stop_ns, "vcd_stop_ns", at_least(0), "ns", "VCD window end; 0: end of the run"),
      field(&C::vcd_start_token, "vcd_start_token", at_least(-1), "",
            "VCD window from the start of this token's kernel call (position index; -1: unused)"),
      field(&C::vcd_stop_token, "vcd_stop_token", at_least(-1), "",
            "VCD window to the end of this token's kernel call, inclusive (-1: unused)"),
  };
  return list;
}

const ConfigFields<BoardConfig>& BoardConfig::fields() {
  using C = BoardConfig;
  // At most 256 channels of each kind: a SystemC module per memory channel.
  static const ConfigFields<C> list = {
      field(&C::name, "name", any_value(), "", "board name for reports"),
      field(&C::hbm_channels, "hbm_channels", between(0, 256), "", "HBM2 pseudo-channels"),
      field(&C::ddr_channels, "ddr_channels", between(0, 256), "", "DDR4 channels"),
  };
  return list;
}

const ConfigFields<KernelPlacement>& KernelPlacement::fields() {
  using C = KernelPlacement;
  static const ConfigFields<C> list = {
      enum_field(&C::weights_memory, "weights_memory", kMemoryKinds, "memory of the weights"),
      field(&C::weights_channel, "weights_channel", any_value(), "", "channel of weight port 0 (port p: +p)"),
      enum_field(&C::kv_memory, "kv_memory", kMemoryKinds, "memory of the KV cache"),
      field(&C::kv_channel, "kv_channel", any_value(), "", "channel of the KV cache (of KV port 0; port i: +i)"),
      enum_field(&C::out_memory, "out_memory", kMemoryKinds, "memory of the logits"),
      field(&C::out_channel, "out_channel", any_value(), "", "channel of the logits"),
      field(&C::timeout_cycles, "timeout_cycles", at_least(1), "cycles", "kernel cycles before a call counts as hung"),
      field(&C::rtl_run_ahead, "rtl_run_ahead", any_value(), "",
            "rtl mode: simulate clock edges no other model can influence in one activation (same cycles, faster)"),
  };
  return list;
}

nlohmann::json config_values_json(const SimConfig& config) {
  nlohmann::json j = nlohmann::json::object();
  for_each_section(config, [&](const char*, const char* prefix, const auto& section) {
    dump_config_fields(j, prefix, fields_of(section), section);
  });
  return j;
}

namespace {

DramConfig read_default_dram_config(MemoryKind kind) {
  const std::string prefix = kind == MemoryKind::kHbm ? "hbm." : "ddr.";
  po::options_description options;
  declare_config_fields(options, prefix, DramConfig::fields(), DramConfig{});
  std::istringstream in(vp_default_board_config);
  po::variables_map vm;
  po::store(po::parse_config_file(in, options, /*allow_unregistered=*/true), vm);
  return config_from_options<DramConfig>(vm, prefix);
}

}  // namespace

// The embedded file is read once per kind: reading it was half the time of every parse_sim_config.
DramConfig default_dram_config(MemoryKind kind) {
  static const DramConfig hbm = read_default_dram_config(MemoryKind::kHbm);
  static const DramConfig ddr = read_default_dram_config(MemoryKind::kDdr);
  return kind == MemoryKind::kHbm ? hbm : ddr;
}

std::vector<MemoryBank> SimConfig::weight_banks() const {
  std::vector<MemoryBank> banks;
  for (uint32_t p = 0; p < kernel.weight_ports; ++p)
    banks.push_back({placement.weights_memory, placement.weights_channel + p});
  return banks;
}

std::vector<MemoryBank> SimConfig::kv_banks() const {
  std::vector<MemoryBank> banks;
  for (uint32_t p = 0; p < kernel.kv_ports; ++p) banks.push_back({placement.kv_memory, placement.kv_channel + p});
  return banks;
}

std::vector<MemoryBank> SimConfig::kernel_port_banks() const {
  std::vector<MemoryBank> banks = weight_banks();
  for (const MemoryBank& b : kv_banks()) banks.push_back(b);
  banks.push_back(out_bank());
  return banks;
}

void SimConfig::validate() const {
  check_config_fields(RunConfig::fields(), run, "run.");
  check_config_fields(BoardConfig::fields(), board, "board.");
  as_config_error([&] { kernel.validate("kernel."); });
  check_config_fields(KernelPlacement::fields(), placement, "kernel.");
  // The RTL kernel always computes; the fast kernel is the one that can leave the arithmetic out.
  if (!run.functional && run.mode != "fast")
    throw std::runtime_error("config key run.functional = off needs run.mode = fast (run.mode = " + run.mode +
                             " always computes)");
  if (!run.functional && !run.dump_logits.empty())
    throw std::runtime_error("config key run.dump_logits needs run.functional = on: a timing-only run computes no logits");
  if (run.vcd_stop_ns > 0.0 && run.vcd_stop_ns < run.vcd_start_ns)
    throw std::runtime_error("config key run.vcd_stop_ns must be 0 (end of run) or >= run.vcd_start_ns");
  // A VCD window by token: inside the positions run; never together with one in ns.
  if ((run.vcd_start_token != -1 || run.vcd_stop_token != -1) && (run.vcd_start_ns != 0.0 || run.vcd_stop_ns != 0.0))
    throw std::runtime_error("config keys run.vcd_start_ns/run.vcd_stop_ns and run.vcd_start_token/"
                             "run.vcd_stop_token both set a VCD window: give it in ns or in tokens, not both");
  const int64_t steps = run.steps;
  if (run.vcd_start_token >= steps)
    throw std::runtime_error("config key run.vcd_start_token = " + std::to_string(run.vcd_start_token) +
                             ": expected -1 (unused) or a token 0.." + std::to_string(steps - 1) + " (run.steps = " +
                             std::to_string(steps) + ")");
  if (run.vcd_stop_token >= steps ||
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
  // Limits that keep derived quantities representable: the kernel's hang budget in sc_time (integer ps
  // below 2^64) and the link's transfer times.
  if (double(placement.timeout_cycles) * (1e6 / kernel.clock_mhz) >= 0x1p63)
    throw std::runtime_error("config key kernel.timeout_cycles = " + std::to_string(placement.timeout_cycles) +
                             " at kernel.clock_mhz = " + std::to_string(kernel.clock_mhz) +
                             " exceeds the simulated time range (2^63 ps, about 106 days)");
  if (board.hbm_channels == 0 && board.ddr_channels == 0)
    throw std::runtime_error("config keys board.hbm_channels and board.ddr_channels are both 0: no device memory");
  if (board.hbm_channels > 0) as_config_error([&] { hbm.validate("hbm."); });
  if (board.ddr_channels > 0) as_config_error([&] { ddr.validate("ddr."); });
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
  check(placement.kv_memory, uint64_t(placement.kv_channel) + kernel.kv_ports - 1, "kernel.kv_memory/kv_channel/kv_ports");
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
