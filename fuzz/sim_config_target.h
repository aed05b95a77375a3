#pragma once
// The fuzzed entry point of the configuration parser (platform/sim_config.h). What counts as a
// finding: fuzz/fuzz_targets.h.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "fuzz/file_reader_targets.h"
#include "platform/sim_config.h"

namespace vp::fuzz {

// Input: INI text, then a NUL byte, then command-line arguments one a line. Only "--key=value" style
// arguments are passed on, none that could name another config file (a positional argument, "--" or
// an abbreviation of --config): the fuzzer explores parsing, not the file system. An accepted config
// must give the platform a representable kernel clock period and hang budget (what platform/soc.cpp
// derives from kernel.clock_mhz and kernel.timeout_cycles).
inline void sim_config(const uint8_t* data, size_t size) {
  const uint8_t* nul = static_cast<const uint8_t*>(std::memchr(data, 0, size));
  const size_t ini_bytes = nul ? static_cast<size_t>(nul - data) : size;
  const MemoryFile ini(data, ini_bytes);
  std::vector<std::string> args{"vpsim", ini.path()};
  if (nul) {
    std::string line;
    for (const uint8_t* p = nul + 1; p <= data + size; ++p) {
      if (p == data + size || *p == '\n') {
        const std::string name = line.substr(0, line.find('='));
        const bool config_option = name.size() > 2 && std::string("--config").compare(0, name.size(), name) == 0;
        if (line.size() > 2 && line.compare(0, 2, "--") == 0 && !config_option) args.push_back(line);
        line.clear();
      } else {
        line.push_back(static_cast<char>(*p));
      }
    }
  }
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  expect_clean([&] {
    std::string help;
    const SimConfig c = parse_sim_config(static_cast<int>(argv.size()), argv.data(), &help);
    // sc_time holds integer picoseconds below 2^64.
    const double cycle_ps = 1e6 / c.kernel.clock_mhz;
    const double budget_ps = cycle_ps * static_cast<double>(c.placement.timeout_cycles);
    if (!(cycle_ps >= 1.0) || !(budget_ps < 0x1p63))
      throw std::logic_error("accepted kernel.clock_mhz " + std::to_string(c.kernel.clock_mhz) +
                             " and kernel.timeout_cycles " + std::to_string(c.placement.timeout_cycles) +
                             " give no representable clock period and hang budget");
  });
}

}  // namespace vp::fuzz
