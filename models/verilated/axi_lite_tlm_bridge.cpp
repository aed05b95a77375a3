#include "models/verilated/axi_lite_tlm_bridge.h"

#include <cstring>
#include <stdexcept>

#include "models/axi/axi_lite_beat.h"
#include "models/verilated/axi_pin_sampling.h"

namespace vp {

AxiLiteTlmBridge::AxiLiteTlmBridge(const sc_core::sc_module_name& name, const AxiLitePins& pins,
                                   unsigned address_bits, std::function<void()> wake)
    : sc_module(name), socket("socket"), pins_(pins), address_bits_(address_bits), wake_(std::move(wake)) {
  if (address_bits_ < 2 || address_bits_ > 32)
    throw std::invalid_argument(std::string(this->name()) + ": address width " + std::to_string(address_bits_) +
                                " bits: expected 2..32");
  socket.register_b_transport(this, &AxiLiteTlmBridge::b_transport);
}

void AxiLiteTlmBridge::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  if (delay > sc_core::SC_ZERO_TIME) sc_core::wait(delay);
  delay = sc_core::SC_ZERO_TIME;
  const tlm::tlm_response_status beat = axi_lite_beat_status(trans, address_bits_);
  if (beat != tlm::TLM_OK_RESPONSE) {
    trans.set_response_status(beat);
    return;
  }
  const uint64_t address = trans.get_address();
  if (!trans.is_read() && !trans.is_write()) {
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  Request request;
  request.write = trans.is_write();
  request.address = static_cast<uint32_t>(address);
  if (request.write) std::memcpy(&request.data, trans.get_data_ptr(), 4);
  queue_.push_back(&request);
  if (wake_) wake_();
  sc_core::wait(request.done);
  if (!request.write) std::memcpy(trans.get_data_ptr(), &request.data, 4);
  trans.set_response_status(request.resp == 0 ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

void AxiLiteTlmBridge::drive(bool in_reset) {
  const Request* r = queue_.empty() || in_reset ? nullptr : queue_.front();
  if (r == nullptr && driven_idle_) return;
  driven_idle_ = r == nullptr;
  const bool write = r != nullptr && r->write;
  const bool read = r != nullptr && !r->write;
  pins_.awvalid.set(write && !r->address_done);
  pins_.awaddr.set(write ? r->address : 0);
  pins_.wvalid.set(write && !r->data_done);
  pins_.wdata.set(write ? r->data : 0);
  pins_.wstrb.set(write ? 0xF : 0);
  pins_.bready.set(1);
  pins_.arvalid.set(read && !r->address_done);
  pins_.araddr.set(read ? r->address : 0);
  pins_.rready.set(1);
}

const AxiPortSignals& AxiLiteTlmBridge::sample(bool in_reset) {
  AxiPortSignals& s = signals_;
  s.reset = in_reset;
  sample_axi_lite_signals(pins_, s);
  if (s.w_valid) w_data_sample_ = static_cast<uint32_t>(pins_.wdata.get());
  s.w_data = reinterpret_cast<const uint8_t*>(&w_data_sample_);
  if (s.r_valid) r_data_sample_ = static_cast<uint32_t>(pins_.rdata.get());
  s.r_data = reinterpret_cast<const uint8_t*>(&r_data_sample_);
  return s;
}

void AxiLiteTlmBridge::edge(const AxiPortSignals& s) {
  if (queue_.empty()) return;
  Request& r = *queue_.front();
  bool finished = false;
  if (r.write) {
    if (s.aw_valid && s.aw_ready) r.address_done = true;
    if (s.w_valid && s.w_ready) r.data_done = true;
    if (s.b_valid && s.b_ready) {
      r.resp = s.b_resp;
      finished = true;
      ++writes_;
    }
  } else {
    if (s.ar_valid && s.ar_ready) r.address_done = true;
    if (s.r_valid && s.r_ready) {
      r.resp = s.r_resp;
      std::memcpy(&r.data, &r_data_sample_, 4);
      finished = true;
      ++reads_;
    }
  }
  if (finished) {
    queue_.pop_front();
    r.done.notify(sc_core::SC_ZERO_TIME);
  }
}

}  // namespace vp
