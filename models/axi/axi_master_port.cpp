#include "models/axi/axi_master_port.h"

#include "models/axi/timing_only_extension.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <stdexcept>

namespace vp {
namespace {

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

AxiMasterPort::AxiMasterPort(sc_core::sc_module_name name, uint32_t port_index, const AxiPortConfig& config)
    : sc_module(name), socket("socket"), port_index_(port_index), config_(config) {
  if (config_.beat_bytes == 0 || config_.max_outstanding == 0)
    throw std::invalid_argument(std::string(this->name()) + ": beat_bytes and max_outstanding must be positive");
  socket.register_invalidate_direct_mem_ptr(this, &AxiMasterPort::invalidate_direct_mem_ptr);
  scratch_.assign(config_.max_outstanding, std::vector<uint8_t>(kAxiBoundary));
  for (uint32_t i = 0; i < config_.max_outstanding; ++i) {
    payloads_.push_back(std::make_unique<tlm::tlm_generic_payload>());
    if (config_.timing_only) payloads_.back()->set_extension(new TimingOnlyExtension);
  }
  for (uint32_t i = 0; i < config_.max_outstanding; ++i)
    sc_core::sc_spawn(sc_bind(&AxiMasterPort::worker, this, i), sc_core::sc_gen_unique_name("worker"));
}

void AxiMasterPort::enqueue_read(const AxiBurst& burst) {
  queue_.push_back({burst, false, {}});
  work_event_.notify(sc_core::SC_ZERO_TIME);
}

void AxiMasterPort::enqueue_write(const AxiBurst& burst, const uint8_t* data) {
  queue_.push_back({burst, true, std::vector<uint8_t>(data, data + burst.bytes)});
  work_event_.notify(sc_core::SC_ZERO_TIME);
}

void AxiMasterPort::worker(uint32_t slot) {
  // The slot is busy from its first burst's pop until `free_at` (the last R beat of its last read, or a
  // write's response). A read's R-beat tail is not waited for on its own: the slot takes the next queued
  // burst at once and starts it no earlier than `free_at` (its address wait and the interconnect's
  // latency wait are one timed wait). That pops bursts in the order the slots free up, as waiting would,
  // since read tails end in the order their responses came back; a write in flight could free its slot
  // inside such a tail, so then the tail is waited for as it is.
  bool holding = false;
  sc_core::sc_time free_at = sc_core::SC_ZERO_TIME;
  for (;;) {
    if (holding && (queue_.empty() || writes_in_flight_ > 0)) {
      if (free_at > sc_core::sc_time_stamp()) sc_core::wait(free_at - sc_core::sc_time_stamp());
      holding = false;
      --in_flight_;
      if (idle()) idle_event_.notify(sc_core::SC_ZERO_TIME);
      continue;
    }
    if (queue_.empty()) {
      sc_core::wait(work_event_);
      continue;
    }
    Pending p = std::move(queue_.front());
    queue_.pop_front();
    if (!holding) ++in_flight_;
    holding = true;
    free_at = execute(p, slot, std::max(free_at, sc_core::sc_time_stamp()));
  }
}

sc_core::sc_time AxiMasterPort::execute(Pending& p, uint32_t slot, const sc_core::sc_time& start) {
  using sc_core::sc_time_stamp;
  const sc_core::sc_time beats_time = config_.cycle * double(p.burst.beats);
  // Address channel: one AR/AW per cycle, from `start` (when the slot is free) on.
  const sc_core::sc_time issue = std::max(start, address_free_);
  address_free_ = issue + config_.cycle;
  // The request leaves the port at `issue` (a write after its W beats, one per cycle); the wait until
  // then is the delay annotated on the transaction, which the interconnect folds into its own.
  sc_core::sc_time send = issue;
  if (p.write) {
    const sc_core::sc_time w_start = std::max(issue, write_data_free_);
    write_data_free_ = w_start + beats_time;
    send = write_data_free_;
    ++writes_in_flight_;
  }
  tlm::tlm_generic_payload& gp = *payloads_[slot];
  gp.set_command(p.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  gp.set_address(p.burst.address);
  gp.set_data_ptr(p.write ? p.data.data() : scratch_[slot].data());
  gp.set_data_length(p.burst.bytes);
  gp.set_streaming_width(p.burst.bytes);
  gp.set_byte_enable_ptr(nullptr);
  gp.set_dmi_allowed(false);
  gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = send - sc_time_stamp();
  socket->b_transport(gp, delay);
  if (delay > sc_core::SC_ZERO_TIME) sc_core::wait(delay);
  sc_core::sc_time end = sc_time_stamp();
  if (p.write) {
    --writes_in_flight_;
  } else {
    // R beats arrive one per cycle; the burst is done when its last beat is taken (the slot waits for
    // that before its next burst, see worker).
    end = std::max(end, read_data_free_ + beats_time);
    read_data_free_ = end;
  }
  if (gp.is_response_error() && error_.empty()) {
    error_ = std::string(name()) + ": " + gp.get_response_string() + " on " + (p.write ? "write" : "read") +
             " of " + std::to_string(p.burst.bytes) + " bytes at " + hex(p.burst.address) + " at " +
             end.to_string();
  }
  if (p.write) {
    ++stats_.write_bursts;
    stats_.write_bytes += p.burst.bytes;
    stats_.write_beats += p.burst.beats;
  } else {
    ++stats_.read_bursts;
    stats_.read_bytes += p.burst.bytes;
    stats_.read_beats += p.burst.beats;
    stats_.read_latency_total += end - issue;
  }
  if (observer_) observer_({port_index_, p.write, p.burst.address, p.burst.bytes, issue, end});
  return end;
}

void AxiMasterPort::debug_access(tlm::tlm_command cmd, uint64_t address, void* data, uint32_t bytes) {
  tlm::tlm_generic_payload gp;
  gp.set_command(cmd);
  gp.set_address(address);
  gp.set_data_ptr(static_cast<unsigned char*>(data));
  gp.set_data_length(bytes);
  gp.set_streaming_width(bytes);
  const unsigned done = socket->transport_dbg(gp);
  if (done != bytes)
    throw std::runtime_error(std::string(name()) + ": " + (cmd == tlm::TLM_READ_COMMAND ? "read" : "write") + " of " +
                             std::to_string(bytes) + " bytes at " + hex(address) +
                             " is outside mapped device memory (" + std::to_string(done) + " bytes reached)");
}

const uint8_t* AxiMasterPort::dmi_read_pointer(uint64_t address, uint32_t bytes) {
  if (bytes == 0) return nullptr;
  const uint64_t last = address + (bytes - 1);
  auto covering = [&](std::map<uint64_t, DmiRange>::const_iterator it) {
    return it != dmi_.end() && it->first <= address && address <= it->second.end;
  };
  if (!covering(dmi_last_)) {
    auto it = dmi_.upper_bound(address);
    if (it != dmi_.begin() && covering(std::prev(it))) {
      dmi_last_ = std::prev(it);
    } else {
      tlm::tlm_generic_payload gp;
      gp.set_command(tlm::TLM_READ_COMMAND);
      gp.set_address(address);
      gp.set_data_length(bytes);
      tlm::tlm_dmi dmi;
      const bool granted = socket->get_direct_mem_ptr(gp, dmi) && dmi.is_read_allowed();
      uint64_t start = dmi.get_start_address(), end = dmi.get_end_address();
      if (!(start <= address && address <= end)) start = end = address;  // a target that gave no range
      // Keep the answer only where it overlaps no kept range (they do not overlap unless a target
      // changed its mind without invalidating).
      auto next = dmi_.upper_bound(address);
      if (next != dmi_.end() && next->first <= end) end = next->first - 1;
      if (next != dmi_.begin() && std::prev(next)->second.end >= start) start = std::prev(next)->second.end + 1;
      const uint8_t* data = granted ? dmi.get_dmi_ptr() + (start - dmi.get_start_address()) : nullptr;
      dmi_last_ = dmi_.emplace(start, DmiRange{end, data}).first;
    }
  }
  const DmiRange& r = dmi_last_->second;
  if (r.data == nullptr || last > r.end) return nullptr;  // refused, or the bytes run past the grant
  return r.data + (address - dmi_last_->first);
}

void AxiMasterPort::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end) {
  for (auto it = dmi_.begin(); it != dmi_.end();)
    it = it->first <= end && start <= it->second.end ? dmi_.erase(it) : std::next(it);
  dmi_last_ = dmi_.end();
}

void AxiMasterPort::debug_read(uint64_t address, void* dst, uint32_t bytes) {
  debug_access(tlm::TLM_READ_COMMAND, address, dst, bytes);
}

void AxiMasterPort::debug_write(uint64_t address, const void* src, uint32_t bytes) {
  debug_access(tlm::TLM_WRITE_COMMAND, address, const_cast<void*>(src), bytes);
}

}  // namespace vp
