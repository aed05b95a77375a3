#include "traces/replay_config.h"

#include <stdexcept>

namespace vp {

namespace po = boost::program_options;

const char* replay_timing_name(ReplayTiming timing) {
  return timing == ReplayTiming::kRecorded ? "recorded" : "dependent";
}

void ReplayConfig::declare_options(po::options_description& desc, const std::string& prefix,
                                   const ReplayConfig& defaults) {
  desc.add_options()((prefix + "timing").c_str(),
                     po::value<std::string>()->default_value(replay_timing_name(defaults.timing)),
                     "trace replay (vpreplay): recorded = each transaction at its recorded arrival time (same "
                     "memory config: same DRAM statistics); dependent = each master in recorded order with its "
                     "recorded outstanding transactions, issued as soon as a slot frees (what-if)");
}

ReplayConfig ReplayConfig::from_options(const po::variables_map& vm, const std::string& prefix) {
  const std::string key = prefix + "timing";
  auto it = vm.find(key);
  if (it == vm.end() || it->second.empty())
    throw std::runtime_error("configuration option '" + key + "' is missing (declare_options not called?)");
  const std::string value = it->second.as<std::string>();
  ReplayConfig c;
  if (value == "recorded") c.timing = ReplayTiming::kRecorded;
  else if (value == "dependent") c.timing = ReplayTiming::kDependent;
  else throw std::runtime_error("config key " + key + " = '" + value + "': expected recorded or dependent");
  return c;
}

}  // namespace vp
