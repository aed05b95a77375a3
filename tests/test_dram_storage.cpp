// DramStorage: sparse pages, zero for unwritten bytes, accesses across pages, bounds errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/dram/dram_storage.h"

namespace vp {
namespace {

TEST(DramStorage, UnwrittenBytesReadAsZero) {
  DramStorage storage(1 << 20);
  std::vector<std::uint8_t> data(300, 0xAB);
  storage.read(12345, data.data(), data.size());
  EXPECT_EQ(data, std::vector<std::uint8_t>(300, 0));
}

TEST(DramStorage, ReadAfterWriteReturnsTheWrittenBytes) {
  DramStorage storage(1 << 20);
  std::vector<std::uint8_t> written(100);
  std::iota(written.begin(), written.end(), 1);
  storage.write(4000, written.data(), written.size());
  std::vector<std::uint8_t> read(100);
  storage.read(4000, read.data(), read.size());
  EXPECT_EQ(read, written);
  std::uint8_t before = 0xFF, after = 0xFF;
  storage.read(3999, &before, 1);
  storage.read(4100, &after, 1);
  EXPECT_EQ(before, 0);
  EXPECT_EQ(after, 0);
}

TEST(DramStorage, AccessesCrossingAPageBoundaryKeepEveryByte) {
  DramStorage storage(4 * DramStorage::kPageBytes);
  const std::uint64_t start = DramStorage::kPageBytes - 50;
  std::vector<std::uint8_t> written(DramStorage::kPageBytes + 100);
  for (std::size_t i = 0; i < written.size(); ++i) written[i] = static_cast<std::uint8_t>(i * 7 + 3);
  storage.write(start, written.data(), written.size());  // spans pages 0, 1 and 2
  std::vector<std::uint8_t> read(written.size());
  storage.read(start, read.data(), read.size());
  EXPECT_EQ(read, written);
  EXPECT_EQ(storage.allocated_bytes(), 3 * DramStorage::kPageBytes);

  std::vector<std::uint8_t> tail(200);  // last 50 written bytes of page 2, then unwritten bytes
  storage.read(start + written.size() - 50, tail.data(), tail.size());
  for (std::size_t i = 0; i < 50; ++i) EXPECT_EQ(tail[i], written[written.size() - 50 + i]);
  for (std::size_t i = 50; i < tail.size(); ++i) EXPECT_EQ(tail[i], 0);
}

TEST(DramStorage, OnlyWrittenPagesTakeHostMemory) {
  DramStorage storage(std::uint64_t{8} << 30);  // an 8 GiB DDR4 channel
  const std::uint8_t byte = 42;
  storage.write((std::uint64_t{8} << 30) - 1, &byte, 1);
  EXPECT_EQ(storage.allocated_bytes(), DramStorage::kPageBytes);
  std::uint8_t back = 0;
  storage.read((std::uint64_t{8} << 30) - 1, &back, 1);
  EXPECT_EQ(back, 42);
}

TEST(DramStorage, PagesFromSeveralSlabsKeepTheirOwnContents) {
  // 70 pages, written last to first: three 2 MiB slabs, each page's memory far from its address's neighbours.
  constexpr std::uint64_t kPages = 70;
  DramStorage storage(kPages * DramStorage::kPageBytes);
  std::vector<std::uint8_t> page(DramStorage::kPageBytes);
  for (std::uint64_t p = kPages; p-- > 0;) {
    std::fill(page.begin(), page.end(), static_cast<std::uint8_t>(p + 1));
    storage.write(p * DramStorage::kPageBytes + 8, page.data(), page.size() - 16);
  }
  EXPECT_EQ(storage.allocated_bytes(), kPages * DramStorage::kPageBytes);
  std::vector<std::uint8_t> all(kPages * DramStorage::kPageBytes);
  storage.read(0, all.data(), all.size());
  for (std::uint64_t p = 0; p < kPages; ++p) {
    const std::uint64_t base = p * DramStorage::kPageBytes;
    EXPECT_EQ(all[base + 7], 0) << "page " << p;  // unwritten bytes of a written page stay zero
    EXPECT_EQ(all[base + 8], p + 1) << "page " << p;
    EXPECT_EQ(all[base + DramStorage::kPageBytes - 9], p + 1) << "page " << p;
    EXPECT_EQ(all[base + DramStorage::kPageBytes - 8], 0) << "page " << p;
  }
}

TEST(DramStorage, AccessPastCapacityThrowsNamingTheAddress) {
  DramStorage storage(0x100000);
  std::uint8_t buffer[16] = {};
  try {
    storage.write(0xFFFF8, buffer, 16);
    FAIL() << "expected std::range_error";
  } catch (const std::range_error& e) {
    EXPECT_NE(std::string(e.what()).find("0xffff8"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("0x100000"), std::string::npos) << e.what();
  }
  EXPECT_THROW(storage.read(0x100000, buffer, 1), std::range_error);
  EXPECT_THROW(storage.read(~std::uint64_t{0}, buffer, 2), std::range_error);  // no wrap-around
  EXPECT_NO_THROW(storage.read(0xFFFF0, buffer, 16));
  EXPECT_EQ(storage.allocated_bytes(), 0u);  // the refused write stored nothing
}

}  // namespace
}  // namespace vp
