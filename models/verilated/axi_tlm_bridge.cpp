#include "models/verilated/axi_tlm_bridge.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "models/verilated/axi_pin_sampling.h"
#include "sw/hex_format.h"

namespace vp {
namespace {

constexpr uint32_t kRespOkay = 0, kRespSlverr = 2, kRespDecerr = 3;
constexpr uint32_t kBurstIncr = 1;

}  // namespace

AxiTlmBridge::AxiTlmBridge(const sc_core::sc_module_name& name, const AxiMasterPins& pins,
                           const AxiBridgeConfig& config)
    : sc_module(name), socket("socket"), pins_(pins), config_(config), data_bytes_(pins.data_bytes()) {
  const std::string where = std::string(this->name()) + ": ";
  if (config_.max_reads == 0 || config_.max_writes == 0)
    throw std::invalid_argument(where + "max_reads and max_writes must be positive");
  if (data_bytes_ < 4 || data_bytes_ > 64 || (data_bytes_ & (data_bytes_ - 1)) != 0)
    throw std::invalid_argument(where + "data bus of " + std::to_string(data_bytes_ * 8) +
                                " bits: expected a power of two from 32 to 512");
  // A read-only port (the Llama kernel's weight ports) has no WDATA pins.
  if (pins_.wdata.bytes() != 0 && pins_.wdata.bytes() != data_bytes_)
    throw std::invalid_argument(where + "WDATA and RDATA have different widths");
  // One worker per transaction that may be in the memory system at once.
  for (uint32_t i = 0; i < config_.max_reads + config_.max_writes; ++i)
    sc_core::sc_spawn(sc_bind(&AxiTlmBridge::worker, this), sc_core::sc_gen_unique_name("worker"));
}

AxiTlmBridge::~AxiTlmBridge() = default;

bool AxiTlmBridge::idle() const {
  return reads_.empty() && aw_waiting_.empty() && w_complete_.empty() && w_current_.strb.empty() && writes_.empty();
}

// ---- clock side ------------------------------------------------------------------------------

void AxiTlmBridge::drive(bool in_reset) {
  const bool idle_out_of_reset = !in_reset && idle();
  if (idle_out_of_reset && driven_idle_) return;
  driven_idle_ = idle_out_of_reset;
  pins_.arready.set(!in_reset && reads_.size() < config_.max_reads);
  pins_.awready.set(!in_reset && aw_waiting_.size() + writes_.size() < config_.max_writes);
  pins_.wready.set(!in_reset && w_complete_.size() < config_.max_writes);
  const bool b_valid = !writes_.empty() && writes_.front()->done;
  pins_.bvalid.set(b_valid);
  pins_.bresp.set(b_valid ? writes_.front()->resp : 0);
  const bool r_valid = !reads_.empty() && reads_.front()->done;
  pins_.rvalid.set(r_valid);
  if (r_valid) {
    const Burst& b = *reads_.front();
    pins_.rlast.set(b.next_beat + 1 == b.beats);
    pins_.rresp.set(b.resp);
    drive_r_beat();
  } else {
    pins_.rlast.set(0);
    pins_.rresp.set(0);
  }
}

void AxiTlmBridge::drive_r_beat() {
  const Burst& b = *reads_.front();
  if (r_driven_ == &b && r_driven_beat_ == b.next_beat) return;  // held while RREADY is low
  r_driven_ = &b;
  r_driven_beat_ = b.next_beat;
  uint8_t* rdata = pins_.rdata.data();
  const uint64_t beat_address = b.start + uint64_t{b.next_beat} * b.size_bytes;
  const uint32_t lane = static_cast<uint32_t>(beat_address % data_bytes_);
  if (b.size_bytes != data_bytes_) std::memset(rdata, 0, data_bytes_);
  std::memcpy(rdata + lane, b.data.data() + size_t{b.next_beat} * b.size_bytes, b.size_bytes);
}

const AxiPortSignals& AxiTlmBridge::sample(bool in_reset) {
  AxiPortSignals& s = signals_;
  s.reset = in_reset;
  sample_axi_lite_signals(pins_, s);  // payloads only under VALID, as the burst fields below
  if (s.aw_valid) {
    s.aw_len = static_cast<uint32_t>(pins_.awlen.get());
    s.aw_size = static_cast<uint32_t>(pins_.awsize.get());
    s.aw_burst = static_cast<uint32_t>(pins_.awburst.get());
    s.aw_id = static_cast<uint32_t>(pins_.awid.get());
  }
  if (s.w_valid) s.w_last = pins_.wlast.get();
  s.w_data = pins_.wdata.data();
  if (s.b_valid) s.b_id = static_cast<uint32_t>(pins_.bid.get());
  if (s.ar_valid) {
    s.ar_len = static_cast<uint32_t>(pins_.arlen.get());
    s.ar_size = static_cast<uint32_t>(pins_.arsize.get());
    s.ar_burst = static_cast<uint32_t>(pins_.arburst.get());
    s.ar_id = static_cast<uint32_t>(pins_.arid.get());
  }
  if (s.r_valid) {
    s.r_last = pins_.rlast.get();
    s.r_id = static_cast<uint32_t>(pins_.rid.get());
  }
  s.r_data = pins_.rdata.data();
  return s;
}

std::unique_ptr<AxiTlmBridge::Burst> AxiTlmBridge::new_burst(bool write, uint64_t addr, uint32_t len, uint32_t size,
                                                             uint32_t burst) {
  auto b = std::make_unique<Burst>();
  b->write = write;
  b->address = addr;
  b->beats = len + 1;
  b->size_bytes = std::min<uint32_t>(1u << std::min<uint32_t>(size, 7), data_bytes_);
  b->start = addr & ~uint64_t{b->size_bytes - 1};
  b->burst_type = burst;
  b->data.assign(size_t{b->beats} * b->size_bytes, 0);
  if (write) b->enabled.assign(b->data.size(), 0);
  b->accepted = sc_core::sc_time_stamp();
  return b;
}

void AxiTlmBridge::edge(const AxiPortSignals& s, const sc_core::sc_time& now) {
  if (s.r_valid && s.r_ready && !reads_.empty()) {
    Burst& b = *reads_.front();
    ++b.next_beat;
    ++stats_.r_beats;
    if (b.next_beat == b.beats) {
      stats_.read_latency_total += now - b.accepted;
      if (r_driven_ == &b) r_driven_ = nullptr;
      reads_.pop_front();
    }
  }
  if (s.ar_valid && s.ar_ready) {
    reads_.push_back(new_burst(false, s.ar_addr, s.ar_len, s.ar_size, s.ar_burst));
    ++stats_.read_bursts;
    submit(*reads_.back());
  }
  if (s.b_valid && s.b_ready && !writes_.empty()) writes_.pop_front();
  if (s.aw_valid && s.aw_ready) {
    aw_waiting_.push_back(new_burst(true, s.aw_addr, s.aw_len, s.aw_size, s.aw_burst));
    ++stats_.write_bursts;
  }
  if (s.w_valid && s.w_ready) {
    w_current_.data.insert(w_current_.data.end(), s.w_data, s.w_data + data_bytes_);
    w_current_.strb.push_back(s.w_strb);
    ++stats_.w_beats;
    if (s.w_last) {
      w_complete_.push_back(std::move(w_current_));
      w_current_ = WBeats{};
    }
  }
  pair_writes();
}

void AxiTlmBridge::pair_writes() {
  while (!aw_waiting_.empty() && !w_complete_.empty()) {
    std::unique_ptr<Burst> b = std::move(aw_waiting_.front());
    aw_waiting_.pop_front();
    const WBeats w = std::move(w_complete_.front());
    w_complete_.pop_front();
    // Each beat's bytes sit in the lanes of its address; a count mismatch is the checker's to report.
    const uint32_t beats = std::min<uint32_t>(b->beats, static_cast<uint32_t>(w.strb.size()));
    for (uint32_t k = 0; k < beats; ++k) {
      const uint64_t beat_address = b->start + uint64_t{k} * b->size_bytes;
      const uint32_t lane = static_cast<uint32_t>(beat_address % data_bytes_);
      const size_t offset = size_t{k} * b->size_bytes;
      std::memcpy(b->data.data() + offset, w.data.data() + size_t{k} * data_bytes_ + lane, b->size_bytes);
      const uint64_t lanes = (b->size_bytes == 64 ? ~uint64_t{0} : (uint64_t{1} << b->size_bytes) - 1) << lane;
      if ((w.strb[k] & lanes) == lanes) {
        std::memset(b->enabled.data() + offset, 1, b->size_bytes);  // the usual full beat
        continue;
      }
      for (uint32_t i = 0; i < b->size_bytes; ++i) b->enabled[offset + i] = (w.strb[k] >> (lane + i)) & 1u;
    }
    writes_.push_back(std::move(b));
    submit(*writes_.back());
  }
}

void AxiTlmBridge::submit(Burst& b) {
  if (b.burst_type != kBurstIncr) {
    record_error(b, "unsupported burst type " + std::to_string(b.burst_type) + " (only INCR)");
    b.resp = kRespSlverr;
    b.done = true;
  } else {
    jobs_.push_back(&b);
    job_event_.notify();
  }
}

// ---- memory side -------------------------------------------------------------------------------

void AxiTlmBridge::worker() {
  for (;;) {
    while (jobs_.empty()) sc_core::wait(job_event_);
    Burst* b = jobs_.front();
    jobs_.pop_front();
    execute(*b);
  }
}

tlm::tlm_response_status AxiTlmBridge::transport(tlm::tlm_command cmd, uint64_t address, uint8_t* data,
                                                 uint32_t bytes) {
  tlm::tlm_generic_payload gp;
  gp.set_command(cmd);
  gp.set_address(address);
  gp.set_data_ptr(data);
  gp.set_data_length(bytes);
  gp.set_streaming_width(bytes);
  gp.set_byte_enable_ptr(nullptr);
  gp.set_dmi_allowed(false);
  gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  socket->b_transport(gp, delay);
  if (delay > sc_core::SC_ZERO_TIME) sc_core::wait(delay);
  return gp.get_response_status();
}

void AxiTlmBridge::execute(Burst& b) {
  tlm::tlm_response_status status = tlm::TLM_OK_RESPONSE;
  const uint32_t bytes = static_cast<uint32_t>(b.data.size());
  if (!b.write) {
    stats_.max_reads_in_memory = std::max(stats_.max_reads_in_memory, ++reads_in_memory_);
    status = transport(tlm::TLM_READ_COMMAND, b.start, b.data.data(), bytes);
    --reads_in_memory_;
    if (status == tlm::TLM_OK_RESPONSE) stats_.read_bytes += bytes;
  } else {
    stats_.max_writes_in_memory = std::max(stats_.max_writes_in_memory, ++writes_in_memory_);
    // One transaction per run of enabled bytes (one run when every strobe is set).
    for (uint32_t i = 0; i < bytes && status == tlm::TLM_OK_RESPONSE;) {
      if (!b.enabled[i]) {
        ++i;
        continue;
      }
      uint32_t end = i;
      while (end < bytes && b.enabled[end]) ++end;
      status = transport(tlm::TLM_WRITE_COMMAND, b.start + i, b.data.data() + i, end - i);
      if (status == tlm::TLM_OK_RESPONSE) stats_.write_bytes += end - i;
      i = end;
    }
    --writes_in_memory_;
  }
  if (status != tlm::TLM_OK_RESPONSE) {
    tlm::tlm_generic_payload g;
    g.set_response_status(status);
    record_error(b, g.get_response_string());
  }
  b.resp = status == tlm::TLM_OK_RESPONSE        ? kRespOkay
           : status == tlm::TLM_ADDRESS_ERROR_RESPONSE ? kRespDecerr
                                                       : kRespSlverr;
  b.done = true;
}

void AxiTlmBridge::record_error(const Burst& b, const std::string& what) {
  if (!error_.empty()) return;
  error_ = std::string(name()) + ": " + what + " on " + (b.write ? "write" : "read") + " burst at " +
           hex(b.address) + " (" + std::to_string(b.beats) + " beats of " + std::to_string(b.size_bytes) +
           " bytes) at " + sc_core::sc_time_stamp().to_string();
}

}  // namespace vp
