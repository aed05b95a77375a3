#include "traces/axi_trace_recorder.h"

#include <algorithm>
#include <stdexcept>

#include "traces/trace_time.h"

namespace vp {

AxiTrace empty_trace_of(const MemorySystem& memory, const std::string& description) {
  AxiTrace trace;
  trace.description = description;
  for (const MemoryChannelInfo& c : memory.channels())
    trace.channels.push_back({c.name, c.base, c.config->capacity_bytes()});
  for (const InterconnectMasterInfo& m : memory.masters()) trace.masters.push_back({m.name, m.home_channel});
  return trace;
}

AxiTraceRecorder::AxiTraceRecorder(MemorySystem& memory, const std::string& description)
    : tables_(empty_trace_of(memory, description)) {
  memory.interconnect().add_observer([this](const InterconnectTransaction& t) { record(t); });
}

void AxiTraceRecorder::record(const InterconnectTransaction& t) {
  if (t.master >= tables_.masters.size())
    throw std::runtime_error("AXI trace recorder: transaction from master " + std::to_string(t.master) +
                             ", which is not in the memory system's master table");
  AxiTraceRecord r;
  r.address = t.address;
  r.arrival_ps = to_ps(t.arrival);
  r.completion_ps = to_ps(t.completion);
  r.length = t.length;
  r.master = static_cast<uint16_t>(t.master);
  r.channel = t.channel ? static_cast<uint16_t>(*t.channel) : AxiTrace::kNoChannel16;
  r.write = t.command == tlm::TLM_WRITE_COMMAND;
  r.status = !t.channel ? AxiTraceStatus::kDecodeError
             : t.response == tlm::TLM_OK_RESPONSE ? AxiTraceStatus::kOk
                                                  : AxiTraceStatus::kErrorResponse;
  records_.emplace_back(t.sequence, r);
}

AxiTrace AxiTraceRecorder::trace(const sc_core::sc_time& end) const {
  std::vector<std::pair<uint64_t, AxiTraceRecord>> ordered = records_;
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  AxiTrace trace = tables_;
  trace.end_ps = to_ps(end);
  trace.records.reserve(ordered.size());
  for (const auto& [sequence, record] : ordered) trace.records.push_back(record);
  return trace;
}

}  // namespace vp
