#pragma once
// A pass-through stage between the interconnect and one DRAM channel, used by a recorded-timing
// replay: it lets transactions into the channel only in the recorded forwarding order. Requests
// that reach the channel at the same instant are queued in that order, so the channel's FR-FCFS
// decisions come out as in the recorded run (SystemC itself picks an arbitrary order among
// same-time events). Each payload carries a ReplayRecordTag naming its trace record. Not
// enforcing, it is a plain wire.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

namespace vp {

// Which trace record a replayed payload re-issues.
struct ReplayRecordTag : tlm::tlm_extension<ReplayRecordTag> {
  uint64_t record = 0;
  explicit ReplayRecordTag(uint64_t r = 0) : record(r) {}
  tlm::tlm_extension_base* clone() const override { return new ReplayRecordTag(record); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    record = static_cast<const ReplayRecordTag&>(other).record;
  }
};

class ChannelOrderGate : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<ChannelOrderGate> target;        // from the interconnect
  tlm_utils::simple_initiator_socket<ChannelOrderGate> initiator;  // to the DRAM channel

  // Passes everything straight through until enforce() is called.
  explicit ChannelOrderGate(sc_core::sc_module_name name);
  // From now on lets transactions in only as `order` lists them (trace record numbers).
  void enforce(std::vector<uint64_t> order);

  // Records let through so far, and the one the gate waits for (when not all passed).
  size_t passed() const { return next_; }
  size_t expected() const { return order_.size(); }
  // "record 1234" or "" when every record passed.
  std::string waiting_for() const;

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned transport_dbg(tlm::tlm_generic_payload& trans);

  bool enforcing_ = false;
  std::vector<uint64_t> order_;
  size_t next_ = 0;
  sc_core::sc_event turn_;
};

}  // namespace vp
