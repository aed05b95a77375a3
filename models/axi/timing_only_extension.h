#pragma once
// An ignorable TLM-2.0 extension marking a transaction whose data has already been moved
// functionally (the fast-mode kernel reads and writes through debug transport at once and
// replays the same bursts later for timing). Memory targets that know it skip the data copy;
// any other target copies as usual, which is still correct.
#include <tlm>

namespace vp {

struct TimingOnlyExtension : tlm::tlm_extension<TimingOnlyExtension> {
  tlm::tlm_extension_base* clone() const override { return new TimingOnlyExtension(*this); }
  void copy_from(const tlm::tlm_extension_base&) override {}
};

inline bool is_timing_only(const tlm::tlm_generic_payload& trans) {
  return trans.get_extension<TimingOnlyExtension>() != nullptr;
}

}  // namespace vp
