#include "models/dram/dram_address_mapper.h"

#include <sstream>
#include <stdexcept>

namespace vp {
namespace {
unsigned log2_exact(std::uint64_t v) {
  unsigned bits = 0;
  while ((std::uint64_t{1} << bits) < v) ++bits;
  return bits;
}
}  // namespace

DramAddressMapper::DramAddressMapper(const DramConfig& config) : capacity_(config.capacity_bytes()) {
  config.validate("");  // the bit slicing below needs power-of-two geometry
  bank_group_shift_ = log2_exact(config.bytes_per_column());
  column_shift_ = bank_group_shift_ + log2_exact(config.bank_groups);
  bank_shift_ = column_shift_ + log2_exact(config.columns);
  row_shift_ = bank_shift_ + log2_exact(config.banks_per_group);
  bank_group_mask_ = config.bank_groups - 1;
  column_mask_ = config.columns - 1;
  bank_mask_ = config.banks_per_group - 1;
}

std::uint64_t DramAddressMapper::address_of(const DramLocation& loc) const {
  return (std::uint64_t{loc.row} << row_shift_) | (std::uint64_t{loc.bank} << bank_shift_) |
         (std::uint64_t{loc.column} << column_shift_) | (std::uint64_t{loc.bank_group} << bank_group_shift_);
}

void DramAddressMapper::throw_out_of_range(std::uint64_t address) const {
  std::ostringstream msg;
  msg << "DRAM address 0x" << std::hex << address << " is outside the channel capacity of 0x" << capacity_
      << std::dec << " bytes";
  throw std::range_error(msg.str());
}

}  // namespace vp
