#pragma once
// Watches one AXI4 (or AXI4-Lite) port at every rising clock edge and reports the first rule the
// two sides break, with the port, the time, the rule and the signal values involved:
//   - a VALID dropped before its READY, or a payload changed while VALID && !READY
//     (AW, W, B, AR, R; address, length, size, burst, ID, data, strobes, LAST, response);
//   - AxBURST reserved, AxSIZE wider than the bus, INCR longer than 256 beats or crossing a
//     4 KiB boundary, WRAP not 2/4/8/16 beats or unaligned, FIXED longer than 16 beats;
//   - WLAST on the wrong beat of its burst (W data may run ahead of AW: checked when both known);
//   - an R beat without an outstanding read of its ID, RLAST on the wrong beat;
//   - a B response without a write whose AW and last W beat were both accepted;
//   - a VALID high while reset is asserted.
// Plain C++ with no SystemC process: the owner samples the pins and calls check() per edge, so
// the checker can also be driven directly by a unit test.
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <systemc>

namespace vp {

// The port's signals as sampled just before one rising edge. Data buses are given as pointers
// to data_bytes bytes (nullptr: not compared). A channel's payload is looked at only while its
// VALID is high, so a sampler may leave it stale otherwise.
struct AxiPortSignals {
  bool reset = false;  // reset asserted at this edge

  bool aw_valid = false, aw_ready = false;
  uint64_t aw_addr = 0;
  uint32_t aw_len = 0, aw_size = 0, aw_burst = 1, aw_id = 0;

  bool w_valid = false, w_ready = false, w_last = false;
  uint64_t w_strb = 0;
  const uint8_t* w_data = nullptr;

  bool b_valid = false, b_ready = false;
  uint32_t b_resp = 0, b_id = 0;

  bool ar_valid = false, ar_ready = false;
  uint64_t ar_addr = 0;
  uint32_t ar_len = 0, ar_size = 0, ar_burst = 1, ar_id = 0;

  bool r_valid = false, r_ready = false, r_last = false;
  uint32_t r_resp = 0, r_id = 0;
  const uint8_t* r_data = nullptr;
};

struct AxiViolation {
  std::string port;
  std::string rule;     // what was broken, e.g. "ARVALID dropped before ARREADY"
  std::string signals;  // the values that show it
  sc_core::sc_time time;

  // "AXI protocol violation on <port> at <time>: <rule> (<signals>)"
  std::string message() const;
};

struct AxiCheckerConfig {
  bool lite = false;          // AXI4-Lite: single-beat transfers, no burst fields or LAST
  uint32_t data_bytes = 64;   // data bus width / 8
  uint64_t boundary = 4096;   // bursts may not cross a multiple of this
};

class AxiProtocolChecker {
 public:
  AxiProtocolChecker(std::string port, const AxiCheckerConfig& config);

  // Checks one rising edge. Returns false when this edge breaks a rule (the violation is then
  // kept and later edges are no longer checked) or a violation was found before.
  bool check(const AxiPortSignals& s, const sc_core::sc_time& now);

  const std::optional<AxiViolation>& violation() const { return violation_; }
  const std::string& port() const { return port_; }

  // What the checker has seen so far.
  uint64_t read_bursts() const { return read_bursts_; }    // AR handshakes
  uint64_t write_bursts() const { return write_bursts_; }  // AW handshakes
  // Most read bursts outstanding at once: AR accepted, RLAST not yet accepted.
  uint32_t max_outstanding_reads() const { return max_outstanding_reads_; }
  // Most write bursts outstanding at once: AW accepted, B not yet accepted.
  uint32_t max_outstanding_writes() const { return max_outstanding_writes_; }

 private:
  struct AddressPayload {
    uint64_t addr = 0;
    uint32_t len = 0, size = 0, burst = 0, id = 0;
    bool operator==(const AddressPayload& o) const {
      return addr == o.addr && len == o.len && size == o.size && burst == o.burst && id == o.id;
    }
  };
  struct ReadBurst {
    uint32_t beats = 0;  // AxLEN + 1
    uint32_t seen = 0;
  };
  struct WriteBurst {
    uint32_t id = 0;
    bool has_aw = false;
    uint32_t aw_beats = 0;
    uint32_t w_beats = 0;  // W beats accepted for this burst
    bool w_done = false;   // its last W beat was accepted
  };

  void fail(const std::string& rule, const std::string& signals, const sc_core::sc_time& now);
  bool check_stability(const AxiPortSignals& s, const sc_core::sc_time& now);
  bool check_address(const char* channel, const AddressPayload& a, const sc_core::sc_time& now);
  bool check_handshakes(const AxiPortSignals& s, const sc_core::sc_time& now);
  void remember(const AxiPortSignals& s);
  void reset_state();

  std::string port_;
  AxiCheckerConfig config_;
  std::optional<AxiViolation> violation_;

  // Previous edge, for the stability rules.
  bool aw_stalled_ = false, w_stalled_ = false, b_stalled_ = false, ar_stalled_ = false, r_stalled_ = false;
  AddressPayload aw_prev_, ar_prev_;
  uint64_t w_strb_prev_ = 0;
  bool w_last_prev_ = false;
  std::vector<uint8_t> w_data_prev_, r_data_prev_;
  bool w_data_known_ = false, r_data_known_ = false;
  uint32_t b_resp_prev_ = 0, b_id_prev_ = 0;
  uint32_t r_resp_prev_ = 0, r_id_prev_ = 0;
  bool r_last_prev_ = false;

  // Transactions in flight.
  std::map<uint32_t, std::deque<ReadBurst>> reads_;  // per ARID, in AR order
  uint32_t outstanding_reads_ = 0;
  std::deque<WriteBurst> writes_;  // in W order (= AW order), until their B
  size_t next_aw_ = 0;             // first burst of writes_ still waiting for its AW
  size_t w_index_ = 0;             // burst of writes_ the next W beat belongs to
  uint32_t outstanding_writes_ = 0;

  uint64_t read_bursts_ = 0, write_bursts_ = 0;
  uint32_t max_outstanding_reads_ = 0, max_outstanding_writes_ = 0;
};

}  // namespace vp
