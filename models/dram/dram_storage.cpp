#include "models/dram/dram_storage.h"

#include <algorithm>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace vp {

DramStorage::DramStorage(std::uint64_t capacity_bytes)
    : capacity_(capacity_bytes), pages_((capacity_bytes + kPageBytes - 1) / kPageBytes) {}

void DramStorage::check_range(std::uint64_t address, std::size_t length) const {
  if (address <= capacity_ && length <= capacity_ - address) return;
  std::ostringstream msg;
  msg << "DRAM storage access [0x" << std::hex << address << ", +0x" << length << ") is outside the capacity of 0x"
      << capacity_ << " bytes";
  throw std::range_error(msg.str());
}

void DramStorage::read(std::uint64_t address, std::uint8_t* dst, std::size_t length) const {
  check_range(address, length);
  while (length > 0) {
    const std::uint64_t offset = address % kPageBytes;
    const std::size_t chunk = static_cast<std::size_t>(std::min<std::uint64_t>(length, kPageBytes - offset));
    const auto& page = pages_[address / kPageBytes];
    if (page)
      std::memcpy(dst, page.get() + offset, chunk);
    else
      std::memset(dst, 0, chunk);
    address += chunk;
    dst += chunk;
    length -= chunk;
  }
}

void DramStorage::write(std::uint64_t address, const std::uint8_t* src, std::size_t length) {
  check_range(address, length);
  while (length > 0) {
    const std::uint64_t offset = address % kPageBytes;
    const std::size_t chunk = static_cast<std::size_t>(std::min<std::uint64_t>(length, kPageBytes - offset));
    auto& page = pages_[address / kPageBytes];
    if (!page) {
      page = std::make_unique<std::uint8_t[]>(kPageBytes);  // value-initialised: zeros
      ++allocated_pages_;
    }
    std::memcpy(page.get() + offset, src, chunk);
    address += chunk;
    src += chunk;
    length -= chunk;
  }
}

}  // namespace vp
