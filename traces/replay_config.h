#pragma once
// Configuration of a trace replay (vpreplay), read with the rest of the SimConfig: [replay] keys.
#include <string>

#include <boost/program_options.hpp>

namespace vp {

enum class ReplayTiming {
  kRecorded,   // every transaction at its recorded arrival time
  kDependent,  // per master in recorded order, as soon as one of its recorded outstanding slots frees
};

struct ReplayConfig {
  ReplayTiming timing = ReplayTiming::kRecorded;

  static void declare_options(boost::program_options::options_description& desc, const std::string& prefix,
                              const ReplayConfig& defaults);
  // Throws std::runtime_error naming `prefix + key` of a bad value.
  static ReplayConfig from_options(const boost::program_options::variables_map& vm, const std::string& prefix);
};

const char* replay_timing_name(ReplayTiming timing);

}  // namespace vp
