// PinRef on Verilator's own port storage (VlWide and the unsigned integer ports): every field a
// bridge may bind reads and writes exactly its bits, whatever window of the port it is kept in.
#include "models/verilated/verilated_pins.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>

#include "verilated.h"

namespace {

// Bit k of a port stored as 32-bit words, least significant first (Verilator's layout).
template <size_t N>
bool bit_of(const VlWide<N>& w, uint32_t k) {
  return (w[k / 32] >> (k % 32)) & 1u;
}

// A window of at most 8 bytes holds the field unless it starts late in a byte and is nearly 64
// bits wide; at the port's end the window moves back instead of reading past it.
bool holdable(uint32_t offset, uint32_t width, uint32_t port_bits) {
  return offset % 8 + width <= 64 || offset / 8 > port_bits / 8 - 8;
}

TEST(PinRef, EveryFieldOfAWidePortReadsAndWritesExactlyItsBits) {
  constexpr uint32_t kBits = 8 * 32;
  std::mt19937_64 random(7);
  for (uint32_t width = 1; width <= 64; ++width) {
    for (uint32_t offset = 0; offset + width <= kBits; ++offset) {
      VlWide<8> port;
      for (size_t i = 0; i < 8; ++i) port[i] = static_cast<uint32_t>(random());
      const VlWide<8> before = port;
      const vp::PinRef pin = vp::PinRef::bits(port, offset, width);
      ASSERT_EQ(pin.bound(), holdable(offset, width, kBits)) << "offset " << offset << " width " << width;
      if (!pin.bound()) continue;

      uint64_t expected_before = 0;
      for (uint32_t k = 0; k < width; ++k) expected_before |= uint64_t{bit_of(before, offset + k)} << k;
      ASSERT_EQ(pin.get(), expected_before) << "offset " << offset << " width " << width;

      const uint64_t value = random();
      pin.set(value);
      for (uint32_t k = 0; k < kBits; ++k) {
        const bool inside = k >= offset && k < offset + width;
        const bool expected = inside ? (value >> (k - offset)) & 1u : bit_of(before, k);
        ASSERT_EQ(bit_of(port, k), expected) << "offset " << offset << " width " << width << " bit " << k;
      }
      const uint64_t mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
      ASSERT_EQ(pin.get(), value & mask);
    }
  }
}

TEST(PinRef, LanesOfNarrowVectorPortsStayInsideThePort) {
  // 16 lanes of 1 bit (SData, as m_axi_gmem_kv_rvalid of 16 KV ports) and of 3 bits (a 48-bit
  // QData, as *_arsize): lanes at the end of the variable, and 3-bit lanes across a byte boundary.
  uint16_t valid = 0;
  for (uint32_t lane = 0; lane < 16; ++lane) vp::PinRef::bits(valid, lane, 1).set(lane % 3 == 0);
  EXPECT_EQ(valid, 0b1001001001001001);
  EXPECT_EQ(vp::PinRef::bits(valid, 15, 1).get(), 1u);
  EXPECT_EQ(vp::PinRef::bits(valid, 14, 1).get(), 0u);

  uint64_t sizes = 0;
  for (uint32_t lane = 0; lane < 16; ++lane) vp::PinRef::bits(sizes, 3 * lane, 3).set(lane % 8);
  for (uint32_t lane = 0; lane < 16; ++lane) EXPECT_EQ((sizes >> (3 * lane)) & 7u, lane % 8) << "lane " << lane;
  EXPECT_EQ(sizes >> 48, 0u);
}

TEST(PinRef, WholePortsTruncateToTheirWidthAndUnboundPinsReadZero) {
  uint8_t c = 0;
  uint16_t s = 0;
  uint32_t i = 0;
  uint64_t q = 0;
  vp::PinRef(c).set(0x1FF);
  vp::PinRef(s).set(0x1FFFF);
  vp::PinRef(i).set(0x1FFFFFFFFull);
  vp::PinRef(q).set(~uint64_t{0});
  EXPECT_EQ(c, 0xFF);
  EXPECT_EQ(s, 0xFFFF);
  EXPECT_EQ(i, 0xFFFFFFFFu);
  EXPECT_EQ(q, ~uint64_t{0});
  EXPECT_EQ(vp::PinRef(s).get(), 0xFFFFu);

  const vp::PinRef unbound;
  EXPECT_FALSE(unbound.bound());
  EXPECT_EQ(unbound.get(), 0u);
  unbound.set(1);  // ignored
  EXPECT_FALSE(vp::PinRef::bits(s, 12, 8).bound()) << "a field past the port's end";
  EXPECT_FALSE(vp::PinRef::bits(q, 0, 0).bound());
  EXPECT_EQ(s, 0xFFFF);
}

}  // namespace
