// DramChannel's fast path (DramConfig::fast_path: row-hit column commands planned as one run) against
// command-by-command planning: the same randomized workload of mixed reads and writes, sequential streams,
// random and conflicting addresses from several threads must give equal DramStats and the same completion
// time for every request, on every timing shape and controller policy. Each simulation runs in a forked child (SystemC
// elaborates and simulates once per process), which reports back as text.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/dram/dram_channel.h"
#include "tests/dram_test_bench.h"
#include "tests/u280_dram_channels.h"

namespace vp {
namespace {
using sc_core::sc_time;

// Threads issuing a random mix: half sequential bursts (its own stream, sometimes unaligned), random
// addresses and sizes, and repeated accesses to a few rows of every bank (row conflicts); one third
// writes; short random gaps and a few long idle ones (refresh while idle).
class RandomInitiator : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<RandomInitiator> socket{"socket"};

  RandomInitiator(sc_core::sc_module_name name, const DramConfig& cfg, unsigned threads, unsigned requests,
                  std::uint64_t seed)
      : sc_module(name), capacity_(cfg.capacity_bytes()), requests_(requests), seed_(seed), log_(threads) {
    for (unsigned t = 0; t < threads; ++t)
      sc_core::sc_spawn([this, t] { run(t); }, sc_core::sc_gen_unique_name("worker"));
  }

  // Per thread, "completion time:response status" of every request in issue order.
  const std::vector<std::string>& log() const { return log_; }

 private:
  void run(unsigned thread) {
    std::mt19937_64 rng(seed_ * 1000003 + thread);
    const std::uint64_t window = std::min<std::uint64_t>(capacity_, 64ull << 20);
    std::uint64_t stream = rng() % (window / 4096) * 4096;
    std::vector<std::uint8_t> buffer(16384);
    std::ostringstream out;
    for (unsigned i = 0; i < requests_; ++i) {
      const unsigned kind = rng() % 10;
      unsigned length;
      std::uint64_t address;
      if (kind < 5) {
        static const unsigned sizes[] = {64, 256, 512, 1024, 2048, 4096, 4096, 4096, 8192, 16384};
        length = sizes[rng() % 10];
        address = stream;
        stream += length;
        if (rng() % 8 == 0) address += rng() % 64;
      } else if (kind < 9) {
        length = 1 + static_cast<unsigned>(rng() % (rng() % 4 == 0 ? 16384 : 128));
        address = rng() % window;
      } else {
        length = 32u << (rng() % 7);
        address = rng() % 64 * 8192 * 4;
      }
      if (address + length > capacity_) address = capacity_ - length;
      sc_time delay(double(rng() % 40), sc_core::SC_NS);
      if (rng() % 50 == 0) delay = sc_time(double(rng() % 20000), sc_core::SC_NS);
      tlm::tlm_generic_payload trans;
      trans.set_command(rng() % 3 == 0 ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
      trans.set_address(address);
      trans.set_data_ptr(buffer.data());
      trans.set_data_length(length);
      trans.set_streaming_width(length);
      trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
      socket->b_transport(trans, delay);
      out << sc_core::sc_time_stamp().value() << ':' << trans.get_response_status() << ' ';
    }
    log_[thread] = out.str();
  }

  std::uint64_t capacity_;
  unsigned requests_;
  std::uint64_t seed_;
  std::vector<std::string> log_;
};

// DramStats as text and back, so that a forked child can report them and the parent compare with ==.
std::string serialize(const DramStats& s) {
  std::ostringstream out;
  out << s.read_requests << ' ' << s.write_requests << ' ' << s.read_bytes << ' ' << s.write_bytes << ' '
      << s.activates << ' ' << s.precharges << ' ' << s.precharge_alls << ' ' << s.reads << ' ' << s.writes << ' '
      << s.refreshes << ' ' << s.row_hits << ' ' << s.row_misses << ' ' << s.row_conflicts << ' '
      << s.data_bus_busy_cycles << ' ' << s.total_read_latency.value() << ' ' << s.total_write_latency.value() << ' '
      << s.total_queueing_delay.value();
  return out.str();
}

DramStats deserialize(std::istream& in) {
  DramStats s;
  sc_dt::uint64 read_latency = 0, write_latency = 0, queueing = 0;
  in >> s.read_requests >> s.write_requests >> s.read_bytes >> s.write_bytes >> s.activates >> s.precharges >>
      s.precharge_alls >> s.reads >> s.writes >> s.refreshes >> s.row_hits >> s.row_misses >> s.row_conflicts >>
      s.data_bus_busy_cycles >> read_latency >> write_latency >> queueing;
  s.total_read_latency = sc_time::from_value(read_latency);
  s.total_write_latency = sc_time::from_value(write_latency);
  s.total_queueing_delay = sc_time::from_value(queueing);
  return s;
}

struct Outcome {
  DramStats stats;
  std::vector<std::string> completions;  // per thread
  std::string error;
};

// Runs the workload on one channel in a forked child: first line the stats, then one line per thread.
Outcome run_in_child(const DramConfig& cfg, unsigned threads, unsigned requests, std::uint64_t seed) {
  const std::string text = dram_test::run_in_child([&] {
    DramChannel channel("channel", cfg);
    RandomInitiator initiator("initiator", cfg, threads, requests, seed);
    initiator.socket.bind(channel.socket);
    sc_core::sc_start();
    channel.catch_up_refresh();
    std::string lines = serialize(channel.stats()) + '\n';
    for (const std::string& line : initiator.log()) lines += line + '\n';
    return lines;
  });
  if (text == "child failed" || text == "pipe failed") return {{}, {}, text};
  std::istringstream in(text);
  Outcome outcome;
  outcome.stats = deserialize(in);
  in.ignore(1);
  for (std::string line; std::getline(in, line);) outcome.completions.push_back(line);
  return outcome;
}

struct Shape {
  std::string name;
  DramConfig cfg;
};

std::ostream& operator<<(std::ostream& out, const Shape& shape) { return out << shape.name; }

std::vector<Shape> shapes() {
  std::vector<Shape> list = {{"Hbm2", vp::test::u280_hbm_channel()}, {"Ddr4", vp::test::u280_ddr_channel()}};
  DramConfig c = vp::test::u280_hbm_channel();
  c.read_queue_depth = c.write_queue_depth = 4;  // back-pressure and frequent write drains
  c.write_buffer_depth = 4;
  c.write_drain_high = 3;
  c.write_drain_low = 1;
  list.push_back({"Hbm2SmallQueues", c});
  c = vp::test::u280_hbm_channel();
  c.tCCD_L = 11;  // > bank_groups x tCCD_S: the run cannot use a fixed stride
  c.tREFI = 900;  // refresh every microsecond, in the middle of streams
  c.tRFC = 120;
  c.columns = 8;
  c.rows = 65536;
  list.push_back({"SlowTccdLAndFrequentRefresh", c});
  c = vp::test::u280_hbm_channel();
  c.bank_groups = 2;
  c.banks_per_group = 8;
  c.tCCD_L = 5;
  c.separate_row_column_buses = false;
  list.push_back({"TwoBankGroupsOnASharedCommandBus", c});
  c = vp::test::u280_hbm_channel();
  c.bank_groups = 1;
  c.banks_per_group = 16;
  c.tCCD_L = 2;
  list.push_back({"OneBankGroup", c});
  // The controller policies (DramConfig::scheduler, page_policy): the same agreement, and every command
  // they issue legal (DramTimingChecker::issue throws otherwise, failing the child).
  const auto with_policies = [&](const std::string& name, DramConfig base, const char* scheduler,
                                 const char* page_policy) {
    base.scheduler = scheduler;
    base.page_policy = page_policy;
    list.push_back({name, base});
  };
  with_policies("Hbm2Fcfs", vp::test::u280_hbm_channel(), "fcfs", "open");
  with_policies("Hbm2ClosedPage", vp::test::u280_hbm_channel(), "frfcfs", "closed");
  with_policies("Ddr4FcfsClosedPage", vp::test::u280_ddr_channel(), "fcfs", "closed");
  with_policies("Hbm2SmallQueuesFcfsClosedPage", list[2].cfg, "fcfs", "closed");
  with_policies("TwoBankGroupsOnASharedCommandBusClosedPage", list[4].cfg, "frfcfs", "closed");
  return list;
}

class DramChannelFastPath : public ::testing::TestWithParam<Shape> {};

TEST_P(DramChannelFastPath, GivesTheSameStatsAndCompletionTimesAsCommandByCommandPlanning) {
  DramConfig fast = GetParam().cfg;
  fast.fast_path = true;
  DramConfig reference = fast;
  reference.fast_path = false;
  const unsigned threads = 8, requests = 1500;
  const Outcome a = run_in_child(fast, threads, requests, 4);
  const Outcome b = run_in_child(reference, threads, requests, 4);
  ASSERT_EQ(a.error, "");
  ASSERT_EQ(b.error, "");
  EXPECT_EQ(a.stats, b.stats) << "fast:      " << serialize(a.stats) << "\nreference: " << serialize(b.stats);
  ASSERT_EQ(a.completions.size(), threads);
  ASSERT_EQ(b.completions.size(), threads);
  for (unsigned t = 0; t < threads; ++t) EXPECT_EQ(a.completions[t], b.completions[t]) << "thread " << t;
  // The workload really exercises what the fast path replaces and what it must leave alone.
  EXPECT_EQ(a.stats.read_requests + a.stats.write_requests, threads * requests);
  EXPECT_GT(a.stats.row_hits, 3 * (a.stats.row_misses + a.stats.row_conflicts));
  // The closed page turns most conflicts into misses.
  EXPECT_GT(a.stats.row_conflicts + (fast.page_policy == "closed" ? a.stats.row_misses : 0), 1000u);
  EXPECT_GT(a.stats.refreshes, 10u);
  EXPECT_GT(a.stats.writes, 0u);
  // A policy other than the defaults changes the outcome (it is in effect); the closed page precharges more.
  if (fast.scheduler != "frfcfs" || fast.page_policy != "open") {
    DramConfig defaults = fast;
    defaults.scheduler = "frfcfs";
    defaults.page_policy = "open";
    const Outcome d = run_in_child(defaults, threads, requests, 4);
    ASSERT_EQ(d.error, "");
    EXPECT_NE(a.stats, d.stats);
    if (fast.page_policy == "closed") {
      EXPECT_GT(a.stats.precharges, d.stats.precharges);
      EXPECT_GT(a.stats.row_misses, d.stats.row_misses);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, DramChannelFastPath, ::testing::ValuesIn(shapes()),
                         [](const ::testing::TestParamInfo<Shape>& info) { return info.param.name; });

}  // namespace
}  // namespace vp
