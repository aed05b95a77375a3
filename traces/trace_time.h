#pragma once
// Trace files keep times as integer picoseconds; SystemC keeps them as integer multiples of its
// time resolution (1 ps unless a program sets another). Exact both ways at 1 ps resolution.
#include <cmath>
#include <cstdint>

#include <systemc>

namespace vp {

inline bool time_resolution_is_ps() { return sc_core::sc_get_time_resolution() == sc_core::sc_time(1, sc_core::SC_PS); }

inline uint64_t to_ps(const sc_core::sc_time& t) {
  return time_resolution_is_ps() ? static_cast<uint64_t>(t.value()) : static_cast<uint64_t>(std::llround(t.to_seconds() * 1e12));
}

inline sc_core::sc_time from_ps(uint64_t ps) {
  return time_resolution_is_ps() ? sc_core::sc_time::from_value(ps) : sc_core::sc_time(static_cast<double>(ps), sc_core::SC_PS);
}

inline double ps_to_seconds(uint64_t ps) { return static_cast<double>(ps) * 1e-12; }

}  // namespace vp
