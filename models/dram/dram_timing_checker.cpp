#include "models/dram/dram_timing_checker.h"

#include <algorithm>
#include <sstream>

namespace vp {

const char* to_string(DramCommand command) {
  switch (command) {
    case DramCommand::ACT: return "ACT";
    case DramCommand::PRE: return "PRE";
    case DramCommand::PREA: return "PREA";
    case DramCommand::RD: return "RD";
    case DramCommand::WR: return "WR";
    case DramCommand::REF: return "REF";
  }
  return "?";
}

namespace {
std::uint64_t next_power_of_two(std::uint64_t v) {
  std::uint64_t p = 1;
  while (p < v) p <<= 1;
  return p;
}
bool is_column(DramCommand cmd) { return cmd == DramCommand::RD || cmd == DramCommand::WR; }
}  // namespace

DramTimingChecker::DramTimingChecker(const DramConfig& c)
    : tRCD_(c.tRCD), tRP_(c.tRP), tRAS_(c.tRAS), tRC_(c.tRC), tWL_(c.tWL), tCCD_S_(c.tCCD_S), tCCD_L_(c.tCCD_L),
      tRRD_S_(c.tRRD_S), tRRD_L_(c.tRRD_L), tFAW_(c.tFAW), tWTR_S_(c.tWTR_S), tWTR_L_(c.tWTR_L), tRTW_(c.tRTW),
      tWR_(c.tWR), tRTP_(c.tRTP), tRFC_(c.tRFC), burst_(c.burst_cycles()),
      separate_buses_(c.separate_row_column_buses), bank_groups_(c.bank_groups),
      banks_per_group_(c.banks_per_group), banks_(c.total_banks()), open_keys_(c.total_banks(), 0),
      groups_(c.bank_groups), run_cycles_(c.bank_groups) {
  // The bus history must cover how far ahead of the oldest cycle still asked about a controller plans:
  // a few row segments plus a refresh.
  const std::uint64_t horizon = std::uint64_t{c.bank_groups} * c.columns * c.tCCD_L + c.tRFC + c.tRC + c.tCL +
                                c.tWL + c.tWR + c.tFAW;
  const std::uint64_t slots = std::max<std::uint64_t>(8192, next_power_of_two(4 * horizon));
  bus_mask_ = slots - 1;
  bus_.assign(slots, 0);
}

template <class Check>
void DramTimingChecker::for_each_constraint(Command cmd, unsigned bank_group, unsigned bank, Check&& check) const {
  switch (cmd) {
    case Command::ACT: {
      const Bank& b = bank_at(bank_group, bank);
      check("tRP", b.last_pre + tRP_);
      check("tRC", b.last_act + tRC_);
      check("tRRD_S", last_act_ + tRRD_S_);
      check("tRRD_L", groups_[bank_group].last_act + tRRD_L_);
      check("tFAW", act_window_[act_window_oldest_] + tFAW_);
      check("tRFC", last_ref_ + tRFC_);
      break;
    }
    case Command::PRE: {
      const Bank& b = bank_at(bank_group, bank);
      check("tRAS", b.last_act + tRAS_);
      check("tRTP", b.last_rd + tRTP_);
      check("tWR", b.last_wr_data_end + tWR_);
      break;
    }
    case Command::PREA:
      for (const Bank& b : banks_) {
        if (!b.open) continue;
        check("tRAS", b.last_act + tRAS_);
        check("tRTP", b.last_rd + tRTP_);
        check("tWR", b.last_wr_data_end + tWR_);
      }
      check("tRFC", last_ref_ + tRFC_);
      break;
    case Command::RD: {
      const BankGroup& g = groups_[bank_group];
      check("tRCD", bank_at(bank_group, bank).last_act + tRCD_);
      check("tCCD_S", last_column_ + tCCD_S_);
      check("tCCD_L", g.last_column + tCCD_L_);
      check("tWTR_S", last_wr_data_end_ + tWTR_S_);
      check("tWTR_L", g.last_wr_data_end + tWTR_L_);
      break;
    }
    case Command::WR: {
      check("tRCD", bank_at(bank_group, bank).last_act + tRCD_);
      check("tCCD_S", last_column_ + tCCD_S_);
      check("tCCD_L", groups_[bank_group].last_column + tCCD_L_);
      check("tRTW", last_rd_ + tRTW_);
      break;
    }
    case Command::REF:
      check("tRP", last_pre_ + tRP_);
      check("tRC", last_act_ + tRC_);
      check("tRFC", last_ref_ + tRFC_);
      break;
  }
}

std::int64_t DramTimingChecker::all_bank_bound(Command cmd) const {
  std::int64_t bound = kNever;
  for_each_constraint(cmd, 0, 0, [&](const char*, std::int64_t b) { bound = std::max(bound, b); });
  return bound;
}

void DramTimingChecker::throw_timing_violation(Command cmd, unsigned bank_group, unsigned bank, Cycle cycle) const {
  const auto c = static_cast<std::int64_t>(cycle);
  for_each_constraint(cmd, bank_group, bank, [&](const char* rule, std::int64_t bound) {
    if (c >= bound) return;
    std::ostringstream msg;
    msg << rule << " violated: " << to_string(cmd) << " at cycle " << cycle << ", earliest " << bound;
    if (cmd != Command::PREA && cmd != Command::REF) msg << " (bank group " << bank_group << ", bank " << bank << ")";
    throw DramTimingViolation(msg.str());
  });
  throw std::logic_error("DramTimingChecker: no rule refuses the command");  // callers checked timing_bound
}

void DramTimingChecker::throw_bus_history_exceeded(Cycle cycle) const {
  throw std::logic_error("DRAM command bus history exceeded: cycle " + std::to_string(cycle) +
                         " is too far behind commands already issued");
}

void DramTimingChecker::throw_ref_with_open_banks(Cycle cycle) const {
  throw DramTimingViolation("REF at cycle " + std::to_string(cycle) + " while " + std::to_string(open_banks_) +
                            " bank(s) are open");
}

void DramTimingChecker::throw_state_violation(Command cmd, unsigned bank_group, unsigned bank, std::uint32_t row,
                                              Cycle cycle) const {
  const Bank& b = bank_at(bank_group, bank);
  std::ostringstream msg;
  msg << to_string(cmd) << " at cycle " << cycle << " ";
  const bool column = is_column(cmd);
  if (column) msg << "to row " << row << " of ";
  else msg << "to ";
  msg << "bank group " << bank_group << ", bank " << bank;
  if (cmd == Command::ACT) msg << " which already has row " << b.row << " open";
  if (cmd == Command::PRE) msg << " which is already precharged";
  if (column && !b.open) msg << " which is closed";
  if (column && b.open) msg << " but row " << b.row << " is open";
  throw DramTimingViolation(msg.str());
}

void DramTimingChecker::throw_no_such_bank(unsigned bank_group, unsigned bank) const {
  throw std::out_of_range("DRAM bank group " + std::to_string(bank_group) + ", bank " + std::to_string(bank) +
                          " does not exist");
}

void DramTimingChecker::record_column(Command cmd, unsigned bank_group, unsigned bank, std::int64_t c) {
  Bank& b = bank_at(bank_group, bank);
  BankGroup& g = groups_[bank_group];
  g.last_column = c;
  last_column_ = c;
  if (cmd == Command::RD) {
    b.last_rd = c;
    last_rd_ = c;
  } else {
    const std::int64_t data_end = c + tWL_ + burst_;
    b.last_wr_data_end = data_end;
    g.last_wr_data_end = data_end;
    last_wr_data_end_ = data_end;
  }
}

void DramTimingChecker::issue(Command cmd, unsigned bank_group, unsigned bank, std::uint32_t row, Cycle cycle) {
  if (cmd != Command::PREA && cmd != Command::REF) check_bank_exists(bank_group, bank);
  check_state(cmd, bank_group, bank, row, cycle);
  if (static_cast<std::int64_t>(cycle) < timing_bound(cmd, bank_group, bank))
    throw_timing_violation(cmd, bank_group, bank, cycle);
  if (uses_bus(cmd) && bus_busy(cycle))
    throw DramTimingViolation(std::string("command bus conflict: ") + to_string(cmd) + " at cycle " +
                              std::to_string(cycle) + " but the bus already carries a command in that cycle");
  apply(cmd, bank_group, bank, row, cycle);
}

DramTimingChecker::Cycle DramTimingChecker::issue_at_earliest(Command cmd, unsigned bank_group, unsigned bank,
                                                              std::uint32_t row, Cycle not_before) {
  if (cmd != Command::PREA && cmd != Command::REF) check_bank_exists(bank_group, bank);
  const Cycle cycle = earliest(cmd, bank_group, bank, not_before);
  check_state(cmd, bank_group, bank, row, cycle);
  apply(cmd, bank_group, bank, row, cycle);
  return cycle;
}

void DramTimingChecker::apply(Command cmd, unsigned bank_group, unsigned bank, std::uint32_t row, Cycle cycle) {
  add_to_digest(static_cast<std::uint64_t>(cmd) | std::uint64_t{bank_group} << 8 | std::uint64_t{bank} << 24 |
                std::uint64_t{row} << 32);
  add_to_digest(cycle);
  if (uses_bus(cmd)) occupy_bus(cycle);
  const auto c = static_cast<std::int64_t>(cycle);
  switch (cmd) {
    case Command::ACT: {
      Bank& b = bank_at(bank_group, bank);
      b.open = true;
      b.row = row;
      open_keys_[bank_group * banks_per_group_ + bank] = open_key_of(row);
      b.last_act = c;
      groups_[bank_group].last_act = c;
      last_act_ = c;
      act_window_[act_window_oldest_] = c;
      act_window_oldest_ = (act_window_oldest_ + 1) % act_window_.size();
      ++open_banks_;
      break;
    }
    case Command::PRE: {
      Bank& b = bank_at(bank_group, bank);
      b.open = false;
      b.last_pre = c;
      open_keys_[bank_group * banks_per_group_ + bank] = 0;
      last_pre_ = std::max(last_pre_, c);
      --open_banks_;
      break;
    }
    case Command::PREA:
      for (Bank& each : banks_) {
        if (!each.open) continue;
        each.open = false;
        each.last_pre = c;
      }
      std::fill(open_keys_.begin(), open_keys_.end(), 0);
      if (open_banks_ > 0) last_pre_ = std::max(last_pre_, c);
      open_banks_ = 0;
      break;
    case Command::RD:
    case Command::WR:
      record_column(cmd, bank_group, bank, c);
      break;
    case Command::REF:
      last_ref_ = c;
      break;
  }
}

// Why the run equals count earliest() + issue() pairs. Command i goes to bank group g_i = (first + i) mod G.
// Its bounds are (a) not_before, tRCD of its bank, and for RD tWTR_S/tWTR_L, for WR tRTW: none of these
// changes while the run issues commands of one kind; (b) tCCD_S after command i-1; (c) tCCD_L after the
// previous column command of g_i, which for i >= G is command i-G of the run; (d) the command bus.
// For i >= G, command i-G already met (a) and command i comes later, so only (b), (c) and (d) remain:
// c_i = max(c_{i-1} + tCCD_S, c_{i-G} + tCCD_L), then the first free bus cycle. Every step is at least
// tCCD_S, so c_{i-1} + tCCD_S >= c_{i-G} + G * tCCD_S: when tCCD_L <= G * tCCD_S, (b) alone binds. A
// separate column bus is never busy for a column command (see the header), so then c_i = c_{i-1} + tCCD_S
// and only the last visit of each bank group needs recording.
DramTimingChecker::ColumnRun DramTimingChecker::issue_column_run(Command cmd, unsigned first_bank_group,
                                                                 unsigned bank, std::uint32_t row,
                                                                 std::uint64_t count, Cycle not_before) {
  if (!is_column(cmd))
    throw std::invalid_argument(std::string("DramTimingChecker::issue_column_run: ") + to_string(cmd) +
                                " is not a column command");
  if (count == 0) throw std::invalid_argument("DramTimingChecker::issue_column_run: empty run");
  check_bank_exists(first_bank_group, bank);
  const unsigned group_mask = bank_groups_ - 1;  // bank_groups is a power of two (DramConfig::validate)
  const auto visits = static_cast<unsigned>(std::min<std::uint64_t>(count, bank_groups_));

  // First visit of each bank group: every rule as in earliest(), computed before any state changes, so a
  // refused run leaves the checker as it was. (Cycles rise through the run, so the run's own commands
  // cannot occupy a bus slot that a later one of them looks at.)
  const std::int64_t kind_bound = cmd == Command::RD ? last_wr_data_end_ + tWTR_S_ : last_rd_ + tRTW_;
  std::int64_t previous = last_column_;
  for (unsigned v = 0; v < visits; ++v) {
    const unsigned bg = (first_bank_group + v) & group_mask;
    const BankGroup& g = groups_[bg];
    std::int64_t bound = std::max({static_cast<std::int64_t>(not_before), kind_bound,
                                   bank_at(bg, bank).last_act + tRCD_, previous + tCCD_S_, g.last_column + tCCD_L_});
    if (cmd == Command::RD) bound = std::max(bound, g.last_wr_data_end + tWTR_L_);
    auto c = static_cast<Cycle>(bound);
    if (!separate_buses_) c = first_free_bus_cycle(c);
    check_state(cmd, bg, bank, row, c);
    run_cycles_[v] = c;
    previous = static_cast<std::int64_t>(c);
  }
  for (unsigned v = 0; v < visits; ++v) {
    if (!separate_buses_) occupy_bus(run_cycles_[v]);
    record_column(cmd, (first_bank_group + v) & group_mask, bank, static_cast<std::int64_t>(run_cycles_[v]));
  }
  const ColumnRun run{run_cycles_[0], run_cycles_[visits - 1]};
  add_to_digest(static_cast<std::uint64_t>(cmd) | 0x80 | std::uint64_t{first_bank_group} << 8 |
                std::uint64_t{bank} << 24 | std::uint64_t{row} << 32);
  add_to_digest(count);
  for (unsigned v = 0; v < visits; ++v) add_to_digest(run_cycles_[v]);
  if (count == visits) return run;

  if (separate_buses_ && tCCD_L_ <= std::int64_t{bank_groups_} * tCCD_S_) {
    // Commands visits .. count-1 follow at tCCD_S; record the last visit of each bank group, in order.
    const std::int64_t base = static_cast<std::int64_t>(run.last) - std::int64_t{visits - 1} * tCCD_S_;
    for (std::uint64_t i = std::max<std::uint64_t>(visits, count - bank_groups_); i < count; ++i)
      record_column(cmd, static_cast<unsigned>((first_bank_group + i) & group_mask), bank,
                    base + static_cast<std::int64_t>(i) * tCCD_S_);
    return {run.first, static_cast<Cycle>(last_column_)};
  }
  for (std::uint64_t i = visits; i < count; ++i) {
    const auto bg = static_cast<unsigned>((first_bank_group + i) & group_mask);
    auto c = static_cast<Cycle>(std::max(last_column_ + tCCD_S_, groups_[bg].last_column + tCCD_L_));
    if (!separate_buses_) {
      c = first_free_bus_cycle(c);
      occupy_bus(c);
    }
    record_column(cmd, bg, bank, static_cast<std::int64_t>(c));
  }
  return {run.first, static_cast<Cycle>(last_column_)};
}

}  // namespace vp
