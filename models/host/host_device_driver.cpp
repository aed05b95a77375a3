#include "models/host/host_device_driver.h"

#include <cstdio>
#include <stdexcept>

#include "sw/hex_format.h"

namespace vp {
namespace {

constexpr uint32_t kApCtrl = 0x00, kGie = 0x04, kIer = 0x08, kIsr = 0x0c;
constexpr uint64_t kBufferAlign = 4096;

}  // namespace

HostDeviceDriver::HostDeviceDriver(PcieDma& dma, sc_core::sc_signal<bool>& interrupt, std::vector<BankRange> banks,
                                   sc_core::sc_time wait_budget, std::function<std::string()> kernel_state)
    : dma_(dma), interrupt_(interrupt), banks_(std::move(banks)), next_free_(banks_.size(), 0),
      wait_budget_(wait_budget), kernel_state_(std::move(kernel_state)) {}

BankRange& HostDeviceDriver::range_of(const MemoryBank& bank) {
  for (BankRange& r : banks_)
    if (r.bank.kind == bank.kind && r.bank.channel == bank.channel) return r;
  throw std::invalid_argument("device memory bank " + bank.name() + " does not exist on this board");
}

DeviceBuffer HostDeviceDriver::allocate(const MemoryBank& bank, uint64_t bytes) {
  BankRange& r = range_of(bank);
  uint64_t& next = next_free_[&r - banks_.data()];
  const uint64_t at = (next + kBufferAlign - 1) / kBufferAlign * kBufferAlign;
  if (at + bytes > r.size)
    throw std::runtime_error("device memory bank " + bank.name() + " cannot hold " + std::to_string(bytes) +
                             " more bytes (" + std::to_string(r.size - std::min(at, r.size)) + " free of " +
                             std::to_string(r.size) + ")");
  next = at + bytes;
  return {r.base + at, bytes, bank};
}

void HostDeviceDriver::check_span(const DeviceBuffer& buffer, uint64_t offset, uint64_t bytes, const char* what) {
  if (offset + bytes > buffer.bytes)
    throw std::out_of_range(std::string(what) + " of " + std::to_string(bytes) + " bytes at offset " +
                            std::to_string(offset) + " overruns the device buffer at " + hex(buffer.address) + " (" +
                            std::to_string(buffer.bytes) + " bytes)");
}

void HostDeviceDriver::write(const DeviceBuffer& buffer, uint64_t offset, const void* src, uint64_t bytes) {
  check_span(buffer, offset, bytes, "write");
  dma_.host_to_card(buffer.address + offset, static_cast<const uint8_t*>(src), bytes);
}

void HostDeviceDriver::read(const DeviceBuffer& buffer, uint64_t offset, void* dst, uint64_t bytes) {
  check_span(buffer, offset, bytes, "read");
  dma_.card_to_host(buffer.address + offset, static_cast<uint8_t*>(dst), bytes);
}

void HostDeviceDriver::set_arg32(uint32_t offset, uint32_t value) { dma_.mmio_write(offset, value); }

void HostDeviceDriver::set_arg64(uint32_t offset, uint64_t value) {
  dma_.mmio_write(offset, static_cast<uint32_t>(value));
  dma_.mmio_write(offset + 4, static_cast<uint32_t>(value >> 32));
}

void HostDeviceDriver::start() {
  if (!interrupts_enabled_) {
    dma_.mmio_write(kGie, 1);
    dma_.mmio_write(kIer, 1);  // ap_done interrupt
    interrupts_enabled_ = true;
  }
  dma_.mmio_write(kApCtrl, 1);
}

void HostDeviceDriver::wait() {
  const sc_core::sc_time deadline = sc_core::sc_time_stamp() + wait_budget_;
  while (!interrupt_.read()) {
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    if (now >= deadline)
      throw std::runtime_error("kernel did not raise its done interrupt within " + wait_budget_.to_string() +
                               " (kernel.timeout_cycles); kernel state: " + kernel_state_());
    sc_core::wait(deadline - now, interrupt_.value_changed_event());
  }
  dma_.mmio_read(kApCtrl);     // clears ap_done (clear on read)
  dma_.mmio_write(kIsr, 1);    // toggle-on-write clears the done status, dropping the line
}

double HostDeviceDriver::now_seconds() const { return sc_core::sc_time_stamp().to_seconds(); }

}  // namespace vp
