#pragma once
// Contents of one DRAM channel, stored sparsely: 64 KiB pages are allocated on first write, so an 8 GiB
// channel that holds a few MiB of weights costs a few MiB of host memory. Unwritten bytes read as zero.
// Pages are carved, in the order they are first written, out of 2 MiB slabs on huge pages (sw/huge_pages.h):
// an upload of the 110M model's weights then faults in 60 slabs instead of 29,000 small pages.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "sw/huge_pages.h"

namespace vp {

class DramStorage {
 public:
  static constexpr std::uint64_t kPageBytes = 64 * 1024;

  explicit DramStorage(std::uint64_t capacity_bytes);

  // Both throw std::range_error naming the address range (hex) when it does not fit in the capacity.
  void read(std::uint64_t address, std::uint8_t* dst, std::size_t length) const;
  void write(std::uint64_t address, const std::uint8_t* src, std::size_t length);

  std::uint64_t capacity() const { return capacity_; }
  // The page holding `address` (kPageBytes, page-aligned), or null while it has never been written.
  const std::uint8_t* page(std::uint64_t address) const { return pages_[address / kPageBytes]; }
  std::uint64_t allocated_bytes() const { return allocated_pages_ * kPageBytes; }

 private:
  void check_range(std::uint64_t address, std::size_t length) const;
  // A zeroed page from the current slab (a new slab when it is used up).
  std::uint8_t* allocate_page();

  struct FreeSlab {
    void operator()(std::uint8_t* slab) const { std::free(slab); }
  };
  static constexpr std::uint64_t kPagesPerSlab = kHugePageBytes / kPageBytes;

  std::uint64_t capacity_;
  std::vector<std::uint8_t*> pages_;  // into slabs_; null = never written
  std::vector<std::unique_ptr<std::uint8_t[], FreeSlab>> slabs_;
  std::uint64_t allocated_pages_ = 0;
};

}  // namespace vp
