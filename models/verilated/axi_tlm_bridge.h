#pragma once
// Connects the pins of a Verilated AXI4 master port (m_axi_*) to the platform's TLM-2.0
// interconnect. Each accepted AR burst, and each AW burst once its W data is complete, becomes
// one LT b_transport issued from a pool of worker threads, so up to max_reads reads and
// max_writes writes are inside the memory system at once, as the RTL's outstanding transactions
// would be. Read data is returned on R one beat per clock, in AR order, from the moment the
// burst's b_transport has returned; B responses follow in AW order. READY/VALID are honoured
// both ways: ARREADY/AWREADY drop at the outstanding limits, R and B wait for the RTL's READY.
//
// The owner (VerilatedKernel) calls, for every rising clock edge:
//   drive(in_reset)     set this port's RTL inputs for the coming edge,
//   sample()            after the model has settled, read the port's signals,
//   edge(signals, now)  take the handshakes of this edge and move the transactions on.
// Supports INCR bursts of full or narrow beats, any WSTRB pattern (a write with holes becomes
// one b_transport per run of enabled bytes: memory models here take no byte enables), data
// buses of 32..512 bits. FIXED and WRAP bursts get SLVERR and are reported in error().
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/axi/axi_protocol_checker.h"
#include "models/verilated/verilated_pins.h"

namespace vp {

struct AxiBridgeConfig {
  uint32_t max_reads = 16;   // read bursts accepted and not fully returned; ARREADY low at the limit
  uint32_t max_writes = 16;  // write bursts accepted and not answered; AWREADY (and WREADY) low at the limit
};

struct AxiBridgeStats {
  uint64_t read_bursts = 0, write_bursts = 0;
  uint64_t read_bytes = 0, write_bytes = 0;  // bytes moved through the socket
  uint64_t r_beats = 0, w_beats = 0;
  // Most transactions inside the memory system at once (b_transport calls in progress).
  uint32_t max_reads_in_memory = 0, max_writes_in_memory = 0;
  sc_core::sc_time read_latency_total = sc_core::SC_ZERO_TIME;  // AR handshake -> RLAST handshake
};

class AxiTlmBridge : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<AxiTlmBridge> socket;

  AxiTlmBridge(const sc_core::sc_module_name& name, const AxiMasterPins& pins, const AxiBridgeConfig& config);
  ~AxiTlmBridge() override;

  // In reset every VALID and READY this side drives is low.
  void drive(bool in_reset);
  const AxiPortSignals& sample(bool in_reset);
  void edge(const AxiPortSignals& s, const sc_core::sc_time& now);

  // Nothing accepted from the RTL that has not been answered.
  bool idle() const;
  uint32_t reads_in_flight() const { return static_cast<uint32_t>(reads_.size()); }
  uint32_t writes_in_flight() const { return static_cast<uint32_t>(aw_waiting_.size() + writes_.size()); }
  uint32_t reads_in_memory() const { return reads_in_memory_; }
  uint32_t writes_in_memory() const { return writes_in_memory_; }
  const AxiBridgeStats& stats() const { return stats_; }
  // First error (empty if none): TLM error response or unsupported burst, with address and time.
  const std::string& error() const { return error_; }
  const AxiBridgeConfig& config() const { return config_; }

 private:
  struct Burst {
    bool write = false;
    uint64_t address = 0;  // AxADDR
    uint64_t start = 0;    // AxADDR aligned down to the beat size: first byte of the transfer
    uint32_t beats = 0;
    uint32_t size_bytes = 0;
    uint32_t burst_type = 1;
    std::vector<uint8_t> data;     // beats * size_bytes, in address order
    std::vector<uint8_t> enabled;  // writes: 1 per byte whose strobe was set
    bool done = false;             // the memory side has finished
    uint32_t resp = 0;             // AXI response code
    uint32_t next_beat = 0;        // reads: beats already returned on R
    sc_core::sc_time accepted;
  };
  // Raw W beats of one burst, kept until the AW that places them is known.
  struct WBeats {
    std::vector<uint8_t> data;  // beat after beat, data_bytes each
    std::vector<uint64_t> strb;
  };

  void worker();
  void execute(Burst& b);
  tlm::tlm_response_status transport(tlm::tlm_command cmd, uint64_t address, uint8_t* data, uint32_t bytes);
  void record_error(const Burst& b, const std::string& what);
  void pair_writes();
  // Hands an accepted burst (its write data paired) to the workers; a non-INCR burst is answered
  // SLVERR at once instead.
  void submit(Burst& b);
  std::unique_ptr<Burst> new_burst(bool write, uint64_t addr, uint32_t len, uint32_t size, uint32_t burst);
  void drive_r_beat();

  AxiMasterPins pins_;
  AxiBridgeConfig config_;
  uint32_t data_bytes_;
  AxiPortSignals signals_;

  std::deque<std::unique_ptr<Burst>> reads_;       // AR order; R beats from the front once done
  std::deque<std::unique_ptr<Burst>> aw_waiting_;  // AW accepted, W data not complete yet
  std::deque<WBeats> w_complete_;                  // W bursts (WLAST seen) that ran ahead of their AW
  WBeats w_current_;                               // W beats of the burst in progress
  std::deque<std::unique_ptr<Burst>> writes_;      // AW and W complete, in AW order; B from the front
  std::deque<Burst*> jobs_;                        // waiting for a worker
  sc_core::sc_event job_event_;
  // The pins hold an idle port's values (out of reset, nothing accepted): the model never writes
  // its inputs, so drive() has nothing to do until a burst comes (most ports idle most edges).
  bool driven_idle_ = false;
  const Burst* r_driven_ = nullptr;  // the burst and beat now on RDATA
  uint32_t r_driven_beat_ = 0;

  uint32_t reads_in_memory_ = 0, writes_in_memory_ = 0;
  AxiBridgeStats stats_;
  std::string error_;
};

}  // namespace vp
