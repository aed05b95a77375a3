#pragma once
// Channel-local byte address -> DRAM coordinates. Bit fields, low to high:
//   [byte in column access][bank group][column][bank][row]
// Consecutive column accesses of a sequential stream alternate bank groups, so back-to-back bursts are
// spaced by tCCD_S rather than tCCD_L; a run of bank_groups x columns accesses stays in one row of each
// bank group (a "row segment"), and the next segment moves to the next bank, so its row can be opened
// while the previous one streams.
#include <cstdint>

#include "models/dram/dram_config.h"

namespace vp {

struct DramLocation {
  unsigned bank_group = 0;
  unsigned bank = 0;  // within the bank group
  std::uint32_t row = 0;
  std::uint32_t column = 0;
};

class DramAddressMapper {
 public:
  explicit DramAddressMapper(const DramConfig& config);

  // Throws std::range_error naming the address (hex) and the capacity when address >= capacity.
  DramLocation map(std::uint64_t address) const {
    if (address >= capacity_) throw_out_of_range(address);
    DramLocation loc;
    loc.bank_group = static_cast<unsigned>((address >> bank_group_shift_) & bank_group_mask_);
    loc.column = static_cast<std::uint32_t>((address >> column_shift_) & column_mask_);
    loc.bank = static_cast<unsigned>((address >> bank_shift_) & bank_mask_);
    loc.row = static_cast<std::uint32_t>(address >> row_shift_);
    return loc;
  }
  // First byte address of a location (inverse of map for column-aligned addresses).
  std::uint64_t address_of(const DramLocation& loc) const;

  std::uint64_t capacity() const { return capacity_; }
  unsigned column_bytes() const { return 1u << bank_group_shift_; }
  // Bytes of consecutive addresses that share one bank index and row across all bank groups.
  std::uint64_t segment_bytes() const { return std::uint64_t{1} << bank_shift_; }

 private:
  [[noreturn]] void throw_out_of_range(std::uint64_t address) const;

  std::uint64_t capacity_;
  unsigned bank_group_shift_, column_shift_, bank_shift_, row_shift_;
  std::uint64_t bank_group_mask_, column_mask_, bank_mask_;
};

}  // namespace vp
