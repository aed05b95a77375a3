#pragma once
// Native C-simulation memory for the kernel: one flat byte array standing for device memory,
// as a Vitis C-sim testbench would pass host arrays to the m_axi pointers.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "hls/kernel_phase.h"

namespace vp {

class CsimMemory {
 public:
  explicit CsimMemory(uint64_t bytes) : bytes_(bytes) {}

  uint8_t* at(uint64_t addr, uint64_t len) {
    if (addr + len > bytes_.size() || addr + len < addr)
      throw std::out_of_range("C-sim memory access at 0x" + hex(addr) + " (+" + std::to_string(len) +
                              ") outside " + std::to_string(bytes_.size()) + " bytes");
    return bytes_.data() + addr;
  }
  void read(uint32_t, uint64_t addr, void* dst, uint32_t len) { std::memcpy(dst, at(addr, len), len); }
  void write(uint32_t, uint64_t addr, const void* src, uint32_t len) { std::memcpy(at(addr, len), src, len); }
  void phase(KernelPhase, int) {}
  void finish() {}
  uint64_t size() const { return bytes_.size(); }

 private:
  static std::string hex(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(v));
    return buf;
  }
  std::vector<uint8_t> bytes_;
};

}  // namespace vp
