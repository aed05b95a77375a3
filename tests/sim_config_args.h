#pragma once
// A SimConfig from command-line options held as strings, parsed as vpsim parses its own
// (platform/sim_config.h parse_sim_config).
#include <string>
#include <vector>

#include "platform/sim_config.h"

namespace vp::test {

// `args` are what follows the program name: options and configuration files.
inline SimConfig config_from(const std::vector<std::string>& args) {
  std::vector<const char*> argv{"vpsim"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  return parse_sim_config(static_cast<int>(argv.size()), argv.data());
}

// An option the configuration must refuse, and the key the refusal must name.
struct RefusedOption {
  const char* arg;
  const char* key;
};

}  // namespace vp::test
