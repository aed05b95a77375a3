// Trace replay: a recorded tiny-model run replayed with recorded timing into the same memory
// config reproduces every DRAM counter; against another board it gives its own bandwidth; the
// replayer's issue disciplines on hand-made traces. SystemC simulates once per process, so each
// case runs at most one simulation itself and the replays of recorded runs run in vpreplay.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/memory_placement.h"
#include "platform/sim_config.h"
#include "platform/simulation.h"
#include "tests/scratch_dir.h"
#include "tests/sim_config_args.h"
#include "traces/axi_trace_file.h"
#include "traces/replay_report.h"
#include "traces/trace_replayer.h"

namespace {

namespace fs = std::filesystem;

const std::string kU280 = std::string(VP_SOURCE_DIR) + "/platform/u280.cfg";
const std::string kVu9p = std::string(VP_SOURCE_DIR) + "/platform/vu9p_f1.cfg";

using vp::test::config_from;

class TraceReplay : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return dir_.file(name); }

  // Records a tiny-model run of a few steps on `board` in this process; returns its result.
  vp::RunResult record(const std::string& board, const std::string& trace_path) {
    const vp::SimConfig config = config_from({board, "--run.model_shape=tiny", "--run.steps=3",
                                              "--run.cache_dir=" + path("cache"), "--run.record_trace=" + trace_path});
    vp::RunResult result = vp::run_simulation(config, [](const vp::TokenStats&) {});
    EXPECT_TRUE(result.error.empty()) << result.error;
    vp::save_axi_trace(result.trace, trace_path);
    return result;
  }

  // Runs vpreplay in its own process; returns its --run.stats JSON.
  nlohmann::json replay(const std::string& trace_path, const std::vector<std::string>& args) {
    const std::string stats = path("replay_" + std::to_string(replays_++) + ".json");
    std::string command = std::string(VP_VPREPLAY) + " " + trace_path;
    for (const std::string& a : args) command += " " + a;
    command += " --run.stats=" + stats + " > " + path("replay.out") + " 2>&1";
    const int status = std::system(command.c_str());
    std::ifstream out(path("replay.out"));
    const std::string output((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
    EXPECT_EQ(status, 0) << command << "\n" << output;
    std::ifstream in(stats);
    if (!in) {
      ADD_FAILURE() << "vpreplay wrote no statistics: " << output;
      return nlohmann::json::object();
    }
    return nlohmann::json::parse(in);
  }

  vp::test::ScratchDir dir_{"test_trace_replay"};
  int replays_ = 0;
};

TEST_F(TraceReplay, RecordedTimingIntoTheSameConfigReproducesEveryDramCounter) {
  const std::string trace_path = path("tiny.vpt");
  const vp::RunResult recorded = record(kU280, trace_path);
  ASSERT_GT(recorded.trace.records.size(), 100u);
  const nlohmann::json replayed = replay(trace_path, {kU280, "--replay.timing=recorded"});
  ASSERT_TRUE(replayed.contains("channels"));
  EXPECT_TRUE(replayed["order_enforced"].get<bool>());
  EXPECT_EQ(replayed["completed"], recorded.trace.records.size());
  EXPECT_EQ(replayed["completions_as_recorded"], recorded.trace.records.size());
  ASSERT_EQ(replayed["channels"].size(), recorded.channels.size());
  int with_traffic = 0;
  for (size_t c = 0; c < recorded.channels.size(); ++c) {
    const nlohmann::json& j = replayed["channels"][c];
    EXPECT_EQ(j["name"], recorded.channels[c].name);
    const vp::DramStats stats = vp::dram_stats_from_json(j);
    EXPECT_TRUE(stats == recorded.channels[c].stats) << recorded.channels[c].name << ": replayed "
                                                     << j.dump() << "\nrecorded "
                                                     << vp::dram_stats_json(recorded.channels[c].stats).dump();
    with_traffic += recorded.channels[c].stats.read_bytes > 0;
  }
  EXPECT_GE(with_traffic, 3);  // weights, KV cache and logits channels
}

TEST_F(TraceReplay, ReplayAgainstTheDdrBoardGivesItsOwnPlausibleBandwidth) {
  const std::string trace_path = path("tiny.vpt");
  const vp::RunResult recorded = record(kU280, trace_path);
  const nlohmann::json hbm = replay(trace_path, {kU280, "--replay.timing=dependent"});
  const nlohmann::json ddr = replay(trace_path, {kVu9p, "--replay.timing=dependent"});
  ASSERT_TRUE(hbm.contains("channels") && ddr.contains("channels"));
  ASSERT_EQ(ddr["channels"].size(), 4u);
  EXPECT_EQ(ddr["completed"], recorded.trace.records.size());
  EXPECT_EQ(ddr["error_responses"], 0);

  // The weights channel moves the same bytes on either board, at a bandwidth of its own. Requests may
  // outrun the DRAM (a read of data still in the posted-write buffer never reaches it), so what must
  // stay physical is the DRAM data bus: busy at most all of the elapsed time, plus the time to drain
  // the posted writes still buffered when the last request completed (at most write_buffer_depth
  // 4 KiB segments at peak bandwidth; they are issued when the simulation stops).
  const nlohmann::json& hbm0 = hbm["channels"][0];
  const nlohmann::json& ddr0 = ddr["channels"][0];
  const auto data_bus_busy_fraction = [](const nlohmann::json& run, const nlohmann::json& channel,
                                         const vp::DramConfig& memory) {
    const double busy_s = channel["data_bus_busy_cycles"].get<double>() * memory.tck_ns * 1e-9;
    const double write_drain_s = memory.write_buffer_depth * 4096.0 / channel["peak_bytes_per_s"].get<double>();
    return busy_s / (run["elapsed_seconds"].get<double>() + write_drain_s);
  };
  ASSERT_EQ(hbm0["name"], "HBM[0]");
  ASSERT_EQ(ddr0["name"], "DDR[0]");
  EXPECT_EQ(ddr0["read_bytes"], recorded.channels[0].stats.read_bytes);
  EXPECT_EQ(ddr0["write_bytes"], recorded.channels[0].stats.write_bytes);
  EXPECT_EQ(hbm0["read_bytes"], ddr0["read_bytes"]);
  for (const nlohmann::json* c : {&hbm0, &ddr0})
    EXPECT_GT((*c)["bytes_per_s"].get<double>(), 0.05 * (*c)["peak_bytes_per_s"].get<double>()) << c->dump();
  const double hbm_busy = data_bus_busy_fraction(hbm, hbm0, config_from({kU280}).hbm);
  const double ddr_busy = data_bus_busy_fraction(ddr, ddr0, config_from({kVu9p}).ddr);
  EXPECT_GT(hbm_busy, 0.0) << hbm0.dump();
  EXPECT_LE(hbm_busy, 1.0) << hbm0.dump();
  EXPECT_GT(ddr_busy, 0.0) << ddr0.dump();
  EXPECT_LE(ddr_busy, 1.0) << ddr0.dump();
  EXPECT_NE(hbm0["bytes_per_s"].get<double>(), ddr0["bytes_per_s"].get<double>());
  // KV cache and logits follow their placement (DDR[1], DDR[2]); DDR[3] stays idle.
  EXPECT_EQ(ddr["channels"][1]["read_bytes"], recorded.channels[1].stats.read_bytes);
  EXPECT_EQ(ddr["channels"][2]["write_bytes"], recorded.channels[2].stats.write_bytes);
  EXPECT_EQ(ddr["channels"][3]["read_bytes"].get<uint64_t>() + ddr["channels"][3]["write_bytes"].get<uint64_t>(), 0u);
  // DDR4 pays more energy per byte than HBM2 for the same stream.
  const double hbm_pj = hbm0["energy_pj"].get<double>(), ddr_pj = ddr0["energy_pj"].get<double>();
  EXPECT_GT(ddr_pj, hbm_pj);

  // Recorded timing against the other board keeps the arrivals but not the completions.
  const nlohmann::json ddr_recorded = replay(trace_path, {kVu9p, "--replay.timing=recorded"});
  EXPECT_FALSE(ddr_recorded["order_enforced"].get<bool>());
  EXPECT_EQ(ddr_recorded["completed"], recorded.trace.records.size());
  EXPECT_LT(ddr_recorded["completions_as_recorded"].get<uint64_t>(), recorded.trace.records.size());
}

TEST_F(TraceReplay, TruncatedTraceFileStopsVpreplayNamingTheFile) {
  const std::string trace_path = path("cut.vpt");
  vp::AxiTrace trace;
  trace.channels = {{"HBM[0]", 0, 0x1000'0000}};
  trace.masters = {{"m_axi_w0", 0}};
  trace.records = {{0x100, 10, 20, 64, 0, 0, false, vp::AxiTraceStatus::kOk}};
  vp::save_axi_trace(trace, trace_path);
  fs::resize_file(trace_path, fs::file_size(trace_path) - 7);
  const std::string command = std::string(VP_VPREPLAY) + " " + trace_path + " " + kU280 + " > " + path("out") + " 2>&1";
  EXPECT_NE(std::system(command.c_str()), 0);
  std::ifstream out(path("out"));
  const std::string output((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
  EXPECT_NE(output.find(trace_path + ": truncated"), std::string::npos) << output;
}

// A hand-made trace on the u280 layout: master 0 (m_axi_w0) had at most two transactions in
// flight, master 1 (pcie) one at a time.
vp::AxiTrace two_master_trace() {
  vp::AxiTrace t;
  t.channels = {{"HBM[0]", 0, 0x1000'0000}, {"HBM[1]", 0x1000'0000, 0x1000'0000}};
  t.masters = {{"m_axi_w0", 0}, {"pcie", 0}};
  t.end_ps = 2'000'000;
  using S = vp::AxiTraceStatus;
  t.records = {
      {0x0000, 100'000, 300'000, 4096, 0, 0, false, S::kOk},  // overlaps the next
      {0x1000, 200'000, 400'000, 4096, 0, 0, false, S::kOk},
      {0x2000, 400'000, 500'000, 4096, 0, 0, false, S::kOk},  // after both
      {0x3000, 600'000, 700'000, 4096, 0, 0, false, S::kOk},
      {0x4000, 650'000, 800'000, 4096, 0, 0, false, S::kOk},
      {0x1000'0000, 150'000, 250'000, 2048, 1, 1, true, S::kOk},
      {0x1000'0800, 900'000, 950'000, 2048, 1, 1, true, S::kOk},
  };
  return t;
}

TEST(TraceReplayer, DependentTimingKeepsEachMastersOrderAndOutstandingLimit) {
  vp::SimConfig config = config_from({kU280, "--replay.timing=dependent"});
  const vp::AxiTrace trace = two_master_trace();
  vp::TraceReplayer replayer("replay", trace, vp::memory_system_config(config), config.replay, config.board.name);
  sc_core::sc_start();
  const vp::ReplayResult result = replayer.result();
  EXPECT_TRUE(result.error.empty()) << result.error;
  EXPECT_EQ(result.completed, trace.records.size());
  EXPECT_EQ(replayer.recorded_max_in_flight(), (std::vector<uint32_t>{2, 1}));
  // Master 0 streams: both of its slots fill at once, never more.
  EXPECT_EQ(replayer.replayed_max_in_flight(), (std::vector<uint32_t>{2, 1}));
  const std::vector<uint64_t>& issued = replayer.issued_ps();
  const std::vector<uint64_t>& done = replayer.completed_ps();
  EXPECT_EQ(issued[0], 0u);  // as soon as a slot is free, not at the recorded 100 ns
  EXPECT_EQ(issued[5], 0u);
  for (size_t i : {1, 2, 3, 4}) EXPECT_LE(issued[i - 1], issued[i]) << "record " << i;
  EXPECT_GE(issued[6], done[5]);  // pcie: one at a time
  // The third of master 0 waits for a slot: it starts when one of the first two completes.
  EXPECT_EQ(issued[2], std::min(done[0], done[1]));
  EXPECT_EQ(result.channels[0].stats.read_bytes, 5u * 4096u);
  EXPECT_EQ(result.channels[1].stats.write_bytes, 2u * 2048u);
  EXPECT_DOUBLE_EQ(result.elapsed_s, double(*std::max_element(done.begin(), done.end())) * 1e-12);
}

TEST(TraceReplayer, RecordedTimingIssuesAtTheRecordedArrivalsAndEndsAtTheRecordedEnd) {
  vp::SimConfig config = config_from({kU280, "--replay.timing=recorded"});
  // Recorded completions a microsecond after each arrival, later than the memory needs, so every
  // issuer is free again by its next recorded arrival.
  vp::AxiTrace trace = two_master_trace();
  using S = vp::AxiTraceStatus;
  trace.records = {
      {0x0000, 100'000, 1'100'000, 4096, 0, 0, false, S::kOk},
      {0x1000, 200'000, 1'200'000, 4096, 0, 0, false, S::kOk},
      {0x2000, 1'150'000, 2'150'000, 4096, 0, 0, true, S::kOk},  // reuses the first issuer
      {0x1000'0000, 150'000, 1'150'000, 2048, 1, 1, true, S::kOk},
      {0x1000'0800, 1'200'000, 2'200'000, 2048, 1, 1, false, S::kOk},
  };
  trace.end_ps = 3'000'000;
  vp::TraceReplayer replayer("replay", trace, vp::memory_system_config(config), config.replay, config.board.name);
  sc_core::sc_start();
  const vp::ReplayResult result = replayer.result();
  EXPECT_TRUE(result.error.empty()) << result.error;
  EXPECT_FALSE(result.order_enforced);  // two channels in the trace, 34 on the board
  EXPECT_EQ(replayer.recorded_max_in_flight(), (std::vector<uint32_t>{2, 1}));
  for (size_t i = 0; i < trace.records.size(); ++i) {
    EXPECT_EQ(replayer.issued_ps()[i], trace.records[i].arrival_ps) << "record " << i;
    EXPECT_GT(replayer.completed_ps()[i], trace.records[i].arrival_ps) << "record " << i;
    EXPECT_LT(replayer.completed_ps()[i], trace.records[i].completion_ps) << "record " << i;
  }
  EXPECT_EQ(result.completions_as_recorded, 0u);
  EXPECT_DOUBLE_EQ(result.elapsed_s, 3e-6);
}

TEST(TraceReplayer, RecordedChannelWithoutCounterpartIsRejectedNamingIt) {
  vp::SimConfig config = config_from({kU280});  // 32 HBM pseudo-channels: no HBM[40]
  vp::AxiTrace trace = two_master_trace();
  trace.channels.push_back({"HBM[40]", 0x7000'0000, 0x1000'0000});
  trace.records.push_back({0x7000'0040, 5, 6, 64, 1, 2, false, vp::AxiTraceStatus::kOk});
  try {
    vp::TraceReplayer replayer("replay", trace, vp::memory_system_config(config), config.replay, config.board.name);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("trace record 7"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("HBM[40]"), std::string::npos) << e.what();
  }
}

}  // namespace
