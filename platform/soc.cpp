#include "platform/soc.h"

#include <stdexcept>
#include <string>

#include "hls/device_layout.h"
#include "models/kernel/power_model.h"
#include "platform/memory_placement.h"

namespace vp {
namespace {

// "m_axi_w0 16 in flight + 40 queued, m_axi_kv idle, ...": what a hung kernel is still waiting for.
std::string outstanding_per_port(const FastKernel& kernel) {
  std::string s;
  for (const auto& port : kernel.ports) {
    s += (s.empty() ? "" : ", ") + std::string(port->basename()) + " ";
    s += port->idle() ? std::string("idle")
                      : std::to_string(port->in_flight()) + " in flight + " + std::to_string(port->queued()) + " queued";
  }
  return s;
}

}  // namespace

// The rtl-mode parts (platform/rtl_kernel_assembly.cpp) are complete here through their interface.
Soc::~Soc() = default;

Soc::Soc(sc_core::sc_module_name name, const SimConfig& config)
    : sc_module(name), config_(config), interrupt_("interrupt") {
  // Both kernels (fast and rtl) have one KV-cache master, m_axi_kv: the key/value layout over
  // several ports (issue 10, item 3) is not built yet, so a second port would be ignored silently.
  if (config.kernel.kv_ports != 1)
    throw std::invalid_argument("config key kernel.kv_ports = " + std::to_string(config.kernel.kv_ports) +
                                ": the kernel has one KV-cache port (m_axi_kv); only 1 is supported");
  memory_ = std::make_unique<MemorySystem>(memory_system_config(config));
  AxiInterconnect& interconnect = memory_->interconnect();
  if (config.run.mode == "rtl") {
    build_rtl_kernel(config);  // platform/rtl_kernel_assembly.cpp
    return;
  }

  control_ = std::make_unique<KernelControlRegs>("control", config.control);
  control_->add_argument("token", kernel_args::kToken, 32);
  control_->add_argument("pos", kernel_args::kPos, 32);
  control_->add_argument("key_cache", kernel_args::kKeyCache, 64);
  control_->add_argument("value_cache", kernel_args::kValueCache, 64);
  control_->add_argument("logits", kernel_args::kLogits, 64);
  for (uint32_t p = 0; p < config.kernel.weight_ports; ++p)
    control_->add_argument("weights" + std::to_string(p), kernel_args::weights(p), 64);
  control_->interrupt_o(interrupt_);

  FastKernelConfig kernel_config = config.kernel;
  kernel_config.functional = config.run.functional;
  kernel_ = std::make_unique<FastKernel>("kernel", kernel_config, *control_);
  kernel_->set_error_handler([this](const std::string& message) {
    if (kernel_error_.empty()) kernel_error_ = message;
    sc_core::sc_stop();
  });
  for (auto& port : kernel_->ports) port->socket.bind(interconnect.masters);
  pcie_ = std::make_unique<PcieDma>("pcie", config.pcie);
  pcie_->to_device.bind(interconnect.masters);
  // Each kernel port's home is the channel it is placed on, so the HBM switch charges
  // lateral hops only for traffic that leaves it.
  memory_->set_master_homes();
  pcie_->to_mmio.bind(control_->s_axi_control);

  const std::vector<BankRange> banks = memory_->bank_ranges();
  const sc_core::sc_time budget = config.kernel.cycle() * double(config.placement.timeout_cycles);
  driver_ = std::make_unique<HostDeviceDriver>(*pcie_, interrupt_, banks, budget,
                                               [this] {
                                                 return kernel_->state() + "; outstanding bursts per port: " +
                                                        outstanding_per_port(*kernel_);
                                               });
}

FastKernel& Soc::kernel() {
  if (!kernel_) throw std::logic_error("Soc::kernel(): run.mode = rtl has no fast kernel (use rtl_kernel())");
  return *kernel_;
}

const std::vector<KernelCallRecord>& Soc::kernel_calls() const {
  return rtl_ ? rtl_->calls() : kernel_->calls();
}

uint64_t Soc::kernel_axi_beats() const {
  if (rtl_) return rtl_->axi_beats();
  uint64_t beats = 0;
  for (const auto& port : kernel_->ports) beats += data_beats(port->stats());
  return beats;
}

}  // namespace vp
