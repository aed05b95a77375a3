#pragma once
// Which queued row segment of a DRAM channel has its column commands planned next: the controller's
// scheduling policy, split from DramChannel as DRAMSys splits SchedulerIF from its Controller, and chosen by
// DramConfig::scheduler (make_dram_scheduler).
//
// The channel keeps the queues and the bank look-ahead; a policy answers two questions:
//  - pick(): of the served queue's row hits (segments whose rows are open in every bank they touch), which
//    one to plan, given the cycle at which each one's first column command could go; the channel plans it
//    when that cycle is now.
//  - row_hits_hold_banks(): whether a queued row hit keeps the look-ahead from precharging its bank for an
//    older segment that needs another row there.
//
// Policies:
//  - frfcfs (first ready, first come first served; the default): of the row hits, the one whose first
//    column can go soonest, the oldest on a tie; a queued hit holds its row open (a row is precharged only
//    when no queued segment hits it).
//  - fcfs: strictly arrival order for column commands within the served queue (which of the read and write
//    queues is served follows the write drain rule either way): only its oldest segment may be planned, once
//    its rows are open; a younger row hit gets no priority and holds no row. The look-ahead still prepares
//    banks (PRE/ACT) for the oldest segment needing each bank, younger ones included: that only touches
//    banks no older segment needs, so it never reorders the column commands.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace vp {

// A callable (queue position) -> cycle, passed without a copy or an allocation (a minimal function_ref).
class DramColumnCycleFn {
 public:
  template <class F>
  DramColumnCycleFn(const F& f)  // NOLINT(google-explicit-constructor): passed as a lambda
      : context_(&f),
        call_([](const void* c, std::uint32_t position) { return (*static_cast<const F*>(c))(position); }) {}
  std::uint64_t operator()(std::uint32_t position) const { return call_(context_, position); }

 private:
  const void* context_;
  std::uint64_t (*call_)(const void*, std::uint32_t);
};

struct DramSchedulerPick {
  static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::size_t position = kNone;  // in the served queue (arrival order), kNone: no row hit may go
  std::uint64_t cycle = std::numeric_limits<std::uint64_t>::max();  // its first column's earliest cycle
};

// FR-FCFS: of the row hits, the one whose first column can go soonest, the oldest on a tie. A template, so
// that the channel's step calls it inline (speed only: the same pick as DramSchedulerFrFcfs::pick).
template <class CycleOf>
DramSchedulerPick pick_soonest_hit(const std::vector<std::uint32_t>& hit_positions, const CycleOf& first_column_cycle) {
  DramSchedulerPick best;
  for (const std::uint32_t position : hit_positions) {
    const std::uint64_t cycle = first_column_cycle(position);
    if (cycle < best.cycle) {  // strictly sooner: the oldest wins a tie
      best.cycle = cycle;
      best.position = position;
    }
  }
  return best;
}

class DramSchedulerIF {
 public:
  virtual ~DramSchedulerIF() = default;
  virtual const char* name() const = 0;
  // hit_positions: the queue positions of the row hits, ascending (oldest first); first_column_cycle(p): the
  // earliest cycle >= now at which the first column command of the segment at position p could go.
  virtual DramSchedulerPick pick(const std::vector<std::uint32_t>& hit_positions,
                                 DramColumnCycleFn first_column_cycle) const = 0;
  virtual bool row_hits_hold_banks() const = 0;
  // Whether pick() is pick_soonest_hit (lets the channel call that inline, speed only).
  virtual bool picks_soonest_hit() const { return false; }
};

class DramSchedulerFrFcfs final : public DramSchedulerIF {
 public:
  const char* name() const override { return "frfcfs"; }
  DramSchedulerPick pick(const std::vector<std::uint32_t>& hit_positions,
                         DramColumnCycleFn first_column_cycle) const override;
  bool row_hits_hold_banks() const override { return true; }
  bool picks_soonest_hit() const override { return true; }
};

class DramSchedulerFcfs final : public DramSchedulerIF {
 public:
  const char* name() const override { return "fcfs"; }
  DramSchedulerPick pick(const std::vector<std::uint32_t>& hit_positions,
                         DramColumnCycleFn first_column_cycle) const override;
  bool row_hits_hold_banks() const override { return false; }
};

// The policy named by DramConfig::scheduler ("frfcfs" | "fcfs"); throws std::invalid_argument naming
// `key` (e.g. "hbm.scheduler") for any other name.
std::unique_ptr<DramSchedulerIF> make_dram_scheduler(const std::string& name, const std::string& key = "scheduler");

}  // namespace vp
