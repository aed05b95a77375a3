// DramTimingChecker: every JEDEC rule is refused one cycle early and accepted exactly at its limit; column
// runs and issue_at_earliest() give the same cycles and state as earliest() + issue() one command at a time.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "models/dram/dram_timing_checker.h"
#include "tests/u280_dram_channels.h"

namespace vp {
namespace {

using Cmd = DramCommand;

// Distinct values, so that in each scenario below exactly one rule is the binding one.
DramConfig test_config() {
  DramConfig c = vp::test::u280_hbm_channel();
  c.tRCD = 5;
  c.tRP = 6;
  c.tRAS = 14;
  c.tRC = 22;  // > tRAS + tRP, so tRC can bind on its own
  c.tCL = 7;
  c.tWL = 3;
  c.tCCD_S = 2;
  c.tCCD_L = 4;
  c.tRRD_S = 3;
  c.tRRD_L = 5;
  c.tFAW = 16;  // > 3 * tRRD_S + tRRD_S, so the fifth ACT is held by tFAW, not tRRD
  c.tWTR_S = 2;
  c.tWTR_L = 6;
  c.tRTW = 9;
  c.tWR = 8;
  c.tRTP = 4;
  c.tRFC = 40;
  c.tREFI = 1000;
  c.validate("test.");
  return c;
}

// Expects issue() to throw a DramTimingViolation whose message contains `rule`.
void expect_refused(const std::function<void()>& issue, const std::string& rule) {
  try {
    issue();
    ADD_FAILURE() << "command was accepted, expected a " << rule << " violation";
  } catch (const DramTimingViolation& e) {
    EXPECT_NE(std::string(e.what()).find(rule), std::string::npos) << e.what();
  }
}

class DramTimingCheckerTest : public ::testing::Test {
 protected:
  DramConfig cfg = test_config();
  DramTimingChecker checker{cfg};
};

TEST_F(DramTimingCheckerTest, ViolationMessageNamesRuleCommandCycleAndLimit) {
  checker.issue(Cmd::ACT, 0, 0, 7, 0);
  try {
    checker.issue(Cmd::ACT, 1, 0, 7, 2);
    FAIL() << "expected a violation";
  } catch (const DramTimingViolation& e) {
    EXPECT_EQ(std::string(e.what()), "tRRD_S violated: ACT at cycle 2, earliest 3 (bank group 1, bank 0)");
  }
}

TEST_F(DramTimingCheckerTest, ActsToDifferentBankGroupsCloserThanTrrdSAreRefused) {
  checker.issue(Cmd::ACT, 0, 0, 1, 0);
  expect_refused([&] { checker.issue(Cmd::ACT, 1, 0, 1, cfg.tRRD_S - 1); }, "tRRD_S");
  EXPECT_EQ(checker.earliest(Cmd::ACT, 1, 0), cfg.tRRD_S);
  checker.issue(Cmd::ACT, 1, 0, 1, cfg.tRRD_S);
}

TEST_F(DramTimingCheckerTest, ActsToSameBankGroupCloserThanTrrdLAreRefused) {
  checker.issue(Cmd::ACT, 2, 0, 1, 0);
  expect_refused([&] { checker.issue(Cmd::ACT, 2, 1, 1, cfg.tRRD_L - 1); }, "tRRD_L");
  EXPECT_EQ(checker.earliest(Cmd::ACT, 2, 1), cfg.tRRD_L);
  checker.issue(Cmd::ACT, 2, 1, 1, cfg.tRRD_L);
}

TEST_F(DramTimingCheckerTest, FifthActInsideTfawIsRefused) {
  for (unsigned bg = 0; bg < 4; ++bg) checker.issue(Cmd::ACT, bg, 0, 3, bg * cfg.tRRD_S);
  // tRRD would allow the fifth ACT at 3 * tRRD_S + tRRD_S = 12; the window of four ACTs since cycle 0 holds it.
  expect_refused([&] { checker.issue(Cmd::ACT, 0, 1, 3, cfg.tFAW - 1); }, "tFAW");
  EXPECT_EQ(checker.earliest(Cmd::ACT, 0, 1), cfg.tFAW);
  checker.issue(Cmd::ACT, 0, 1, 3, cfg.tFAW);
}

TEST_F(DramTimingCheckerTest, ReadBeforeTrcdAfterActIsRefused) {
  checker.issue(Cmd::ACT, 0, 0, 9, 10);
  expect_refused([&] { checker.issue(Cmd::RD, 0, 0, 9, 10 + cfg.tRCD - 1); }, "tRCD");
  EXPECT_EQ(checker.earliest(Cmd::RD, 0, 0), 10 + cfg.tRCD);
  checker.issue(Cmd::RD, 0, 0, 9, 10 + cfg.tRCD);
}

TEST_F(DramTimingCheckerTest, WriteBeforeTrcdAfterActIsRefused) {
  checker.issue(Cmd::ACT, 3, 2, 9, 0);
  expect_refused([&] { checker.issue(Cmd::WR, 3, 2, 9, cfg.tRCD - 1); }, "tRCD");
  checker.issue(Cmd::WR, 3, 2, 9, cfg.tRCD);
}

TEST_F(DramTimingCheckerTest, PrechargeBeforeTrasIsRefused) {
  checker.issue(Cmd::ACT, 1, 1, 4, 0);
  expect_refused([&] { checker.issue(Cmd::PRE, 1, 1, 0, cfg.tRAS - 1); }, "tRAS");
  EXPECT_EQ(checker.earliest(Cmd::PRE, 1, 1), cfg.tRAS);
  checker.issue(Cmd::PRE, 1, 1, 0, cfg.tRAS);
  EXPECT_FALSE(checker.is_open(1, 1));
}

TEST_F(DramTimingCheckerTest, ActBeforeTrpAfterPrechargeIsRefused) {
  checker.issue(Cmd::ACT, 0, 0, 1, 0);
  const unsigned pre = 20;  // late enough that tRC (22) is met before tRP (26)
  checker.issue(Cmd::PRE, 0, 0, 0, pre);
  expect_refused([&] { checker.issue(Cmd::ACT, 0, 0, 2, pre + cfg.tRP - 1); }, "tRP");
  EXPECT_EQ(checker.earliest(Cmd::ACT, 0, 0), pre + cfg.tRP);
  checker.issue(Cmd::ACT, 0, 0, 2, pre + cfg.tRP);
}

TEST_F(DramTimingCheckerTest, ActBeforeTrcAfterPreviousActToSameBankIsRefused) {
  checker.issue(Cmd::ACT, 0, 0, 1, 0);
  checker.issue(Cmd::PRE, 0, 0, 0, cfg.tRAS);  // tRP ends at 20, tRC at 22
  expect_refused([&] { checker.issue(Cmd::ACT, 0, 0, 2, cfg.tRC - 1); }, "tRC");
  EXPECT_EQ(checker.earliest(Cmd::ACT, 0, 0), cfg.tRC);
  checker.issue(Cmd::ACT, 0, 0, 2, cfg.tRC);
}

TEST_F(DramTimingCheckerTest, ColumnCommandsToSameBankGroupCloserThanTccdLAreRefused) {
  checker.issue(Cmd::ACT, 1, 0, 5, 0);
  checker.issue(Cmd::RD, 1, 0, 5, 10);
  expect_refused([&] { checker.issue(Cmd::RD, 1, 0, 5, 10 + cfg.tCCD_L - 1); }, "tCCD_L");
  checker.issue(Cmd::RD, 1, 0, 5, 10 + cfg.tCCD_L);
}

TEST_F(DramTimingCheckerTest, ColumnCommandsToDifferentBankGroupsCloserThanTccdSAreRefused) {
  checker.issue(Cmd::ACT, 0, 0, 5, 0);
  checker.issue(Cmd::ACT, 1, 0, 5, cfg.tRRD_S);
  checker.issue(Cmd::RD, 0, 0, 5, 10);
  expect_refused([&] { checker.issue(Cmd::RD, 1, 0, 5, 10 + cfg.tCCD_S - 1); }, "tCCD_S");
  EXPECT_EQ(checker.earliest(Cmd::RD, 1, 0), 10 + cfg.tCCD_S);
  checker.issue(Cmd::RD, 1, 0, 5, 10 + cfg.tCCD_S);
}

TEST_F(DramTimingCheckerTest, ReadAfterWriteToOtherBankGroupWaitsTwtrSFromEndOfWriteData) {
  checker.issue(Cmd::ACT, 0, 0, 5, 0);
  checker.issue(Cmd::ACT, 1, 0, 5, cfg.tRRD_S);
  checker.issue(Cmd::WR, 0, 0, 5, 10);
  const unsigned write_data_end = 10 + cfg.tWL + cfg.burst_cycles();
  expect_refused([&] { checker.issue(Cmd::RD, 1, 0, 5, write_data_end + cfg.tWTR_S - 1); }, "tWTR_S");
  EXPECT_EQ(checker.earliest(Cmd::RD, 1, 0), write_data_end + cfg.tWTR_S);
  checker.issue(Cmd::RD, 1, 0, 5, write_data_end + cfg.tWTR_S);
}

TEST_F(DramTimingCheckerTest, ReadAfterWriteToSameBankGroupWaitsTwtrLFromEndOfWriteData) {
  checker.issue(Cmd::ACT, 2, 0, 5, 0);
  checker.issue(Cmd::WR, 2, 0, 5, 10);
  const unsigned write_data_end = 10 + cfg.tWL + cfg.burst_cycles();
  expect_refused([&] { checker.issue(Cmd::RD, 2, 0, 5, write_data_end + cfg.tWTR_L - 1); }, "tWTR_L");
  checker.issue(Cmd::RD, 2, 0, 5, write_data_end + cfg.tWTR_L);
}

TEST_F(DramTimingCheckerTest, WriteAfterReadCloserThanTrtwIsRefused) {
  checker.issue(Cmd::ACT, 0, 0, 5, 0);
  checker.issue(Cmd::ACT, 1, 0, 5, cfg.tRRD_S);
  checker.issue(Cmd::RD, 0, 0, 5, 10);
  expect_refused([&] { checker.issue(Cmd::WR, 1, 0, 5, 10 + cfg.tRTW - 1); }, "tRTW");
  checker.issue(Cmd::WR, 1, 0, 5, 10 + cfg.tRTW);
}

TEST_F(DramTimingCheckerTest, PrechargeAfterReadCloserThanTrtpIsRefused) {
  checker.issue(Cmd::ACT, 0, 3, 5, 0);
  checker.issue(Cmd::RD, 0, 3, 5, 12);  // tRTP ends at 16, after tRAS (14)
  expect_refused([&] { checker.issue(Cmd::PRE, 0, 3, 0, 12 + cfg.tRTP - 1); }, "tRTP");
  checker.issue(Cmd::PRE, 0, 3, 0, 12 + cfg.tRTP);
}

TEST_F(DramTimingCheckerTest, PrechargeBeforeWriteRecoveryIsRefused) {
  checker.issue(Cmd::ACT, 0, 0, 5, 0);
  checker.issue(Cmd::WR, 0, 0, 5, 10);
  const unsigned recovered = 10 + cfg.tWL + cfg.burst_cycles() + cfg.tWR;
  expect_refused([&] { checker.issue(Cmd::PRE, 0, 0, 0, recovered - 1); }, "tWR");
  checker.issue(Cmd::PRE, 0, 0, 0, recovered);
}

TEST_F(DramTimingCheckerTest, RefreshNeedsAllBanksPrechargedAndTrpAfterTheLastPrecharge) {
  checker.issue(Cmd::ACT, 1, 2, 5, 0);
  expect_refused([&] { checker.issue(Cmd::REF, 0, 0, 0, 100); }, "open");
  checker.issue(Cmd::PRE, 1, 2, 0, 30);
  expect_refused([&] { checker.issue(Cmd::REF, 0, 0, 0, 30 + cfg.tRP - 1); }, "tRP");
  checker.issue(Cmd::REF, 0, 0, 0, 30 + cfg.tRP);
}

TEST_F(DramTimingCheckerTest, PrechargeAllWaitsForEveryOpenBank) {
  checker.issue(Cmd::ACT, 0, 0, 5, 0);
  checker.issue(Cmd::ACT, 1, 1, 5, cfg.tRRD_S);
  EXPECT_EQ(checker.earliest(Cmd::PREA, 0, 0), cfg.tRRD_S + cfg.tRAS);
  expect_refused([&] { checker.issue(Cmd::PREA, 0, 0, 0, cfg.tRRD_S + cfg.tRAS - 1); }, "tRAS");
  checker.issue(Cmd::PREA, 0, 0, 0, cfg.tRRD_S + cfg.tRAS);
  EXPECT_EQ(checker.open_banks(), 0u);
}

TEST_F(DramTimingCheckerTest, NoActivateWithinTrfcAfterRefresh) {
  checker.issue(Cmd::REF, 0, 0, 0, 0);
  expect_refused([&] { checker.issue(Cmd::ACT, 0, 0, 1, cfg.tRFC - 1); }, "tRFC");
  EXPECT_EQ(checker.earliest(Cmd::ACT, 0, 0), cfg.tRFC);
  checker.issue(Cmd::ACT, 0, 0, 1, cfg.tRFC);
}

TEST_F(DramTimingCheckerTest, CommandsIllegalInTheBankStateAreRefused) {
  expect_refused([&] { checker.issue(Cmd::RD, 0, 0, 5, 100); }, "closed");
  expect_refused([&] { checker.issue(Cmd::PRE, 0, 0, 0, 100); }, "already precharged");
  checker.issue(Cmd::ACT, 0, 0, 5, 0);
  expect_refused([&] { checker.issue(Cmd::ACT, 0, 0, 6, 100); }, "already has row 5 open");
  expect_refused([&] { checker.issue(Cmd::WR, 0, 0, 6, 100); }, "but row 5 is open");
}

TEST_F(DramTimingCheckerTest, RowBusCarriesOneCommandPerCycle) {
  checker.issue(Cmd::ACT, 0, 0, 5, 0);
  checker.issue(Cmd::PRE, 0, 0, 0, 20);
  // tRRD and tFAW allow this ACT at cycle 20; the PRE already occupies the row bus then.
  expect_refused([&] { checker.issue(Cmd::ACT, 1, 0, 5, 20); }, "command bus conflict");
  EXPECT_EQ(checker.earliest(Cmd::ACT, 1, 0, 20), 21u);
  checker.issue(Cmd::ACT, 1, 0, 5, 21);
}

TEST_F(DramTimingCheckerTest, Hbm2RowAndColumnCommandsShareACycleOnSeparateBuses) {
  checker.issue(Cmd::ACT, 0, 0, 5, 0);
  checker.issue(Cmd::RD, 0, 0, 5, 10);
  EXPECT_EQ(checker.earliest(Cmd::ACT, 1, 0, 10), 10u);
  checker.issue(Cmd::ACT, 1, 0, 5, 10);
}

TEST(DramTimingCheckerSharedBus, Ddr4RowAndColumnCommandsCannotShareACycle) {
  DramConfig cfg = test_config();
  cfg.separate_row_column_buses = false;
  DramTimingChecker checker(cfg);
  checker.issue(Cmd::ACT, 0, 0, 5, 0);
  checker.issue(Cmd::RD, 0, 0, 5, 10);
  expect_refused([&] { checker.issue(Cmd::ACT, 1, 0, 5, 10); }, "command bus conflict");
  EXPECT_EQ(checker.earliest(Cmd::ACT, 1, 0, 10), 11u);
}

TEST_F(DramTimingCheckerTest, EarliestRespectsTheLowerBound) {
  EXPECT_EQ(checker.earliest(Cmd::ACT, 0, 0, 1234), 1234u);
}

// ---- issue_at_earliest and column runs -------------------------------------------------------------------

TEST_F(DramTimingCheckerTest, IssueAtEarliestIssuesAtTheFirstLegalCycleAndRefusesIllegalStates) {
  expect_refused([&] { checker.issue_at_earliest(Cmd::RD, 0, 0, 5, 0); }, "which is closed");
  EXPECT_EQ(checker.issue_at_earliest(Cmd::ACT, 0, 0, 5, 7), 7u);
  EXPECT_EQ(checker.issue_at_earliest(Cmd::RD, 0, 0, 5, 0), 7u + cfg.tRCD);
  expect_refused([&] { checker.issue_at_earliest(Cmd::ACT, 0, 0, 6, 0); }, "already has row 5 open");
}

// Bank 0 of every bank group opened at cycles 0, tRRD_S, 2 tRRD_S, 3 tRRD_S; all tRCD are over by cycle 20.
void open_bank0_everywhere(DramTimingChecker& checker, const DramConfig& cfg, std::uint32_t row) {
  for (unsigned bg = 0; bg < 4; ++bg) checker.issue(Cmd::ACT, bg, 0, row, bg * cfg.tRRD_S);
}

TEST_F(DramTimingCheckerTest, ColumnRunOverAlternatingBankGroupsIsSpacedByTccdS) {
  open_bank0_everywhere(checker, cfg, 7);
  // tCCD_L (4) <= 4 bank groups x tCCD_S (2): a bank group is revisited 8 cycles later, so only tCCD_S binds.
  const auto run = checker.issue_column_run(Cmd::RD, 0, 0, 7, 100, 20);
  EXPECT_EQ(run.first, 20u);
  EXPECT_EQ(run.last, 20u + 99 * cfg.tCCD_S);
  // The run's last commands are recorded: command 99 went to bank group 3, command 96 to bank group 0.
  EXPECT_EQ(checker.earliest(Cmd::PRE, 3, 0), run.last + cfg.tRTP);
  EXPECT_EQ(checker.earliest(Cmd::RD, 0, 0), std::max<std::uint64_t>(run.last + cfg.tCCD_S, 20 + 96 * cfg.tCCD_S + cfg.tCCD_L));
}

TEST_F(DramTimingCheckerTest, ColumnRunRevisitsABankGroupNoSoonerThanTccdL) {
  cfg.tCCD_L = 9;  // > 4 bank groups x tCCD_S (2)
  DramTimingChecker slow_ccd(cfg);
  open_bank0_everywhere(slow_ccd, cfg, 7);
  // Commands 4k .. 4k+3 start at 20 + 9k, tCCD_S apart: command 99 = 4 x 24 + 3 at 20 + 216 + 6.
  const auto run = slow_ccd.issue_column_run(Cmd::WR, 0, 0, 7, 100, 20);
  EXPECT_EQ(run.first, 20u);
  EXPECT_EQ(run.last, 20u + 24 * 9 + 3 * cfg.tCCD_S);
  // A read waits tWTR_S after the end of the last write's data (its own bank group's write ended earlier).
  EXPECT_EQ(slow_ccd.earliest(Cmd::RD, 0, 0), run.last + cfg.tWL + cfg.burst_cycles() + cfg.tWTR_S);
}

TEST_F(DramTimingCheckerTest, ColumnRunToARowThatIsNotOpenIsRefusedAndChangesNothing) {
  checker.issue(Cmd::ACT, 0, 1, 5, 0);
  checker.issue(Cmd::ACT, 1, 1, 5, cfg.tRRD_S);
  const auto ready = checker.earliest(Cmd::RD, 0, 1);
  // The third command would go to bank group 2, whose bank 1 is closed.
  expect_refused([&] { checker.issue_column_run(Cmd::RD, 0, 1, 5, 3, 0); }, "bank group 2, bank 1 which is closed");
  EXPECT_EQ(checker.earliest(Cmd::RD, 0, 1), ready);
  EXPECT_EQ(checker.issue_column_run(Cmd::RD, 0, 1, 5, 2, 0).first, ready);

  checker.issue(Cmd::ACT, 2, 1, 6, 2 * cfg.tRRD_S);
  expect_refused([&] { checker.issue_column_run(Cmd::WR, 1, 1, 5, 2, 0); }, "but row 6 is open");
}

TEST_F(DramTimingCheckerTest, ColumnRunRejectsRowCommandsEmptyRunsAndMissingBanks) {
  open_bank0_everywhere(checker, cfg, 7);
  EXPECT_THROW(checker.issue_column_run(Cmd::ACT, 0, 0, 7, 4, 0), std::invalid_argument);
  EXPECT_THROW(checker.issue_column_run(Cmd::RD, 0, 0, 7, 0, 0), std::invalid_argument);
  EXPECT_THROW(checker.issue_column_run(Cmd::RD, 4, 0, 7, 4, 0), std::out_of_range);
  EXPECT_THROW(checker.issue_column_run(Cmd::RD, 0, 4, 7, 4, 0), std::out_of_range);
}

// What a scheduler can see of a checker: bank states and the earliest cycle of every command.
std::string observe(const DramTimingChecker& c, const DramConfig& cfg) {
  std::ostringstream out;
  out << c.open_banks() << ' ' << c.earliest(Cmd::PREA, 0, 0) << ' ' << c.earliest(Cmd::REF, 0, 0) << ';';
  for (unsigned bg = 0; bg < cfg.bank_groups; ++bg)
    for (unsigned bank = 0; bank < cfg.banks_per_group; ++bank) {
      out << c.is_open(bg, bank) << ' ' << (c.is_open(bg, bank) ? c.open_row(bg, bank) : 0u);
      for (Cmd cmd : {Cmd::ACT, Cmd::PRE, Cmd::RD, Cmd::WR}) out << ' ' << c.earliest(cmd, bg, bank);
      out << ';';
    }
  return out.str();
}

// Drives a reference checker with earliest() + issue() and a second one with issue_at_earliest() and
// issue_column_run(), through a random history of row commands, single column commands, refreshes and
// column runs; every issued cycle and the observable state must agree after every step. Lower bounds are
// drawn from the recent past, so commands probe the bus slots of the commands just issued.
void expect_fast_calls_match_reference(const DramConfig& cfg, std::uint64_t seed) {
  DramTimingChecker ref(cfg), fast(cfg);
  std::mt19937_64 rng(seed);
  const unsigned groups = cfg.bank_groups;
  std::uint64_t horizon = 0;
  const auto both = [&](Cmd cmd, unsigned bg, unsigned bank, std::uint32_t row, std::uint64_t not_before) {
    const std::uint64_t cycle = ref.earliest(cmd, bg, bank, not_before);
    ref.issue(cmd, bg, bank, row, cycle);
    EXPECT_EQ(fast.issue_at_earliest(cmd, bg, bank, row, not_before), cycle) << to_string(cmd);
    horizon = std::max(horizon, cycle);
  };
  unsigned runs = 0, long_runs = 0;
  for (unsigned step = 0; step < 600; ++step) {
    const std::uint64_t not_before = horizon - std::min<std::uint64_t>(horizon, rng() % 48);
    const auto bg = static_cast<unsigned>(rng() % groups);
    const auto bank = static_cast<unsigned>(rng() % cfg.banks_per_group);
    const auto row = static_cast<std::uint32_t>(rng() % 3);
    const unsigned kind = rng() % 10;
    if (kind == 0) {
      if (ref.open_banks() > 0) both(Cmd::PREA, 0, 0, 0, not_before);
      both(Cmd::REF, 0, 0, 0, not_before);
    } else if (kind < 4) {
      if (!ref.is_open(bg, bank)) both(Cmd::ACT, bg, bank, row, not_before);
      else if (rng() % 3 == 0) both(Cmd::PRE, bg, bank, 0, not_before);
      else both(rng() % 2 ? Cmd::RD : Cmd::WR, bg, bank, ref.open_row(bg, bank), not_before);
    } else {
      const Cmd cmd = rng() % 2 ? Cmd::RD : Cmd::WR;
      const unsigned count = 1 + static_cast<unsigned>(rng() % (3 * groups + 3));
      for (unsigned v = 0; v < std::min(count, groups); ++v) {  // open the row wherever the run goes
        const unsigned g = (bg + v) % groups;
        if (ref.is_open(g, bank) && ref.open_row(g, bank) != row) both(Cmd::PRE, g, bank, 0, not_before);
        if (!ref.is_open(g, bank)) both(Cmd::ACT, g, bank, row, not_before);
      }
      std::vector<std::uint64_t> cycles;
      for (unsigned i = 0; i < count; ++i) {
        const unsigned g = (bg + i) % groups;
        cycles.push_back(ref.earliest(cmd, g, bank, not_before));
        ref.issue(cmd, g, bank, row, cycles.back());
      }
      if (step % 8 == 0)  // shorter runs from the same state end at the reference's intermediate cycles
        for (unsigned k = 1; k < count; ++k) {
          DramTimingChecker shorter = fast;
          EXPECT_EQ(shorter.issue_column_run(cmd, bg, bank, row, k, not_before).last, cycles[k - 1]) << k;
        }
      const auto run = fast.issue_column_run(cmd, bg, bank, row, count, not_before);
      EXPECT_EQ(run.first, cycles.front());
      EXPECT_EQ(run.last, cycles.back());
      horizon = std::max(horizon, cycles.back());
      ++runs;
      long_runs += count > 2 * groups;
    }
    ASSERT_EQ(observe(fast, cfg), observe(ref, cfg)) << "after step " << step;
  }
  EXPECT_GT(runs, 200u);
  EXPECT_GT(long_runs, 50u);
}

TEST(DramTimingCheckerColumnRun, MatchesOneCommandAtATimeOnRandomHistoriesForEveryTimingShape) {
  struct Shape {
    const char* name;
    DramConfig cfg;
  };
  std::vector<Shape> shapes = {{"HBM2 preset", vp::test::u280_hbm_channel()},
                               {"DDR4 preset (shared bus)", vp::test::u280_ddr_channel()},
                               {"test timings", test_config()}};
  DramConfig c = test_config();
  c.separate_row_column_buses = false;
  shapes.push_back({"test timings, shared bus", c});
  c = test_config();
  c.tCCD_L = 9;  // > bank_groups x tCCD_S: tCCD_L binds inside the run
  shapes.push_back({"tCCD_L above bank_groups x tCCD_S", c});
  c.separate_row_column_buses = false;
  shapes.push_back({"tCCD_L above bank_groups x tCCD_S, shared bus", c});
  c = test_config();
  c.bank_groups = 1;
  c.banks_per_group = 8;
  shapes.push_back({"one bank group", c});
  c.tCCD_L = c.tCCD_S;
  shapes.push_back({"one bank group, tCCD_L = tCCD_S", c});
  c = test_config();
  c.bank_groups = 2;
  c.banks_per_group = 4;
  shapes.push_back({"two bank groups", c});
  for (const Shape& shape : shapes)
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      SCOPED_TRACE(std::string(shape.name) + ", seed " + std::to_string(seed));
      shape.cfg.validate("shape.");
      expect_fast_calls_match_reference(shape.cfg, seed);
      if (HasFatalFailure()) return;
    }
}

}  // namespace
}  // namespace vp
