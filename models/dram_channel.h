#pragma once
// One DRAM channel (HBM2 pseudo-channel or DDR4 channel) as a TLM-2.0 target: an open-page FR-FCFS
// controller with read/write queues and write drain, in front of a device whose timing is enforced by
// DramTimingChecker, holding real data in DramStorage.
//
// How time is modelled: b_transport splits a transaction into row segments (DramAddressMapper::
// segment_bytes) and queues them; a scheduler thread picks one segment at a time (row hits first, then
// oldest that can open its row soonest; reads first unless the write queue passed write_drain_high, then
// writes until write_drain_low)
// and plans all of its PRE/ACT/RD/WR commands at their earliest legal cycles in plain arithmetic (with
// DramConfig::fast_path, the row hits after the first visit of each bank group as one column run,
// DramTimingChecker::issue_column_run: the same cycles for far less work). The
// request completes at its last data beat. The scheduler picks the next segment when the planned column
// commands are within tRP + tRCD + tFAW cycles of their end (so the next row opens while this one
// streams, as a controller's bank machines would), or one cycle after the segment's first command,
// whichever is later: requests that arrive meanwhile compete in FR-FCFS. One SystemC wait per segment.
//
// Refresh is all-bank: every tREFI the controller precharges all banks and issues REF (tRFC). It is
// scheduled lazily at the next scheduler step, so an idle channel costs no simulation events; call
// catch_up_refresh() before reading stats at the end of a run (it is also done at end_of_simulation).
//
// Data is copied to/from storage when a transaction arrives, so concurrent initiators see memory in
// arrival order; the timing model only decides when the call returns.
#include <cstdint>
#include <memory>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "models/dram_address_mapper.h"
#include "models/dram_config.h"
#include "models/dram_stats.h"
#include "models/dram_storage.h"
#include "models/dram_timing_checker.h"

namespace vp {

class DramChannel : public sc_core::sc_module {
 public:
  // Channel-local addresses 0 .. capacity-1.
  tlm_utils::simple_target_socket<DramChannel> socket;

  SC_HAS_PROCESS(DramChannel);
  DramChannel(sc_core::sc_module_name name, const DramConfig& config);
  ~DramChannel() override;

  const DramConfig& config() const { return config_; }
  const DramStats& stats() const { return stats_; }
  void reset_stats() { stats_ = DramStats{}; }
  // Schedules (and counts) the refreshes that fell due up to the current simulation time while the
  // channel was idle.
  void catch_up_refresh();

  // Simulation time of the start of a clock cycle of this channel.
  sc_core::sc_time time_of_cycle(std::uint64_t cycle) const;

 private:
  struct Request {
    sc_core::sc_event done;
    bool is_write = false;
    unsigned pending_segments = 0;
    std::uint64_t first_command_cycle = 0;
    std::uint64_t data_end_cycle = 0;
    sc_core::sc_time arrival;
  };
  struct Segment {
    Request* request;
    std::uint64_t address;
    std::uint32_t length;
    DramLocation first;  // location of the first column access, for the row-hit test
  };
  struct Plan {
    std::uint64_t first_command, last_column, data_end;
  };

  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned transport_dbg(tlm::tlm_generic_payload& trans);
  bool accept(tlm::tlm_generic_payload& trans) const;
  void end_of_simulation() override;

  void scheduler_thread();
  void enqueue(const Segment& segment);
  Segment take_next_segment(std::uint64_t now);
  std::uint64_t activation_ready(const DramLocation& loc, std::uint64_t now) const;
  Plan plan_segment(const Segment& segment, std::uint64_t now);
  void refresh_until(std::uint64_t now);

  Request* acquire_request();
  void release_request(Request* request);
  std::uint64_t cycle_at_or_after(const sc_core::sc_time& t) const;

  const DramConfig config_;
  const DramAddressMapper mapper_;
  DramTimingChecker checker_;
  DramStorage storage_;
  DramStats stats_;

  double tck_in_resolution_units_;
  std::uint64_t lookahead_cycles_;
  std::uint64_t next_refresh_cycle_;

  std::vector<Segment> read_queue_, write_queue_;  // in arrival order
  bool draining_writes_ = false;
  sc_core::sc_event wake_scheduler_, read_space_, write_space_;

  std::vector<std::unique_ptr<Request>> request_pool_;
  std::vector<Request*> free_requests_;
};

}  // namespace vp
