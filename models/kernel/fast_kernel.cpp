#include "models/kernel/fast_kernel.h"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "models/kernel/power_model.h"

namespace vp {

void FastKernelConfig::validate(const std::string& prefix) const {
  check_config_fields<std::invalid_argument>(fields(), *this, prefix);  // ranges (fast_kernel_config.cpp)
  if ((axi_data_bits & (axi_data_bits - 1)) != 0)
    throw std::invalid_argument(prefix + "axi_data_bits = " + std::to_string(axi_data_bits) +
                                " must be a power of two from 64 to 512");
  if (!valid_kv_ports(kv_ports))
    throw std::invalid_argument(prefix + "kv_ports = " + std::to_string(kv_ports) + " must be a power of two from 1 to " +
                                std::to_string(kMaxKvPorts));
  microarch.validate(prefix);
}

// The kernel's view of memory in fast mode: functional at once, timed per phase. In a
// timing-only call it records the accesses without moving data, and tells the kernel to skip
// the arithmetic (computes()).
class FastKernel::PhaseTimedMemory {
 public:
  PhaseTimedMemory(FastKernel& kernel, const KernelDescriptor& desc, KernelCallRecord& call)
      : k_(kernel), desc_(desc), call_(call), pending_(kernel.ports.size()) {}

  bool computes() const { return k_.config_.functional; }
  void read(uint32_t port, uint64_t addr, void* dst, uint32_t bytes) {
    // The descriptor steers the kernel's loops, so even a timing-only call reads it.
    if (computes() || k_.current_phase_ == KernelPhase::kLoadDescriptor)
      k_.ports.at(port)->debug_read(addr, dst, bytes);
    record(port, addr, bytes, false, nullptr);
  }
  // As read, but the bytes may be handed out in place (a TLM DMI pointer into the memory model) instead
  // of copied into `buffer`; the timed bursts are the same. The kernel views matmul rows, each followed
  // by the next, so that one is prefetched: reading in place without it is slower than the copy.
  const void* view(uint32_t port, uint64_t addr, void* buffer, uint32_t bytes) {
    if (computes())
      if (const uint8_t* in_place = k_.ports.at(port)->dmi_read_pointer(addr, bytes)) {
        record(port, addr, bytes, false, nullptr);
        const uintptr_t next = reinterpret_cast<uintptr_t>(in_place) + bytes;  // may be past the grant:
        for (uint32_t o = 0; o < bytes; o += 64)                               // a prefetch never faults
          __builtin_prefetch(reinterpret_cast<const void*>(next + o));
        return in_place;
      }
    read(port, addr, buffer, bytes);
    return buffer;
  }
  void write(uint32_t port, uint64_t addr, const void* src, uint32_t bytes) {
    if (computes()) k_.ports.at(port)->debug_write(addr, src, bytes);
    record(port, addr, bytes, true, computes() ? static_cast<const uint8_t*>(src) : nullptr);
  }
  void phase(KernelPhase next, int layer) {
    if (started_) play_phase();
    started_ = true;
    k_.current_phase_ = next;
    k_.current_layer_ = layer;
    phase_start_ = sc_core::sc_time_stamp();
  }
  void finish() { play_phase(); }

 private:
  // One contiguous run of same-direction accesses on a port: one AXI stream for the hardware.
  struct Run {
    bool write;
    uint64_t address, bytes;
    size_t data_offset;  // into write_data for writes (functional calls)
  };
  struct PortPending {
    std::vector<Run> runs;
    std::vector<uint8_t> write_data;
  };

  // `data`: the bytes a functional write stored; null for reads and timing-only writes.
  void record(uint32_t port, uint64_t addr, uint32_t bytes, bool write, const uint8_t* data) {
    PortPending& pp = pending_[port];
    if (!pp.runs.empty()) {
      Run& last = pp.runs.back();
      if (last.write == write && last.address + last.bytes == addr) {
        last.bytes += bytes;
        if (data) pp.write_data.insert(pp.write_data.end(), data, data + bytes);
        return;
      }
    }
    pp.runs.push_back({write, addr, bytes, pp.write_data.size()});
    if (data) pp.write_data.insert(pp.write_data.end(), data, data + bytes);
  }

  // What a burst of `run` carries: the stored bytes, or zeros in a timing-only call (the ports
  // mark their transactions timing-only, so no model looks at them).
  const uint8_t* burst_data(const PortPending& pp, const Run& run, const AxiBurst& b) {
    if (computes()) return pp.write_data.data() + run.data_offset + (b.address - run.address);
    if (no_data_.size() < b.bytes) no_data_.resize(b.bytes);
    return no_data_.data();
  }

  void play_phase() {
    PhaseRecord rec;
    rec.phase = k_.current_phase_;
    rec.layer = k_.current_layer_;
    rec.start = phase_start_;
    const PhaseCycles cycles = phase_cycles(rec.phase, desc_, call_.pos, k_.config_.microarch);
    rec.compute_cycles = cycles.total();
    const uint32_t beat_bytes = k_.config_.axi_data_bits / 8;
    for (size_t p = 0; p < pending_.size(); ++p) {
      PortPending& pp = pending_[p];
      AxiMasterPort& port = *k_.ports[p];
      for (const Run& run : pp.runs) {
        bursts_.clear();
        append_bursts(bursts_, run.address, run.bytes, beat_bytes);
        for (const AxiBurst& b : bursts_) {
          if (run.write) {
            port.enqueue_write(b, burst_data(pp, run, b));
            rec.write_bytes += b.bytes;
          } else {
            port.enqueue_read(b);
            rec.read_bytes += b.bytes;
          }
        }
      }
      pp.runs.clear();
      pp.write_data.clear();
    }
    // A matmul stream ends with its last burst; the serial rest follows it. A phase without a
    // stream is serial work whose loads' round trips its count already holds, so its bursts
    // run beside it instead of before it.
    const double stream_cycles = double(cycles.overlapped > 0 ? cycles.overlapped : cycles.serial);
    const sc_core::sc_time compute_end = rec.start + k_.config_.cycle() * stream_cycles;
    for (auto& port : k_.ports)
      while (!port->idle()) sc_core::wait(port->idle_event());
    if (compute_end > sc_core::sc_time_stamp()) sc_core::wait(compute_end - sc_core::sc_time_stamp());
    if (cycles.overlapped > 0 && cycles.serial > 0) sc_core::wait(k_.config_.cycle() * double(cycles.serial));
    for (auto& port : k_.ports)
      if (!port->error().empty()) throw std::runtime_error(port->error());
    rec.end = sc_core::sc_time_stamp();
    call_.compute_cycles += rec.compute_cycles;
    call_.phases.push_back(rec);
  }

  FastKernel& k_;
  const KernelDescriptor& desc_;
  KernelCallRecord& call_;
  std::vector<PortPending> pending_;
  std::vector<AxiBurst> bursts_;
  std::vector<uint8_t> no_data_;  // zeros
  sc_core::sc_time phase_start_;
  bool started_ = false;
};

FastKernel::FastKernel(sc_core::sc_module_name name, const FastKernelConfig& config, const ControlRegsConfig& control)
    : sc_module(name), config_(config), regs_("control", control) {
  config_.validate("kernel.");
  arguments_ = llama_kernel_argument_registers(config_.weight_ports, config_.kv_ports);
  for (const KernelArgumentRegister& a : arguments_) regs_.add_argument(a.name, a.offset, a.width_bits);
  AxiPortConfig pc;
  pc.beat_bytes = config_.axi_data_bits / 8;
  pc.cycle = config_.cycle();
  pc.max_outstanding = config_.max_outstanding;
  pc.timing_only = true;  // data moved at once through debug transport (see PhaseTimedMemory)
  for (uint32_t p = 0; p < port_count(config_.weight_ports, config_.kv_ports); ++p) {
    const std::string port_name = kernel_port_name(p, config_.weight_ports, config_.kv_ports);
    ports.push_back(std::make_unique<AxiMasterPort>(port_name.c_str(), p, pc));
  }
  SC_HAS_PROCESS(FastKernel);
  SC_THREAD(run);
}

KernelArgs FastKernel::read_args() const {
  return kernel_args_from(arguments_, [this](const KernelArgumentRegister& a) { return regs_.arg64(a.name); });
}

uint64_t FastKernel::axi_beats() const {
  uint64_t beats = 0;
  for (const auto& port : ports) beats += data_beats(port->stats());
  return beats;
}

// "...; outstanding bursts per port: m_axi_w0 16 in flight + 40 queued, m_axi_kv idle, ...": what a
// hung kernel is still waiting for.
std::string FastKernel::hang_report() const {
  std::string s;
  for (const auto& port : ports) {
    s += (s.empty() ? "" : ", ") + std::string(port->basename()) + " ";
    s += port->idle() ? std::string("idle")
                      : std::to_string(port->in_flight()) + " in flight + " + std::to_string(port->queued()) + " queued";
  }
  return state() + "; outstanding bursts per port: " + s;
}

std::string FastKernel::state() const {
  if (!busy_) return "idle";
  return (current_layer_ >= 0 ? "layer " + std::to_string(current_layer_) + " " : std::string()) + "phase " +
         phase_name(current_phase_);
}

void FastKernel::run() {
  for (;;) {
    if (!regs_.start_pending()) sc_core::wait(regs_.start_requested());
    regs_.accept_start();
    busy_ = true;
    KernelCallRecord call;
    call.start = sc_core::sc_time_stamp();
    try {
      const KernelArgs args = read_args();
      call.token = args.token;
      call.pos = args.pos;
      // The timing model needs the shapes up front; the kernel itself reads the descriptor
      // again as its first real transaction.
      KernelDescriptor desc;
      ports[0]->debug_read(args.weights[0], &desc, sizeof desc);
      validate_descriptor(desc);
      if (desc.weight_ports != config_.weight_ports)
        throw std::runtime_error("kernel descriptor: image built for " + std::to_string(desc.weight_ports) +
                                 " weight ports, kernel.weight_ports = " + std::to_string(config_.weight_ports));
      if (desc.kv_ports != config_.kv_ports)
        throw std::runtime_error("kernel descriptor: image built for " + std::to_string(desc.kv_ports) +
                                 " KV ports, kernel.kv_ports = " + std::to_string(config_.kv_ports));
      PhaseTimedMemory mem(*this, desc, call);
      llama_forward(mem, args, buffers_);
    } catch (const std::exception& e) {
      const std::string message = std::string(name()) + ": " + e.what() + " (" + state() + ", at " +
                                  sc_core::sc_time_stamp().to_string() + ")";
      busy_ = false;
      if (on_error_) on_error_(message);
      else SC_REPORT_ERROR(name(), message.c_str());
      continue;  // no done: the host's wait times out or the platform stops
    }
    call.end = sc_core::sc_time_stamp();
    call.cycles = static_cast<uint64_t>((call.end - call.start) / config_.cycle() + 0.5);
    calls_.push_back(std::move(call));
    busy_ = false;
    regs_.finish();
  }
}

}  // namespace vp
