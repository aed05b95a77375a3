#pragma once
// Replays a recorded AXI trace into a fresh memory system (interconnect + DRAM channels built
// of models/memory/memory_system.h, from a MemorySystemConfig), without the kernel or the host, and reports
// bandwidth per channel and DRAM energy.
//
// Masters: one initiator per trace master, bound to the interconnect in trace order; a master
// is at home on the replay config's channel for the master of the same name (m_axi_w0 on the
// weights channel, ...). Channels: each recorded channel that is some master's home maps to
// that master's replay home (first master wins), any other to the replay channel of the same
// name; the offset inside the channel is kept. So a trace recorded with weights on HBM[0] replays
// against a DDR board with the weights on DDR[0].
//
// Timing (replay.timing):
//  - recorded: every transaction is issued at its recorded arrival time from its recorded master,
//    with as many concurrent issuers per master as it had transactions in flight. Against the
//    recorded memory layout the channels also see the recorded forwarding order
//    (traces/channel_order_gate.h) and the run ends at the recorded end time, so with the same
//    memory config every DRAM counter (DramStats) comes out exactly as recorded.
//  - dependent: each master issues its transactions in recorded order, keeping at most as many in
//    flight as it had at any time in the recording, each as soon as a slot frees: what the memory
//    system under test would sustain for the same access streams.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/dram/dram_stats.h"
#include "models/memory/memory_system.h"
#include "traces/axi_trace.h"
#include "traces/channel_order_gate.h"
#include "traces/replay_config.h"

namespace vp {

struct ReplayChannelResult {
  std::string name;
  double peak_bytes_per_s = 0;
  DramStats stats;
  double energy_pj = 0;    // commands + background over the replay's elapsed time
  double bytes_per_s = 0;  // (read + write bytes) / elapsed time
};

struct ReplayResult {
  ReplayTiming timing = ReplayTiming::kRecorded;
  bool order_enforced = false;           // recorded forwarding order held per channel
  uint64_t transactions = 0;             // in the trace
  uint64_t completed = 0;                // replayed to completion
  uint64_t error_responses = 0;          // completed with an error (decode error included)
  uint64_t completions_as_recorded = 0;  // completed exactly when the recording says
  double elapsed_s = 0;                  // end of the replay
  double recorded_elapsed_s = 0;         // end of the recorded run
  std::vector<ReplayChannelResult> channels;
  std::string error;                     // empty when every transaction completed
};

// For each channel of `trace`, the index of its replay channel in `memory`, or
// AxiTrace::kNoChannel when none fits (see the rules above).
std::vector<uint32_t> map_trace_channels(const AxiTrace& trace, const MemorySystem& memory);

class TraceReplayer : public sc_core::sc_module {
 public:
  // Throws std::runtime_error when a recorded transaction has no channel to go to in the replay
  // config, or its offset does not fit the replay channel (naming the record and address).
  // `memory` is the replay's device memory (platform/memory_placement.h makes it from a config),
  // `board` its name for messages.
  TraceReplayer(sc_core::sc_module_name name, const AxiTrace& trace, const MemorySystemConfig& memory,
                const ReplayConfig& replay, const std::string& board);
  ~TraceReplayer() override;

  MemorySystem& memory() { return *memory_; }
  const std::vector<uint32_t>& channel_map() const { return channel_map_; }
  bool order_enforced() const { return order_enforced_; }
  // Recorded outstanding transactions per trace master (the replay's issuers per master).
  const std::vector<uint32_t>& recorded_max_in_flight() const { return recorded_max_in_flight_; }
  const std::vector<uint32_t>& replayed_max_in_flight() const { return replayed_max_in_flight_; }
  // Per trace record: when the replay issued it to the interconnect and when it completed (ps);
  // kNotDone when it did not.
  static constexpr uint64_t kNotDone = UINT64_MAX;
  const std::vector<uint64_t>& issued_ps() const { return issued_ps_; }
  const std::vector<uint64_t>& completed_ps() const { return completed_ps_; }

  // Call after sc_start() has returned.
  ReplayResult result() const;

 private:
  using Socket = tlm_utils::simple_initiator_socket<TraceReplayer>;
  struct Issuer;

  void build_issuers();
  void run_issuer(Issuer& issuer);
  void run_dependent(Issuer& issuer);
  void issue(unsigned master, uint64_t record, tlm::tlm_generic_payload& gp, std::vector<uint8_t>& buffer);
  void finish();

  const AxiTrace trace_;
  const ReplayConfig replay_;
  const std::string board_;
  std::vector<std::unique_ptr<ChannelOrderGate>> gates_;
  std::unique_ptr<MemorySystem> memory_;
  std::vector<std::unique_ptr<Socket>> sockets_;
  std::vector<uint32_t> channel_map_;
  bool order_enforced_ = false;
  std::vector<uint64_t> replay_address_;
  std::vector<std::vector<uint64_t>> master_records_;  // per master, in issue order
  std::vector<uint32_t> recorded_max_in_flight_, replayed_max_in_flight_, in_flight_;
  std::vector<std::unique_ptr<Issuer>> issuers_;
  std::vector<size_t> dependent_next_;  // per master: next of master_records_ to issue
  std::vector<uint64_t> issued_ps_, completed_ps_;
  std::vector<bool> error_response_;
  uint64_t pending_ = 0;
  sc_core::sc_event all_done_;
};

}  // namespace vp
