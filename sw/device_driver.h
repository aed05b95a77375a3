#pragma once
// The host's driver API (XRT-like): what sw/ host code calls to use the accelerator card.
// The platform implements it over the PCIe/DMA model (models/host/host_device_driver.h); every
// call advances simulated time by what the transfer or register access costs.
#include <cstdint>
#include <string>

namespace vp {

enum class MemoryKind { kHbm, kDdr };

struct MemoryBank {
  MemoryKind kind = MemoryKind::kHbm;
  uint32_t channel = 0;  // HBM pseudo-channel or DDR channel index
  std::string name() const { return (kind == MemoryKind::kHbm ? "HBM[" : "DDR[") + std::to_string(channel) + "]"; }
};

struct DeviceBuffer {
  uint64_t address = 0;  // device (card) address
  uint64_t bytes = 0;
  MemoryBank bank;
};

class DeviceDriver {
 public:
  virtual ~DeviceDriver() = default;
  // Reserves device memory in `bank`; throws naming the bank when it does not fit.
  virtual DeviceBuffer allocate(const MemoryBank& bank, uint64_t bytes) = 0;
  // Host -> card DMA of `bytes` at `offset` into the buffer.
  virtual void write(const DeviceBuffer& buffer, uint64_t offset, const void* src, uint64_t bytes) = 0;
  // Card -> host DMA.
  virtual void read(const DeviceBuffer& buffer, uint64_t offset, void* dst, uint64_t bytes) = 0;
  // Kernel argument registers (s_axi_control offsets).
  virtual void set_arg32(uint32_t offset, uint32_t value) = 0;
  virtual void set_arg64(uint32_t offset, uint64_t value) = 0;
  // Starts the kernel (ap_start) and waits for its done interrupt; throws when the kernel
  // does not finish within the driver's time budget.
  virtual void start() = 0;
  virtual void wait() = 0;
  // Simulated time since power-on, in seconds: what a host would read from a clock.
  virtual double now_seconds() const = 0;
};

}  // namespace vp
