#include "models/dram/dram_scheduler.h"

#include <stdexcept>

namespace vp {

DramSchedulerPick DramSchedulerFrFcfs::pick(const std::vector<std::uint32_t>& hit_positions,
                                            DramColumnCycleFn first_column_cycle) const {
  return pick_soonest_hit(hit_positions, first_column_cycle);
}

DramSchedulerPick DramSchedulerFcfs::pick(const std::vector<std::uint32_t>& hit_positions,
                                          DramColumnCycleFn first_column_cycle) const {
  // Only the oldest segment may go, and only once its rows are open (the look-ahead opens them).
  if (hit_positions.empty() || hit_positions.front() != 0) return {};
  return {0, first_column_cycle(0)};
}

std::unique_ptr<DramSchedulerIF> make_dram_scheduler(const std::string& name, const std::string& key) {
  if (name == "frfcfs") return std::make_unique<DramSchedulerFrFcfs>();
  if (name == "fcfs") return std::make_unique<DramSchedulerFcfs>();
  throw std::invalid_argument("invalid DRAM config " + key + " = " + name + ": expected frfcfs or fcfs");
}

}  // namespace vp
