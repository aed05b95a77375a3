#include "models/kernel/kernel_control_regs.h"

#include <cmath>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "models/axi/axi_lite_beat.h"
#include "sw/hex_format.h"

namespace vp {

const ConfigFields<ControlRegsConfig>& ControlRegsConfig::fields() {
  // At most 1 ms: every time derived from it stays inside sc_time's 64-bit picosecond range.
  static const ConfigFields<ControlRegsConfig> list = {
      field(&ControlRegsConfig::access_ns, "access_ns", between(0, 1e6), "ns", "kernel control register access time"),
  };
  return list;
}

void ControlRegsConfig::validate(const std::string& prefix) const { check_config_fields(fields(), *this, prefix); }

KernelControlRegs::KernelControlRegs(const sc_core::sc_module_name& name, const ControlRegsConfig& config)
    : sc_core::sc_module(name), s_axi_control("s_axi_control"), interrupt_o("interrupt_o"), config_(config) {
  config_.validate(std::string(this->name()) + ".");
  s_axi_control.register_b_transport(this, &KernelControlRegs::b_transport);
  s_axi_control.register_transport_dbg(this, &KernelControlRegs::transport_dbg);
  interrupt_o.initialize(false);
  SC_HAS_PROCESS(KernelControlRegs);
  SC_METHOD(drive_interrupt);
  sensitive << interrupt_changed_;
  dont_initialize();
}

void KernelControlRegs::add_argument(const std::string& name, uint32_t offset, unsigned width_bits) {
  const std::string where = std::string(this->name()) + ": argument '" + name + "' at " + hex(offset);
  if (name.empty()) throw std::runtime_error(std::string(this->name()) + ": argument at " + hex(offset) + " has no name");
  if (width_bits != 32 && width_bits != 64)
    throw std::runtime_error(where + ": width " + std::to_string(width_bits) + " bits is not 32 or 64");
  if (offset < kFirstArgument) throw std::runtime_error(where + " lies in the control block (arguments start at 0x10)");
  if (offset % 4 != 0) throw std::runtime_error(where + " is not a multiple of 4");
  const uint64_t end = uint64_t{offset} + width_bits / 8;
  if (end > UINT32_MAX) throw std::runtime_error(where + " runs past the 32-bit register space");
  for (const Argument& other : arguments_) {
    if (other.name == name) throw std::runtime_error(where + ": name already used at " + hex(other.offset));
    const uint64_t other_end = uint64_t{other.offset} + other.width_bits / 8;
    if (offset < other_end && other.offset < end)
      throw std::runtime_error(where + " overlaps argument '" + other.name + "' at " + hex(other.offset));
  }
  arguments_.push_back(Argument{name, offset, width_bits, 0});
}

// ---- kernel side ----------------------------------------------------------------------------

void KernelControlRegs::accept_start() {
  if (!ap_start_) throw std::runtime_error(std::string(name()) + ": accept_start() without a pending ap_start");
  if (!auto_restart_) ap_start_ = false;
  ap_idle_ = false;
  ap_ready_ = true;
  if (ier_ & kIrqReady) {
    isr_ |= kIrqReady;
    request_interrupt_update();
  }
}

void KernelControlRegs::finish() {
  ap_done_ = true;
  ap_idle_ = true;
  if (ier_ & kIrqDone) {
    isr_ |= kIrqDone;
    request_interrupt_update();
  }
  // ap_start still high means another run is due: auto_restart, or the host started during this run.
  if (ap_start_) start_requested_.notify(sc_core::SC_ZERO_TIME);
}

const KernelControlRegs::Argument& KernelControlRegs::argument(const std::string& name) const {
  for (const Argument& a : arguments_)
    if (a.name == name) return a;
  throw std::runtime_error(std::string(this->name()) + ": unknown kernel argument '" + name + "'");
}

uint32_t KernelControlRegs::arg32(const std::string& name) const {
  const Argument& a = argument(name);
  if (a.width_bits != 32)
    throw std::runtime_error(std::string(this->name()) + ": argument '" + name + "' is 64-bit; read it with arg64");
  return static_cast<uint32_t>(a.value);
}

uint64_t KernelControlRegs::arg64(const std::string& name) const { return argument(name).value; }

bool KernelControlRegs::interrupt_level() const { return gie_ != 0 && (isr_ & ier_) != 0; }

void KernelControlRegs::drive_interrupt() { interrupt_o.write(interrupt_level()); }

// ---- register file ------------------------------------------------------------------------

KernelControlRegs::Argument* KernelControlRegs::argument_at(uint32_t offset, bool& high) {
  return const_cast<Argument*>(static_cast<const KernelControlRegs*>(this)->argument_at(offset, high));
}

const KernelControlRegs::Argument* KernelControlRegs::argument_at(uint32_t offset, bool& high) const {
  for (const Argument& a : arguments_) {
    if (offset == a.offset) {
      high = false;
      return &a;
    }
    if (a.width_bits == 64 && offset == a.offset + 4) {
      high = true;
      return &a;
    }
  }
  return nullptr;
}

bool KernelControlRegs::peek_register(uint32_t offset, uint32_t& value) const {
  switch (offset) {
    case kApCtrl:
      value = (ap_start_ ? kApStart : 0) | (ap_done_ ? kApDone : 0) | (ap_idle_ ? kApIdle : 0) |
              (ap_ready_ ? kApReady : 0) | (auto_restart_ ? kAutoRestart : 0);
      return true;
    case kGie: value = gie_; return true;
    case kIer: value = ier_; return true;
    case kIsr: value = isr_; return true;
    default: break;
  }
  bool high = false;
  const Argument* a = argument_at(offset, high);
  if (a == nullptr) return false;
  value = static_cast<uint32_t>(high ? a->value >> 32 : a->value);
  return true;
}

bool KernelControlRegs::read_register(uint32_t offset, uint32_t& value) {
  if (!peek_register(offset, value)) return false;
  if (offset == kApCtrl) {
    ap_done_ = false;
    ap_ready_ = false;
  }
  return true;
}

bool KernelControlRegs::write_register(uint32_t offset, uint32_t value) {
  switch (offset) {
    case kApCtrl:
      // Writing 0 to ap_start has no effect: only the kernel clears it.
      auto_restart_ = (value & kAutoRestart) != 0;
      if ((value & kApStart) && !ap_start_) {
        ap_start_ = true;
        if (ap_idle_) start_requested_.notify(sc_core::SC_ZERO_TIME);
      }
      return true;
    case kGie:
      gie_ = value & 1u;
      request_interrupt_update();
      return true;
    case kIer:
      ier_ = value & (kIrqDone | kIrqReady);
      request_interrupt_update();
      return true;
    case kIsr:
      isr_ ^= value & (kIrqDone | kIrqReady);
      request_interrupt_update();
      return true;
    default: break;
  }
  bool high = false;
  Argument* a = argument_at(offset, high);
  if (a == nullptr) return false;
  if (high)
    a->value = (a->value & 0xFFFFFFFFull) | (uint64_t{value} << 32);
  else
    a->value = (a->value & ~0xFFFFFFFFull) | value;
  return true;
}

void KernelControlRegs::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  sc_core::wait(delay + sc_core::sc_time(config_.access_ns, sc_core::SC_NS));
  delay = sc_core::SC_ZERO_TIME;

  // AXI4-Lite: single aligned 32-bit beats, no partial writes, 32-bit offsets.
  const tlm::tlm_response_status beat = axi_lite_beat_status(trans, 32);
  if (beat != tlm::TLM_OK_RESPONSE) {
    trans.set_response_status(beat);
    return;
  }
  const uint64_t address = trans.get_address();
  const uint32_t offset = static_cast<uint32_t>(address);
  uint32_t value = 0;
  bool known = true;
  if (trans.is_read()) {
    known = read_register(offset, value);
    if (known) std::memcpy(trans.get_data_ptr(), &value, sizeof value);
  } else if (trans.is_write()) {
    std::memcpy(&value, trans.get_data_ptr(), sizeof value);
    known = write_register(offset, value);
  }
  trans.set_response_status(known ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

unsigned KernelControlRegs::transport_dbg(tlm::tlm_generic_payload& trans) {
  // Zero-time inspection: reads have no clear-on-read side effects, writes reach argument
  // registers only (control writes would start the kernel outside simulated time).
  const uint64_t address = trans.get_address();
  const unsigned length = trans.get_data_length();
  if (address % 4 != 0 || length % 4 != 0 || address + length > uint64_t{UINT32_MAX} + 1) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return 0;
  }
  unsigned done = 0;
  for (; done < length; done += 4) {
    const uint32_t offset = static_cast<uint32_t>(address + done);
    uint32_t value = 0;
    if (trans.is_read()) {
      if (!peek_register(offset, value)) break;
      std::memcpy(trans.get_data_ptr() + done, &value, sizeof value);
    } else if (trans.is_write()) {
      bool high = false;
      if (argument_at(offset, high) == nullptr) break;
      std::memcpy(&value, trans.get_data_ptr() + done, sizeof value);
      write_register(offset, value);
    }
  }
  trans.set_response_status(done == length ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE);
  return done;
}

}  // namespace vp
