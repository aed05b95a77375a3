// run.mode = rtl: the SoC's assembly of the Verilated rtl/llama_kernel.sv (built with the CMake option
// VP_RTL, default ON; platform/rtl_kernel_absent.cpp stands in without it). The only platform file
// that includes Verilated headers.
#include "platform/rtl_kernel_assembly.h"

#include <algorithm>
#include <stdexcept>

#include "hls/device_layout.h"
#include "models/verilated/llama_rtl_limits.h"
#include "models/verilated/llama_rtl_top.h"  // before the generated header (see models/verilated/verilated_top.h)
#include "models/verilated/rtl_kernel_monitor.h"
#include "models/verilated/verilated_kernel.h"
#include "platform/soc.h"
#include "Vllama_kernel.h"
#include "Vllama_kernel_p16.h"
#include "Vllama_kernel_untraced.h"

namespace vp {
namespace {

// The kernel and its monitor, destroyed in the reverse order (the monitor holds the kernel).
class LlamaRtlKernel final : public RtlKernelAssembly {
 public:
  std::unique_ptr<VerilatedKernel> kernel_;
  std::unique_ptr<RtlKernelMonitor> monitor_;

  VerilatedKernel& kernel() override { return *kernel_; }
  RtlKernelMonitor& monitor() override { return *monitor_; }
  const std::vector<KernelCallRecord>& calls() const override { return monitor_->calls(); }
  uint64_t axi_beats() const override {
    uint64_t beats = 0;
    for (size_t i = 0; i < kernel_->master_count(); ++i) {
      const AxiBridgeStats& s = kernel_->master(i).stats();
      beats += s.r_beats + s.w_beats;
    }
    return beats;
  }
};

// run.vcd_start_token / run.vcd_stop_token: the window opens when the host writes ap_start for
// the call at pos = first (after the start check passed) and closes at the edge that call
// pos = last ends at (the monitor's record). -1: from the start / to the end of the run.
bool vcd_window_by_token(const RunConfig& run) {
  return !run.vcd.empty() && (run.vcd_start_token >= 0 || run.vcd_stop_token >= 0);
}

RtlKernelMonitor::StartCheck opening_vcd_at_token(RtlKernelMonitor::StartCheck check, VerilatedKernel& kernel,
                                                  int64_t first) {
  if (first < 0) return check;
  return [check = std::move(check), &kernel, first](const KernelArgs& args) {
    KernelDescriptor desc = check(args);
    if (int64_t(args.pos) == first) kernel.vcd().open_at(sc_core::sc_time_stamp());
    return desc;
  };
}

void close_vcd_after_token(VerilatedKernel& kernel, const RtlKernelMonitor& monitor, int64_t last) {
  if (last < 0) return;
  // Registered after the monitor's observer: a call it completed at this edge is in calls().
  kernel.add_edge_observer([&kernel, &monitor, last, seen = size_t{0}](uint64_t, const sc_core::sc_time&) mutable {
    const std::vector<KernelCallRecord>& calls = monitor.calls();
    if (calls.size() == seen) return;
    seen = calls.size();
    if (int64_t(calls.back().pos) == last) kernel.vcd().close_at(calls.back().end);
  });
}

// VCD probes of the memory channels the kernel's ports are placed on, under tlm.<channel>.
void add_channel_probes(const SimConfig& config, MemorySystem& memory, RtlVcdRecorder& vcd) {
  std::vector<MemoryBank> banks = config.weight_banks();
  banks.push_back(config.kv_bank());
  banks.push_back(config.out_bank());
  std::vector<unsigned> done;
  for (const MemoryBank& bank : banks) {
    const unsigned index = memory.channel_index(bank);
    if (std::find(done.begin(), done.end(), index) != done.end()) continue;
    done.push_back(index);
    const DramChannel* dram = memory.channels()[index].model;
    const std::string scope = dram->basename();  // hbm0, ddr1: names without brackets for VCD viewers
    vcd.add_probe(scope, "read_bytes", 64, [dram] { return dram->stats().read_bytes; });
    vcd.add_probe(scope, "write_bytes", 64, [dram] { return dram->stats().write_bytes; });
    vcd.add_probe(scope, "data_bus_busy_cycles", 64, [dram] { return dram->stats().data_bus_busy_cycles; });
  }
}

// The Verilated variant with the configured weight ports, as a top and its status pins: with
// `traced` (a --vcd run) one built with --trace, else the faster one without it where there is
// one (1 port: Vllama_kernel_untraced, rtl/CMakeLists.txt). Both give the same cycles and logits.
std::unique_ptr<VerilatedTop> make_llama_top(uint32_t weight_ports, bool traced, RtlKernelStatusPins& status) {
  auto made = [&status](auto top) -> std::unique_ptr<VerilatedTop> {
    status = {top->ports().idle, top->phase_pin(), top->layer_pin()};
    return top;
  };
  if (weight_ports == 16) return made(std::make_unique<LlamaRtlTop<Vllama_kernel_p16, 16>>());
  if (!traced) return made(std::make_unique<LlamaRtlTop<Vllama_kernel_untraced, 1>>());
  return made(std::make_unique<LlamaRtlTop<Vllama_kernel, 1>>());
}

}  // namespace

bool rtl_kernel_built() { return true; }

// rtl mode: the Verilated rtl/llama_kernel.sv on the same interconnect ports (w0..w{P-1}, kv,
// out: the fast kernel's order), its s_axi_control behind the call monitor.
void Soc::build_rtl_kernel(const SimConfig& config) {
  // the parameters the Verilated variant is built with (rtl/CMakeLists.txt)
  const LlamaRtlParams params = rtl_variant_for(config.kernel);
  check_rtl_kernel_config(config.kernel, params);
  VerilatedKernelConfig kc;
  kc.clock_mhz = config.kernel.clock_mhz;
  kc.bridge.max_reads = config.kernel.max_outstanding;
  kc.bridge.max_writes = config.kernel.max_outstanding;
  kc.run_ahead = config.placement.rtl_run_ahead;
  if (!config.run.vcd.empty())
    kc.vcd = {config.run.vcd, sc_core::sc_time(config.run.vcd_start_ns, sc_core::SC_NS),
              sc_core::sc_time(config.run.vcd_stop_ns, sc_core::SC_NS)};
  if (vcd_window_by_token(config.run) && config.run.vcd_start_token >= 0) kc.vcd.start = sc_core::sc_max_time();
  RtlKernelStatusPins status{};
  std::unique_ptr<VerilatedTop> top = make_llama_top(params.weight_ports, !config.run.vcd.empty(), status);
  auto rtl = std::make_unique<LlamaRtlKernel>();
  rtl->kernel_ = std::make_unique<VerilatedKernel>("kernel", std::move(top), kc);
  VerilatedKernel& kernel = *rtl->kernel_;
  auto stop_with = [this](const std::string& message) {
    if (kernel_error_.empty()) kernel_error_ = message;
    sc_core::sc_stop();
  };
  kernel.set_error_handler(stop_with);
  kernel.interrupt_o(interrupt_);
  AxiInterconnect& interconnect = memory_->interconnect();
  for (size_t i = 0; i < kernel.master_count(); ++i) kernel.master(i).socket.bind(interconnect.masters);

  // Before each start: the descriptor and the arguments against what the RTL can hold.
  RtlKernelMonitor::StartCheck start_check = [&kernel, params](const KernelArgs& args) {
    return check_rtl_kernel_start(kernel, params, args);
  };
  if (vcd_window_by_token(config.run))
    start_check = opening_vcd_at_token(std::move(start_check), kernel, config.run.vcd_start_token);
  rtl->monitor_ = std::make_unique<RtlKernelMonitor>("kernel_monitor", kernel, status, config.kernel.weight_ports,
                                                     config.kernel.microarch, start_check);
  RtlKernelMonitor& monitor = *rtl->monitor_;
  if (vcd_window_by_token(config.run)) close_vcd_after_token(kernel, monitor, config.run.vcd_stop_token);
  monitor.set_error_handler(stop_with);
  monitor.to_kernel.bind(kernel.control().socket);
  rtl_ = std::move(rtl);

  pcie_ = std::make_unique<PcieDma>("pcie", config.pcie);
  pcie_->to_device.bind(interconnect.masters);
  memory_->set_master_homes();
  pcie_->to_mmio.bind(monitor.from_host);
  add_channel_probes(config, *memory_, kernel.vcd());

  const std::vector<BankRange> banks = memory_->bank_ranges();
  const sc_core::sc_time budget = config.kernel.cycle() * double(config.placement.timeout_cycles);
  driver_ = std::make_unique<HostDeviceDriver>(*pcie_, interrupt_, banks, budget, [&kernel, &monitor] {
    std::string ports;
    for (size_t i = 0; i < kernel.master_count(); ++i) {
      const AxiTlmBridge& m = kernel.master(i);
      ports += (ports.empty() ? "" : ", ") + std::string(m.basename()) + " " + std::to_string(m.reads_in_flight()) +
               " reads + " + std::to_string(m.writes_in_flight()) + " writes in flight";
    }
    return "RTL " + monitor.state() + " at cycle " + std::to_string(kernel.cycles()) + "; " + ports;
  });
}

VerilatedKernel& Soc::rtl_kernel() {
  if (!rtl_) throw std::logic_error("Soc::rtl_kernel(): not in run.mode = rtl");
  return rtl_->kernel();
}

RtlKernelMonitor& Soc::rtl_monitor() {
  if (!rtl_) throw std::logic_error("Soc::rtl_monitor(): not in run.mode = rtl");
  return rtl_->monitor();
}

}  // namespace vp
