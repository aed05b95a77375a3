#pragma once
// The driver API implemented on the platform: buffers are carved from the device address map
// per memory bank, data moves through the PCIe DMA model, registers through PCIe MMIO, and
// wait() sleeps on the kernel's interrupt line with a time budget.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <systemc>

#include "models/host/pcie_dma.h"
#include "sw/device_driver.h"

namespace vp {

struct BankRange {
  MemoryBank bank;
  uint64_t base = 0;
  uint64_t size = 0;
};

class HostDeviceDriver : public DeviceDriver {
 public:
  HostDeviceDriver(PcieDma& dma, sc_core::sc_signal<bool>& interrupt, std::vector<BankRange> banks,
                   sc_core::sc_time wait_budget, std::function<std::string()> kernel_state);

  DeviceBuffer allocate(const MemoryBank& bank, uint64_t bytes) override;
  void write(const DeviceBuffer& buffer, uint64_t offset, const void* src, uint64_t bytes) override;
  void read(const DeviceBuffer& buffer, uint64_t offset, void* dst, uint64_t bytes) override;
  void set_arg32(uint32_t offset, uint32_t value) override;
  void set_arg64(uint32_t offset, uint64_t value) override;
  void start() override;
  void wait() override;
  double now_seconds() const override;

 private:
  BankRange& range_of(const MemoryBank& bank);
  static void check_span(const DeviceBuffer& buffer, uint64_t offset, uint64_t bytes, const char* what);

  PcieDma& dma_;
  sc_core::sc_signal<bool>& interrupt_;
  std::vector<BankRange> banks_;
  std::vector<uint64_t> next_free_;  // bump allocator per bank
  sc_core::sc_time wait_budget_;
  std::function<std::string()> kernel_state_;
  bool interrupts_enabled_ = false;
};

}  // namespace vp
