#include "models/kernel/fast_kernel.h"

#include <algorithm>
#include <cstdint>
#include <deque>
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
  // A phase's accesses are played once the next phase's are known (one phase behind the
  // functional kernel), so that a matmul phase's first weight bursts can be read in the phase
  // before it, as the RTL's weight streams read them.
  void phase(KernelPhase next, int layer) {
    if (started_) close_phase();
    started_ = true;
    k_.current_phase_ = next;
    k_.current_layer_ = layer;
  }
  void finish() {
    close_phase();
    while (!recorded_.empty()) play_recorded();
  }

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
    size_t prefetched = 0;  // leading read bursts already played by the phase before
  };
  struct RecordedPhase {
    KernelPhase phase;
    int layer;
    std::vector<PortPending> pending;
  };

  void close_phase() {
    recorded_.push_back({k_.current_phase_, k_.current_layer_, std::move(pending_)});
    pending_.assign(k_.ports.size(), PortPending{});
    while (recorded_.size() >= 2) play_recorded();
  }
  void play_recorded() {
    play_phase(recorded_.front(), recorded_.size() >= 2 ? &recorded_[1] : nullptr);
    recorded_.pop_front();
  }
  static bool is_matmul_phase(KernelPhase p) {
    return p == KernelPhase::kQkvMatmul || p == KernelPhase::kWoMatmul || p == KernelPhase::kW13Matmul ||
           p == KernelPhase::kW2Matmul || p == KernelPhase::kClassifier;
  }
  // The weight streams (rtl/llama_weight_prefetch.sv): each weight port reads the first bursts of
  // the next matmul phase's reads (its matrices in order) that fit its beat FIFO together.
  void prefetch(RecordedPhase& next, uint32_t beat_bytes) {
    const uint32_t fifo_beats = weight_prefetch_beats(k_.config_.microarch);
    if (fifo_beats == 0 || !is_matmul_phase(next.phase)) return;
    for (uint32_t p = 0; p < k_.config_.weight_ports && p < next.pending.size(); ++p) {
      PortPending& pp = next.pending[p];
      uint64_t beats = 0;
      for (const Run& run : pp.runs) {
        if (run.write) break;  // weight ports only read
        bursts_.clear();
        append_bursts(bursts_, run.address, run.bytes, beat_bytes);
        for (const AxiBurst& b : bursts_) {
          beats += b.bytes / beat_bytes;
          if (beats > fifo_beats) break;
          k_.ports[p]->enqueue_read(b);
          ++pp.prefetched;
        }
        if (beats > fifo_beats) break;
      }
    }
  }

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

  void play_phase(RecordedPhase& r, RecordedPhase* next) {
    PhaseRecord rec;
    rec.phase = r.phase;
    rec.layer = r.layer;
    rec.start = sc_core::sc_time_stamp();
    const PhaseCycles cycles = phase_cycles(rec.phase, desc_, call_.pos, k_.config_.microarch);
    rec.compute_cycles = cycles.total();
    const uint32_t beat_bytes = k_.config_.axi_data_bits / 8;
    // Memory the phase waits for: its own bursts, or the phase before's prefetch still in flight.
    bool memory_pending = false;
    for (auto& port : k_.ports) memory_pending = memory_pending || !port->idle();
    for (size_t p = 0; p < r.pending.size(); ++p) {
      PortPending& pp = r.pending[p];
      AxiMasterPort& port = *k_.ports[p];
      size_t read_burst = 0;  // this port's reads, in order
      for (const Run& run : pp.runs) {
        bursts_.clear();
        append_bursts(bursts_, run.address, run.bytes, beat_bytes);
        for (const AxiBurst& b : bursts_) {
          if (run.write) {
            port.enqueue_write(b, burst_data(pp, run, b));
            rec.write_bytes += b.bytes;
            memory_pending = true;
          } else {
            if (read_burst >= pp.prefetched) {  // else read by the phase before
              port.enqueue_read(b);
              memory_pending = true;
            }
            ++read_burst;
            rec.read_bytes += b.bytes;
          }
        }
      }
      pp.runs.clear();
      pp.write_data.clear();
    }
    // The phase ends when its compute is done and, after its memory traffic (not the prefetch),
    // what follows the last beat (PhaseCycles::tail: a matmul stream's drain and the serial rest;
    // 0 for a phase without a stream, whose loads' round trips its count already holds, so its
    // bursts run beside it instead of before it).
    const sc_core::sc_time compute_end = rec.start + k_.config_.cycle() * double(cycles.total());
    // The next matmul phase's first bursts follow this phase's weight reads once they are in
    // (rtl/llama_sequencer.sv names a matrix once the weight ports have no load before it; the
    // RTL reads w2 right behind w3, this model once w3's bursts are in), at once in a phase
    // without weight reads (attention).
    const size_t weight_ports = std::min<size_t>(k_.config_.weight_ports, k_.ports.size());
    for (size_t p = 0; p < weight_ports; ++p)
      while (!k_.ports[p]->idle()) sc_core::wait(k_.ports[p]->idle_event());
    if (next) prefetch(*next, beat_bytes);
    for (size_t p = weight_ports; p < k_.ports.size(); ++p)
      while (!k_.ports[p]->idle()) sc_core::wait(k_.ports[p]->idle_event());
    const sc_core::sc_time memory_end =
        memory_pending ? sc_core::sc_time_stamp() + k_.config_.cycle() * double(cycles.tail()) : rec.start;
    const sc_core::sc_time end = compute_end > memory_end ? compute_end : memory_end;
    if (end > sc_core::sc_time_stamp()) sc_core::wait(end - sc_core::sc_time_stamp());
    for (auto& port : k_.ports)
      if (!port->error().empty()) throw std::runtime_error(port->error());
    rec.end = sc_core::sc_time_stamp();
    call_.compute_cycles += rec.compute_cycles;
    call_.phases.push_back(rec);
  }

  FastKernel& k_;
  const KernelDescriptor& desc_;
  KernelCallRecord& call_;
  std::vector<PortPending> pending_;    // the phase being recorded
  std::deque<RecordedPhase> recorded_;  // recorded, not yet played (at most the last two)
  std::vector<AxiBurst> bursts_;
  std::vector<uint8_t> no_data_;  // zeros
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
