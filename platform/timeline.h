#pragma once
// The timeline a user opens in Perfetto (ui.perfetto.dev) or chrome://tracing: Chrome
// trace-event JSON ("traceEvents", times in microseconds) with
//   - host: the weights upload and, per token, its argument writes, kernel run (start and wait
//     for the interrupt) and logits read-back, plus a marker when each token is out;
//   - PCIe DMA: when host transfers were in flight in device memory;
//   - kernel: one complete event per call with its phases (per layer) nested inside;
//   - one track per memory channel with traffic: busy intervals, i.e. the union of the
//     in-flight intervals (arrival to completion) of the channel's recorded transactions.
// Events are sorted per track by start time (enclosing events first).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/simulation.h"
#include "traces/axi_trace.h"

namespace vp {

struct BusyInterval {
  uint64_t start_ps = 0, end_ps = 0;
  uint64_t transactions = 0, bytes = 0;
};

// Union of the [arrival, completion] intervals of the records `select` picks, overlapping or
// touching ones merged, in time order.
std::vector<BusyInterval> busy_intervals(const AxiTrace& trace,
                                         const std::function<bool(const AxiTraceRecord&)>& select);

nlohmann::json timeline_json(const RunResult& result);
// Atomic; throws naming the path.
void write_timeline(const RunResult& result, const std::string& path);

}  // namespace vp
