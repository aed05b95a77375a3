#include "models/axi/axi_interconnect.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>

#include "sw/hex_format.h"

namespace vp {

namespace {

std::string describe(const AxiInterconnect::Region& r) {
  return "'" + r.name + "' [" + hex(r.base) + ", " + hex(r.base + (r.size - 1)) + "]";
}

}  // namespace

const ConfigFields<InterconnectConfig>& InterconnectConfig::fields() {
  using C = InterconnectConfig;
  // Durations at most 1 ms: every time derived from them stays inside sc_time's 64-bit picosecond range.
  static const ConfigFields<C> list = {
      field(&C::base_latency_ns, "base_latency_ns", between(0, 1e6), "ns", "interconnect latency charged to every access"),
      field(&C::hop_latency_ns, "hop_latency_ns", between(0, 1e6), "ns",
            "extra latency per switch crossed between a master's home switch and the target channel's"),
      field(&C::channels_per_switch, "channels_per_switch", at_least(1), "",
            "memory channels per switch (HBM: 4; a DDR crossbar: the number of channels)"),
  };
  return list;
}

void InterconnectConfig::validate(const std::string& prefix) const { check_config_fields(fields(), *this, prefix); }

AxiInterconnect::AxiInterconnect(const sc_core::sc_module_name& name, const InterconnectConfig& config)
    : sc_core::sc_module(name), masters("masters"), channels("channels"), config_(config) {
  config_.validate(std::string(this->name()) + ".");
  masters.register_b_transport(this, &AxiInterconnect::b_transport);
  masters.register_transport_dbg(this, &AxiInterconnect::transport_dbg);
  masters.register_get_direct_mem_ptr(this, &AxiInterconnect::get_direct_mem_ptr);
  channels.register_invalidate_direct_mem_ptr(this, &AxiInterconnect::invalidate_direct_mem_ptr);
}

void AxiInterconnect::add_region(const std::string& name, uint64_t base, uint64_t size, unsigned channel_index) {
  Region region{name, base, size, channel_index};
  if (size == 0) throw std::runtime_error(std::string(this->name()) + ": memory region '" + name + "' is empty");
  if (size - 1 > UINT64_MAX - base)
    throw std::runtime_error(std::string(this->name()) + ": memory region '" + name + "' wraps past 2^64");
  for (const Region& other : regions_) {
    const bool overlap = base <= other.base + (other.size - 1) && other.base <= base + (size - 1);
    if (overlap)
      throw std::runtime_error(std::string(this->name()) + ": memory region " + describe(region) + " overlaps " +
                               describe(other));
  }
  regions_.push_back(region);
}

void AxiInterconnect::set_home_channel(unsigned master_index, unsigned channel_index) {
  home_channel_[master_index] = channel_index;
  if (master_index < links_.size())  // its latencies change: found again
    for (Link& l : links_[master_index]) l.latency_known = false;
}

AxiInterconnect::Link& AxiInterconnect::link(unsigned master_index, unsigned channel_index) {
  if (master_index >= links_.size()) links_.resize(master_index + 1);
  std::vector<Link>& row = links_[master_index];
  if (channel_index >= row.size()) row.resize(channel_index + 1);
  Link& l = row[channel_index];
  if (!l.latency_known) {
    l.latency = access_latency(master_index, channel_index);
    l.latency_known = true;
  }
  return l;
}

void AxiInterconnect::end_of_elaboration() {
  // Bound socket counts are only known now.
  for (const Region& r : regions_)
    if (r.channel >= channels.size())
      throw std::runtime_error(std::string(name()) + ": memory region " + describe(r) + " targets channel " +
                               std::to_string(r.channel) + " but only " + std::to_string(channels.size()) +
                               " channels are bound");
  for (const auto& [master, channel] : home_channel_)
    if (channel >= channels.size())
      throw std::runtime_error(std::string(name()) + ": home channel " + std::to_string(channel) + " of master " +
                               std::to_string(master) + " is not a bound channel (" +
                               std::to_string(channels.size()) + " bound)");
}

sc_core::sc_time AxiInterconnect::access_latency(unsigned master_index, unsigned channel_index) const {
  unsigned hops = 0;
  auto home = home_channel_.find(master_index);
  if (home != home_channel_.end()) {
    const unsigned home_switch = home->second / config_.channels_per_switch;
    const unsigned target_switch = channel_index / config_.channels_per_switch;
    hops = home_switch > target_switch ? home_switch - target_switch : target_switch - home_switch;
  }
  return sc_core::sc_time(config_.base_latency_ns + hops * config_.hop_latency_ns, sc_core::SC_NS);
}

const AxiInterconnect::Region* AxiInterconnect::decode(uint64_t address, uint64_t length, size_t& last) const {
  // Most accesses fall in the region of the one before (regions do not overlap, so the answer is the same).
  if (last < regions_.size()) {
    const Region& r = regions_[last];
    if (address >= r.base && address - r.base < r.size && length <= r.size - (address - r.base)) return &r;
  }
  for (const Region& r : regions_) {
    if (address < r.base) continue;
    const uint64_t offset = address - r.base;
    if (offset >= r.size) continue;
    // A transaction that runs off the end of its region is a decode error too: the
    // channel behind it would see an address it does not own.
    if (length > r.size - offset) return nullptr;
    last = static_cast<size_t>(&r - regions_.data());
    return &r;
  }
  return nullptr;
}

void AxiInterconnect::record_decode_error(uint64_t address, unsigned master_index) {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  std::ostringstream msg;
  msg << "address " << hex(address) << " outside every memory region (master " << master_index << " at "
      << now.to_seconds() * 1e6 << " us)";
  last_error_ = DecodeError{address, master_index, now, msg.str()};
  ++decode_errors_;
}

void AxiInterconnect::b_transport(int master_index, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const unsigned master = static_cast<unsigned>(master_index);
  const uint64_t global = trans.get_address();
  InterconnectTransaction seen;
  seen.master = master;
  seen.command = trans.get_command();
  seen.address = global;
  seen.length = trans.get_data_length();
  seen.arrival = sc_core::sc_time_stamp() + delay;
  const Region* region = decode(global, trans.get_data_length(), last_region_);
  if (region == nullptr) {
    record_decode_error(global, master);  // stamped with the time the request arrived
    // The decode error is returned after the switch latency, as the AXI DECERR would be.
    sc_core::wait(delay + sc_core::sc_time(config_.base_latency_ns, sc_core::SC_NS));
    delay = sc_core::SC_ZERO_TIME;
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    seen.sequence = next_sequence_++;
    if (!observers_.empty()) {
      seen.forwarded = seen.completion = sc_core::sc_time_stamp();
      seen.response = trans.get_response_status();
      for (const auto& observe : observers_) observe(seen);
    }
    return;
  }
  const unsigned channel = region->channel;
  const uint64_t local = global - region->base;
  sc_core::wait(delay + link(master, channel).latency);
  // Hand over one delta later: a channel controller that takes a decision at this very instant
  // (a timed wake-up) then always decides before the new request is queued, whatever order the
  // SystemC kernel picked among same-time events. That makes a channel's behaviour a function of
  // arrival times and forwarding order alone, which a trace replay can reproduce.
  sc_core::wait(sc_core::SC_ZERO_TIME);
  delay = sc_core::SC_ZERO_TIME;

  // The pair's stats entry (map nodes stay put), created on its first transaction once forwarded, as before.
  Link& forwarded = link(master, channel);
  if (forwarded.stats == nullptr) forwarded.stats = &stats_[{master, channel}];
  LinkStats& s = *forwarded.stats;
  if (trans.is_read()) {
    ++s.read_transactions;
    s.read_bytes += trans.get_data_length();
  } else if (trans.is_write()) {
    ++s.write_transactions;
    s.write_bytes += trans.get_data_length();
  }

  seen.sequence = next_sequence_++;
  seen.channel = channel;
  seen.forwarded = sc_core::sc_time_stamp();
  trans.set_address(local);
  channels[channel]->b_transport(trans, delay);
  trans.set_address(global);
  if (!observers_.empty()) {
    seen.completion = sc_core::sc_time_stamp() + delay;
    seen.response = trans.get_response_status();
    for (const auto& observe : observers_) observe(seen);
  }
}

unsigned AxiInterconnect::transport_dbg(int master_index, tlm::tlm_generic_payload& trans) {
  (void)master_index;
  const uint64_t global = trans.get_address();
  const Region* region = decode(global, trans.get_data_length(), last_debug_region_);
  if (region == nullptr) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return 0;
  }
  trans.set_address(global - region->base);
  const unsigned done = channels[region->channel]->transport_dbg(trans);
  trans.set_address(global);
  return done;
}

bool AxiInterconnect::get_direct_mem_ptr(int master_index, tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) {
  (void)master_index;
  const uint64_t global = trans.get_address();
  const Region* region = decode(global, 1, last_debug_region_);
  if (region == nullptr) {
    // No DMI where nothing is mapped: refuse the address alone (the next region may start after it).
    dmi.allow_none();
    dmi.set_start_address(global);
    dmi.set_end_address(global);
    return false;
  }
  trans.set_address(global - region->base);
  const bool granted = channels[region->channel]->get_direct_mem_ptr(trans, dmi);
  trans.set_address(global);
  // The channel's range (channel-local, holding the address asked for) clipped to the region, made global.
  dmi.set_start_address(region->base + dmi.get_start_address());
  dmi.set_end_address(region->base + std::min<uint64_t>(dmi.get_end_address(), region->size - 1));
  return granted;
}

void AxiInterconnect::invalidate_direct_mem_ptr(int channel_index, sc_dt::uint64 start, sc_dt::uint64 end) {
  for (const Region& r : regions_) {
    if (r.channel != static_cast<unsigned>(channel_index) || start > r.size - 1) continue;
    const uint64_t last = std::min<uint64_t>(end, r.size - 1);
    for (unsigned m = 0; m < masters.size(); ++m) masters[m]->invalidate_direct_mem_ptr(r.base + start, r.base + last);
  }
}

AxiInterconnect::LinkStats AxiInterconnect::stats(unsigned master_index, unsigned channel_index) const {
  auto it = stats_.find({master_index, channel_index});
  return it == stats_.end() ? LinkStats{} : it->second;
}

}  // namespace vp
