#pragma once
// Records every transaction that enters a memory system's interconnect (kernel m_axi ports and
// the PCIe DMA alike) through its observer hook, with arrival and completion times.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <systemc>

#include "models/axi/axi_interconnect.h"
#include "models/memory/memory_system.h"
#include "traces/axi_trace.h"

namespace vp {

// The master and channel tables of a memory system, as a trace without records.
AxiTrace empty_trace_of(const MemorySystem& memory, const std::string& description);

class AxiTraceRecorder {
 public:
  // Starts observing `memory`'s interconnect (one of its observers).
  AxiTraceRecorder(MemorySystem& memory, const std::string& description);
  AxiTraceRecorder(const AxiTraceRecorder&) = delete;
  AxiTraceRecorder& operator=(const AxiTraceRecorder&) = delete;

  size_t size() const { return records_.size(); }
  // Everything recorded so far, in forwarding order, ending at `end` (normally the current time).
  AxiTrace trace(const sc_core::sc_time& end) const;

 private:
  void record(const InterconnectTransaction& t);

  AxiTrace tables_;
  std::vector<std::pair<uint64_t, AxiTraceRecord>> records_;  // (forwarding sequence, record)
};

}  // namespace vp
