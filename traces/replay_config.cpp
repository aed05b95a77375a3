#include "traces/replay_config.h"

namespace vp {

const char* replay_timing_name(ReplayTiming timing) {
  return timing == ReplayTiming::kRecorded ? "recorded" : "dependent";
}

const ConfigFields<ReplayConfig>& ReplayConfig::fields() {
  static const ConfigFields<ReplayConfig> list = {
      enum_field(&ReplayConfig::timing, "timing",
                 {{replay_timing_name(ReplayTiming::kRecorded), ReplayTiming::kRecorded},
                  {replay_timing_name(ReplayTiming::kDependent), ReplayTiming::kDependent}},
                 "trace replay (vpreplay): recorded = each transaction at its recorded arrival time (same memory "
                 "config: same DRAM statistics); dependent = each master in recorded order with its recorded "
                 "outstanding transactions, issued as soon as a slot frees (what-if)"),
  };
  return list;
}

}  // namespace vp
