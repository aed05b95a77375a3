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
// two-cycle ACT and the HBM2 tRCDWR < tRCDRD split are not modelled (one tRCD). A separate column bus
// needs no occupancy record: tCCD_S >= 1 already puts every column command after the previous one.
// Refresh is all-bank (REF needs every bank precharged).
//
// Streaming: issue_column_run() issues a run of column commands to open rows in one call, with the same
// cycles and end state as issuing them one by one, in time independent of the run length where the
// timing allows it (see there). It is what makes long sequential streams cheap to simulate.
#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "models/dram/dram_config.h"

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
  // earliest() then issue() at that cycle, evaluating the timing rules once; returns the cycle.
  Cycle issue_at_earliest(Command cmd, unsigned bank_group, unsigned bank, std::uint32_t row, Cycle not_before);

  // Cycles of the first and last command of a column run.
  struct ColumnRun {
    Cycle first, last;
  };
  // Issues count >= 1 column commands of one kind (cmd is RD or WR) to `bank` in the bank groups
  // first_bank_group, first_bank_group + 1, ... (modulo bank_groups, the order of a sequential stream), each
  // at its earliest legal cycle >= not_before: the same cycles and end state as count earliest() + issue()
  // pairs. Needs `row` open in that bank of every bank group the run touches; otherwise throws
  // DramTimingViolation as issue() would, before changing any state. After the first visit of each bank
  // group only tCCD_S and tCCD_L can bind, so when tCCD_L <= bank_groups * tCCD_S the commands are spaced
  // exactly tCCD_S apart and, with a separate column bus, the run costs O(bank_groups). Throws
  // std::invalid_argument for a row command or count 0, std::out_of_range for a bank that does not exist.
  ColumnRun issue_column_run(Command cmd, unsigned first_bank_group, unsigned bank, std::uint32_t row,
                             std::uint64_t count, Cycle not_before);

  // A lower bound of earliest(ACT, any bank): the rules every bank shares (tRRD_S, tFAW, tRFC). Lets a
  // scheduler skip asking per bank while no ACT can go anyway.
  Cycle activate_floor() const {
    return static_cast<Cycle>(std::max({std::int64_t{0}, last_act_ + tRRD_S_, act_window_[act_window_oldest_] + tFAW_,
                                        last_ref_ + tRFC_}));
  }

  // The parts of timing_bound() of one bank for a look-ahead that asks about many banks at once (speed only):
  // earliest(PRE) = first_free_row_bus_cycle(max(not_before, precharge_bound)), earliest(ACT) the same of
  // max(not_before, activate_bank_bound, activate_floor()). By bank index (bank_group * banks_per_group + bank),
  // which the look-ahead has at hand.
  std::int64_t precharge_bound(unsigned index) const {
    const Bank& b = banks_[index];
    return std::max({b.last_act + tRAS_, b.last_rd + tRTP_, b.last_wr_data_end + tWR_});
  }
  std::int64_t activate_bank_bound(unsigned index, unsigned bank_group) const {
    const Bank& b = banks_[index];
    return std::max({b.last_pre + tRP_, b.last_act + tRC_, groups_[bank_group].last_act + tRRD_L_});
  }
  // earliest() of a column command (RD, WR) for many banks at one not_before (speed only): the channel-wide
  // part once, column_channel_bound(cmd, not_before), then per bank (by index) column_timing_bound(cmd, bank_group,
  // index, that), whose first_free_column_bus_cycle is earliest(); that is non-decreasing in its argument.
  std::int64_t column_channel_bound(Command cmd, Cycle not_before) const {
    return std::max({static_cast<std::int64_t>(not_before), last_column_ + tCCD_S_,
                     cmd == Command::RD ? last_wr_data_end_ + tWTR_S_ : last_rd_ + tRTW_});
  }
  std::int64_t column_timing_bound(Command cmd, unsigned bank_group, unsigned index, std::int64_t channel_bound) const {
    const BankGroup& g = groups_[bank_group];
    std::int64_t bound = std::max({channel_bound, banks_[index].last_act + tRCD_, g.last_column + tCCD_L_});
    if (cmd == Command::RD) bound = std::max(bound, g.last_wr_data_end + tWTR_L_);
    return bound;
  }
  Cycle first_free_column_bus_cycle(Cycle cycle) const { return separate_buses_ ? cycle : first_free_bus_cycle(cycle); }
  // First cycle >= cycle at which a row command (PRE, ACT) finds its command bus free; non-decreasing in cycle.
  Cycle first_free_row_bus_cycle(Cycle cycle) const { return first_free_bus_cycle(cycle); }

  bool is_open(unsigned bank_group, unsigned bank) const { return bank_at(bank_group, bank).open; }
  // The same by bank index (bank_group * banks_per_group + bank), from one compact array the scheduler scans
  // for every queued request: open_key() is the open row + 1, or 0 when the bank is closed.
  std::uint64_t open_key(unsigned index) const { return open_keys_[index]; }
  static std::uint64_t open_key_of(std::uint32_t row) { return std::uint64_t{row} + 1; }
  static std::uint32_t row_of_open_key(std::uint64_t key) { return static_cast<std::uint32_t>(key - 1); }  // key != 0
  bool holds_row(unsigned index, std::uint32_t row) const { return open_keys_[index] == open_key_of(row); }
  std::uint32_t open_row(unsigned bank_group, unsigned bank) const { return bank_at(bank_group, bank).row; }
  unsigned open_banks() const { return open_banks_; }

  // A hash of every command issued so far, in issue order (kind, bank, row, cycle; a column run by its
  // arguments and its first visit of each bank group): tests pin a controller's schedule bit for bit with it,
  // so that speed work can prove it changed no command.
  std::uint64_t command_digest() const { return digest_; }

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
  Bank& bank_at(unsigned bank_group, unsigned bank) { return banks_[bank_group * banks_per_group_ + bank]; }
  // Calls check(rule name, earliest cycle the rule allows) for every timing rule that applies to cmd.
  template <class Check>
  void for_each_constraint(Command cmd, unsigned bank_group, unsigned bank, Check&& check) const;
  // The latest of the bounds for_each_constraint() lists: the cycle from which no timing rule refuses cmd.
  // Written out per command for the hot path (inline below); all_bank_bound() covers PREA and REF.
  std::int64_t timing_bound(Command cmd, unsigned bank_group, unsigned bank) const;
  std::int64_t column_bound(Command cmd, unsigned bank_group, unsigned bank) const;
  std::int64_t all_bank_bound(Command cmd) const;
  // First cycle >= cycle whose bus slot is free, for a command that uses the recorded bus.
  Cycle first_free_bus_cycle(Cycle cycle) const;
  [[noreturn]] void throw_bus_history_exceeded(Cycle cycle) const;
  // Shared by issue() and issue_at_earliest(): everything after the timing check.
  void apply(Command cmd, unsigned bank_group, unsigned bank, std::uint32_t row, Cycle cycle);
  // Throws the violation of the first rule (in for_each_constraint order) that refuses cmd at cycle.
  [[noreturn]] void throw_timing_violation(Command cmd, unsigned bank_group, unsigned bank, Cycle cycle) const;
  // The checks every issued command goes through, inline (they run for every command); the throws are not.
  void check_state(Command cmd, unsigned bank_group, unsigned bank, std::uint32_t row, Cycle cycle) const;
  [[noreturn]] void throw_ref_with_open_banks(Cycle cycle) const;
  [[noreturn]] void throw_state_violation(Command cmd, unsigned bank_group, unsigned bank, std::uint32_t row,
                                          Cycle cycle) const;
  void check_bank_exists(unsigned bank_group, unsigned bank) const {
    if (bank_group >= bank_groups_ || bank >= banks_per_group_) throw_no_such_bank(bank_group, bank);
  }
  [[noreturn]] void throw_no_such_bank(unsigned bank_group, unsigned bank) const;
  // Whether cmd occupies the recorded command bus (all commands on a shared bus, row commands otherwise).
  bool uses_bus(Command cmd) const { return !separate_buses_ || (cmd != Command::RD && cmd != Command::WR); }
  bool bus_busy(Cycle cycle) const;
  void occupy_bus(Cycle cycle) { bus_[cycle & bus_mask_] = cycle + 1; }
  // State update of a column command already known to be legal.
  void record_column(Command cmd, unsigned bank_group, unsigned bank, std::int64_t cycle);

  // Timings copied as signed cycles so that kNever + t stays "long ago".
  std::int64_t tRCD_, tRP_, tRAS_, tRC_, tWL_, tCCD_S_, tCCD_L_, tRRD_S_, tRRD_L_, tFAW_;
  std::int64_t tWTR_S_, tWTR_L_, tRTW_, tWR_, tRTP_, tRFC_, burst_;
  bool separate_buses_;
  unsigned bank_groups_, banks_per_group_;

  std::vector<Bank> banks_;
  std::vector<std::uint64_t> open_keys_;  // per bank: open row + 1, 0 when closed (mirrors banks_)
  std::vector<BankGroup> groups_;
  unsigned open_banks_ = 0;
  std::int64_t last_act_ = kNever, last_pre_ = kNever, last_column_ = kNever, last_rd_ = kNever;
  std::int64_t last_wr_data_end_ = kNever, last_ref_ = kNever;
  std::array<std::int64_t, 4> act_window_{kNever, kNever, kNever, kNever};  // last four ACTs
  unsigned act_window_oldest_ = 0;

  // Occupancy of the row bus (of the one shared bus on DDR4): slot (cycle & mask) holds cycle + 1 when a
  // command uses that cycle.
  std::uint64_t bus_mask_;
  std::vector<std::uint64_t> bus_;

  std::vector<Cycle> run_cycles_;  // issue_column_run's first visit of each bank group

  std::uint64_t digest_ = 0xcbf29ce484222325;  // FNV-1a offset basis
  void add_to_digest(std::uint64_t value) { digest_ = (digest_ ^ value) * 0x100000001b3; }
};

// ---- hot path, inline: the controller asks these for every command and queued request ----------------

inline std::int64_t DramTimingChecker::column_bound(Command cmd, unsigned bank_group, unsigned bank) const {
  const BankGroup& g = groups_[bank_group];
  const std::int64_t common =
      std::max({bank_at(bank_group, bank).last_act + tRCD_, last_column_ + tCCD_S_, g.last_column + tCCD_L_});
  if (cmd == Command::RD) return std::max({common, last_wr_data_end_ + tWTR_S_, g.last_wr_data_end + tWTR_L_});
  return std::max(common, last_rd_ + tRTW_);
}

inline std::int64_t DramTimingChecker::timing_bound(Command cmd, unsigned bank_group, unsigned bank) const {
  switch (cmd) {
    case Command::ACT: {
      const Bank& b = bank_at(bank_group, bank);
      return std::max({b.last_pre + tRP_, b.last_act + tRC_, last_act_ + tRRD_S_,
                       groups_[bank_group].last_act + tRRD_L_, act_window_[act_window_oldest_] + tFAW_,
                       last_ref_ + tRFC_});
    }
    case Command::PRE: {
      const Bank& b = bank_at(bank_group, bank);
      return std::max({b.last_act + tRAS_, b.last_rd + tRTP_, b.last_wr_data_end + tWR_});
    }
    case Command::RD:
    case Command::WR:
      return column_bound(cmd, bank_group, bank);
    default:
      return all_bank_bound(cmd);
  }
}

inline void DramTimingChecker::check_state(Command cmd, unsigned bank_group, unsigned bank, std::uint32_t row,
                                           Cycle cycle) const {
  if (cmd == Command::PREA) return;
  if (cmd == Command::REF) {
    if (open_banks_ != 0) throw_ref_with_open_banks(cycle);
    return;
  }
  const Bank& b = bank_at(bank_group, bank);
  const bool legal = cmd == Command::ACT ? !b.open : cmd == Command::PRE ? b.open : b.open && b.row == row;
  if (!legal) throw_state_violation(cmd, bank_group, bank, row, cycle);
}

inline bool DramTimingChecker::bus_busy(Cycle cycle) const {
  const std::uint64_t slot = bus_[cycle & bus_mask_];
  if (slot > cycle + 1) throw_bus_history_exceeded(cycle);
  return slot == cycle + 1;
}

inline DramTimingChecker::Cycle DramTimingChecker::first_free_bus_cycle(Cycle cycle) const {
  for (;; ++cycle) {
    const std::uint64_t slot = bus_[cycle & bus_mask_];
    if (slot > cycle + 1) throw_bus_history_exceeded(cycle);
    if (slot != cycle + 1) return cycle;
  }
}

inline DramTimingChecker::Cycle DramTimingChecker::earliest(Command cmd, unsigned bank_group, unsigned bank,
                                                            Cycle not_before) const {
  const auto c =
      static_cast<Cycle>(std::max(static_cast<std::int64_t>(not_before), timing_bound(cmd, bank_group, bank)));
  return uses_bus(cmd) ? first_free_bus_cycle(c) : c;
}

}  // namespace vp
