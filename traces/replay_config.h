#pragma once
// Configuration of a trace replay (vpreplay), read with the rest of the SimConfig: [replay] keys.
#include <string>

#include "models/config_fields.h"

namespace vp {

enum class ReplayTiming {
  kRecorded,   // every transaction at its recorded arrival time
  kDependent,  // per master in recorded order, as soon as one of its recorded outstanding slots frees
};

struct ReplayConfig {
  ReplayTiming timing = ReplayTiming::kRecorded;

  // Keys prefix + key, e.g. "replay.timing" (models/config_fields.h).
  static const ConfigFields<ReplayConfig>& fields();
};

const char* replay_timing_name(ReplayTiming timing);

}  // namespace vp
