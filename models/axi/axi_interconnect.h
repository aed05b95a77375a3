#pragma once
// AXI crossbar / HBM switch between the kernel's AXI master ports (and the PCIe DMA) and the
// memory channels. It decodes a global address to (channel, channel-local address), charges the
// switch latency and forwards the transaction. On the U280 HBM the 32 pseudo-channels hang off
// 8 switches of 4; a master whose home switch is not the target's switch pays a hop per switch
// crossed. A DDR crossbar is one switch holding every channel, so nothing pays hops.
#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/config_fields.h"

namespace vp {

struct InterconnectConfig {
  double base_latency_ns = 10.0;   // every access, request path
  double hop_latency_ns = 2.0;     // per switch crossed between the master's home switch and the target's
  unsigned channels_per_switch = 4;

  // Throws std::runtime_error naming `prefix + key` of the first bad value.
  void validate(const std::string& prefix) const;
  // Keys prefix + key, e.g. "interconnect.hop_latency_ns" (models/config_fields.h).
  static const ConfigFields<InterconnectConfig>& fields();
};

// What an observer (traces/) sees of one transaction that entered the interconnect.
struct InterconnectTransaction {
  uint64_t sequence = 0;            // order in which transactions reached their channel (or failed decode)
  unsigned master = 0;
  std::optional<unsigned> channel;  // empty: decode error
  tlm::tlm_command command = tlm::TLM_IGNORE_COMMAND;
  uint64_t address = 0;             // global
  uint32_t length = 0;
  sc_core::sc_time arrival;         // when the request reached the interconnect (call time + annotated delay)
  sc_core::sc_time forwarded;       // when it was handed to the channel
  sc_core::sc_time completion;      // when the response was back at the interconnect
  tlm::tlm_response_status response = tlm::TLM_INCOMPLETE_RESPONSE;
};

class AxiInterconnect : public sc_core::sc_module {
 public:
  struct Region {
    std::string name;
    uint64_t base = 0;
    uint64_t size = 0;
    unsigned channel = 0;
  };

  // A transaction whose address matched no region.
  struct DecodeError {
    uint64_t address = 0;
    unsigned master = 0;
    sc_core::sc_time time;
    std::string message;
  };

  // Traffic of one (master, channel) pair, successful or not, as forwarded to the channel.
  struct LinkStats {
    uint64_t read_transactions = 0;
    uint64_t write_transactions = 0;
    uint64_t read_bytes = 0;
    uint64_t write_bytes = 0;
  };

  tlm_utils::multi_passthrough_target_socket<AxiInterconnect> masters;
  tlm_utils::multi_passthrough_initiator_socket<AxiInterconnect> channels;

  AxiInterconnect(const sc_core::sc_module_name& name, const InterconnectConfig& config);

  // Maps [base, base + size) to channel `channel_index`, local address = global - base.
  // Throws when the region is empty or overlaps an existing one (naming both).
  void add_region(const std::string& name, uint64_t base, uint64_t size, unsigned channel_index);
  // The channel a master sits next to; its switch is the master's home switch. Masters without
  // a home channel pay no hop latency.
  void set_home_channel(unsigned master_index, unsigned channel_index);

  std::vector<Region> regions() const { return regions_; }
  const InterconnectConfig& config() const { return config_; }
  // Latency this interconnect adds to an access from `master_index` to `channel_index`.
  sc_core::sc_time access_latency(unsigned master_index, unsigned channel_index) const;

  const std::optional<DecodeError>& last_error() const { return last_error_; }
  uint64_t decode_errors() const { return decode_errors_; }
  // Zeroes for a pair that has seen no traffic.
  LinkStats stats(unsigned master_index, unsigned channel_index) const;
  // Every pair that has seen traffic, ordered by (master, channel).
  const std::map<std::pair<unsigned, unsigned>, LinkStats>& all_stats() const { return stats_; }
  // Each observer is called once per transaction from b_transport, when it completes, in the order
  // they were added (the trace recorder, the per-channel traffic series of traces/).
  void add_observer(std::function<void(const InterconnectTransaction&)> observer) {
    observers_.push_back(std::move(observer));
  }

 private:
  void end_of_elaboration() override;

  void b_transport(int master_index, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned transport_dbg(int master_index, tlm::tlm_generic_payload& trans);
  // DMI passes through with the region's offset applied both ways, its range clipped to the region
  // (a grant or a refusal); an invalidation from a channel reaches every master in global addresses.
  bool get_direct_mem_ptr(int master_index, tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
  void invalidate_direct_mem_ptr(int channel_index, sc_dt::uint64 start, sc_dt::uint64 end);

  // The region holding the whole of [address, address + length), or nullptr. `last` caches the regions_
  // index matched last (speed only): timed and debug transport keep one each, as the fast kernel's
  // functional accesses (debug transport, DMI) come from a host thread of their own during a call.
  const Region* decode(uint64_t address, uint64_t length, size_t& last) const;
  void record_decode_error(uint64_t address, unsigned master_index);

  InterconnectConfig config_;
  std::vector<Region> regions_;
  std::map<unsigned, unsigned> home_channel_;
  std::map<std::pair<unsigned, unsigned>, LinkStats> stats_;
  // [master][channel]: the pair's stats_ entry (once it has one) and access_latency (speed only: found
  // once per pair, as an sc_time built from nanoseconds costs more than a transaction's other work).
  struct Link {
    LinkStats* stats = nullptr;
    sc_core::sc_time latency;
    bool latency_known = false;
  };
  std::vector<std::vector<Link>> links_;
  // The pair's entry, made on first use (a reference only until links_ grows: find it again after a wait).
  Link& link(unsigned master_index, unsigned channel_index);
  size_t last_region_ = SIZE_MAX;        // regions_ index b_transport's decode matched last (speed only)
  size_t last_debug_region_ = SIZE_MAX;  // the same for transport_dbg and get_direct_mem_ptr
  std::optional<DecodeError> last_error_;
  uint64_t decode_errors_ = 0;
  uint64_t next_sequence_ = 0;
  std::vector<std::function<void(const InterconnectTransaction&)>> observers_;
};

}  // namespace vp
