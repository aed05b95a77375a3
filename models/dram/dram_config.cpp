#include "models/dram/dram_config.h"

#include <sstream>
#include <stdexcept>
#include <utility>

namespace vp {

namespace {

bool is_power_of_two(std::uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

template <class T>
[[noreturn]] void reject(const std::string& prefix, const char* key, const T& value, const std::string& why) {
  std::ostringstream msg;
  msg << "config key " << prefix << key << " = " << value << ": " << why;
  throw std::invalid_argument(msg.str());
}

}  // namespace

const ConfigFields<DramConfig>& DramConfig::fields() {
  using C = DramConfig;
  const ValueRange timing = between(1, 65535);  // real parts stay far below; larger values wrap sums like tRAS + tRP
  static const ConfigFields<C> list = {
      word_field(&C::kind, "kind", {"hbm2", "ddr4"}, "memory kind"),
      field(&C::tck_ns, "tck_ns", above_up_to(0, 1e6), "ns", "clock period"),
      field(&C::data_rate, "data_rate", between(1, 2), "", "data beats per clock (2 = DDR)"),
      field(&C::bus_width_bits, "bus_width_bits", at_least(8), "bits", "data bus width, a multiple of 8"),
      field(&C::burst_length, "burst_length", at_least(1), "beats", "beats per column access, a multiple of data_rate"),
      field(&C::separate_row_column_buses, "separate_row_column_buses", any_value(), "",
            "separate row and column command buses (HBM2) instead of one (DDR4)", "JESD235, JESD79-4"),
      field(&C::bank_groups, "bank_groups", at_least(1), "", "bank groups (a power of two)"),
      field(&C::banks_per_group, "banks_per_group", at_least(1), "", "banks per bank group (a power of two)"),
      field(&C::rows, "rows", at_least(1), "", "rows per bank (a power of two)"),
      field(&C::columns, "columns", at_least(1), "", "column accesses per row (a power of two)"),
      field(&C::tRCD, "tRCD", timing, "cycles", "ACT to RD/WR"),
      field(&C::tRP, "tRP", timing, "cycles", "PRE to ACT"),
      field(&C::tRAS, "tRAS", timing, "cycles", "ACT to PRE"),
      field(&C::tRC, "tRC", timing, "cycles", "ACT to ACT same bank, >= tRAS + tRP"),
      field(&C::tCL, "tCL", timing, "cycles", "RD to first data"),
      field(&C::tWL, "tWL", timing, "cycles", "WR to first data"),
      field(&C::tCCD_S, "tCCD_S", timing, "cycles", "column to column, different bank group"),
      field(&C::tCCD_L, "tCCD_L", timing, "cycles", "column to column, same bank group"),
      field(&C::tRRD_S, "tRRD_S", timing, "cycles", "ACT to ACT, different bank group"),
      field(&C::tRRD_L, "tRRD_L", timing, "cycles", "ACT to ACT, same bank group"),
      field(&C::tFAW, "tFAW", timing, "cycles", "window holding at most four ACTs"),
      field(&C::tWTR_S, "tWTR_S", timing, "cycles", "end of write data to RD, different bank group"),
      field(&C::tWTR_L, "tWTR_L", timing, "cycles", "end of write data to RD, same bank group"),
      field(&C::tRTW, "tRTW", timing, "cycles", "RD to WR"),
      field(&C::tWR, "tWR", timing, "cycles", "end of write data to PRE"),
      field(&C::tRTP, "tRTP", timing, "cycles", "RD to PRE"),
      field(&C::tRFC, "tRFC", timing, "cycles", "REF to next command"),
      field(&C::tREFI, "tREFI", timing, "cycles", "refresh interval"),
      field(&C::read_queue_depth, "read_queue_depth", at_least(1), "entries", "read queue (row segments)"),
      field(&C::write_queue_depth, "write_queue_depth", at_least(1), "entries", "write queue (row segments)"),
      field(&C::write_drain_high, "write_drain_high", at_least(1), "writes",
            "queued writes that start a write drain (<= write_queue_depth)"),
      field(&C::write_drain_low, "write_drain_low", at_least(0), "writes",
            "queued writes that end a write drain (< write_drain_high)"),
      word_field(&C::write_ack, "write_ack", {"accepted", "completed"},
                 "acknowledge writes when accepted into the write buffer (posted) or when completed",
                 "posted, as AXI memory controllers and DRAMsim3"),
      field(&C::write_buffer_depth, "write_buffer_depth", at_least(1), "requests",
            "posted write requests held before a write waits (<= write_queue_depth)", "DRAMsim3's 32-entry write buffer"),
      word_field(&C::scheduler, "scheduler", {"frfcfs", "fcfs"},
                 "command scheduler: frfcfs (row hits first, then oldest) or fcfs (arrival order)",
                 "DRAMsim3 and DRAMSys default to FR-FCFS"),
      word_field(&C::page_policy, "page_policy", {"open", "closed"},
                 "row buffer policy: open, or closed (precharge after a request's last access unless a queued "
                 "one hits the row)"),
      field(&C::frontend_cycles, "frontend_cycles", between(0, 65535), "cycles",
            "from a request's arrival to its entry into the queues",
            "DRAMsim3's controller takes 1 (Controller::ClockTick)"),
      field(&C::fast_path, "fast_path", any_value(), "", "plan runs of row-hit column commands at once (same timing, faster)"),
      field(&C::e_act_pj, "e_act_pj", at_least(0), "pJ", "energy per ACT"),
      field(&C::e_pre_pj, "e_pre_pj", at_least(0), "pJ", "energy per precharged bank"),
      field(&C::e_rd_pj, "e_rd_pj", at_least(0), "pJ", "energy per RD column access"),
      field(&C::e_wr_pj, "e_wr_pj", at_least(0), "pJ", "energy per WR column access"),
      field(&C::e_ref_pj, "e_ref_pj", at_least(0), "pJ", "energy per REF"),
      field(&C::p_background_mw, "p_background_mw", at_least(0), "mW", "background power"),
  };
  return list;
}

std::uint64_t DramConfig::capacity_bytes() const {
  return std::uint64_t{bank_groups} * banks_per_group * rows * columns * bytes_per_column();
}

double DramConfig::peak_bytes_per_s() const {
  return bus_width_bits / 8.0 * data_rate / (tck_ns * 1e-9);
}

void DramConfig::validate(const std::string& prefix) const {
  check_config_fields<std::invalid_argument>(fields(), *this, prefix);
  if (bus_width_bits % 8 != 0) reject(prefix, "bus_width_bits", bus_width_bits, "must be a positive multiple of 8");
  if (burst_length % data_rate != 0)
    reject(prefix, "burst_length", burst_length, "must be a positive multiple of data_rate");
  if (!is_power_of_two(bytes_per_column()))
    reject(prefix, "burst_length", burst_length, "bus_width_bits/8 * burst_length must be a power of two");
  const std::pair<const char*, unsigned> geometry[] = {
      {"bank_groups", bank_groups}, {"banks_per_group", banks_per_group}, {"rows", rows}, {"columns", columns}};
  for (const auto& [key, value] : geometry)
    if (!is_power_of_two(value)) reject(prefix, key, value, "must be a power of two");
  if (tRC < tRAS + tRP) reject(prefix, "tRC", tRC, "must be >= tRAS + tRP = " + std::to_string(tRAS + tRP));
  if (tCCD_S < burst_cycles())
    reject(prefix, "tCCD_S", tCCD_S, "must cover a burst (" + std::to_string(burst_cycles()) + " cycles)");
  if (tCCD_L < tCCD_S) reject(prefix, "tCCD_L", tCCD_L, "must be >= tCCD_S");
  if (tRRD_L < tRRD_S) reject(prefix, "tRRD_L", tRRD_L, "must be >= tRRD_S");
  if (tWTR_L < tWTR_S) reject(prefix, "tWTR_L", tWTR_L, "must be >= tWTR_S");
  if (tRTW + tWL < tCL + burst_cycles())
    reject(prefix, "tRTW", tRTW, "write data would collide with read data: need tRTW >= tCL + burst - tWL");
  if (tREFI <= tRP + tRFC) reject(prefix, "tREFI", tREFI, "must exceed tRP + tRFC");
  if (write_drain_high > write_queue_depth)
    reject(prefix, "write_drain_high", write_drain_high,
           "must be in 1..write_queue_depth (" + std::to_string(write_queue_depth) + ")");
  if (write_drain_low >= write_drain_high)
    reject(prefix, "write_drain_low", write_drain_low,
           "must be below write_drain_high (" + std::to_string(write_drain_high) + ")");
  if (write_buffer_depth > write_queue_depth)
    reject(prefix, "write_buffer_depth", write_buffer_depth,
           "must be in 1..write_queue_depth (" + std::to_string(write_queue_depth) + ")");
}

}  // namespace vp
