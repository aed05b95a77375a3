#pragma once
// One kernel m_axi master port at transaction level: it issues queued AXI bursts through its
// TLM socket with up to `max_outstanding` in flight, one address per kernel cycle, and data
// beats serialized at one beat per cycle on the R and W channels. Also gives the kernel a
// zero-time functional view of memory (debug transport, or TLM DMI read pointers where the
// memory grants them) through the same interconnect path.
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/axi/axi_burst.h"

namespace vp {

struct AxiPortConfig {
  uint32_t beat_bytes = 64;  // data width / 8
  sc_core::sc_time cycle = sc_core::sc_time(10, sc_core::SC_NS);
  uint32_t max_outstanding = 16;
  // Bursts replay accesses the kernel already made functionally: mark them timing-only.
  bool timing_only = false;
};

struct AxiPortStats {
  uint64_t read_bursts = 0, write_bursts = 0;
  uint64_t read_bytes = 0, write_bytes = 0;
  uint64_t read_beats = 0, write_beats = 0;
  sc_core::sc_time read_latency_total = sc_core::SC_ZERO_TIME;  // address issue -> last beat
};

// What a recorder (traces/) sees of each completed burst.
struct AxiTransactionRecord {
  uint32_t port = 0;
  bool write = false;
  uint64_t address = 0;
  uint32_t bytes = 0;
  sc_core::sc_time issue, complete;
};

class AxiMasterPort : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<AxiMasterPort> socket;

  AxiMasterPort(sc_core::sc_module_name name, uint32_t port_index, const AxiPortConfig& config);

  void enqueue_read(const AxiBurst& burst);
  void enqueue_write(const AxiBurst& burst, const uint8_t* data);
  bool idle() const { return queue_.empty() && in_flight_ == 0; }
  // Bursts issued and not yet complete, and bursts waiting for a free slot (for a hang report).
  uint32_t in_flight() const { return in_flight_; }
  size_t queued() const { return queue_.size(); }
  const sc_core::sc_event& idle_event() const { return idle_event_; }

  // Zero-time functional access; throws naming the port and address when it is not mapped.
  void debug_read(uint64_t address, void* dst, uint32_t bytes);
  void debug_write(uint64_t address, const void* src, uint32_t bytes);
  // The bytes [address, address + bytes) in the memory itself, read-only, when the target grants TLM
  // DMI for all of them; else null (then debug_read them). Grants and refusals are kept per range until
  // the target invalidates them, so asking again costs a lookup.
  const uint8_t* dmi_read_pointer(uint64_t address, uint32_t bytes);

  const AxiPortStats& stats() const { return stats_; }
  // First error response seen (empty if none): port, direction, address, response, time.
  const std::string& error() const { return error_; }
  void set_observer(std::function<void(const AxiTransactionRecord&)> observer) { observer_ = std::move(observer); }
  uint32_t index() const { return port_index_; }

 private:
  struct Pending {
    AxiBurst burst;
    bool write;
    std::vector<uint8_t> data;  // write payload
  };
  void worker(uint32_t slot);
  // Plays one burst whose slot is free from `start` on; returns when its last beat is taken (for a
  // read possibly later than the call returns).
  sc_core::sc_time execute(Pending& p, uint32_t slot, const sc_core::sc_time& start);
  void debug_access(tlm::tlm_command cmd, uint64_t address, void* data, uint32_t bytes);
  void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);

  uint32_t port_index_;
  AxiPortConfig config_;
  std::deque<Pending> queue_;
  uint32_t in_flight_ = 0;
  uint32_t writes_in_flight_ = 0;  // write bursts between their pop and their response
  sc_core::sc_event work_event_, idle_event_;
  sc_core::sc_time address_free_, read_data_free_, write_data_free_;
  AxiPortStats stats_;
  std::string error_;
  std::function<void(const AxiTransactionRecord&)> observer_;
  // One read buffer per worker, owned by the port rather than by the worker's frame: SystemC never
  // unwinds a thread still waiting when the simulation ends, so what its frame owns is never freed.
  std::vector<std::vector<uint8_t>> scratch_;
  // One payload per worker, reused burst after burst (a payload allocates its extension array when
  // built); it owns its TimingOnlyExtension when the port marks its bursts timing-only.
  std::vector<std::unique_ptr<tlm::tlm_generic_payload>> payloads_;
  // DMI answers by start address: a grant (read pointer) or a refusal (null) for [start, end].
  struct DmiRange {
    uint64_t end;
    const uint8_t* data;
  };
  std::map<uint64_t, DmiRange> dmi_;
  std::map<uint64_t, DmiRange>::const_iterator dmi_last_ = dmi_.end();  // the range hit last
};

}  // namespace vp
