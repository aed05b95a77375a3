// DramChannel's controller policies (DramConfig::scheduler, DramConfig::page_policy; models/dram/dram_scheduler.h,
// models/dram/dram_page_policy.h): FCFS against FR-FCFS service order, the closed-page precharge after a segment
// against the open page, and the refusal of unknown policy names naming the key. Every command either policy
// issues goes through DramTimingChecker::issue, which throws on any illegal one; the randomized cross-check
// of every policy with and without the fast path is in test_dram_channel_fast_path.cpp.
// Scenarios that compare two configurations simulate each in a forked child (SystemC simulates once per
// process), which reports back as text.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>
#include <sstream>
#include <string>

#include <boost/program_options.hpp>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/dram/dram_address_mapper.h"
#include "models/dram/dram_channel.h"
#include "models/dram/dram_page_policy.h"
#include "models/dram/dram_scheduler.h"
#include "tests/dram_test_bench.h"
#include "tests/u280_dram_channels.h"

namespace vp {
namespace {
using sc_core::sc_time;
using sc_core::SC_NS;

using dram_test::expect_invalid;
using dram_test::TestInitiator;

// Runs one simulation of `threads` threads on a channel with cfg in a forked child; report(channel) is the
// child's text result ("child failed" when it threw, e.g. a DramTimingViolation).
std::string run_in_child(const DramConfig& cfg, unsigned threads, const TestInitiator::Body& body,
                         const std::function<std::string(const DramChannel&)>& report) {
  return dram_test::run_in_child([&] {
    DramChannel channel("channel", cfg);
    TestInitiator initiator("initiator", threads, body);
    initiator.socket.bind(channel.socket);
    sc_core::sc_start();
    return report(channel);
  });
}

std::string counts(const DramStats& s) {
  std::ostringstream out;
  out << "hits " << s.row_hits << " misses " << s.row_misses << " conflicts " << s.row_conflicts << " ACT "
      << s.activates << " PRE " << s.precharges;
  return out.str();
}

// ---- scheduler ----------------------------------------------------------------------------------------

// The FR-FCFS scenario of test_dram_channel's RowHitIsServedBeforeAnOlderRowConflict: thread 0 opens row 0,
// then a request to another row of that bank (a conflict) arrives, then one to row 0 (a hit).
std::string conflict_then_hit(const std::string& scheduler) {
  DramConfig cfg = vp::test::u280_hbm_channel();
  cfg.scheduler = scheduler;
  const DramAddressMapper mapper(cfg);
  const std::uint64_t row0 = mapper.address_of({0, 0, 0, 0});
  const std::uint64_t row0_hit = mapper.address_of({0, 0, 0, 5});
  const std::uint64_t row1_conflict = mapper.address_of({0, 0, 1, 0});
  auto conflict_done = std::make_shared<sc_time>(), hit_done = std::make_shared<sc_time>();
  return run_in_child(
      cfg, 3,
      [=](TestInitiator& init, unsigned thread) {
        if (thread == 0) init.read(row0, 32);
        if (thread == 1) {
          init.read(row1_conflict, 32, sc_time(0.5, SC_NS));
          *conflict_done = sc_core::sc_time_stamp();
        }
        if (thread == 2) {
          init.read(row0_hit, 32, sc_time(0.6, SC_NS));
          *hit_done = sc_core::sc_time_stamp();
        }
      },
      [=](const DramChannel& channel) {
        return std::string(*conflict_done < *hit_done ? "conflict first; " : "hit first; ") +
               counts(channel.stats());
      });
}

TEST(DramScheduler, FcfsServesAnOlderRowConflictBeforeAYoungerRowHitWhereFrFcfsServesTheHitFirst) {
  // FCFS: the conflict's PRE closes row 0 (no row hit holds it), so the younger request finds row 1 open: a
  // second conflict, and no hit.
  EXPECT_EQ(conflict_then_hit("fcfs"), "conflict first; hits 0 misses 1 conflicts 2 ACT 3 PRE 2");
  EXPECT_EQ(conflict_then_hit("frfcfs"), "hit first; hits 1 misses 1 conflicts 1 ACT 2 PRE 1");
}

TEST(DramScheduler, FrFcfsPicksTheSoonestRowHitOldestOnATieAndFcfsOnlyTheOldestSegment) {
  const std::vector<std::uint32_t> hits = {1, 3, 4};
  const auto cycle_of = [](std::uint32_t position) -> std::uint64_t { return position == 1 ? 20 : 10; };
  const DramSchedulerPick frfcfs = DramSchedulerFrFcfs().pick(hits, cycle_of);
  EXPECT_EQ(frfcfs.position, 3u);  // 3 and 4 tie at cycle 10: the older
  EXPECT_EQ(frfcfs.cycle, 10u);
  // FCFS: the oldest queued segment (position 0) is no row hit, so nothing may go.
  EXPECT_EQ(DramSchedulerFcfs().pick(hits, cycle_of).position, DramSchedulerPick::kNone);
  const DramSchedulerPick fcfs = DramSchedulerFcfs().pick({0, 3}, cycle_of);
  EXPECT_EQ(fcfs.position, 0u);
  EXPECT_EQ(fcfs.cycle, 10u);
  EXPECT_EQ(DramSchedulerFrFcfs().pick({}, cycle_of).position, DramSchedulerPick::kNone);
  EXPECT_TRUE(DramSchedulerFrFcfs().row_hits_hold_banks());
  EXPECT_FALSE(DramSchedulerFcfs().row_hits_hold_banks());
}

// ---- page policy --------------------------------------------------------------------------------------

// Two reads of one row, the second 200 ns after the first completed (the bank idle in between, before
// any refresh): "<latency of the second in ps> <counts>".
std::string same_row_after_idle_time(const std::string& page_policy) {
  DramConfig cfg = vp::test::u280_hbm_channel();
  cfg.page_policy = page_policy;
  const DramAddressMapper mapper(cfg);
  auto latency = std::make_shared<sc_time>();
  return run_in_child(
      cfg, 1,
      [=](TestInitiator& init, unsigned) {
        init.read(mapper.address_of({0, 0, 7, 0}), 32);
        sc_core::wait(200, SC_NS);
        const sc_time start = sc_core::sc_time_stamp();
        init.read(mapper.address_of({0, 0, 7, 5}), 32);
        *latency = sc_core::sc_time_stamp() - start;
      },
      [=](const DramChannel& channel) {
        return std::to_string(latency->value()) + " " + counts(channel.stats());
      });
}

TEST(DramPagePolicy, ClosedPageMakesARowHitAfterIdleTimeAMissAndPrechargesAfterEachRequest) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  const std::string open = same_row_after_idle_time("open");
  const std::string closed = same_row_after_idle_time("closed");
  std::istringstream open_in(open), closed_in(closed);
  std::uint64_t open_ps = 0, closed_ps = 0;
  open_in >> open_ps;
  closed_in >> closed_ps;
  std::string open_counts, closed_counts;
  std::getline(open_in >> std::ws, open_counts);
  std::getline(closed_in >> std::ws, closed_counts);
  ASSERT_NE(open_ps, 0u) << open;
  ASSERT_NE(closed_ps, 0u) << closed;
  EXPECT_EQ(open_counts, "hits 1 misses 1 conflicts 0 ACT 1 PRE 0");
  // Closed: each read's bank is precharged after it, so the second read needs an ACT: tRCD more.
  EXPECT_EQ(closed_counts, "hits 0 misses 2 conflicts 0 ACT 2 PRE 2");
  EXPECT_NEAR((static_cast<double>(closed_ps) - static_cast<double>(open_ps)) / 1000.0, cfg.tRCD * cfg.tck_ns,
              0.002);
}

TEST(DramPagePolicy, ClosedPageKeepsARowOpenWhileAQueuedRequestHitsIt) {
  DramConfig cfg = vp::test::u280_hbm_channel();
  cfg.page_policy = "closed";
  const DramAddressMapper mapper(cfg);
  const std::string result = run_in_child(
      cfg, 2,
      [=](TestInitiator& init, unsigned thread) {
        // The second arrives before the first is planned (at tRCD): it is queued when the first finishes.
        if (thread == 0) init.read(mapper.address_of({0, 0, 3, 0}), 32);
        if (thread == 1) init.read(mapper.address_of({0, 0, 3, 5}), 32, sc_time(2, SC_NS));
      },
      [](const DramChannel& channel) { return counts(channel.stats()); });
  EXPECT_EQ(result, "hits 1 misses 1 conflicts 0 ACT 1 PRE 1");
}

TEST(DramPagePolicy, OpenNeverPrechargesAfterAnAccessAndClosedOnlyWithoutAQueuedHit) {
  EXPECT_FALSE(DramPagePolicyOpen().precharge_after_access(false));
  EXPECT_FALSE(DramPagePolicyOpen().ever_precharges());
  EXPECT_TRUE(DramPagePolicyClosed().precharge_after_access(false));
  EXPECT_FALSE(DramPagePolicyClosed().precharge_after_access(true));
}

// ---- configuration --------------------------------------------------------------------------------------

TEST(DramPolicyConfig, UnknownPolicyNamesAreRefusedNamingTheKey) {
  DramConfig cfg = vp::test::u280_hbm_channel();
  EXPECT_EQ(cfg.scheduler, "frfcfs");
  EXPECT_EQ(cfg.page_policy, "open");
  cfg.scheduler = "fifo";
  expect_invalid(cfg, "hbm.scheduler = fifo");
  cfg = vp::test::u280_hbm_channel();
  cfg.page_policy = "adaptive";
  expect_invalid(cfg, "hbm.page_policy = adaptive");
  cfg = vp::test::u280_ddr_channel();
  cfg.scheduler = "fcfs";
  cfg.page_policy = "closed";
  EXPECT_NO_THROW(cfg.validate("ddr."));

  try {
    make_dram_scheduler("FR-FCFS", "ddr.scheduler");
    ADD_FAILURE() << "accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("ddr.scheduler = FR-FCFS"), std::string::npos) << e.what();
  }
  try {
    make_dram_page_policy("Closed", "ddr.page_policy");
    ADD_FAILURE() << "accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("ddr.page_policy = Closed"), std::string::npos) << e.what();
  }
  EXPECT_STREQ(make_dram_scheduler("fcfs")->name(), "fcfs");
  EXPECT_STREQ(make_dram_page_policy("closed")->name(), "closed");
}

TEST(DramPolicyConfig, ProgramOptionsSelectThePoliciesAndRefuseUnknownNamesNamingTheKey) {
  namespace po = boost::program_options;
  po::options_description options;
  vp::declare_config_fields(options, "hbm.", DramConfig::fields(), vp::test::u280_hbm_channel());
  const char* argv[] = {"vpsim", "--hbm.scheduler=fcfs", "--hbm.page_policy=closed"};
  po::variables_map values;
  po::store(po::parse_command_line(3, argv, options), values);
  po::notify(values);
  const DramConfig cfg = vp::config_from_options<DramConfig>(values, "hbm.");
  EXPECT_EQ(cfg.scheduler, "fcfs");
  EXPECT_EQ(cfg.page_policy, "closed");

  po::variables_map defaults;
  const char* default_argv[] = {"vpsim"};
  po::store(po::parse_command_line(1, default_argv, options), defaults);
  EXPECT_EQ(vp::config_from_options<DramConfig>(defaults, "hbm.").scheduler, "frfcfs");
  EXPECT_EQ(vp::config_from_options<DramConfig>(defaults, "hbm.").page_policy, "open");

  po::variables_map bad;
  const char* bad_argv[] = {"vpsim", "--hbm.page_policy=shut"};
  po::store(po::parse_command_line(2, bad_argv, options), bad);
  try {
    vp::config_from_options<DramConfig>(bad, "hbm.");
    ADD_FAILURE() << "accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("hbm.page_policy = shut"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace vp
