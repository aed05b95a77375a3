// DramChannel against DRAMsim3 (../shared/data/dram_reference): the README's streams at N = 8, 16, 32
// outstanding on our HBM2 pseudo-channel and DDR4-2400 channel, bandwidth within 5% and mean read latency
// within 10% of dramsim3_results.json (issue 14, item 5). Each row simulates a prefix of its stream (the
// bench bench_dram_reference runs the full ones) in its own process.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include "tests/dram_reference_workload.h"
#include "tests/u280_dram_channels.h"

namespace vp {
namespace {
using namespace dram_reference;

constexpr double kBandwidthTolerancePercent = 5.0;  // issue 14, item 5
constexpr double kLatencyTolerancePercent = 10.0;
// A prefix long enough to span dozens of refresh intervals (tREFI = 3.9 us on HBM2, 7.8 us on DDR4; 65536
// requests take >= 230 us) and every row switch pattern, short enough for the suite.
constexpr std::uint64_t kPrefixRequests = 65536;

struct Row {
  const char* memory;
  Stream stream;
  unsigned outstanding;
  // Rows our controller does not yet match are still simulated and printed, not asserted.
  bool asserted;
};

void PrintTo(const Row& row, std::ostream* out) {
  *out << row.memory << ' ' << to_string(row.stream) << " N=" << row.outstanding;
}

std::string row_name(const testing::TestParamInfo<Row>& info) {
  return std::string(info.param.memory) + "_" + to_string(info.param.stream) + "_N" +
         std::to_string(info.param.outstanding);
}

// The documented policy differences as config keys, set as DRAMsim3's: its write drain (channel_config) and
// its front end, which hands a transaction to the command queues at the end of the cycle it arrived in
// (Controller::ClockTick: ScheduleTransaction after the cycle's command), so its first command goes a cycle
// later than ours would (hbm2 rand N=8 was +5.6% without it).
DramConfig dramsim3_config(const std::string& memory) {
  DramConfig config = channel_config(memory);
  config.frontend_cycles = 1;
  return config;
}

class DramReference : public testing::TestWithParam<Row> {};

TEST_P(DramReference, BandwidthAndReadLatencyAgreeWithDramsim3) {
  const Row& row = GetParam();
  const std::vector<ReferenceRow> rows = read_reference_results(reference_directory() + "/dramsim3_results.json");
  const ReferenceRow& theirs = find_row(rows, row.memory, row.stream, row.outstanding);
  ReferenceRun run(dramsim3_config(row.memory), row.stream, kPrefixRequests, row.outstanding);
  const Measurement ours = run.run();

  ASSERT_EQ(ours.requests, kPrefixRequests);
  const double bandwidth_diff = percent_difference(ours.gigabytes_per_s(), theirs.gigabytes_per_s);
  const double latency_diff = percent_difference(ours.mean_read_latency_ns(), theirs.mean_read_latency_ns);
  std::printf("%s %s N=%u: ours %.3f GB/s vs DRAMsim3 %.3f (%+.1f%%), read latency %.2f ns vs %.2f (%+.1f%%)%s\n",
              row.memory, to_string(row.stream), row.outstanding, ours.gigabytes_per_s(), theirs.gigabytes_per_s,
              bandwidth_diff, ours.mean_read_latency_ns(), theirs.mean_read_latency_ns, latency_diff,
              row.asserted ? "" : " [not asserted]");
  if (!row.asserted) GTEST_SKIP() << "row not yet matched (issue 14); printed above";
  EXPECT_LE(std::abs(bandwidth_diff), kBandwidthTolerancePercent);
  EXPECT_LE(std::abs(latency_diff), kLatencyTolerancePercent);
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Rows, DramReference, testing::Values(
    Row{"hbm2", Stream::seq, 8, true},   Row{"hbm2", Stream::seq, 16, true},   Row{"hbm2", Stream::seq, 32, true},
    Row{"hbm2", Stream::rand, 8, true},  Row{"hbm2", Stream::rand, 16, true},   Row{"hbm2", Stream::rand, 32, true},
    Row{"hbm2", Stream::mixed, 8, true}, Row{"hbm2", Stream::mixed, 16, true}, Row{"hbm2", Stream::mixed, 32, true},
    Row{"ddr4", Stream::seq, 8, true},    Row{"ddr4", Stream::seq, 16, true},   Row{"ddr4", Stream::seq, 32, true},
    Row{"ddr4", Stream::rand, 8, true},  Row{"ddr4", Stream::rand, 16, true},   Row{"ddr4", Stream::rand, 32, true},
    Row{"ddr4", Stream::mixed, 8, true}, Row{"ddr4", Stream::mixed, 16, true}, Row{"ddr4", Stream::mixed, 32, true}),
    row_name);
// clang-format on

// The streams are the README's: the mixed stream's write count is stated there.
TEST(DramReferenceStreams, MixedStreamHasTheReadmesWriteCount) {
  StreamGenerator mixed(Stream::mixed, vp::test::u280_hbm_channel().capacity_bytes());
  std::uint64_t writes = 0;
  for (std::uint64_t i = 0; i < full_length(Stream::mixed); ++i) {
    const Request r = mixed.next();
    ASSERT_EQ(r.address, i * kRequestBytes);
    writes += r.is_write;
  }
  EXPECT_EQ(writes, 314472u);
}

TEST(DramReferenceStreams, RandomStreamStaysInsideTheChannelOnLineBoundaries) {
  for (const char* memory : {"hbm2", "ddr4"}) {
    const std::uint64_t capacity = channel_config(memory).capacity_bytes();
    StreamGenerator rand(Stream::rand, capacity);
    std::uint64_t highest = 0;
    for (std::uint64_t i = 0; i < full_length(Stream::rand); ++i) {
      const Request r = rand.next();
      ASSERT_FALSE(r.is_write);
      ASSERT_EQ(r.address % kRequestBytes, 0u);
      ASSERT_LT(r.address, capacity);
      highest = std::max(highest, r.address);
    }
    EXPECT_GT(highest, capacity / 2) << memory << ": addresses should cover the whole channel";
  }
}

TEST(DramReferenceResults, FileHoldsEveryMemoryStreamAndDepth) {
  const std::vector<ReferenceRow> rows = read_reference_results(reference_directory() + "/dramsim3_results.json");
  EXPECT_EQ(rows.size(), 18u);
  for (const char* memory : {"hbm2", "ddr4"})
    for (Stream stream : {Stream::seq, Stream::rand, Stream::mixed})
      for (unsigned n : {8u, 16u, 32u}) EXPECT_GT(find_row(rows, memory, stream, n).gigabytes_per_s, 0.0);
}

}  // namespace
}  // namespace vp
