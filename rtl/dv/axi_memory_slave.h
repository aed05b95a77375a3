#pragma once
// A cycle-level AXI4 slave on a flat byte array, for testbenches that run a Verilated kernel
// without the SoC: by default every AR/AW/W is accepted at once, R beats follow one per cycle after
// `read_latency` cycles in AR order, writes honour WSTRB and are answered with one B each.
// With a nonzero `stall_seed` the slave also pushes back, as a real interconnect does: in about 3
// cycles in 8 (pseudo-random, fixed by the seed) it withholds ARREADY, AWREADY or WREADY, or does not
// offer a due R beat or B response; W is taken only once its burst's AW has been, and an offered R
// or B stays up until taken. stalled_handshakes() counts the cycles a master's VALID met a withheld
// READY, so a test can tell that its masters really had to hold.
// Call drive() before the clock edge's eval, then sample() after it and before the edge.
// Accesses outside the array throw naming the address.
#include <cstdint>
#include <cstring>
#include <deque>
#include <stdexcept>
#include <string>
#include <vector>

#include "sw/hex_format.h"
#include "models/verilated/verilated_pins.h"

namespace vp::rtl_dv {

class AxiMemorySlave {
 public:
  AxiMemorySlave(AxiMasterPins pins, std::vector<uint8_t>& memory, uint32_t read_latency = 8, uint64_t stall_seed = 0)
      : pins_(pins),
        memory_(memory),
        read_latency_(read_latency),
        beat_bytes_(pins.rdata.bytes()),
        stall_seed_(stall_seed) {
    if (beat_bytes_ > 64) throw std::invalid_argument("AXI memory slave: buses up to 512 bits (WSTRB in 64 bits)");
  }

  // Drives the slave's outputs for the coming edge.
  void drive() {
    ar_ready_ = !stalled(kAr);
    aw_ready_ = !stalled(kAw);
    w_ready_ = stall_seed_ == 0 || (!writes_.empty() && !stalled(kW));
    pins_.arready.set(ar_ready_);
    pins_.awready.set(aw_ready_);
    pins_.wready.set(w_ready_);
    const bool r_due = !reads_.empty() && reads_.front().ready_at <= cycle_;
    r_valid_ = r_held_ || (r_due && !stalled(kR));
    pins_.rvalid.set(r_valid_);
    if (r_valid_) {
      const Burst& b = reads_.front();
      const uint64_t addr = b.addr + uint64_t(b.beat) * beat_bytes_;
      std::memcpy(pins_.rdata.data(), at(addr, beat_bytes_), beat_bytes_);
      pins_.rresp.set(0);
      pins_.rlast.set(b.beat + 1 == b.beats);
    } else {
      pins_.rlast.set(0);
    }
    b_valid_ = b_held_ || (pending_b_ > 0 && !stalled(kB));
    pins_.bvalid.set(b_valid_);
    pins_.bresp.set(0);
  }

  // Takes the handshakes of the coming edge (outputs settled after eval).
  void sample() {
    const bool ar_valid = pins_.arvalid.get(), aw_valid = pins_.awvalid.get(), w_valid = pins_.wvalid.get();
    stalled_handshakes_ += (ar_valid && !ar_ready_) + (aw_valid && !aw_ready_) + (w_valid && !w_ready_);
    if (ar_valid && ar_ready_) {
      reads_.push_back({pins_.araddr.get(), uint32_t(pins_.arlen.get()) + 1, 0, cycle_ + read_latency_});
    }
    const bool r_fire = r_valid_ && pins_.rready.get();
    r_held_ = r_valid_ && !r_fire;
    if (r_fire) {
      Burst& b = reads_.front();
      if (++b.beat == b.beats) reads_.pop_front();
    }
    if (aw_valid && aw_ready_) writes_.push_back({pins_.awaddr.get(), uint32_t(pins_.awlen.get()) + 1, 0, 0});
    if (w_valid && w_ready_) {
      if (writes_.empty()) throw std::runtime_error("AXI memory slave: W beat without AW");
      Burst& b = writes_.front();
      const uint64_t addr = b.addr + uint64_t(b.beat) * beat_bytes_;
      uint8_t* dst = at(addr, beat_bytes_);
      const uint64_t strobes = pins_.wstrb.get();
      const uint8_t* src = pins_.wdata.data();
      for (uint32_t i = 0; i < beat_bytes_; ++i)
        if ((strobes >> i) & 1) dst[i] = src[i];
      if (++b.beat == b.beats) {
        writes_.pop_front();
        ++pending_b_;
      }
    }
    const bool b_fire = b_valid_ && pins_.bready.get();
    b_held_ = b_valid_ && !b_fire;
    if (b_fire) --pending_b_;
    ++cycle_;
  }

  uint64_t stalled_handshakes() const { return stalled_handshakes_; }

  bool idle() const { return reads_.empty() && writes_.empty() && pending_b_ == 0; }

 private:
  struct Burst {
    uint64_t addr;
    uint32_t beats, beat;
    uint64_t ready_at;
  };

  uint8_t* at(uint64_t addr, uint64_t len) {
    if (addr + len > memory_.size() || addr + len < addr)
      throw std::out_of_range("AXI memory slave: access at 0x" + hex(addr) + " outside " +
                              std::to_string(memory_.size()) + " bytes");
    return memory_.data() + addr;
  }

  enum Channel : uint64_t { kAr = 1, kAw, kW, kR, kB };

  // About 3 cycles in 8 per channel, independent across channels and cycles (splitmix64 of both).
  bool stalled(Channel channel) const {
    if (stall_seed_ == 0) return false;
    uint64_t z = stall_seed_ + (cycle_ * 8 + channel) * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return ((z ^ (z >> 31)) >> 61) < 3;
  }

  AxiMasterPins pins_;
  std::vector<uint8_t>& memory_;
  uint32_t read_latency_;
  uint32_t beat_bytes_;
  uint64_t stall_seed_;
  std::deque<Burst> reads_, writes_;
  uint32_t pending_b_ = 0;
  uint64_t cycle_ = 0;
  // What drive() put on the pins for the coming edge, and an R beat or B offered but not yet taken.
  bool ar_ready_ = false, aw_ready_ = false, w_ready_ = false, r_valid_ = false, b_valid_ = false;
  bool r_held_ = false, b_held_ = false;
  uint64_t stalled_handshakes_ = 0;
};

}  // namespace vp::rtl_dv
