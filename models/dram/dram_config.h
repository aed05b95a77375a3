#pragma once
// Parameters of one DRAM channel (an HBM2 pseudo-channel or a DDR4 x64 channel): geometry, timings in
// clock cycles, controller queue sizes and energy per command. Read once at elaboration; every model of
// the channel (mapper, timing checker, controller, statistics) takes it by const reference.
// The member defaults are placeholders: a device's values (the U280's HBM2 pseudo-channel and DDR4-2400
// channel, with their sources) live only in the board presets platform/*.cfg, sections [hbm] and [ddr].
#include <cstdint>
#include <string>

#include "models/config_fields.h"

namespace vp {

struct DramConfig {
  std::string kind = "hbm2";  // "hbm2" | "ddr4"; only used for naming and reports

  // Interface.
  double tck_ns = 1.0;               // command clock period
  unsigned data_rate = 2;            // data beats per clock (2 = DDR)
  unsigned bus_width_bits = 64;      // data bus width of the channel
  unsigned burst_length = 4;         // beats per column access
  bool separate_row_column_buses = true;  // HBM2 has a row and a column command bus; DDR4 one shared bus

  // Geometry (powers of two: the address mapper slices the address into bit fields).
  unsigned bank_groups = 4;
  unsigned banks_per_group = 4;
  unsigned rows = 16384;
  unsigned columns = 32;  // column accesses (bursts) per row

  // Timings, in clock cycles.
  unsigned tRCD = 1, tRP = 1, tRAS = 1, tRC = 2, tCL = 1, tWL = 1;
  unsigned tCCD_S = 1, tCCD_L = 1, tRRD_S = 1, tRRD_L = 1, tFAW = 1;
  unsigned tWTR_S = 1, tWTR_L = 1, tRTW = 1, tWR = 1, tRTP = 1;
  unsigned tRFC = 1, tREFI = 100;

  // Controller.
  unsigned read_queue_depth = 32;   // entries are row segments of requests
  unsigned write_queue_depth = 32;
  unsigned write_drain_high = 24;   // start draining writes at this many queued writes...
  unsigned write_drain_low = 8;     // ...and stop at this many
  // When a write is acknowledged: "accepted" once its data is in the write buffer (posted, as AXI memory
  // controllers and DRAMsim3 do), "completed" at its last data beat on the DRAM bus.
  std::string write_ack = "accepted";
  // Posted write requests the controller holds acknowledged but not yet written (1..write_queue_depth: a
  // buffered request takes at least one write queue entry). A further write waits for a free slot.
  unsigned write_buffer_depth = 32;
  // Controller policies (models/dram/dram_scheduler.h, models/dram/dram_page_policy.h): the command scheduler,
  // "frfcfs" (row hits first, then oldest) or "fcfs" (arrival order), and the row buffer policy, "open"
  // (rows stay open) or "closed" (a row is precharged after a segment's last access unless a queued
  // segment hits it).
  std::string scheduler = "frfcfs";
  std::string page_policy = "open";
  // Cycles from a request's arrival to the first cycle it is in the controller's queues, where a command can
  // serve it (0: the arrival cycle). DRAMsim3's controller takes 1: Controller::ClockTick moves a transaction
  // from its transaction queue to the command queues (ScheduleTransaction) after that cycle's command.
  // A posted write is acknowledged once queued, one cycle after its arrival at the earliest (as without a
  // front end); a read found in the write buffer one cycle after its arrival.
  unsigned frontend_cycles = 0;
  // Simulation speed only, never timing: plan a row segment's row-hit column commands as one run
  // (DramTimingChecker::issue_column_run); false issues them one by one, to cross-check the two.
  bool fast_path = true;

  // Energy: per command in pJ (RD/WR per column access), background power in mW.
  double e_act_pj = 0, e_pre_pj = 0, e_rd_pj = 0, e_wr_pj = 0, e_ref_pj = 0;
  double p_background_mw = 0;

  unsigned bytes_per_column() const { return bus_width_bits / 8 * burst_length; }
  unsigned burst_cycles() const { return burst_length / data_rate; }
  unsigned total_banks() const { return bank_groups * banks_per_group; }
  std::uint64_t row_bytes() const { return std::uint64_t{columns} * bytes_per_column(); }
  std::uint64_t capacity_bytes() const;
  double peak_bytes_per_s() const;

  // Throws std::invalid_argument naming prefix + key and the offending value.
  void validate(const std::string& prefix) const;
  // Every key (prefix + key, e.g. "hbm.tRCD"), declared once (models/config_fields.h).
  static const ConfigFields<DramConfig>& fields();
};

}  // namespace vp
