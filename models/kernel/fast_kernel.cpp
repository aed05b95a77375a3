#include "models/kernel/fast_kernel.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
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

// The kernel's view of memory in fast mode, in two halves on two host threads. The functional half
// (read, view, write, phase, finish) runs llama_forward on a host thread of its own: it moves the data at
// once and records each phase's accesses. The timing half (play) runs in the kernel's SystemC thread and
// plays the recorded phases, in order, one phase behind, exactly as one thread doing both did: the
// phases are the same, so the bursts, times and statistics are too, while the arithmetic of the phases
// ahead runs beside the timing of the one behind. Only play() touches SystemC; the functional half
// reaches memory through debug transport and DMI alone, which nothing on the timing side uses during a
// call (the ports' bursts are timing-only). In a timing-only call it records the accesses without
// moving data, and tells the kernel to skip the arithmetic (computes()).
class FastKernel::PhaseTimedMemory {
 public:
  PhaseTimedMemory(FastKernel& kernel, const KernelDescriptor& desc, KernelCallRecord& call)
      : k_(kernel), desc_(desc), call_(call), pending_(kernel.ports.size()) {}

  // ---- functional half (the compute thread) ----
  bool computes() const { return k_.config_.functional; }
  void read(uint32_t port, uint64_t addr, void* dst, uint32_t bytes) {
    // The descriptor steers the kernel's loops, so even a timing-only call reads it.
    if (computes() || phase_ == KernelPhase::kLoadDescriptor) k_.ports.at(port)->debug_read(addr, dst, bytes);
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
  // Hands the phase before over to the timing half, which plays it once the next phase's accesses are
  // known too (one phase behind the functional kernel), so that a matmul phase's first weight bursts can
  // be read in the phase before it, as the RTL's weight streams read them.
  void phase(KernelPhase next, int layer) {
    if (k_.cancel_compute_.load(std::memory_order_relaxed)) throw Cancelled{};
    if (started_) {
      hand_over_phase();
      pending_.assign(k_.ports.size(), PortPending{});
    }
    started_ = true;
    phase_ = next;
    layer_ = layer;
  }
  void finish() {
    hand_over_phase();
    pending_.assign(k_.ports.size(), PortPending{});
    hand_over(Handoff{true, {}, nullptr, phase_, layer_});
  }
  // llama_forward threw in phase `phase_`: the timing half throws it in turn, where one thread would have.
  void fail(std::exception_ptr error) { hand_over(Handoff{true, {}, std::move(error), phase_, layer_}); }
  // Thrown by phase() once the kernel stops waiting for the call (FastKernel::stop_compute).
  struct Cancelled {};

  // ---- timing half (the kernel's SystemC thread) ----
  // Plays the phases as the functional half hands them over; returns once it finished, or throws
  // what it threw. The kernel's state() is the phase the functional half was in when one thread
  // played them: the newest phase handed over.
  void play() {
    std::deque<RecordedPhase> recorded;  // handed over, not yet played (at most the last two)
    for (;;) {
      Handoff h = take();
      if (h.end) {
        if (h.error) {
          k_.current_phase_ = h.at_phase;
          k_.current_layer_ = h.at_layer;
          std::rethrow_exception(h.error);
        }
        while (!recorded.empty()) play_front(recorded);
        return;
      }
      recorded.push_back(std::move(h.recorded));
      k_.current_phase_ = recorded.back().phase;
      k_.current_layer_ = recorded.back().layer;
      while (recorded.size() >= 2) play_front(recorded);
    }
  }

 private:
  // One contiguous run of same-direction accesses on a port: one AXI stream for the hardware.
  struct Run {
    bool write;
    uint64_t address, bytes;
    size_t data_offset;  // into write_data for writes (functional calls)
    size_t first_burst = 0, bursts = 0;  // its AXI bursts in PortPending::bursts
  };
  struct PortPending {
    std::vector<Run> runs;
    std::vector<AxiBurst> bursts;  // the runs' bursts, in order (shaped by the functional half)
    std::vector<uint8_t> write_data;
    size_t prefetched = 0;  // leading read bursts already played by the phase before
  };
  struct RecordedPhase {
    KernelPhase phase;
    int layer;
    std::vector<PortPending> pending;
  };

  // One step from the functional half to the timing half: a recorded phase, or the end of the call.
  struct Handoff {
    bool end;
    RecordedPhase recorded;
    std::exception_ptr error;  // the end of a call that failed
    KernelPhase at_phase;      // the functional half's phase then
    int at_layer;
  };
  // The phase recorded so far, its runs shaped into AXI bursts, to the timing half.
  void hand_over_phase() {
    const uint32_t beat_bytes = k_.config_.axi_data_bits / 8;
    for (PortPending& pp : pending_)
      for (Run& run : pp.runs) {
        run.first_burst = pp.bursts.size();
        append_bursts(pp.bursts, run.address, run.bytes, beat_bytes);
        run.bursts = pp.bursts.size() - run.first_burst;
      }
    hand_over(Handoff{false, {phase_, layer_, std::move(pending_)}, nullptr, phase_, layer_});
  }
  void hand_over(Handoff h) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      handoffs_.push_back(std::move(h));
    }
    handed_over_.notify_one();
  }
  // Blocks the whole simulation (not simulated time) until the functional half has handed over more.
  Handoff take() {
    std::unique_lock<std::mutex> lock(mutex_);
    handed_over_.wait(lock, [this] { return !handoffs_.empty(); });
    Handoff h = std::move(handoffs_.front());
    handoffs_.pop_front();
    return h;
  }
  void play_front(std::deque<RecordedPhase>& recorded) {
    play_phase(recorded.front(), recorded.size() >= 2 ? &recorded[1] : nullptr);
    recorded.pop_front();
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
        for (size_t i = run.first_burst; i < run.first_burst + run.bursts; ++i) {
          const AxiBurst& b = pp.bursts[i];
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
        for (size_t i = run.first_burst; i < run.first_burst + run.bursts; ++i) {
          const AxiBurst& b = pp.bursts[i];
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
      pp.bursts.clear();
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
  // Functional half.
  std::vector<PortPending> pending_;  // the phase being recorded
  KernelPhase phase_ = KernelPhase::kLoadDescriptor;
  int layer_ = -1;
  bool started_ = false;
  // Between the halves.
  std::mutex mutex_;
  std::condition_variable handed_over_;
  std::deque<Handoff> handoffs_;
  // Timing half.
  std::vector<uint8_t> no_data_;  // zeros
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

FastKernel::~FastKernel() { stop_compute(); }

void FastKernel::stop_compute() {
  if (compute_.joinable()) {
    cancel_compute_.store(true, std::memory_order_relaxed);
    compute_.join();
    cancel_compute_.store(false, std::memory_order_relaxed);
  }
  memory_.reset();
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
      // The functional kernel on a host thread of its own, played here as it goes (PhaseTimedMemory).
      // Owned by the kernel, not by this frame, which SystemC never unwinds if the simulation ends mid-call.
      memory_ = std::make_unique<PhaseTimedMemory>(*this, desc, call);
      PhaseTimedMemory& mem = *memory_;
      const ComputeGuard guard(*this);
      compute_ = std::thread([this, &mem, args] {
        try {
          llama_forward(mem, args, buffers_);
        } catch (const PhaseTimedMemory::Cancelled&) {
        } catch (...) {
          mem.fail(std::current_exception());
        }
      });
      mem.play();
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
