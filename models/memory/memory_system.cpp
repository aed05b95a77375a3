#include "models/memory/memory_system.h"

#include <stdexcept>

namespace vp {

MemorySystem::MemorySystem(const MemorySystemConfig& config, const ChannelLink& link) : config_(config) {
  interconnect_ = std::make_unique<AxiInterconnect>("interconnect", config_.interconnect);
  auto add_channels = [&](MemoryKind kind, uint32_t count, const DramConfig& dram, uint64_t base) {
    for (uint32_t i = 0; i < count; ++i) {
      const MemoryBank bank{kind, i};
      const std::string label = (kind == MemoryKind::kHbm ? "hbm" : "ddr") + std::to_string(i);
      drams_.push_back(std::make_unique<DramChannel>(label.c_str(), dram));
      const uint64_t at = base + uint64_t(i) * dram.capacity_bytes();
      const unsigned index = static_cast<unsigned>(drams_.size() - 1);
      if (link) link(*interconnect_, *drams_.back(), index);
      else interconnect_->channels.bind(drams_.back()->socket);
      interconnect_->add_region(bank.name(), at, dram.capacity_bytes(), index);
      channels_.push_back({bank.name(), bank, at, &dram, drams_.back().get()});
    }
  };
  add_channels(MemoryKind::kHbm, config_.hbm_channels, config_.hbm, 0);
  add_channels(MemoryKind::kDdr, config_.ddr_channels, config_.ddr, kDdrBase);
}

unsigned MemorySystem::channel_index(const MemoryBank& bank) const {
  for (size_t i = 0; i < channels_.size(); ++i)
    if (channels_[i].bank.kind == bank.kind && channels_[i].bank.channel == bank.channel)
      return static_cast<unsigned>(i);
  throw std::runtime_error("no memory channel " + bank.name());
}

std::vector<BankRange> MemorySystem::bank_ranges() const {
  std::vector<BankRange> banks;
  for (const MemoryChannelInfo& c : channels_) banks.push_back({c.bank, c.base, c.config->capacity_bytes()});
  return banks;
}

std::vector<DramStats> MemorySystem::stats() const {
  std::vector<DramStats> s;
  for (const MemoryChannelInfo& c : channels_) s.push_back(c.model->stats());
  return s;
}

std::vector<InterconnectMasterInfo> MemorySystem::masters() const {
  std::vector<InterconnectMasterInfo> masters;
  for (const KernelPortPlacement& port : config_.kernel_ports) masters.push_back({port.name, channel_index(port.bank)});
  masters.push_back({"pcie", 0});
  return masters;
}

void MemorySystem::set_master_homes() {
  const std::vector<InterconnectMasterInfo> all = masters();
  for (size_t m = 0; m < all.size(); ++m) interconnect_->set_home_channel(static_cast<unsigned>(m), all[m].home_channel);
}

}  // namespace vp
