#include "traces/channel_order_gate.h"

#include <stdexcept>

namespace vp {

ChannelOrderGate::ChannelOrderGate(sc_core::sc_module_name name)
    : sc_module(name), target("target"), initiator("initiator") {
  target.register_b_transport(this, &ChannelOrderGate::b_transport);
  target.register_transport_dbg(this, &ChannelOrderGate::transport_dbg);
}

void ChannelOrderGate::enforce(std::vector<uint64_t> order) {
  enforcing_ = true;
  order_ = std::move(order);
  next_ = 0;
}

std::string ChannelOrderGate::waiting_for() const {
  return next_ < order_.size() ? "record " + std::to_string(order_[next_]) : std::string();
}

void ChannelOrderGate::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  if (!enforcing_) {
    initiator->b_transport(trans, delay);
    return;
  }
  const ReplayRecordTag* tag = trans.get_extension<ReplayRecordTag>();
  if (tag == nullptr)
    throw std::logic_error(std::string(name()) + ": transaction without a replay record tag");
  // Out-of-turn requests wait; each pass wakes them in the same delta cycle, so the whole group
  // of same-instant requests still reaches the channel before its controller's next decision.
  while (next_ >= order_.size() || order_[next_] != tag->record) {
    if (next_ >= order_.size())
      throw std::runtime_error(std::string(name()) + ": record " + std::to_string(tag->record) +
                               " is not in this channel's recorded order");
    sc_core::wait(turn_);
  }
  ++next_;
  turn_.notify();
  initiator->b_transport(trans, delay);
}

unsigned ChannelOrderGate::transport_dbg(tlm::tlm_generic_payload& trans) { return initiator->transport_dbg(trans); }

}  // namespace vp
