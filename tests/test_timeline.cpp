// The Chrome/Perfetto timeline of a run: a tiny-model run's trace-event JSON parsed back and held
// to the format (event fields, per-track time order) and to the run it shows (phases inside
// their token's kernel call, every transaction inside a channel's busy time, a marker per token).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/sim_config.h"
#include "platform/simulation.h"
#include "platform/timeline.h"
#include "tests/sim_config_args.h"
#include "traces/trace_time.h"

namespace {

using nlohmann::json;

constexpr double kPsInUs = 1e-6;  // tolerance: one picosecond

vp::SimConfig tiny_config(std::vector<std::string> extra = {}) {
  std::vector<std::string> args{std::string(VP_SOURCE_DIR) + "/platform/u280.cfg", "--run.model_shape=tiny",
                                "--run.steps=3", "--run.timeline=unused.json"};
  args.insert(args.end(), extra.begin(), extra.end());
  return vp::test::config_from(args);
}

// One simulation per test case (and process).
struct Timeline {
  vp::RunResult run;
  json doc;
  json events;
};

Timeline make_timeline() {
  Timeline t;
  t.run = vp::run_simulation(tiny_config(), [](const vp::TokenStats&) {});
  EXPECT_TRUE(t.run.error.empty()) << t.run.error;
  // Through text, as a viewer reads it.
  t.doc = json::parse(vp::timeline_json(t.run).dump());
  t.events = t.doc.at("traceEvents");
  return t;
}

std::vector<json> events_of(const json& events, const std::string& cat) {
  std::vector<json> out;
  for (const json& e : events)
    if (e.value("cat", "") == cat) out.push_back(e);
  return out;
}

double end_of(const json& e) { return e["ts"].get<double>() + e["dur"].get<double>(); }

bool inside(const json& inner, const json& outer) {
  return inner["ts"].get<double>() >= outer["ts"].get<double>() - kPsInUs && end_of(inner) <= end_of(outer) + kPsInUs;
}

TEST(Timeline, EveryEventHasTheTraceEventFieldsOfItsPhaseType) {
  const Timeline t = make_timeline();
  ASSERT_TRUE(t.events.is_array());
  ASSERT_GT(t.events.size(), 50u);
  EXPECT_EQ(t.doc.at("displayTimeUnit"), "ns");
  for (const json& e : t.events) {
    ASSERT_TRUE(e.contains("name") && e["name"].is_string()) << e.dump();
    ASSERT_TRUE(e.contains("ph") && e["ph"].is_string()) << e.dump();
    ASSERT_TRUE(e.contains("pid") && e["pid"].is_number_integer()) << e.dump();
    const std::string ph = e["ph"];
    if (ph == "M") {
      ASSERT_TRUE(e.contains("args") && e["args"].is_object()) << e.dump();
      continue;
    }
    ASSERT_TRUE(ph == "X" || ph == "i") << e.dump();
    ASSERT_TRUE(e.contains("tid") && e["tid"].is_number_integer()) << e.dump();
    ASSERT_TRUE(e.contains("ts") && e["ts"].is_number()) << e.dump();
    EXPECT_GE(e["ts"].get<double>(), 0.0) << e.dump();
    EXPECT_LE(e["ts"].get<double>(), t.run.sim_seconds * 1e6 + kPsInUs) << e.dump();
    ASSERT_TRUE(e.contains("cat") && e["cat"].is_string()) << e.dump();
    if (ph == "X") {
      ASSERT_TRUE(e.contains("dur") && e["dur"].is_number()) << e.dump();
      EXPECT_GE(e["dur"].get<double>(), 0.0) << e.dump();
    } else {
      EXPECT_EQ(e.value("s", ""), "g") << e.dump();
    }
  }
}

TEST(Timeline, TimestampsNeverGoBackwardsWithinATrack) {
  const Timeline t = make_timeline();
  std::map<std::pair<int, int>, double> last;
  std::map<std::pair<int, int>, int> count;
  for (const json& e : t.events) {
    if (e["ph"] == "M") continue;
    const std::pair<int, int> track{e["pid"].get<int>(), e["tid"].get<int>()};
    const double ts = e["ts"].get<double>();
    if (last.count(track)) {
      EXPECT_GE(ts, last[track]) << e.dump();
    }
    last[track] = ts;
    ++count[track];
  }
  EXPECT_GE(count.size(), 5u);  // host, PCIe, kernel and at least two memory channels
}

TEST(Timeline, PhasesNestInsideTheirTokensKernelCallAndCallsInsideTheHostsWait) {
  const Timeline t = make_timeline();
  const std::vector<json> calls = events_of(t.events, "kernel");
  const std::vector<json> phases = events_of(t.events, "phase");
  ASSERT_EQ(calls.size(), t.run.calls.size());
  ASSERT_EQ(calls.size(), 3u);
  std::vector<size_t> phases_per_call(calls.size(), 0);
  for (const json& p : phases) {
    size_t holders = 0;
    for (size_t c = 0; c < calls.size(); ++c)
      if (inside(p, calls[c]) && p["pid"] == calls[c]["pid"] && p["tid"] == calls[c]["tid"]) {
        ++holders;
        ++phases_per_call[c];
      }
    EXPECT_EQ(holders, 1u) << p.dump();
  }
  for (size_t c = 0; c < calls.size(); ++c) {
    EXPECT_EQ(phases_per_call[c], t.run.calls[c].phases.size()) << calls[c].dump();
    EXPECT_EQ(calls[c]["args"]["pos"], t.run.calls[c].pos);
  }
  // Per layer: the per-layer phases carry their layer in name and args.
  size_t layered = 0;
  for (const json& p : phases)
    if (p["args"]["layer"].get<int>() >= 0) {
      ++layered;
      EXPECT_NE(p["name"].get<std::string>().find(" L" + std::to_string(p["args"]["layer"].get<int>())),
                std::string::npos);
    }
  EXPECT_GT(layered, 0u);
  // Each kernel call lies within the host's "start, wait for interrupt" of the same token.
  std::vector<json> waits;
  for (const json& e : events_of(t.events, "host"))
    if (e["name"] == "start, wait for interrupt") waits.push_back(e);
  ASSERT_EQ(waits.size(), calls.size());
  for (size_t c = 0; c < calls.size(); ++c) EXPECT_TRUE(inside(calls[c], waits[c])) << calls[c].dump() << waits[c].dump();
}

TEST(Timeline, ChannelBusyIntervalsCoverEveryRecordedTransactionWithoutOverlap) {
  const Timeline t = make_timeline();
  std::map<int, std::string> track_names;
  for (const json& e : t.events)
    if (e["ph"] == "M" && e["name"] == "thread_name" && e["pid"] == 3) track_names[e["tid"]] = e["args"]["name"];
  const std::vector<json> busy = events_of(t.events, "memory");
  std::map<std::string, uint64_t> transactions, bytes;
  std::map<std::string, double> previous_end;
  for (const json& e : busy) {
    const std::string channel = track_names.at(e["tid"].get<int>());
    transactions[channel] += e["args"]["transactions"].get<uint64_t>();
    bytes[channel] += e["args"]["bytes"].get<uint64_t>();
    if (previous_end.count(channel)) {
      EXPECT_GT(e["ts"].get<double>(), previous_end[channel]) << e.dump();
    }
    previous_end[channel] = end_of(e);
  }
  for (size_t c = 0; c < t.run.channels.size(); ++c) {
    const vp::DramStats& s = t.run.channels[c].stats;
    const std::string& name = t.run.channels[c].name;
    EXPECT_EQ(transactions[name], s.read_requests + s.write_requests) << name;
    EXPECT_EQ(bytes[name], s.read_bytes + s.write_bytes) << name;
  }
  // Every transaction's in-flight time lies inside one busy interval of its channel.
  for (const vp::AxiTraceRecord& r : t.run.trace.records) {
    const std::string& name = t.run.trace.channels.at(r.channel).name;
    const double from = double(r.arrival_ps) / 1e6, to = double(r.completion_ps) / 1e6;
    int covering = 0;
    for (const json& e : busy)
      covering += track_names.at(e["tid"].get<int>()) == name && e["ts"].get<double>() <= from + kPsInUs &&
                  end_of(e) >= to - kPsInUs;
    EXPECT_EQ(covering, 1) << name << " " << r.arrival_ps;
  }
}

TEST(Timeline, HostTrackShowsUploadTokensAndAMarkerPerToken) {
  const Timeline t = make_timeline();
  const std::vector<json> host = events_of(t.events, "host");
  const std::vector<json> markers = events_of(t.events, "token");
  ASSERT_EQ(markers.size(), t.run.tokens.size());
  size_t tokens = 0, uploads = 0;
  for (const json& e : host) {
    uploads += e["name"] == "weights upload";
    tokens += e["name"].get<std::string>().rfind("token pos ", 0) == 0;
  }
  EXPECT_EQ(uploads, 1u);
  EXPECT_EQ(tokens, t.run.tokens.size());
  for (size_t i = 0; i < markers.size(); ++i) {
    EXPECT_EQ(markers[i]["ph"], "i");
    EXPECT_EQ(markers[i]["args"]["pos"], t.run.tokens[i].pos);
    EXPECT_EQ(markers[i]["args"]["next_token"], t.run.tokens[i].next_token);
    EXPECT_NEAR(markers[i]["ts"].get<double>(), t.run.tokens[i].end_s * 1e6, kPsInUs);
  }
  // The upload's DMA shows on the PCIe track before the first token starts.
  const std::vector<json> dma = events_of(t.events, "pcie");
  ASSERT_FALSE(dma.empty());
  EXPECT_LT(dma.front()["ts"].get<double>(), t.run.tokens.front().start_s * 1e6);
}

TEST(Timeline, TraceOptionIsAnAliasOfRunTimeline) {
  const char* argv[] = {"test", "--trace=out.json"};
  EXPECT_EQ(vp::parse_sim_config(2, argv).run.timeline, "out.json");
  const char* long_form[] = {"test", "--run.timeline=other.json"};
  EXPECT_EQ(vp::parse_sim_config(2, long_form).run.timeline, "other.json");
}

TEST(BusyIntervals, MergeOverlappingAndTouchingInFlightIntervals) {
  vp::AxiTrace trace;
  trace.channels = {{"HBM[0]", 0, 1 << 20}, {"HBM[1]", 1 << 20, 1 << 20}};
  trace.masters = {{"m", 0}};
  using S = vp::AxiTraceStatus;
  trace.records = {{0, 100, 200, 64, 0, 0, false, S::kOk},   {64, 150, 180, 32, 0, 0, false, S::kOk},
                   {128, 200, 260, 16, 0, 0, true, S::kOk},  {1 << 20, 120, 500, 8, 0, 1, false, S::kOk},
                   {256, 300, 310, 8, 0, 0, false, S::kOk}};
  const std::vector<vp::BusyInterval> busy =
      vp::busy_intervals(trace, [](const vp::AxiTraceRecord& r) { return r.channel == 0; });
  ASSERT_EQ(busy.size(), 2u);
  EXPECT_EQ(busy[0].start_ps, 100u);
  EXPECT_EQ(busy[0].end_ps, 260u);
  EXPECT_EQ(busy[0].transactions, 3u);
  EXPECT_EQ(busy[0].bytes, 112u);
  EXPECT_EQ(busy[1].start_ps, 300u);
  EXPECT_EQ(busy[1].end_ps, 310u);
  EXPECT_EQ(busy[1].transactions, 1u);
}

}  // namespace
