#include "platform/soc.h"

#include <stdexcept>
#include <string>

#include "platform/kernel_factory.h"
#include "platform/memory_placement.h"

namespace vp {

Soc::~Soc() = default;

Soc::Soc(sc_core::sc_module_name name, const SimConfig& config)
    : sc_module(name), config_(config), interrupt_("interrupt") {
  memory_ = std::make_unique<MemorySystem>(memory_system_config(config));
  AxiInterconnect& interconnect = memory_->interconnect();

  kernel_ = make_kernel(config, *memory_);
  kernel_->set_error_handler([this](const std::string& message) {
    if (kernel_error_.empty()) kernel_error_ = message;
    sc_core::sc_stop();
  });
  kernel_->interrupt()(interrupt_);
  for (size_t port = 0; port < kernel_->master_count(); ++port) kernel_->master_socket(port).bind(interconnect.masters);
  pcie_ = std::make_unique<PcieDma>("pcie", config.pcie);
  pcie_->to_device.bind(interconnect.masters);
  // Each kernel port's home is the channel it is placed on, so the HBM switch charges
  // lateral hops only for traffic that leaves it.
  memory_->set_master_homes();
  pcie_->to_mmio.bind(kernel_->control_socket());

  const std::vector<BankRange> banks = memory_->bank_ranges();
  const sc_core::sc_time budget = config.kernel.cycle() * double(config.placement.timeout_cycles);
  driver_ = std::make_unique<HostDeviceDriver>(*pcie_, interrupt_, banks, budget,
                                               [this] { return kernel_->hang_report(); });
}

}  // namespace vp
