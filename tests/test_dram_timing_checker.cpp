// DramTimingChecker: every JEDEC rule is refused one cycle early and accepted exactly at its limit.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "models/dram_timing_checker.h"

namespace vp {
namespace {

using Cmd = DramCommand;

// Distinct values, so that in each scenario below exactly one rule is the binding one.
DramConfig test_config() {
  DramConfig c = DramConfig::hbm2_pseudo_channel();
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

}  // namespace
}  // namespace vp
