#pragma once
// A cycle-level AXI4 slave on a flat byte array, for testbenches that run a Verilated kernel
// without the SoC: every AR/AW is accepted at once, R beats follow one per cycle after
// `read_latency` cycles in AR order, writes honour WSTRB and are answered with one B each.
// Call drive() before the clock edge's eval, then sample() after it and before the edge.
// Accesses outside the array throw naming the address.
#include <cstdint>
#include <cstring>
#include <deque>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/hex_format.h"
#include "models/verilated/verilated_pins.h"

namespace vp::rtl_dv {

class AxiMemorySlave {
 public:
  AxiMemorySlave(AxiMasterPins pins, std::vector<uint8_t>& memory, uint32_t read_latency = 8)
      : pins_(pins), memory_(memory), read_latency_(read_latency), beat_bytes_(pins.rdata.bytes()) {
    if (beat_bytes_ > 64) throw std::invalid_argument("AXI memory slave: buses up to 512 bits (WSTRB in 64 bits)");
  }

  // Drives the slave's outputs for the coming edge.
  void drive() {
    pins_.arready.set(1);
    pins_.awready.set(1);
    pins_.wready.set(1);
    const bool r_ready = !reads_.empty() && reads_.front().ready_at <= cycle_;
    pins_.rvalid.set(r_ready);
    if (r_ready) {
      const Burst& b = reads_.front();
      const uint64_t addr = b.addr + uint64_t(b.beat) * beat_bytes_;
      std::memcpy(pins_.rdata.data(), at(addr, beat_bytes_), beat_bytes_);
      pins_.rresp.set(0);
      pins_.rlast.set(b.beat + 1 == b.beats);
    } else {
      pins_.rlast.set(0);
    }
    pins_.bvalid.set(pending_b_ > 0);
    pins_.bresp.set(0);
  }

  // Takes the handshakes of the coming edge (outputs settled after eval).
  void sample() {
    if (pins_.arvalid.get()) {
      reads_.push_back({pins_.araddr.get(), uint32_t(pins_.arlen.get()) + 1, 0, cycle_ + read_latency_});
    }
    if (pins_.rvalid.get() && pins_.rready.get()) {
      Burst& b = reads_.front();
      if (++b.beat == b.beats) reads_.pop_front();
    }
    if (pins_.awvalid.get()) writes_.push_back({pins_.awaddr.get(), uint32_t(pins_.awlen.get()) + 1, 0, 0});
    if (pins_.wvalid.get()) {
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
    if (pins_.bvalid.get() && pins_.bready.get()) --pending_b_;
    ++cycle_;
  }

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

  AxiMasterPins pins_;
  std::vector<uint8_t>& memory_;
  uint32_t read_latency_;
  uint32_t beat_bytes_;
  std::deque<Burst> reads_, writes_;
  uint32_t pending_b_ = 0;
  uint64_t cycle_ = 0;
};

}  // namespace vp::rtl_dv
