#pragma once
// One DRAM channel (HBM2 pseudo-channel or DDR4 channel) as a TLM-2.0 target: a controller (open-page
// FR-FCFS by default) with read/write queues, posted writes and write drain, in front of a device whose
// timing is enforced by DramTimingChecker, holding real data in DramStorage.
//
// How time is modelled: b_transport splits a transaction into row segments (DramAddressMapper::
// segment_bytes) and queues them, DramConfig::frontend_cycles after its arrival (0 by default). A scheduler
// process (an SC_METHOD, woken by every arrival and at the next cycle at which it can act, so a new request
// is considered at once) issues commands at the current cycle only, in the manner of DRAMsim3's and DRAMSys's
// controllers:
//  - columns: of the queued segments whose rows are open in every bank they touch (row hits), the one the
//    scheduling policy picks (DramConfig::scheduler, models/dram/dram_scheduler.h; FR-FCFS by default: the hit
//    whose first column command can go soonest, oldest on a tie, which alternates bank groups where it can;
//    FCFS: only the oldest segment) is planned when its first column can go now: its column commands at
//    their earliest legal cycles (with DramConfig::fast_path, the row hits after the first visit of each
//    bank group as one column run, DramTimingChecker::issue_column_run). The request completes at its last
//    data beat.
//  - bank look-ahead: for every bank some queued segment needs, the oldest such segment's PRE or ACT is
//    issued as soon as it is legal, while other rows stream; under FR-FCFS a row is precharged only when no
//    queued segment hits it.
//  - page policy (DramConfig::page_policy, models/dram/dram_page_policy.h): open by default; closed precharges
//    each bank a planned segment used, at the PRE's earliest legal cycle after its last column, unless a
//    queued segment hits that row.
// The cycles at which the scheduler steps are part of its behaviour, not only of its speed: e.g. a bank whose
// last queued hit a step planned is precharged at the next step the other banks' commands call for, not at
// the first cycle its PRE is legal. Speed work keeps the steps where they are: an extra wake-up can issue a
// command those steps issue later (waking at least every 3 cycles changes the counters of most mixed
// workloads), a skipped one can delay it.
// Lazy steps (speed only, the same steps with the same results): a step is a function of the queues and the
// device state, and what it does becomes visible to others only at its requests' last data beats, which
// come at least tCL (tWL for an acknowledged-on-completion write) + burst cycles after it. So a step is not
// run by a SystemC wake-up of its own at its cycle: it is run when something next looks at the channel
// (an arrival, drain_writes, stats(), ...: catch_up() runs every step due by then, in order), or at the
// latest by a wake-up just before its first possible data beat. The arrival step (a delta after the
// arrivals of one delta, which compete together) is likewise run by the first look from a later delta. While
// an initiator waits for admission or drain_writes() waits, steps run at their own instants as before, since
// they wake those waiters.
// Reads are served unless the write queue passed write_drain_high (then writes until write_drain_low) or no
// read is queued. Writes are acknowledged when accepted into the write buffer (write_ack = accepted, at most
// write_buffer_depth of them held) or when completed; a read inside a buffered write is served from it.
// Initiators blocked on a full queue or buffer are admitted in arrival order; the further row segments of
// a posted write already holding its buffer slot wait only for queue room, ahead of the writers waiting for
// a slot (that slot frees only once they are queued and planned, so behind those writers they would wait
// forever).
//
// Refresh is all-bank: every tREFI the controller precharges all banks and issues REF (tRFC). It is
// scheduled lazily at the next scheduler step, so an idle channel costs no simulation events; call
// catch_up_refresh() before reading stats at the end of a run (it is also done at end_of_simulation).
//
// Posted writes outlive their acknowledgement: drain_writes() (from a thread) waits until every accepted
// write is on the DRAM bus, e.g. between measurements; at end_of_simulation (sc_stop) the writes still
// buffered are issued at once (flush_posted_writes), so their commands and energy are in the stats.
//
// A simulation that ends (sc_stop after the events ran out) with requests this channel can never finish is
// an error naming the channel and the number left (end_of_simulation); a channel destroyed in that state
// without end_of_simulation warns (requests_left() for a caller's own report).
//
// Data is copied to/from storage when a transaction arrives, so concurrent initiators see memory in
// arrival order; the timing model only decides when the call returns.
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "models/dram/dram_address_mapper.h"
#include "models/dram/dram_config.h"
#include "models/dram/dram_page_policy.h"
#include "models/dram/dram_scheduler.h"
#include "models/dram/dram_stats.h"
#include "models/dram/dram_storage.h"
#include "models/dram/dram_timing_checker.h"

namespace vp {

class DramChannel : public sc_core::sc_module {
 public:
  // Channel-local addresses 0 .. capacity-1.
  tlm_utils::simple_target_socket<DramChannel> socket;

  SC_HAS_PROCESS(DramChannel);
  DramChannel(sc_core::sc_module_name name, const DramConfig& config);
  ~DramChannel() override;

  const DramConfig& config() const { return config_; }
  // Both run the scheduler steps due by now first (lazy steps, see above).
  const DramStats& stats() const;
  void reset_stats();
  // DramTimingChecker::command_digest of this channel's device: every command so far (runs the steps due first).
  std::uint64_t command_digest() const;
  // Schedules (and counts) the refreshes that fell due up to the current simulation time while the
  // channel was idle.
  void catch_up_refresh();
  // Serves writes ahead of reads until the write queue is empty, then returns when the last write's data
  // has left the bus. Call from a thread.
  void drain_writes();
  // Issues every buffered posted write now, ahead of simulation time (commands at their earliest legal
  // cycles from the current one), for the stats of a simulation that stops with writes still buffered.
  void flush_posted_writes();
  // Requests not yet fully planned: row segments queued or waiting for admission (0 when the channel is
  // idle; a posted write counts until its last segment is planned).
  unsigned requests_left() const;

  // Simulation time of the start of a clock cycle of this channel.
  sc_core::sc_time time_of_cycle(std::uint64_t cycle) const;

 private:
  struct Request {
    sc_core::sc_event done;      // last data beat (not used by posted writes)
    sc_core::sc_event admitted;  // its turn in an admission line
    bool is_write = false;
    bool posted = false;  // acknowledged already; the scheduler releases it after its last segment
    unsigned pending_segments = 0;
    std::uint64_t first_command_cycle = 0;
    std::uint64_t data_end_cycle = 0;
    sc_core::sc_time arrival;
  };
  struct Segment {
    Request* request;
    std::uint64_t address;
    std::uint32_t length;
    DramLocation first;  // location of the first column access
    unsigned groups;     // bank groups it touches: first.bank_group, +1, ... (modulo bank_groups)
    unsigned first_index;  // bank_index of the first: most queued segments are told apart by it alone
    std::uint64_t banks;   // bit bank_index of every bank it touches (0 with more than 64 banks)
    std::uint64_t sequence;  // arrival order among all segments: a queue is in ascending sequence
  };
  struct Plan {
    std::uint64_t first_command, last_column, data_end;
  };
  // Why the open row of a bank was opened by the look-ahead, for the hit/miss/conflict count of the first
  // column access that uses it.
  enum class OpenedFor : std::uint8_t { none, miss, conflict };

  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned transport_dbg(tlm::tlm_generic_payload& trans);
  // Read-only DMI to one written storage page (untimed functional reads without a copy); an unwritten or
  // out-of-range page is refused for that page's range.
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
  bool accept(tlm::tlm_generic_payload& trans) const;
  void end_of_simulation() override;
  // requests_left() > 0 with no simulation event pending: nothing can ever finish them.
  bool stalled() const;
  std::string stall_report() const;

  // ---- admission (fair back-pressure) ----
  bool has_room(bool is_write, bool needs_buffer_slot) const;
  // Returns when the request may add a segment (and take a buffer slot); initiators that find the queue full
  // wait in line and are admitted in arrival order.
  void admit(Request* request, bool is_write, bool needs_buffer_slot);
  std::deque<Request*>& line_for(const Request& request, bool is_write, bool needs_buffer_slot);
  void wake_line_head(bool is_write);
  void enqueue(const Segment& segment);
  std::uint64_t bank_mask(const DramLocation& first, unsigned groups) const;
  bool buffered_write_covers(std::uint64_t address, std::uint64_t length) const;

  // ---- controller ----
  // The scheduler process (an SC_METHOD woken by scheduler_tick_): runs the steps due (catch_up) and re-arms.
  // Steps run only while it runs: with it disabled or suspended, catch_up() runs none either.
  void schedule();
  // The scheduler process missed the wake-up it was given (it is disabled or suspended).
  bool scheduler_stopped() const;
  // One scheduler step at cycle `now`: issues what can go then and sets the next step (pending_).
  void step(std::uint64_t now);
  // Runs, in order, every pending step that happened before the current instant (a step due this instant
  // runs first, except an arrival step of this very delta, which waits for its delta's arrivals).
  void catch_up();
  // The step that follows the arrivals (or the drain request) of the current delta.
  void step_after_this_delta();
  // Makes sure scheduler_tick_ fires no later than the pending step's deadline.
  void arm();
  bool steps_must_be_exact() const;
  bool serving_writes();
  bool rows_open(const Segment& segment) const;
  unsigned bank_index(unsigned bank_group, unsigned bank) const { return bank_group * config_.banks_per_group + bank; }
  // Issues the PRE or ACT the oldest segment needing each bank waits for, when legal at `now`; returns the
  // soonest cycle at which one still waiting could go (max if none). `wake` is the step's other wake-up: the
  // step goes on at min(wake, result), so where that cycle cannot be sooner than `wake` the claims are not all
  // looked at and the result is only one that leaves that minimum as it is (speed only).
  std::uint64_t prepare_banks(const std::vector<Segment>& queue, std::uint64_t now, std::uint64_t generation,
                              std::uint64_t wake);
  // The banks the queued segments need, each with the oldest segment needing it, in queue order.
  void collect_claims(const std::vector<Segment>& queue);
  Plan plan_segment(const Segment& segment, std::uint64_t now);
  void segment_planned(const Segment& segment, const Plan& plan);
  // The page policy's precharges after a planned segment (closed page: its banks whose rows no queued
  // segment hits).
  void apply_page_policy(const Segment& segment, std::uint64_t now);
  bool row_hit_queued(unsigned index, std::uint32_t row) const;
  void refresh_until(std::uint64_t now);

  Request* acquire_request();
  void release_request(Request* request);
  std::uint64_t cycle_at_or_after(const sc_core::sc_time& t) const;
  sc_dt::uint64 time_value_of_cycle(std::uint64_t cycle) const;  // time_of_cycle(cycle).value()
  sc_core::sc_time until_cycle(std::uint64_t cycle) const { return time_of_cycle(cycle) - sc_core::sc_time_stamp(); }

  const DramConfig config_;
  const DramAddressMapper mapper_;
  DramTimingChecker checker_;
  DramStorage storage_;
  DramStats stats_;

  double tck_in_resolution_units_;
  std::uint64_t next_refresh_cycle_;
  const bool posted_writes_;
  const std::unique_ptr<DramSchedulerIF> scheduler_;
  const std::unique_ptr<DramPagePolicyIF> page_policy_;
  const bool hits_hold_banks_;  // scheduler_->row_hits_hold_banks()
  const bool picks_soonest_hit_;  // scheduler_->picks_soonest_hit(): FR-FCFS, picked inline
  const bool closes_rows_;      // page_policy_->ever_precharges()

  std::vector<Segment> read_queue_, write_queue_;  // in arrival order
  bool draining_writes_ = false;
  bool drain_requested_ = false;                // drain_writes() waits: writes go first
  std::uint64_t last_write_data_end_cycle_ = 0;
  sc_core::sc_event write_queue_emptied_;
  unsigned buffered_writes_ = 0;  // posted write requests not yet fully planned
  std::deque<Request*> read_line_, write_line_;  // initiators waiting for room, in arrival order
  // Posted writes holding a buffer slot whose further segments wait for write queue room; ahead of write_line_.
  std::deque<Request*> slot_holder_line_;
  bool stall_checked_ = false;  // end_of_simulation ran its check (the destructor's is then redundant)
  // The next scheduler step (at most one is pending): at cycle `cycle`, i.e. at simulation time `time`
  // (sc_time value); an arrival step (after_delta) runs a delta after delta `delta` of that time.
  struct PendingStep {
    bool valid = false;
    bool after_delta = false;
    std::uint64_t cycle = 0;
    sc_dt::uint64 time = 0;
    sc_dt::uint64 delta = 0;
  };
  PendingStep pending_;
  // How many cycles a step may run after its own cycle: its first data beat can come no sooner than
  // lazy_window_ + 1 cycles after it (0: every step at its own instant).
  std::uint64_t lazy_window_ = 0;
  // The wake-up scheduler_tick_ holds (sc_time value, max: none) or a delta notification.
  sc_dt::uint64 armed_time_ = ~sc_dt::uint64{0};
  bool armed_delta_ = false;
  sc_dt::uint64 armed_delta_count_ = 0;  // the delta in which the delta notification was made
  // The scheduler's static sensitivity (cheaper than next_trigger(time, event)).
  sc_core::sc_event scheduler_tick_;

  // Per bank (bank_index): the hit scan that last saw a queued row hit to it (hit_epoch_) / the
  // collect_claims that let a segment claim it (step_).
  std::vector<std::uint64_t> hit_seen_, claimed_;
  std::uint64_t step_ = 0;
  // The row hits of the served queue (positions in it, in queue order), kept from one scheduler step to the
  // next while no ACT, refresh or plan changed them: a step that only issues a PRE, or none, rescans nothing
  // (speed only). An arrival to the served queue is checked alone (hits_dirty_ stays false).
  std::vector<std::uint32_t> hit_positions_;
  std::uint64_t hit_epoch_ = 0;
  bool hits_dirty_ = true;
  bool hits_for_writes_ = false;
  void scan_hits(const std::vector<Segment>& queue, bool for_writes);
  // FR-FCFS with at most 64 banks (hits_incremental_): a plan (columns only) or a look-ahead ACT changes the
  // row hits in a known way, applied to the kept ones instead of a rescan (speed only, the same hits and
  // marks): the planned segment leaves at once and the banks it alone held are unmarked at the next step
  // (the look-ahead of its own step still sees them held, as after a rescan then); the segments the ACT made
  // hits join at the next step. hit_banks_: per bank, the kept hits that touch it.
  bool hits_incremental_ = false;
  std::vector<std::uint32_t> hit_banks_;
  std::uint64_t unmark_banks_ = 0;
  bool act_pending_ = false;
  unsigned act_index_ = 0;
  std::uint32_t act_row_ = 0;
  void add_hit(std::uint32_t position, const Segment& segment);
  void remove_hit(std::uint32_t position, const Segment& segment);
  void update_hits(const std::vector<Segment>& queue);
  // collect_claims' result, rebuilt only when a segment of its queue is planned or the other queue is served
  // (an arrival appends to it): most scheduler steps only issue a row command, which leaves the claims as
  // they were (speed only).
  struct Claim {  // 32 bytes: release_claims moves them
    Request* request;
    std::uint64_t sequence;  // of the claiming segment
    std::uint64_t key;       // DramTimingChecker::open_key_of(row): the bank's open_key once that row is open
    unsigned bank_group, index;
    // Segment s's claim on bank `index` (in group bank_group): the bank is to hold s's first row.
    static Claim of(const Segment& s, unsigned bank_group, unsigned index) {
      return Claim{s.request, s.sequence, DramTimingChecker::open_key_of(s.first.row), bank_group, index};
    }
    std::uint32_t row() const { return DramTimingChecker::row_of_open_key(key); }
  };
  std::vector<Claim> claims_;
  bool claims_stale_ = true;
  bool claims_for_writes_ = false;
  // The banks claims_ holds (with at most 64 banks): a segment queued behind the others only adds claims
  // for the banks still unclaimed, at the end (append_claims), with no rebuild.
  std::uint64_t claimed_mask_ = 0;
  void append_claims(const Segment& segment);
  // With at most 64 banks, a planned segment's claims pass to the segments queued behind it instead of a
  // rebuild (speed only: the same claims in the same order as collect_claims). `queue` no longer holds it;
  // `position` is where it was.
  void release_claims(const std::vector<Segment>& queue, std::size_t position, const Segment& planned);
  std::uint64_t next_segment_sequence_ = 0;
  // The last time cycle_at_or_after converted (the scheduler asks about the same instants repeatedly).
  mutable sc_dt::uint64 converted_time_ = ~sc_dt::uint64{0};
  mutable std::uint64_t converted_cycle_ = 0;
  std::vector<OpenedFor> opened_for_;
  std::vector<std::uint8_t> precharged_for_conflict_;  // per bank, a bool (bytes: cheaper than vector<bool>)

  std::vector<std::unique_ptr<Request>> request_pool_;
  std::vector<Request*> free_requests_;
};

}  // namespace vp
