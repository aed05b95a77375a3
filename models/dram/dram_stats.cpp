#include "models/dram/dram_stats.h"

namespace vp {

sc_core::sc_time DramStats::data_bus_busy_time(const DramConfig& config) const {
  return sc_core::sc_time(static_cast<double>(data_bus_busy_cycles) * config.tck_ns, sc_core::SC_NS);
}

double DramStats::average_read_latency_ns() const {
  return read_requests == 0 ? 0.0 : total_read_latency.to_seconds() * 1e9 / static_cast<double>(read_requests);
}

double DramStats::energy_pj(const DramConfig& c, sc_core::sc_time elapsed) const {
  const double commands = static_cast<double>(activates) * c.e_act_pj + static_cast<double>(precharges) * c.e_pre_pj +
                          static_cast<double>(reads) * c.e_rd_pj + static_cast<double>(writes) * c.e_wr_pj +
                          static_cast<double>(refreshes) * c.e_ref_pj;
  const double background = c.p_background_mw * elapsed.to_seconds() * 1e9;  // mW x ns = pJ
  return commands + background;
}

DramStats& DramStats::operator+=(const DramStats& o) {
  read_requests += o.read_requests;
  write_requests += o.write_requests;
  read_bytes += o.read_bytes;
  write_bytes += o.write_bytes;
  activates += o.activates;
  precharges += o.precharges;
  precharge_alls += o.precharge_alls;
  reads += o.reads;
  writes += o.writes;
  refreshes += o.refreshes;
  row_hits += o.row_hits;
  row_misses += o.row_misses;
  row_conflicts += o.row_conflicts;
  data_bus_busy_cycles += o.data_bus_busy_cycles;
  total_read_latency += o.total_read_latency;
  total_write_latency += o.total_write_latency;
  total_queueing_delay += o.total_queueing_delay;
  return *this;
}

bool DramStats::operator==(const DramStats& o) const {
  return read_requests == o.read_requests && write_requests == o.write_requests && read_bytes == o.read_bytes &&
         write_bytes == o.write_bytes && activates == o.activates && precharges == o.precharges &&
         precharge_alls == o.precharge_alls && reads == o.reads && writes == o.writes && refreshes == o.refreshes &&
         row_hits == o.row_hits && row_misses == o.row_misses && row_conflicts == o.row_conflicts &&
         data_bus_busy_cycles == o.data_bus_busy_cycles && total_read_latency == o.total_read_latency &&
         total_write_latency == o.total_write_latency && total_queueing_delay == o.total_queueing_delay;
}

}  // namespace vp
