#pragma once
// JEDEC timing and bank-state rules of one DRAM channel, kept apart from the scheduler that decides what
// to issue (as DRAMSys separates its Checker from the Scheduler). The scheduler asks earliest() and then
// issue()s the command; issue() re-checks every rule and throws on any violation, so a scheduler bug can
// never silently produce impossible timing.
//
// Time is in integer clock cycles. Commands may be issued ahead of the simulation time (the controller
// plans a row segment at once), and not necessarily in cycle order across banks: every rule is expressed
// against the last command of a kind, and ACTs (tRRD >= 1) and column commands (tCCD >= 1) are ordered by
// construction, so the history needed is a handful of "last cycle" values.
//
// Command buses: HBM2 has separate row (ACT, PRE, PREA, REF) and column (RD, WR) command buses, DDR4 one
// shared bus (DramConfig::separate_row_column_buses). Each bus carries one command per cycle; HBM2's
// two-cycle ACT and the HBM2 tRCDWR < tRCDRD split are not modelled (one tRCD).
// Refresh is all-bank (REF needs every bank precharged).
#include <array>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "models/dram_config.h"

namespace vp {

enum class DramCommand : std::uint8_t { ACT, PRE, PREA, RD, WR, REF };
const char* to_string(DramCommand command);

// A command issued too early or illegal in the bank's state; the message names the rule.
class DramTimingViolation : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class DramTimingChecker {
 public:
  using Command = DramCommand;
  using Cycle = std::uint64_t;

  explicit DramTimingChecker(const DramConfig& config);

  // Earliest cycle >= not_before at which the timing rules and the command bus allow cmd on the bank
  // (bank_group and bank are ignored for PREA and REF). Bank state (open/closed/row) is not considered
  // here: issue() checks it.
  Cycle earliest(Command cmd, unsigned bank_group, unsigned bank, Cycle not_before = 0) const;
  // Records cmd at cycle. Throws DramTimingViolation naming the violated rule, e.g.
  // "tRRD_S violated: ACT at cycle 10, earliest 12 (bank group 1, bank 0)". row is used by ACT, RD, WR.
  void issue(Command cmd, unsigned bank_group, unsigned bank, std::uint32_t row, Cycle cycle);

  bool is_open(unsigned bank_group, unsigned bank) const { return bank_at(bank_group, bank).open; }
  std::uint32_t open_row(unsigned bank_group, unsigned bank) const { return bank_at(bank_group, bank).row; }
  unsigned open_banks() const { return open_banks_; }

 private:
  static constexpr std::int64_t kNever = -(std::int64_t{1} << 40);  // "long ago": no constraint

  struct Bank {
    bool open = false;
    std::uint32_t row = 0;
    std::int64_t last_act = kNever, last_pre = kNever, last_rd = kNever, last_wr_data_end = kNever;
  };
  struct BankGroup {
    std::int64_t last_act = kNever, last_column = kNever, last_wr_data_end = kNever;
  };

  const Bank& bank_at(unsigned bank_group, unsigned bank) const { return banks_[bank_group * banks_per_group_ + bank]; }
  template <class Check>
  void for_each_constraint(Command cmd, unsigned bank_group, unsigned bank, Check&& check) const;
  void check_state(Command cmd, unsigned bank_group, unsigned bank, std::uint32_t row, Cycle cycle) const;
  const std::vector<std::uint64_t>& bus_for(Command cmd) const;
  bool bus_busy(const std::vector<std::uint64_t>& bus, Cycle cycle) const;

  // Timings copied as signed cycles so that kNever + t stays "long ago".
  std::int64_t tRCD_, tRP_, tRAS_, tRC_, tWL_, tCCD_S_, tCCD_L_, tRRD_S_, tRRD_L_, tFAW_;
  std::int64_t tWTR_S_, tWTR_L_, tRTW_, tWR_, tRTP_, tRFC_, burst_;
  bool separate_buses_;
  unsigned bank_groups_, banks_per_group_;

  std::vector<Bank> banks_;
  std::vector<BankGroup> groups_;
  unsigned open_banks_ = 0;
  std::int64_t last_act_ = kNever, last_pre_ = kNever, last_column_ = kNever, last_rd_ = kNever;
  std::int64_t last_wr_data_end_ = kNever, last_ref_ = kNever;
  std::array<std::int64_t, 4> act_window_{kNever, kNever, kNever, kNever};  // last four ACTs
  unsigned act_window_oldest_ = 0;

  // Command bus occupancy: slot (cycle & mask) holds cycle + 1 when a command uses that cycle.
  std::uint64_t bus_mask_;
  std::vector<std::uint64_t> row_bus_, column_bus_;
};

}  // namespace vp
