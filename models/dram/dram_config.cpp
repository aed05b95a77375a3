#include "models/dram/dram_config.h"

#include <sstream>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace vp {
namespace po = boost::program_options;

namespace {

// The single list of configurable fields: declare_options and from_options both walk it, so a field
// cannot be registered under one name and read under another.
template <class Config, class Visitor>
void for_each_field(Config& c, Visitor&& visit) {
  visit("kind", c.kind, "memory kind: hbm2 or ddr4");
  visit("tck_ns", c.tck_ns, "clock period in ns");
  visit("data_rate", c.data_rate, "data beats per clock (2 = DDR)");
  visit("bus_width_bits", c.bus_width_bits, "data bus width in bits");
  visit("burst_length", c.burst_length, "beats per column access");
  visit("separate_row_column_buses", c.separate_row_column_buses,
        "separate row and column command buses (HBM2) instead of one (DDR4)");
  visit("bank_groups", c.bank_groups, "bank groups");
  visit("banks_per_group", c.banks_per_group, "banks per bank group");
  visit("rows", c.rows, "rows per bank");
  visit("columns", c.columns, "column accesses per row");
  visit("tRCD", c.tRCD, "ACT to RD/WR, cycles");
  visit("tRP", c.tRP, "PRE to ACT, cycles");
  visit("tRAS", c.tRAS, "ACT to PRE, cycles");
  visit("tRC", c.tRC, "ACT to ACT same bank, cycles");
  visit("tCL", c.tCL, "RD to first data, cycles");
  visit("tWL", c.tWL, "WR to first data, cycles");
  visit("tCCD_S", c.tCCD_S, "column to column, different bank group, cycles");
  visit("tCCD_L", c.tCCD_L, "column to column, same bank group, cycles");
  visit("tRRD_S", c.tRRD_S, "ACT to ACT, different bank group, cycles");
  visit("tRRD_L", c.tRRD_L, "ACT to ACT, same bank group, cycles");
  visit("tFAW", c.tFAW, "window holding at most four ACTs, cycles");
  visit("tWTR_S", c.tWTR_S, "end of write data to RD, different bank group, cycles");
  visit("tWTR_L", c.tWTR_L, "end of write data to RD, same bank group, cycles");
  visit("tRTW", c.tRTW, "RD to WR, cycles");
  visit("tWR", c.tWR, "end of write data to PRE, cycles");
  visit("tRTP", c.tRTP, "RD to PRE, cycles");
  visit("tRFC", c.tRFC, "REF to next command, cycles");
  visit("tREFI", c.tREFI, "refresh interval, cycles");
  visit("read_queue_depth", c.read_queue_depth, "read queue entries (row segments)");
  visit("write_queue_depth", c.write_queue_depth, "write queue entries (row segments)");
  visit("write_drain_high", c.write_drain_high, "queued writes that start a write drain");
  visit("write_drain_low", c.write_drain_low, "queued writes that end a write drain");
  visit("write_ack", c.write_ack, "acknowledge writes when accepted into the write buffer or when completed");
  visit("write_buffer_depth", c.write_buffer_depth, "posted write requests held before a write waits");
  visit("scheduler", c.scheduler, "command scheduler: frfcfs (row hits first, then oldest) or fcfs (arrival order)");
  visit("page_policy", c.page_policy,
        "row buffer policy: open, or closed (precharge after a request's last access unless a queued one hits the row)");
  visit("frontend_cycles", c.frontend_cycles, "cycles from a request's arrival to its entry into the queues");
  visit("fast_path", c.fast_path, "plan runs of row-hit column commands at once (same timing, faster)");
  visit("e_act_pj", c.e_act_pj, "energy per ACT, pJ");
  visit("e_pre_pj", c.e_pre_pj, "energy per precharged bank, pJ");
  visit("e_rd_pj", c.e_rd_pj, "energy per RD column access, pJ");
  visit("e_wr_pj", c.e_wr_pj, "energy per WR column access, pJ");
  visit("e_ref_pj", c.e_ref_pj, "energy per REF, pJ");
  visit("p_background_mw", c.p_background_mw, "background power, mW");
}

bool is_power_of_two(std::uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

template <class T>
[[noreturn]] void reject(const std::string& prefix, const char* key, const T& value, const std::string& why) {
  std::ostringstream msg;
  msg << "invalid DRAM config " << prefix << key << " = " << value << ": " << why;
  throw std::invalid_argument(msg.str());
}

}  // namespace

DramConfig DramConfig::hbm2_pseudo_channel() {
  DramConfig c;
  c.kind = "hbm2";
  // Alveo U280: HBM2 at 900 MHz DDR on a 64-bit pseudo-channel = 1.8 GT/s x 8 B = 14.4 GB/s
  // (Xilinx PG276; 32 PCs give the board's 460.8 GB/s).
  c.tck_ns = 1.0 / 0.9;
  c.data_rate = 2;
  c.bus_width_bits = 64;
  c.burst_length = 4;  // JESD235 pseudo-channel mode: BL4 -> 32 B per column access, 2 clocks of data
  c.separate_row_column_buses = true;  // JESD235: row and column command buses are independent
  // 4H stack of 8 Gb dies = 4 GiB per stack / 16 PCs = 256 MiB; 16 banks in 4 bank groups, 1 KiB page
  // per PC (page size halves in pseudo-channel mode) -> 32 columns of 32 B, 16384 rows.
  c.bank_groups = 4;
  c.banks_per_group = 4;
  c.rows = 16384;
  c.columns = 32;
  // Timings in ns from gem5's HBM_2000_4H_1x64 (HBM2 pseudo-channel, JESD235-based values), converted to
  // 900 MHz cycles by rounding up: tRCD 12, tRP 14, tRAS 28, tCL 18, tWL 7, tCCD_L 3, tRRD_S 4, tRRD_L 6,
  // tFAW 16, tWTR_S 4, tWTR_L 9, tWR 14, tRTP 5 ns.
  c.tRCD = 11;
  c.tRP = 13;
  c.tRAS = 26;
  c.tRC = 39;  // tRAS + tRP
  c.tCL = 17;
  c.tWL = 7;
  c.tCCD_S = 2;  // = burst (BL4 on DDR), back-to-back bursts to alternating bank groups
  c.tCCD_L = 3;
  c.tRRD_S = 4;
  c.tRRD_L = 6;
  c.tFAW = 15;
  c.tWTR_S = 4;
  c.tWTR_L = 9;
  c.tRTW = 14;  // RL + BL/2 + 2 - WL (JEDEC read-to-write turnaround)
  c.tWR = 13;
  c.tRTP = 5;
  c.tRFC = 315;   // 350 ns for 8 Gb HBM2 dies (JESD235)
  c.tREFI = 3510; // 3.9 us (JESD235, <= 85 C)
  c.read_queue_depth = 32;
  c.write_queue_depth = 32;
  c.write_drain_high = 24;
  c.write_drain_low = 8;
  // Energy, approximate, from O'Connor et al., "Fine-Grained DRAM", MICRO 2017 (HBM2 baseline):
  // ~909 pJ to activate (and later precharge) a 1 KiB row, ~3.48 pJ/bit to move column data to the
  // pins (pre-GSA 1.51 + post-GSA 1.17 + I/O 0.80), i.e. 256 bit x 3.48 = ~891 pJ per 32 B access.
  c.e_act_pj = 909.0;
  c.e_pre_pj = 0.0;  // included in e_act_pj
  c.e_rd_pj = 891.0;
  c.e_wr_pj = 891.0;
  // REF: 16384 rows per bank in 8192 REFs per 32 ms = 2 rows x 16 banks activated and precharged.
  c.e_ref_pj = 2 * 16 * 909.0;
  c.p_background_mw = 30.0;  // rough estimate of standby power per PC; override with measured values
  return c;
}

DramConfig DramConfig::ddr4_2400() {
  DramConfig c;
  c.kind = "ddr4";
  // DDR4-2400: 1200 MHz clock, 2400 MT/s x 8 B = 19.2 GB/s (JESD79-4).
  c.tck_ns = 1.0 / 1.2;
  c.data_rate = 2;
  c.bus_width_bits = 64;
  c.burst_length = 8;  // BL8 -> 64 B per column access, 4 clocks of data
  c.separate_row_column_buses = false;  // one command/address bus
  // One rank of eight 8 Gb x8 devices (Micron MT40A1G8): 4 bank groups x 4 banks, 64 Ki rows,
  // 1 KiB page per device = 8 KiB per rank = 128 columns of 64 B -> 8 GiB.
  c.bank_groups = 4;
  c.banks_per_group = 4;
  c.rows = 65536;
  c.columns = 128;
  // JESD79-4 DDR4-2400 (17-17-17 bin, as gem5's DDR4_2400_8x8), tCK = 0.833 ns, rounded up to cycles.
  c.tRCD = 17;
  c.tRP = 17;
  c.tRAS = 39;   // 32 ns
  c.tRC = 56;    // tRAS + tRP
  c.tCL = 17;
  c.tWL = 12;    // CWL for 2400 with 1 tCK write preamble
  c.tCCD_S = 4;  // = burst (BL8 on DDR)
  c.tCCD_L = 6;  // max(5 nCK, 5 ns)
  c.tRRD_S = 4;  // 1 KiB page: max(4 nCK, 3.3 ns)
  c.tRRD_L = 6;  // 1 KiB page: max(4 nCK, 4.9 ns)
  c.tFAW = 26;   // 1 KiB page: 21 ns
  c.tWTR_S = 3;  // max(2 nCK, 2.5 ns)
  c.tWTR_L = 9;  // max(4 nCK, 7.5 ns)
  c.tRTW = 11;   // RL + BL/2 + 2 - WL
  c.tWR = 18;    // 15 ns
  c.tRTP = 9;    // max(4 nCK, 7.5 ns)
  c.tRFC = 420;  // 350 ns for 8 Gb
  c.tREFI = 9360;  // 7.8 us
  c.read_queue_depth = 32;
  c.write_queue_depth = 32;
  c.write_drain_high = 24;
  c.write_drain_low = 8;
  // Energy per command for the 8-device rank, DRAMPower-style from the MT40A1G8 currents (IDD0 48,
  // IDD2N 34, IDD3N 43, IDD4R 135, IDD4W 123, IDD5 250 mA at VDD 1.2 V); core only, no I/O termination:
  // ACT (IDD0-IDD3N)*VDD*tRAS(32 ns), PRE (IDD0-IDD2N)*VDD*tRP(14.16 ns), RD/WR (IDD4x-IDD3N)*VDD*3.33 ns,
  // REF (IDD5-IDD3N)*VDD*tRFC(350 ns), each x 8 devices.
  c.e_act_pj = 5e-3 * 1.2 * 32.0 * 8 * 1000.0;      // 1536 pJ
  c.e_pre_pj = 14e-3 * 1.2 * 14.16 * 8 * 1000.0;    // ~1903 pJ
  c.e_rd_pj = 92e-3 * 1.2 * 3.332 * 8 * 1000.0;     // ~2943 pJ
  c.e_wr_pj = 80e-3 * 1.2 * 3.332 * 8 * 1000.0;     // ~2559 pJ
  c.e_ref_pj = 207e-3 * 1.2 * 350.0 * 8 * 1000.0;   // ~695520 pJ
  c.p_background_mw = 43.0 * 1.2 * 8;               // IDD3N standby (open page), 412.8 mW
  return c;
}

std::uint64_t DramConfig::capacity_bytes() const {
  return std::uint64_t{bank_groups} * banks_per_group * rows * columns * bytes_per_column();
}

double DramConfig::peak_bytes_per_s() const {
  return bus_width_bits / 8.0 * data_rate / (tck_ns * 1e-9);
}

void DramConfig::validate(const std::string& prefix) const {
  if (kind != "hbm2" && kind != "ddr4") reject(prefix, "kind", kind, "expected hbm2 or ddr4");
  if (!(tck_ns > 0)) reject(prefix, "tck_ns", tck_ns, "must be positive");
  if (data_rate != 1 && data_rate != 2) reject(prefix, "data_rate", data_rate, "expected 1 or 2");
  if (bus_width_bits == 0 || bus_width_bits % 8 != 0)
    reject(prefix, "bus_width_bits", bus_width_bits, "must be a positive multiple of 8");
  if (burst_length == 0 || burst_length % data_rate != 0)
    reject(prefix, "burst_length", burst_length, "must be a positive multiple of data_rate");
  if (!is_power_of_two(bytes_per_column()))
    reject(prefix, "burst_length", burst_length, "bus_width_bits/8 * burst_length must be a power of two");
  const std::pair<const char*, unsigned> geometry[] = {
      {"bank_groups", bank_groups}, {"banks_per_group", banks_per_group}, {"rows", rows}, {"columns", columns}};
  for (const auto& [key, value] : geometry)
    if (!is_power_of_two(value)) reject(prefix, key, value, "must be a power of two");

  const std::pair<const char*, unsigned> timings[] = {
      {"tRCD", tRCD},     {"tRP", tRP},       {"tRAS", tRAS},     {"tRC", tRC},       {"tCL", tCL},
      {"tWL", tWL},       {"tCCD_S", tCCD_S}, {"tCCD_L", tCCD_L}, {"tRRD_S", tRRD_S}, {"tRRD_L", tRRD_L},
      {"tFAW", tFAW},     {"tWTR_S", tWTR_S}, {"tWTR_L", tWTR_L}, {"tRTW", tRTW},     {"tWR", tWR},
      {"tRTP", tRTP},     {"tRFC", tRFC},     {"tREFI", tREFI}};
  for (const auto& [key, value] : timings)
    if (value == 0) reject(prefix, key, value, "timings must be at least one cycle");
  // Real parts stay far below 2^16 cycles. Larger values made sums like tRAS + tRP wrap around, and
  // the timing checker's history grows with the longest timing (tRC = 10^6: 1 GB; 2^32 - 1: bad_alloc).
  for (const auto& [key, value] : timings)
    if (value > 65535) reject(prefix, key, value, "timings must be at most 65535 cycles");
  if (tRC < tRAS + tRP) reject(prefix, "tRC", tRC, "must be >= tRAS + tRP = " + std::to_string(tRAS + tRP));
  if (tCCD_S < burst_cycles())
    reject(prefix, "tCCD_S", tCCD_S, "must cover a burst (" + std::to_string(burst_cycles()) + " cycles)");
  if (tCCD_L < tCCD_S) reject(prefix, "tCCD_L", tCCD_L, "must be >= tCCD_S");
  if (tRRD_L < tRRD_S) reject(prefix, "tRRD_L", tRRD_L, "must be >= tRRD_S");
  if (tWTR_L < tWTR_S) reject(prefix, "tWTR_L", tWTR_L, "must be >= tWTR_S");
  if (tRTW + tWL < tCL + burst_cycles())
    reject(prefix, "tRTW", tRTW, "write data would collide with read data: need tRTW >= tCL + burst - tWL");
  if (tREFI <= tRP + tRFC) reject(prefix, "tREFI", tREFI, "must exceed tRP + tRFC");

  if (read_queue_depth == 0) reject(prefix, "read_queue_depth", read_queue_depth, "must be at least 1");
  if (write_queue_depth == 0) reject(prefix, "write_queue_depth", write_queue_depth, "must be at least 1");
  if (write_drain_high > write_queue_depth || write_drain_high == 0)
    reject(prefix, "write_drain_high", write_drain_high,
           "must be in 1..write_queue_depth (" + std::to_string(write_queue_depth) + ")");
  if (write_drain_low >= write_drain_high)
    reject(prefix, "write_drain_low", write_drain_low,
           "must be below write_drain_high (" + std::to_string(write_drain_high) + ")");
  if (write_ack != "accepted" && write_ack != "completed")
    reject(prefix, "write_ack", write_ack, "expected accepted or completed");
  if (write_buffer_depth == 0 || write_buffer_depth > write_queue_depth)
    reject(prefix, "write_buffer_depth", write_buffer_depth,
           "must be in 1..write_queue_depth (" + std::to_string(write_queue_depth) + ")");
  if (scheduler != "frfcfs" && scheduler != "fcfs") reject(prefix, "scheduler", scheduler, "expected frfcfs or fcfs");
  if (page_policy != "open" && page_policy != "closed")
    reject(prefix, "page_policy", page_policy, "expected open or closed");
  if (frontend_cycles > 65535) reject(prefix, "frontend_cycles", frontend_cycles, "must be at most 65535 cycles");

  const std::pair<const char*, double> energies[] = {{"e_act_pj", e_act_pj}, {"e_pre_pj", e_pre_pj},
                                                     {"e_rd_pj", e_rd_pj},   {"e_wr_pj", e_wr_pj},
                                                     {"e_ref_pj", e_ref_pj}, {"p_background_mw", p_background_mw}};
  for (const auto& [key, value] : energies)
    if (!(value >= 0)) reject(prefix, key, value, "must be non-negative");
}

void DramConfig::declare_options(po::options_description& options, const std::string& prefix,
                                 const DramConfig& defaults) {
  DramConfig copy = defaults;
  for_each_field(copy, [&](const char* name, auto& field, const char* help) {
    using T = std::decay_t<decltype(field)>;
    options.add_options()((prefix + name).c_str(), po::value<T>()->default_value(field), help);
  });
}

DramConfig DramConfig::from_options(const po::variables_map& values, const std::string& prefix) {
  DramConfig c;
  for_each_field(c, [&](const char* name, auto& field, const char*) {
    using T = std::decay_t<decltype(field)>;
    const std::string key = prefix + name;
    const auto it = values.find(key);
    if (it == values.end() || it->second.empty())
      throw std::invalid_argument("DRAM config option " + key + " is missing (declare_options not called?)");
    field = it->second.as<T>();
  });
  c.validate(prefix);
  return c;
}

}  // namespace vp
