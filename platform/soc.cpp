#include "platform/soc.h"

#include "hls/device_layout.h"

namespace vp {

Soc::Soc(sc_core::sc_module_name name, const SimConfig& config)
    : sc_module(name), config_(config), interrupt_("interrupt") {
  if (config.run.mode != "fast")
    throw std::runtime_error("config key run.mode = '" + config.run.mode +
                             "': only the fast kernel is built into this simulator so far");
  interconnect_ = std::make_unique<AxiInterconnect>("interconnect", config.interconnect);
  auto add_channels = [&](MemoryKind kind, uint32_t count, const DramConfig& dram, uint64_t base) {
    for (uint32_t i = 0; i < count; ++i) {
      const MemoryBank bank{kind, i};
      const std::string label = (kind == MemoryKind::kHbm ? "hbm" : "ddr") + std::to_string(i);
      drams_.push_back(std::make_unique<DramChannel>(label.c_str(), dram));
      const uint64_t at = base + uint64_t(i) * dram.capacity_bytes();
      const unsigned index = static_cast<unsigned>(drams_.size() - 1);
      interconnect_->channels.bind(drams_.back()->socket);
      interconnect_->add_region(bank.name(), at, dram.capacity_bytes(), index);
      channel_info_.push_back({bank.name(), bank, at, &dram, drams_.back().get()});
    }
  };
  add_channels(MemoryKind::kHbm, config.board.hbm_channels, config.hbm, 0);
  add_channels(MemoryKind::kDdr, config.board.ddr_channels, config.ddr, kDdrBase);

  control_ = std::make_unique<KernelControlRegs>("control", config.control);
  control_->add_argument("token", kernel_args::kToken, 32);
  control_->add_argument("pos", kernel_args::kPos, 32);
  control_->add_argument("key_cache", kernel_args::kKeyCache, 64);
  control_->add_argument("value_cache", kernel_args::kValueCache, 64);
  control_->add_argument("logits", kernel_args::kLogits, 64);
  for (uint32_t p = 0; p < config.kernel.weight_ports; ++p)
    control_->add_argument("weights" + std::to_string(p), kernel_args::weights(p), 64);
  control_->interrupt_o(interrupt_);

  kernel_ = std::make_unique<FastKernel>("kernel", config.kernel, *control_);
  kernel_->set_error_handler([this](const std::string& message) {
    if (kernel_error_.empty()) kernel_error_ = message;
    sc_core::sc_stop();
  });
  // Each kernel port's home is the channel it is placed on, so the HBM switch charges
  // lateral hops only for traffic that leaves it.
  auto channel_index = [&](const MemoryBank& bank) {
    for (size_t i = 0; i < channel_info_.size(); ++i)
      if (channel_info_[i].bank.kind == bank.kind && channel_info_[i].bank.channel == bank.channel)
        return static_cast<unsigned>(i);
    throw std::runtime_error("no memory channel " + bank.name());
  };
  const std::vector<MemoryBank> weight_banks = config.weight_banks();
  for (size_t p = 0; p < kernel_->ports.size(); ++p) {
    kernel_->ports[p]->socket.bind(interconnect_->masters);
    const MemoryBank bank = p < weight_banks.size()                       ? weight_banks[p]
                            : p == kv_port(config.kernel.weight_ports) ? config.kv_bank()
                                                                          : config.out_bank();
    interconnect_->set_home_channel(static_cast<unsigned>(p), channel_index(bank));
  }

  pcie_ = std::make_unique<PcieDma>("pcie", config.pcie);
  pcie_->to_device.bind(interconnect_->masters);
  interconnect_->set_home_channel(static_cast<unsigned>(kernel_->ports.size()), 0);
  pcie_->to_mmio.bind(control_->s_axi_control);

  std::vector<BankRange> banks;
  for (const MemoryChannelInfo& c : channel_info_) banks.push_back({c.bank, c.base, c.config->capacity_bytes()});
  const sc_core::sc_time budget = config.kernel.cycle() * double(config.placement.timeout_cycles);
  driver_ = std::make_unique<HostDeviceDriver>(*pcie_, interrupt_, banks, budget,
                                               [this] { return kernel_->state(); });
}

}  // namespace vp
