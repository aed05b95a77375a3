#pragma once
// When a DRAM channel closes a row after using it: the row buffer (page) policy, split from DramChannel as
// DRAMSys keeps it apart from the scheduler, and chosen by DramConfig::page_policy (make_dram_page_policy).
//
// After the channel plans a row segment's column commands it asks the policy, for every bank the segment
// used, whether to precharge that bank now. The precharge is a real PRE issued at its earliest legal cycle
// after the segment's last column command in that bank (DramTimingChecker applies tRAS, tRTP after a read,
// tWR after the write data), counted in DramStats::precharges; it is the timing of an auto-precharge
// (RDA/WRA), which the checker does not model as a command of its own.
//
// Policies:
//  - open (the default): rows stay open until a conflicting request or a refresh closes them.
//  - closed: the row is closed after the last column access of a segment unless a queued segment (read or
//    write) hits it; a later request to that row is a row miss (ACT) instead of a hit.
#include <memory>
#include <string>

namespace vp {

class DramPagePolicyIF {
 public:
  virtual ~DramPagePolicyIF() = default;
  virtual const char* name() const = 0;
  // Whether to precharge a bank right after a segment's last column access in it; row_hit_queued: some
  // queued segment hits the row that is open there.
  virtual bool precharge_after_access(bool row_hit_queued) const = 0;
  // Whether precharge_after_access can ever say yes (lets the channel skip asking, speed only).
  bool ever_precharges() const { return precharge_after_access(false); }
};

class DramPagePolicyOpen final : public DramPagePolicyIF {
 public:
  const char* name() const override { return "open"; }
  bool precharge_after_access(bool) const override { return false; }
};

class DramPagePolicyClosed final : public DramPagePolicyIF {
 public:
  const char* name() const override { return "closed"; }
  bool precharge_after_access(bool row_hit_queued) const override { return !row_hit_queued; }
};

// The policy named by DramConfig::page_policy ("open" | "closed"); throws std::invalid_argument naming
// `key` (e.g. "hbm.page_policy") for any other name.
std::unique_ptr<DramPagePolicyIF> make_dram_page_policy(const std::string& name,
                                                        const std::string& key = "page_policy");

}  // namespace vp
