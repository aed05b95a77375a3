#include "models/verilated/rtl_kernel_monitor.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "hls/kernel_phase.h"

namespace vp {
namespace {

constexpr uint32_t kApCtrl = 0x00;
constexpr uint32_t kApStartBit = 1u << 0;

// Phases outside the layer loop carry layer -1 in the call records (as the fast kernel's do).
bool inside_layers(KernelPhase p) {
  return p != KernelPhase::kLoadDescriptor && p != KernelPhase::kEmbedding && p != KernelPhase::kFinalRmsnorm &&
         p != KernelPhase::kClassifier;
}

KernelPhase to_phase(uint32_t value) {
  return value < static_cast<uint32_t>(kKernelPhaseCount) ? static_cast<KernelPhase>(value)
                                                         : KernelPhase::kLoadDescriptor;
}

}  // namespace

RtlKernelMonitor::RtlKernelMonitor(const sc_core::sc_module_name& name, VerilatedKernel& kernel,
                                   const RtlKernelStatusPins& pins, uint32_t weight_ports,
                                   uint32_t kv_ports, const KernelMicroarch& microarch, StartCheck check)
    : sc_module(name),
      from_host("from_host"),
      to_kernel("to_kernel"),
      kernel_(kernel),
      pins_(pins),
      arguments_(llama_kernel_argument_registers(weight_ports, kv_ports)),
      microarch_(microarch),
      check_(std::move(check)) {
  if (!pins_.idle.bound() || !pins_.phase.bound() || !pins_.layer.bound())
    throw std::invalid_argument(std::string(this->name()) + ": ap_idle, kernel_phase_o and kernel_layer_o must be bound");
  from_host.register_b_transport(this, &RtlKernelMonitor::b_transport);
  kernel_.add_edge_observer([this](uint64_t edge, const sc_core::sc_time& at) { on_edge(edge, at); });
}

KernelArgs RtlKernelMonitor::args() const {
  auto word = [&](uint32_t offset) -> uint64_t { return arg_words_[(offset - kernel_args::kToken) / 4]; };
  return kernel_args_from(arguments_, [&](const KernelArgumentRegister& r) -> uint64_t {
    if (r.offset + r.width_bits / 8 > kernel_args::kToken + 4 * kArgWords) return 0;  // not shadowed
    return r.width_bits == 64 ? word(r.offset) | word(r.offset + 4) << 32 : word(r.offset);
  });
}

void RtlKernelMonitor::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const uint64_t address = trans.get_address();
  if (trans.is_write() && trans.get_data_length() == 4 && trans.get_byte_enable_ptr() == nullptr) {
    uint32_t value = 0;
    std::memcpy(&value, trans.get_data_ptr(), 4);
    if (address >= kernel_args::kToken && address < kernel_args::kToken + 4 * kArgWords && address % 4 == 0)
      arg_words_[(address - kernel_args::kToken) / 4] = value;
    if (address == kApCtrl && (value & kApStartBit) && !busy_ && !started_) {
      try {
        desc_ = check_(args());
      } catch (const std::exception& e) {
        // Not forwarded: the RTL never starts, as a kernel that refuses its arguments would not.
        trans.set_response_status(tlm::TLM_OK_RESPONSE);
        fail(std::string(name()) + ": call refused before start (token " + std::to_string(args().token) + ", pos " +
             std::to_string(args().pos) + "): " + e.what());
        return;
      }
      started_ = true;
    }
  }
  to_kernel->b_transport(trans, delay);
}

uint64_t RtlKernelMonitor::bytes_read() const {
  uint64_t bytes = 0;
  for (size_t i = 0; i < kernel_.master_count(); ++i) bytes += kernel_.master(i).stats().read_bytes;
  return bytes;
}

uint64_t RtlKernelMonitor::bytes_written() const {
  uint64_t bytes = 0;
  for (size_t i = 0; i < kernel_.master_count(); ++i) bytes += kernel_.master(i).stats().write_bytes;
  return bytes;
}

void RtlKernelMonitor::open_phase(KernelPhase phase, int layer, const sc_core::sc_time& at) {
  phase_record_ = PhaseRecord{};
  phase_record_.phase = phase;
  phase_record_.layer = layer;
  phase_record_.start = at;
  phase_read_base_ = bytes_read();
  phase_write_base_ = bytes_written();
}

void RtlKernelMonitor::close_phase(const sc_core::sc_time& at) {
  phase_record_.end = at;
  phase_record_.read_bytes = bytes_read() - phase_read_base_;
  phase_record_.write_bytes = bytes_written() - phase_write_base_;
  phase_record_.compute_cycles = phase_compute_cycles(phase_record_.phase, desc_, call_.pos, microarch_);
  call_.compute_cycles += phase_record_.compute_cycles;
  call_.phases.push_back(phase_record_);
}

void RtlKernelMonitor::on_edge(uint64_t edge, const sc_core::sc_time& at) {
  if (failed_) return;
  for (size_t i = 0; i < kernel_.master_count(); ++i)
    if (!kernel_.master(i).error().empty()) return fail(std::string(name()) + ": " + kernel_.master(i).error());
  const bool idle = pins_.idle.get() != 0;
  if (!busy_) {
    if (idle || !started_) return;
    busy_ = true;
    started_ = false;
    const KernelArgs a = args();
    call_ = KernelCallRecord{};
    call_.token = a.token;
    call_.pos = a.pos;
    call_.start = at;
    call_start_edge_ = edge;
    phase_value_ = static_cast<uint32_t>(pins_.phase.get());
    layer_value_ = static_cast<uint32_t>(pins_.layer.get());
    const KernelPhase p = to_phase(phase_value_);
    open_phase(p, inside_layers(p) ? int(layer_value_) : -1, at);
    return;
  }
  if (idle) {
    close_phase(at);
    call_.end = at;
    call_.cycles = edge - call_start_edge_;
    calls_.push_back(std::move(call_));
    busy_ = false;
    return;
  }
  const uint32_t phase = static_cast<uint32_t>(pins_.phase.get());
  const uint32_t layer = static_cast<uint32_t>(pins_.layer.get());
  if (phase == phase_value_ && layer == layer_value_) return;
  close_phase(at);
  phase_value_ = phase;
  layer_value_ = layer;
  const KernelPhase p = to_phase(phase);
  open_phase(p, inside_layers(p) ? int(layer) : -1, at);
}

std::string RtlKernelMonitor::state() const {
  if (!busy_) return started_ ? "started, not yet running" : "idle";
  return (phase_record_.layer >= 0 ? "layer " + std::to_string(phase_record_.layer) + " " : std::string()) +
         "phase " + phase_name(phase_record_.phase);
}

void RtlKernelMonitor::fail(const std::string& message) {
  failed_ = true;
  if (on_error_) on_error_(message);
  else SC_REPORT_ERROR(name(), message.c_str());
}

}  // namespace vp
