// AXI burst shaping: legal bursts that cover exactly the requested bytes.
#include <gtest/gtest.h>

#include "models/axi/axi_burst.h"

namespace {

void expect_legal_cover(uint64_t address, uint64_t bytes, uint32_t beat_bytes) {
  const auto bursts = vp::split_into_bursts(address, bytes, beat_bytes);
  uint64_t next = address;
  for (const vp::AxiBurst& b : bursts) {
    EXPECT_EQ(b.address, next);
    EXPECT_GT(b.bytes, 0u);
    EXPECT_LE(b.beats, vp::kAxiMaxBeats);
    EXPECT_EQ(b.address / 4096, (b.address + b.bytes - 1) / 4096) << "burst at " << b.address << " crosses 4 KiB";
    const uint64_t first_beat = b.address / beat_bytes, last_beat = (b.address + b.bytes - 1) / beat_bytes;
    EXPECT_EQ(b.beats, last_beat - first_beat + 1);
    next += b.bytes;
  }
  EXPECT_EQ(next, address + bytes);
}

TEST(AxiBurst, NeverCrosses4KiBAndCoversTheRange) {
  expect_legal_cover(0, 1 << 20, 64);
  expect_legal_cover(100, 10000, 64);
  expect_legal_cover(4095, 2, 8);
  expect_legal_cover(12345, 77777, 32);
}

TEST(AxiBurst, NarrowBusIsLimitedTo256Beats) {
  // 8-byte beats: 256 beats = 2 KiB, below the 4 KiB boundary.
  const auto bursts = vp::split_into_bursts(0, 8192, 8);
  ASSERT_EQ(bursts.size(), 4u);
  for (const auto& b : bursts) EXPECT_EQ(b.beats, 256u);
}

TEST(AxiBurst, WideBusIsLimitedByThe4KiBBoundary) {
  const auto bursts = vp::split_into_bursts(0, 16384, 64);
  ASSERT_EQ(bursts.size(), 4u);
  for (const auto& b : bursts) EXPECT_EQ(b.beats, 64u);
}

TEST(AxiBurst, UnalignedStartCountsPartialBeats) {
  const auto bursts = vp::split_into_bursts(60, 8, 64);  // bytes 60..67 straddle two beats
  ASSERT_EQ(bursts.size(), 1u);
  EXPECT_EQ(bursts[0].beats, 2u);
}

}  // namespace
