// Bytes per memory channel in time bins (traces/channel_traffic.h), the data of the report's
// bandwidth-over-time picture: spreading a transaction over the bins it covers, leaving out what
// came before the origin, merging bins as the run grows, and, on a tiny-model run, the bins
// holding every byte the tokens moved and the per-phase cycles adding up to each call's cycles.
#include <gtest/gtest.h>

#include <numeric>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hls/kernel_phase.h"
#include "platform/report.h"
#include "platform/sim_config.h"
#include "platform/simulation.h"
#include "tests/sim_config_args.h"
#include "traces/channel_traffic.h"

namespace {

using vp::ChannelTrafficBins;

constexpr uint64_t kNs = 1000;  // ps

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

ChannelTrafficBins started(size_t channels, uint64_t origin_ps = 0) {
  ChannelTrafficBins bins(channels);
  bins.start(sc_core::sc_time::from_value(origin_ps));
  return bins;
}

TEST(ChannelTraffic, TransactionBytesAreSpreadEvenlyOverTheBinsOfItsTimeInTheChannel) {
  ChannelTrafficBins bins = started(2);
  bins.add(1, kNs / 2, 3 * kNs + kNs / 2, 300);  // 0.5 ns .. 3.5 ns: 50, 100, 100, 50
  const vp::ChannelTrafficSeries s = bins.series();
  EXPECT_EQ(s.bin_ps, ChannelTrafficBins::kFirstBinPs);
  ASSERT_EQ(s.bytes.size(), 2u);
  ASSERT_EQ(s.bytes[1].size(), 4u);
  EXPECT_DOUBLE_EQ(s.bytes[1][0], 50.0);
  EXPECT_DOUBLE_EQ(s.bytes[1][1], 100.0);
  EXPECT_DOUBLE_EQ(s.bytes[1][2], 100.0);
  EXPECT_DOUBLE_EQ(s.bytes[1][3], 50.0);
  EXPECT_EQ(s.bytes[0], std::vector<double>(4, 0.0));  // every channel has the same bins
}

TEST(ChannelTraffic, NothingCountsBeforeStartAndThePartBeforeTheOriginIsLeftOut) {
  ChannelTrafficBins bins(1);
  bins.add(0, 0, kNs, 64);  // not started: ignored
  bins.start(sc_core::sc_time::from_value(10 * kNs));
  bins.add(0, 0, 5 * kNs, 64);             // ended before the origin
  bins.add(0, 8 * kNs, 12 * kNs, 400);     // half before the origin: 200 counted, over bins 0 and 1
  bins.add(0, 12 * kNs, 12 * kNs, 16);     // instantaneous: in the bin holding it
  const vp::ChannelTrafficSeries s = bins.series();
  EXPECT_EQ(s.origin_ps, 10 * kNs);
  ASSERT_EQ(s.bytes[0].size(), 3u);
  EXPECT_DOUBLE_EQ(s.bytes[0][0], 100.0);
  EXPECT_DOUBLE_EQ(s.bytes[0][1], 100.0);
  EXPECT_DOUBLE_EQ(s.bytes[0][2], 16.0);
}

TEST(ChannelTraffic, BinsDoubleInWidthWhenTheRunOutgrowsThemKeepingEveryByte) {
  ChannelTrafficBins bins = started(1);
  const size_t n = ChannelTrafficBins::kMaxBins;
  for (size_t k = 0; k < n; ++k) bins.add(0, k * kNs, (k + 1) * kNs, 10);  // fills every 1 ns bin
  EXPECT_EQ(bins.series().bin_ps, kNs);
  bins.add(0, 5 * n * kNs, 5 * n * kNs + kNs, 1000);  // at 5x the span: bins of 8 ns
  const vp::ChannelTrafficSeries s = bins.series();
  EXPECT_EQ(s.bin_ps, 8 * kNs);
  ASSERT_EQ(s.bytes[0].size(), 5 * n / 8 + 1);
  EXPECT_DOUBLE_EQ(s.bytes[0][0], 80.0);
  EXPECT_DOUBLE_EQ(s.bytes[0][n / 8 - 1], 80.0);
  EXPECT_DOUBLE_EQ(s.bytes[0][n / 8], 0.0);
  EXPECT_DOUBLE_EQ(s.bytes[0].back(), 1000.0);
  EXPECT_DOUBLE_EQ(sum(s.bytes[0]), 10.0 * double(n) + 1000.0);
}

vp::SimConfig tiny_config() {
  return vp::test::config_from({std::string(VP_SOURCE_DIR) + "/platform/u280.cfg", "--run.model_shape=tiny",
                                 "--run.steps=3", "--kernel.weight_ports=4"});
}

// One simulation per process: both checks on the same run.
TEST(ChannelTraffic, TinyRunBinsHoldEveryTokenByteAndPhaseCyclesAddUpToTheCall) {
  const vp::RunResult r = vp::run_simulation(tiny_config(), [](const vp::TokenStats&) {});
  ASSERT_TRUE(r.error.empty()) << r.error;
  ASSERT_EQ(r.tokens.size(), 3u);
  const nlohmann::json j = nlohmann::json::parse(vp::stats_json(r).dump());

  // From the end of the upload on, the tokens' channel traffic (logits read-back included) is all there is.
  const nlohmann::json& traffic = j.at("channel_traffic");
  EXPECT_GT(traffic.at("bins").get<size_t>(), 0u);
  EXPECT_LE(traffic.at("bins").get<size_t>(), ChannelTrafficBins::kMaxBins);
  EXPECT_NEAR(traffic.at("origin_s").get<double>(), r.tokens.front().start_s, 1e-12);
  std::vector<double> token_bytes(r.channels.size(), 0.0);
  for (const vp::TokenStats& t : r.tokens)
    for (size_t i = 0; i < t.channel_bytes.size(); ++i) token_bytes[i] += double(t.channel_bytes[i]);
  size_t with_traffic = 0;
  for (double b : token_bytes) with_traffic += b > 0;
  ASSERT_EQ(traffic.at("channels").size(), with_traffic);
  for (const nlohmann::json& c : traffic.at("channels")) {
    const size_t i = c.at("index").get<size_t>();
    EXPECT_EQ(c.at("name"), r.channels[i].name);
    EXPECT_EQ(c.at("bytes").size(), traffic.at("bins").get<size_t>());
    double binned = 0;
    for (const nlohmann::json& b : c.at("bytes")) binned += b.get<double>();
    // Whole bytes per bin: at most half a byte of rounding per bin.
    EXPECT_NEAR(binned, token_bytes[i], 0.5 * double(c.at("bytes").size())) << c.at("name");
  }
  // The series ends with the last token.
  const double end_s = traffic.at("origin_s").get<double>() +
                       traffic.at("bin_s").get<double>() * traffic.at("bins").get<double>();
  EXPECT_GE(end_s, r.tokens.back().kernel_end_s);
  EXPECT_LE(end_s - traffic.at("bin_s").get<double>(), r.tokens.back().end_s);

  for (size_t k = 0; k < r.tokens.size(); ++k) {
    const nlohmann::json& phases = j.at("tokens")[k].at("phase_cycles");
    EXPECT_TRUE(phases.contains(vp::phase_name(vp::KernelPhase::kAttention)));
    EXPECT_TRUE(phases.contains(vp::phase_name(vp::KernelPhase::kClassifier)));
    double total = 0;
    for (const auto& [name, cycles] : phases.items()) total += cycles.get<double>();
    // Phases tile the call; each is rounded to a whole cycle.
    EXPECT_NEAR(total, double(r.tokens[k].cycles), double(phases.size()) + 0.01 * double(r.tokens[k].cycles))
        << "token " << k;
  }
}

}  // namespace
