#include "models/dram/dram_storage.h"

#include <algorithm>
#include <cstring>
#include <new>
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
    const std::uint8_t* page = pages_[address / kPageBytes];
    if (page)
      std::memcpy(dst, page + offset, chunk);
    else
      std::memset(dst, 0, chunk);
    address += chunk;
    dst += chunk;
    length -= chunk;
  }
}

std::uint8_t* DramStorage::allocate_page() {
  const std::uint64_t in_slab = allocated_pages_ % kPagesPerSlab;
  if (in_slab == 0) {
    auto* slab = static_cast<std::uint8_t*>(std::aligned_alloc(kHugePageBytes, kHugePageBytes));
    if (slab == nullptr) throw std::bad_alloc();
    slabs_.emplace_back(slab);
    advise_huge_pages(slab, kHugePageBytes);
  }
  ++allocated_pages_;
  std::uint8_t* page = slabs_.back().get() + in_slab * kPageBytes;
  std::memset(page, 0, kPageBytes);
  return page;
}

void DramStorage::write(std::uint64_t address, const std::uint8_t* src, std::size_t length) {
  check_range(address, length);
  while (length > 0) {
    const std::uint64_t offset = address % kPageBytes;
    const std::size_t chunk = static_cast<std::size_t>(std::min<std::uint64_t>(length, kPageBytes - offset));
    std::uint8_t*& page = pages_[address / kPageBytes];
    if (!page) page = allocate_page();
    std::memcpy(page + offset, src, chunk);
    address += chunk;
    src += chunk;
    length -= chunk;
  }
}

}  // namespace vp
