// DramAddressMapper: sequential streams interleave bank groups, row segments move across banks, the
// mapping is a bijection over the capacity, and addresses past it are refused.
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>
#include <tuple>

#include "models/dram/dram_address_mapper.h"
#include "tests/u280_dram_channels.h"

namespace vp {
namespace {

TEST(DramAddressMapper, ConsecutiveColumnAccessesAlternateBankGroups) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  const DramAddressMapper mapper(cfg);
  const unsigned step = cfg.bytes_per_column();
  for (unsigned i = 0; i < 2 * cfg.bank_groups; ++i) {
    const DramLocation loc = mapper.map(std::uint64_t{i} * step);
    EXPECT_EQ(loc.bank_group, i % cfg.bank_groups) << "access " << i;
    EXPECT_EQ(loc.column, i / cfg.bank_groups) << "access " << i;
    EXPECT_EQ(loc.bank, 0u);
    EXPECT_EQ(loc.row, 0u);
  }
}

TEST(DramAddressMapper, Ddr4ColumnAccessesOf64BytesAlternateBankGroups) {
  const DramConfig cfg = vp::test::u280_ddr_channel();
  const DramAddressMapper mapper(cfg);
  EXPECT_EQ(mapper.column_bytes(), 64u);
  EXPECT_EQ(mapper.map(0).bank_group, 0u);
  EXPECT_EQ(mapper.map(63).bank_group, 0u);
  EXPECT_EQ(mapper.map(64).bank_group, 1u);
  EXPECT_EQ(mapper.map(128).bank_group, 2u);
}

TEST(DramAddressMapper, BytesOfOneColumnAccessShareItsLocation) {
  const DramAddressMapper mapper(vp::test::u280_hbm_channel());
  const DramLocation first = mapper.map(0x12340);
  const DramLocation last = mapper.map(0x12340 + 31);
  EXPECT_EQ(std::tie(first.bank_group, first.bank, first.row, first.column),
            std::tie(last.bank_group, last.bank, last.row, last.column));
}

TEST(DramAddressMapper, RowSegmentCoversOneRowPerBankGroupThenMovesToTheNextBank) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  const DramAddressMapper mapper(cfg);
  EXPECT_EQ(mapper.segment_bytes(), cfg.row_bytes() * cfg.bank_groups);  // 4 KiB for HBM2

  std::set<std::tuple<unsigned, unsigned, std::uint32_t>> rows_touched;
  for (std::uint64_t a = 0; a < mapper.segment_bytes(); a += cfg.bytes_per_column()) {
    const DramLocation loc = mapper.map(a);
    rows_touched.insert({loc.bank_group, loc.bank, loc.row});
  }
  EXPECT_EQ(rows_touched.size(), cfg.bank_groups);  // one open row per bank group serves the whole segment

  const DramLocation next = mapper.map(mapper.segment_bytes());
  EXPECT_EQ(next.bank, 1u);
  EXPECT_EQ(next.row, 0u);
  const DramLocation wrapped = mapper.map(mapper.segment_bytes() * cfg.banks_per_group);
  EXPECT_EQ(wrapped.bank, 0u);
  EXPECT_EQ(wrapped.row, 1u);
}

TEST(DramAddressMapper, MappingRoundTripsAndCoversTheWholeGeometry) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  const DramAddressMapper mapper(cfg);
  // A stride coprime to every field size visits every combination of low fields many times.
  for (std::uint64_t a = 0; a < cfg.capacity_bytes(); a += 32 * 4099) {
    const DramLocation loc = mapper.map(a);
    ASSERT_EQ(mapper.address_of(loc), a & ~std::uint64_t{31}) << "address 0x" << std::hex << a;
  }
  const DramLocation top = mapper.map(cfg.capacity_bytes() - 1);
  EXPECT_EQ(top.bank_group, cfg.bank_groups - 1);
  EXPECT_EQ(top.bank, cfg.banks_per_group - 1);
  EXPECT_EQ(top.row, cfg.rows - 1);
  EXPECT_EQ(top.column, cfg.columns - 1);
  const DramLocation some{2, 3, 12345, 17};
  const DramLocation back = mapper.map(mapper.address_of(some));
  EXPECT_EQ(std::tie(back.bank_group, back.bank, back.row, back.column),
            std::tie(some.bank_group, some.bank, some.row, some.column));
}

TEST(DramAddressMapper, AddressAtOrPastCapacityThrowsNamingAddressAndCapacity) {
  const DramAddressMapper mapper(vp::test::u280_hbm_channel());  // 256 MiB = 0x10000000
  try {
    mapper.map(0x10000000);
    FAIL() << "expected std::range_error";
  } catch (const std::range_error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("0x10000000 is outside"), std::string::npos) << msg;
    EXPECT_NE(msg.find("capacity of 0x10000000"), std::string::npos) << msg;
  }
  EXPECT_THROW(mapper.map(~std::uint64_t{0}), std::range_error);
  EXPECT_NO_THROW(mapper.map(0xFFFFFFF));
}

TEST(DramAddressMapper, NonPowerOfTwoGeometryIsRejected) {
  DramConfig cfg = vp::test::u280_hbm_channel();
  cfg.rows = 10000;
  try {
    DramAddressMapper mapper(cfg);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("rows = 10000"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace vp
