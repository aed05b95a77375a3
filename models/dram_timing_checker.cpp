#include "models/dram_timing_checker.h"

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
}  // namespace

DramTimingChecker::DramTimingChecker(const DramConfig& c)
    : tRCD_(c.tRCD), tRP_(c.tRP), tRAS_(c.tRAS), tRC_(c.tRC), tWL_(c.tWL), tCCD_S_(c.tCCD_S), tCCD_L_(c.tCCD_L),
      tRRD_S_(c.tRRD_S), tRRD_L_(c.tRRD_L), tFAW_(c.tFAW), tWTR_S_(c.tWTR_S), tWTR_L_(c.tWTR_L), tRTW_(c.tRTW),
      tWR_(c.tWR), tRTP_(c.tRTP), tRFC_(c.tRFC), burst_(c.burst_cycles()),
      separate_buses_(c.separate_row_column_buses), bank_groups_(c.bank_groups),
      banks_per_group_(c.banks_per_group), banks_(c.total_banks()), groups_(c.bank_groups) {
  // The bus history must cover how far ahead of the oldest cycle still asked about a controller plans:
  // a few row segments plus a refresh.
  const std::uint64_t horizon = std::uint64_t{c.bank_groups} * c.columns * c.tCCD_L + c.tRFC + c.tRC + c.tCL +
                                c.tWL + c.tWR + c.tFAW;
  const std::uint64_t slots = std::max<std::uint64_t>(8192, next_power_of_two(4 * horizon));
  bus_mask_ = slots - 1;
  row_bus_.assign(slots, 0);
  if (separate_buses_) column_bus_.assign(slots, 0);
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

const std::vector<std::uint64_t>& DramTimingChecker::bus_for(Command cmd) const {
  const bool column = cmd == Command::RD || cmd == Command::WR;
  return column && separate_buses_ ? column_bus_ : row_bus_;
}

bool DramTimingChecker::bus_busy(const std::vector<std::uint64_t>& bus, Cycle cycle) const {
  const std::uint64_t slot = bus[cycle & bus_mask_];
  if (slot > cycle + 1)
    throw std::logic_error("DRAM command bus history exceeded: cycle " + std::to_string(cycle) +
                           " is too far behind commands already issued");
  return slot == cycle + 1;
}

DramTimingChecker::Cycle DramTimingChecker::earliest(Command cmd, unsigned bank_group, unsigned bank,
                                                     Cycle not_before) const {
  std::int64_t cycle = static_cast<std::int64_t>(not_before);
  for_each_constraint(cmd, bank_group, bank, [&](const char*, std::int64_t bound) { cycle = std::max(cycle, bound); });
  Cycle c = static_cast<Cycle>(cycle);
  const auto& bus = bus_for(cmd);
  while (bus_busy(bus, c)) ++c;
  return c;
}

void DramTimingChecker::check_state(Command cmd, unsigned bank_group, unsigned bank, std::uint32_t row,
                                    Cycle cycle) const {
  if (cmd == Command::PREA) return;
  if (cmd == Command::REF) {
    if (open_banks_ == 0) return;
    throw DramTimingViolation("REF at cycle " + std::to_string(cycle) + " while " + std::to_string(open_banks_) +
                              " bank(s) are open");
  }
  const Bank& b = bank_at(bank_group, bank);
  const bool legal = cmd == Command::ACT ? !b.open : cmd == Command::PRE ? b.open : b.open && b.row == row;
  if (legal) return;  // the message below is only built on the error path: issue() is the hot path

  std::ostringstream msg;
  msg << to_string(cmd) << " at cycle " << cycle << " ";
  const bool column = cmd == Command::RD || cmd == Command::WR;
  if (column) msg << "to row " << row << " of ";
  else msg << "to ";
  msg << "bank group " << bank_group << ", bank " << bank;
  if (cmd == Command::ACT) msg << " which already has row " << b.row << " open";
  if (cmd == Command::PRE) msg << " which is already precharged";
  if (column && !b.open) msg << " which is closed";
  if (column && b.open) msg << " but row " << b.row << " is open";
  throw DramTimingViolation(msg.str());
}

void DramTimingChecker::issue(Command cmd, unsigned bank_group, unsigned bank, std::uint32_t row, Cycle cycle) {
  if (cmd != Command::PREA && cmd != Command::REF && (bank_group >= bank_groups_ || bank >= banks_per_group_))
    throw std::out_of_range("DRAM bank group " + std::to_string(bank_group) + ", bank " + std::to_string(bank) +
                            " does not exist");
  check_state(cmd, bank_group, bank, row, cycle);
  const auto c = static_cast<std::int64_t>(cycle);
  for_each_constraint(cmd, bank_group, bank, [&](const char* rule, std::int64_t bound) {
    if (c >= bound) return;
    std::ostringstream msg;
    msg << rule << " violated: " << to_string(cmd) << " at cycle " << cycle << ", earliest " << bound;
    if (cmd != Command::PREA && cmd != Command::REF) msg << " (bank group " << bank_group << ", bank " << bank << ")";
    throw DramTimingViolation(msg.str());
  });
  auto& bus = cmd == Command::RD || cmd == Command::WR ? (separate_buses_ ? column_bus_ : row_bus_) : row_bus_;
  if (bus_busy(bus, cycle))
    throw DramTimingViolation(std::string("command bus conflict: ") + to_string(cmd) + " at cycle " +
                              std::to_string(cycle) + " but the bus already carries a command in that cycle");
  bus[cycle & bus_mask_] = cycle + 1;

  Bank* b = cmd == Command::PREA || cmd == Command::REF ? nullptr : &banks_[bank_group * banks_per_group_ + bank];
  switch (cmd) {
    case Command::ACT:
      b->open = true;
      b->row = row;
      b->last_act = c;
      groups_[bank_group].last_act = c;
      last_act_ = c;
      act_window_[act_window_oldest_] = c;
      act_window_oldest_ = (act_window_oldest_ + 1) % act_window_.size();
      ++open_banks_;
      break;
    case Command::PRE:
      b->open = false;
      b->last_pre = c;
      last_pre_ = std::max(last_pre_, c);
      --open_banks_;
      break;
    case Command::PREA:
      for (Bank& each : banks_) {
        if (!each.open) continue;
        each.open = false;
        each.last_pre = c;
      }
      if (open_banks_ > 0) last_pre_ = std::max(last_pre_, c);
      open_banks_ = 0;
      break;
    case Command::RD:
      b->last_rd = c;
      groups_[bank_group].last_column = c;
      last_column_ = c;
      last_rd_ = c;
      break;
    case Command::WR: {
      const std::int64_t data_end = c + tWL_ + burst_;
      b->last_wr_data_end = data_end;
      groups_[bank_group].last_column = c;
      groups_[bank_group].last_wr_data_end = data_end;
      last_column_ = c;
      last_wr_data_end_ = data_end;
      break;
    }
    case Command::REF:
      last_ref_ = c;
      break;
  }
}

}  // namespace vp
