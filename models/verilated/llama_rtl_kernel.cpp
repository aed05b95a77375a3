#include "models/verilated/llama_rtl_kernel.h"

#include <stdexcept>
#include <string>
#include <utility>

#include "hls/device_layout.h"
#include "models/verilated/llama_rtl_limits.h"
#include "models/verilated/llama_rtl_top.h"  // before the generated header (see models/verilated/verilated_top.h)
#include "Vllama_kernel.h"
#include "Vllama_kernel_p16.h"
#include "Vllama_kernel_untraced.h"

namespace vp {
namespace {

// vcd_start_token / vcd_stop_token: the window opens when the host writes ap_start for the call at
// pos = first (after the start check passed) and closes at the edge that call pos = last ends at (the
// monitor's record). -1: from the start / to the end of the run.
bool vcd_window_by_token(const LlamaRtlKernelConfig& c) {
  return !c.vcd.file.empty() && (c.vcd_start_token >= 0 || c.vcd_stop_token >= 0);
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

// The Verilated variant with the configured weight and KV ports (rtl_variant_for checked the pair),
// as a top and its status pins: with `traced` (a VCD run) one built with --trace, else the faster
// one without it where there is one (1 weight port, 1 KV port: Vllama_kernel_untraced,
// rtl/CMakeLists.txt). Both give the same cycles and logits.
std::unique_ptr<VerilatedTop> make_llama_top(const LlamaRtlParams& params, bool traced, RtlKernelStatusPins& status) {
  auto made = [&status](auto top) -> std::unique_ptr<VerilatedTop> {
    status = {top->ports().idle, top->phase_pin(), top->layer_pin()};
    return top;
  };
  if (params.weight_ports == 16 && params.kv_ports == 8)
    return made(std::make_unique<LlamaRtlTop<Vllama_kernel_p16, 16, 8>>());
  if (params.weight_ports != 1 || params.kv_ports != 1)
    throw std::logic_error("no Verilated variant for " + std::to_string(params.weight_ports) + " weight ports and " +
                           std::to_string(params.kv_ports) + " KV ports");
  if (!traced) return made(std::make_unique<LlamaRtlTop<Vllama_kernel_untraced, 1, 1>>());
  return made(std::make_unique<LlamaRtlTop<Vllama_kernel, 1, 1>>());
}

}  // namespace

// The ports in the fast kernel's order (w0..w{W-1}, kv0..kv{P-1}, out), s_axi_control behind the call monitor.
LlamaRtlKernel::LlamaRtlKernel(const std::string& name, const LlamaRtlKernelConfig& config)
    : arguments_(llama_kernel_argument_registers(config.kernel.weight_ports, config.kernel.kv_ports)) {
  // the parameters the Verilated variant is built with (rtl/CMakeLists.txt)
  const LlamaRtlParams params = rtl_variant_for(config.kernel);
  check_rtl_kernel_config(config.kernel, params);
  VerilatedKernelConfig kc;
  kc.clock_mhz = config.kernel.clock_mhz;
  kc.bridge.max_reads = config.kernel.max_outstanding;
  kc.bridge.max_writes = config.kernel.max_outstanding;
  kc.run_ahead = config.run_ahead;
  kc.vcd = config.vcd;
  if (vcd_window_by_token(config) && config.vcd_start_token >= 0) kc.vcd.start = sc_core::sc_max_time();
  RtlKernelStatusPins status{};
  std::unique_ptr<VerilatedTop> top = make_llama_top(params, !config.vcd.file.empty(), status);
  kernel_ = std::make_unique<VerilatedKernel>(name.c_str(), std::move(top), kc);
  VerilatedKernel& kernel = *kernel_;

  // Before each start: the descriptor and the arguments against what the RTL can hold.
  RtlKernelMonitor::StartCheck start_check = [&kernel, params](const KernelArgs& args) {
    return check_rtl_kernel_start(kernel, params, args);
  };
  if (vcd_window_by_token(config))
    start_check = opening_vcd_at_token(std::move(start_check), kernel, config.vcd_start_token);
  monitor_ = std::make_unique<RtlKernelMonitor>((name + "_monitor").c_str(), kernel, status,
                                                config.kernel.weight_ports, config.kernel.kv_ports,
                                                config.kernel.microarch, start_check);
  if (vcd_window_by_token(config)) close_vcd_after_token(kernel, *monitor_, config.vcd_stop_token);
  monitor_->to_kernel.bind(kernel.control().socket);
}

LlamaRtlKernel::~LlamaRtlKernel() = default;

uint64_t LlamaRtlKernel::axi_beats() const {
  uint64_t beats = 0;
  for (size_t i = 0; i < kernel_->master_count(); ++i) {
    const AxiBridgeStats& s = kernel_->master(i).stats();
    beats += s.r_beats + s.w_beats;
  }
  return beats;
}

std::string LlamaRtlKernel::hang_report() const {
  std::string ports;
  for (size_t i = 0; i < kernel_->master_count(); ++i) {
    const AxiTlmBridge& m = kernel_->master(i);
    ports += (ports.empty() ? "" : ", ") + std::string(m.basename()) + " " + std::to_string(m.reads_in_flight()) +
             " reads + " + std::to_string(m.writes_in_flight()) + " writes in flight";
  }
  return "RTL " + monitor_->state() + " at cycle " + std::to_string(kernel_->cycles()) + "; " + ports;
}

void LlamaRtlKernel::set_error_handler(std::function<void(const std::string&)> handler) {
  kernel_->set_error_handler(handler);
  monitor_->set_error_handler(std::move(handler));
}

}  // namespace vp
