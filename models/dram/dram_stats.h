#pragma once
// Counters of one DRAM channel, kept beside the channel they describe. Plain data: summing channels is
// operator+=, energy follows from the counts and the config.
#include <cstdint>

#include <systemc>

#include "models/dram/dram_config.h"

namespace vp {

struct DramStats {
  // Requests as seen on the socket (b_transport), counted when they complete.
  std::uint64_t read_requests = 0, write_requests = 0;
  std::uint64_t read_bytes = 0, write_bytes = 0;
  // Device commands. precharges counts banks closed (a PREA closing three banks adds three) so that
  // energy per precharge applies; precharge_alls counts the PREA commands themselves.
  std::uint64_t activates = 0, precharges = 0, precharge_alls = 0, reads = 0, writes = 0, refreshes = 0;
  // Per column access: the row was open (hit), the bank was closed (miss) or another row was open (conflict).
  std::uint64_t row_hits = 0, row_misses = 0, row_conflicts = 0;
  std::uint64_t data_bus_busy_cycles = 0;
  // Summed over requests: arrival to completion, and arrival to the first command issued for it.
  sc_core::sc_time total_read_latency = sc_core::SC_ZERO_TIME;
  sc_core::sc_time total_write_latency = sc_core::SC_ZERO_TIME;
  sc_core::sc_time total_queueing_delay = sc_core::SC_ZERO_TIME;

  std::uint64_t column_accesses() const { return reads + writes; }
  sc_core::sc_time data_bus_busy_time(const DramConfig& config) const;
  double average_read_latency_ns() const;
  // Command energy from the counts plus background power over elapsed, in pJ.
  double energy_pj(const DramConfig& config, sc_core::sc_time elapsed) const;

  DramStats& operator+=(const DramStats& other);
  bool operator==(const DramStats& other) const;
  bool operator!=(const DramStats& other) const { return !(*this == other); }
};

}  // namespace vp
