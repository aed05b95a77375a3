#include "models/axi_master_port.h"

#include "models/timing_only_extension.h"

#include <algorithm>
#include <cstdio>
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
  scratch_.assign(config_.max_outstanding, std::vector<uint8_t>(kAxiBoundary));
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
  std::vector<uint8_t>& scratch = scratch_[slot];
  for (;;) {
    while (queue_.empty()) sc_core::wait(work_event_);
    Pending p = std::move(queue_.front());
    queue_.pop_front();
    ++in_flight_;
    execute(p, scratch);
    --in_flight_;
    if (idle()) idle_event_.notify(sc_core::SC_ZERO_TIME);
  }
}

void AxiMasterPort::execute(Pending& p, std::vector<uint8_t>& scratch) {
  using sc_core::sc_time_stamp;
  const sc_core::sc_time beats_time = config_.cycle * double(p.burst.beats);
  // Address channel: one AR/AW per cycle.
  const sc_core::sc_time issue = std::max(sc_time_stamp(), address_free_);
  address_free_ = issue + config_.cycle;
  if (issue > sc_time_stamp()) sc_core::wait(issue - sc_time_stamp());
  if (p.write) {
    // W beats leave the port one per cycle before the memory can complete the write.
    const sc_core::sc_time w_start = std::max(sc_time_stamp(), write_data_free_);
    write_data_free_ = w_start + beats_time;
    sc_core::wait(write_data_free_ - sc_time_stamp());
  }
  tlm::tlm_generic_payload gp;
  gp.set_command(p.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  gp.set_address(p.burst.address);
  gp.set_data_ptr(p.write ? p.data.data() : scratch.data());
  gp.set_data_length(p.burst.bytes);
  gp.set_streaming_width(p.burst.bytes);
  gp.set_byte_enable_ptr(nullptr);
  gp.set_dmi_allowed(false);
  gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  TimingOnlyExtension timing_only;
  if (config_.timing_only) gp.set_extension(&timing_only);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  socket->b_transport(gp, delay);
  if (config_.timing_only) gp.clear_extension(&timing_only);  // stack object: detach before gp dies
  if (delay > sc_core::SC_ZERO_TIME) sc_core::wait(delay);
  if (!p.write) {
    // R beats arrive one per cycle; the burst is done when its last beat is taken.
    const sc_core::sc_time r_end = std::max(sc_time_stamp(), read_data_free_ + beats_time);
    read_data_free_ = r_end;
    if (r_end > sc_time_stamp()) sc_core::wait(r_end - sc_time_stamp());
  }
  if (gp.is_response_error() && error_.empty()) {
    error_ = std::string(name()) + ": " + gp.get_response_string() + " on " + (p.write ? "write" : "read") +
             " of " + std::to_string(p.burst.bytes) + " bytes at " + hex(p.burst.address) + " at " +
             sc_time_stamp().to_string();
  }
  if (p.write) {
    ++stats_.write_bursts;
    stats_.write_bytes += p.burst.bytes;
    stats_.write_beats += p.burst.beats;
  } else {
    ++stats_.read_bursts;
    stats_.read_bytes += p.burst.bytes;
    stats_.read_beats += p.burst.beats;
    stats_.read_latency_total += sc_time_stamp() - issue;
  }
  if (observer_) observer_({port_index_, p.write, p.burst.address, p.burst.bytes, issue, sc_time_stamp()});
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

void AxiMasterPort::debug_read(uint64_t address, void* dst, uint32_t bytes) {
  debug_access(tlm::TLM_READ_COMMAND, address, dst, bytes);
}

void AxiMasterPort::debug_write(uint64_t address, const void* src, uint32_t bytes) {
  debug_access(tlm::TLM_WRITE_COMMAND, address, const_cast<void*>(src), bytes);
}

}  // namespace vp
