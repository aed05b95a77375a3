// DramChannel (with DramConfig and DramStats): data integrity through the socket, latency and bandwidth
// derived from the timing parameters, FR-FCFS with write drain, refresh, determinism and error responses.
// Each test elaborates its own SystemC design and simulates once (ctest runs each test in its own process).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/dram/dram_address_mapper.h"
#include "models/dram/dram_channel.h"
#include "tests/dram_test_bench.h"
#include "tests/u280_dram_channels.h"

namespace vp {
namespace {
using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_US;

using dram_test::expect_invalid;
using dram_test::TestInitiator;

struct Bench {
  DramChannel channel;
  TestInitiator initiator;
  Bench(const DramConfig& cfg, unsigned threads, TestInitiator::Body body)
      : channel("channel", cfg), initiator("initiator", threads, std::move(body)) {
    initiator.socket.bind(channel.socket);
  }
};

std::uint8_t pattern(std::uint64_t address) { return static_cast<std::uint8_t>((address * 131) ^ (address >> 9)); }

double cycles_to_ns(const DramConfig& cfg, double cycles) { return cycles * cfg.tck_ns; }

// SystemC simulates once per process: a test that needs several simulations runs each in a forked child
// (dram_test::run_in_child).

// ---- configuration ----------------------------------------------------------------------------------

TEST(DramConfig, Hbm2PresetIsAU280PseudoChannel) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  EXPECT_EQ(cfg.capacity_bytes(), std::uint64_t{256} << 20);
  EXPECT_NEAR(cfg.peak_bytes_per_s(), 14.4e9, 1e3);
  EXPECT_EQ(cfg.bytes_per_column(), 32u);
  EXPECT_EQ(cfg.row_bytes(), 1024u);
  EXPECT_NO_THROW(cfg.validate("hbm."));
}

TEST(DramConfig, Ddr4PresetIsAn8GiBDdr4_2400Channel) {
  const DramConfig cfg = vp::test::u280_ddr_channel();
  EXPECT_EQ(cfg.capacity_bytes(), std::uint64_t{8} << 30);
  EXPECT_NEAR(cfg.peak_bytes_per_s(), 19.2e9, 1e3);
  EXPECT_EQ(cfg.bytes_per_column(), 64u);
  EXPECT_EQ(cfg.row_bytes(), 8192u);
  EXPECT_NO_THROW(cfg.validate("ddr."));
}

TEST(DramConfig, ValidateNamesTheKeyAndValue) {
  DramConfig cfg = vp::test::u280_hbm_channel();
  cfg.tRC = 20;  // < tRAS + tRP
  expect_invalid(cfg, "hbm.tRC = 20");
  cfg = vp::test::u280_hbm_channel();
  cfg.tck_ns = 0;
  expect_invalid(cfg, "hbm.tck_ns = 0");
  cfg = vp::test::u280_hbm_channel();
  cfg.write_drain_high = cfg.write_queue_depth + 1;
  expect_invalid(cfg, "hbm.write_drain_high");
  cfg = vp::test::u280_hbm_channel();
  cfg.write_drain_low = cfg.write_drain_high;
  expect_invalid(cfg, "hbm.write_drain_low");
  cfg = vp::test::u280_hbm_channel();
  cfg.banks_per_group = 3;
  expect_invalid(cfg, "hbm.banks_per_group = 3");
  cfg = vp::test::u280_hbm_channel();
  cfg.page_policy = "lazy";
  expect_invalid(cfg, "hbm.page_policy = lazy");
  cfg = vp::test::u280_hbm_channel();
  cfg.frontend_cycles = 70000;
  expect_invalid(cfg, "hbm.frontend_cycles = 70000");
}

TEST(DramConfig, WriteBufferSettingsOutOfRangeAreRefusedNamingTheKey) {
  DramConfig cfg = vp::test::u280_hbm_channel();
  cfg.write_ack = "eventually";
  expect_invalid(cfg, "hbm.write_ack = eventually");
  cfg = vp::test::u280_hbm_channel();
  cfg.write_buffer_depth = 0;
  expect_invalid(cfg, "hbm.write_buffer_depth = 0");
  cfg = vp::test::u280_hbm_channel();
  cfg.write_buffer_depth = cfg.write_queue_depth + 1;
  expect_invalid(cfg, "hbm.write_buffer_depth = 33");
  cfg = vp::test::u280_hbm_channel();
  cfg.write_drain_low = 30;  // above write_drain_high = 24: out of order
  expect_invalid(cfg, "hbm.write_drain_low = 30");
  cfg = vp::test::u280_hbm_channel();
  cfg.write_ack = "completed";
  cfg.write_buffer_depth = 1;
  EXPECT_NO_THROW(cfg.validate("hbm."));
}

TEST(DramConfig, ProgramOptionsOverrideSingleFieldsAndKeepTheDefaults) {
  namespace po = boost::program_options;
  po::options_description options;
  vp::declare_config_fields(options, "hbm.", DramConfig::fields(), vp::test::u280_hbm_channel());
  const char* argv[] = {"vpsim", "--hbm.tRCD=20", "--hbm.kind=hbm2", "--hbm.separate_row_column_buses=false"};
  po::variables_map values;
  po::store(po::parse_command_line(4, argv, options), values);
  po::notify(values);
  const DramConfig cfg = vp::config_from_options<DramConfig>(values, "hbm.");
  const DramConfig defaults = vp::test::u280_hbm_channel();
  EXPECT_EQ(cfg.tRCD, 20u);
  EXPECT_FALSE(cfg.separate_row_column_buses);
  EXPECT_EQ(cfg.tRP, defaults.tRP);
  EXPECT_EQ(cfg.rows, defaults.rows);
  EXPECT_DOUBLE_EQ(cfg.tck_ns, defaults.tck_ns);
  EXPECT_DOUBLE_EQ(cfg.e_act_pj, defaults.e_act_pj);

  po::variables_map bad;
  const char* bad_argv[] = {"vpsim", "--hbm.tRC=3"};
  po::store(po::parse_command_line(2, bad_argv, options), bad);
  EXPECT_THROW(vp::config_from_options<DramConfig>(bad, "hbm."), std::invalid_argument);
  EXPECT_THROW(vp::config_from_options<DramConfig>(values, "ddr."), std::invalid_argument);  // never declared
}

TEST(DramStats, EnergyIsCommandCountsTimesEnergiesPlusBackgroundPower) {
  const DramConfig cfg = vp::test::u280_ddr_channel();
  DramStats stats;
  stats.activates = 3;
  stats.precharges = 2;
  stats.reads = 10;
  stats.writes = 4;
  stats.refreshes = 1;
  const double expected = 3 * cfg.e_act_pj + 2 * cfg.e_pre_pj + 10 * cfg.e_rd_pj + 4 * cfg.e_wr_pj + cfg.e_ref_pj +
                          cfg.p_background_mw * 1000.0;  // 1 us at p mW = p * 1000 pJ
  EXPECT_NEAR(stats.energy_pj(cfg, sc_time(1, SC_US)), expected, 1e-6 * expected);
  DramStats sum = stats;
  sum += stats;
  EXPECT_EQ(sum.reads, 20u);
  EXPECT_NE(sum, stats);
}

TEST(DramChannel, ConstructorRejectsAnInvalidConfigNamingTheKey) {
  DramConfig cfg = vp::test::u280_hbm_channel();
  cfg.tCCD_S = 1;  // shorter than the 2-cycle burst
  try {
    DramChannel channel("hbm0", cfg);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("hbm0.tCCD_S = 1"), std::string::npos) << e.what();
  }
}

// ---- data and latency ---------------------------------------------------------------------------------

TEST(DramChannel, DataWrittenThroughBTransportReadsBack) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  struct Span {
    std::uint64_t address;
    unsigned length;
  };
  // Unaligned, crossing 4 KiB row segments, and a large one spanning many segments and storage pages.
  const std::vector<Span> spans = {{0, 32}, {4096 - 100, 300}, {77777, 13}, {(1 << 20) + 5, 200000}};
  std::vector<bool> ok(spans.size(), false);
  bool debug_ok = false;
  Bench bench(cfg, 1, [&](TestInitiator& init, unsigned) {
    for (const Span& s : spans) {
      std::vector<std::uint8_t> data(s.length);
      for (unsigned i = 0; i < s.length; ++i) data[i] = pattern(s.address + i);
      EXPECT_EQ(init.transport(tlm::TLM_WRITE_COMMAND, s.address, data.data(), s.length), tlm::TLM_OK_RESPONSE);
    }
    for (std::size_t k = 0; k < spans.size(); ++k) {
      std::vector<std::uint8_t> data(spans[k].length, 0xEE);
      EXPECT_EQ(init.transport(tlm::TLM_READ_COMMAND, spans[k].address, data.data(), spans[k].length),
                tlm::TLM_OK_RESPONSE);
      ok[k] = true;
      for (unsigned i = 0; i < spans[k].length; ++i) ok[k] = ok[k] && data[i] == pattern(spans[k].address + i);
    }
    // The debug path sees the same memory, and what it writes is read back by b_transport.
    std::vector<std::uint8_t> dbg(300);
    tlm::tlm_generic_payload trans;
    trans.set_command(tlm::TLM_READ_COMMAND);
    trans.set_address(4096 - 100);
    trans.set_data_ptr(dbg.data());
    trans.set_data_length(300);
    const unsigned got = init.socket->transport_dbg(trans);
    bool same = got == 300;
    for (unsigned i = 0; i < 300; ++i) same = same && dbg[i] == pattern(4096 - 100 + i);
    std::uint8_t poke[4] = {1, 2, 3, 4};
    trans.set_command(tlm::TLM_WRITE_COMMAND);
    trans.set_address(0x0FFFFFFC);  // last word of the channel
    trans.set_data_ptr(poke);
    trans.set_data_length(4);
    same = same && init.socket->transport_dbg(trans) == 4;
    std::uint8_t peek[4] = {};
    EXPECT_EQ(init.transport(tlm::TLM_READ_COMMAND, 0x0FFFFFFC, peek, 4), tlm::TLM_OK_RESPONSE);
    debug_ok = same && std::equal(peek, peek + 4, poke);
  });
  sc_core::sc_start();
  for (std::size_t k = 0; k < spans.size(); ++k) EXPECT_TRUE(ok[k]) << "span " << k;
  EXPECT_TRUE(debug_ok);
  EXPECT_EQ(bench.channel.stats().write_bytes, 32u + 300 + 13 + 200000);
}

TEST(DramChannel, DmiGrantsReadOnlyTheWrittenPagesAndSeesLaterWrites) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  constexpr std::uint64_t kPage = vp::DramStorage::kPageBytes;
  const std::uint64_t written = 3 * kPage + 100;  // inside page 3; pages 0-2 and 4 stay unwritten
  std::string result;
  Bench bench(cfg, 1, [&](TestInitiator& init, unsigned) {
    const auto ask = [&](tlm::tlm_command command, std::uint64_t address, tlm::tlm_dmi& dmi) {
      tlm::tlm_generic_payload trans;
      trans.set_command(command);
      trans.set_address(address);
      return init.socket->get_direct_mem_ptr(trans, dmi);
    };
    tlm::tlm_dmi before;
    if (ask(tlm::TLM_READ_COMMAND, written, before)) result += "granted before any write; ";
    std::uint8_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    init.transport(tlm::TLM_WRITE_COMMAND, written, data, 8);
    tlm::tlm_dmi dmi;
    if (!ask(tlm::TLM_READ_COMMAND, written, dmi)) result += "refused after the write; ";
    if (dmi.get_start_address() != 3 * kPage || dmi.get_end_address() != 4 * kPage - 1)
      result += "range is not the page; ";
    if (dmi.is_write_allowed()) result += "write allowed; ";
    if (!std::equal(data, data + 8, dmi.get_dmi_ptr() + 100)) result += "pointer does not see the bytes; ";
    data[0] = 99;  // a later write through b_transport shows through the pointer
    init.transport(tlm::TLM_WRITE_COMMAND, written, data, 1);
    if (dmi.get_dmi_ptr()[100] != 99) result += "later write not seen; ";
    tlm::tlm_dmi write_dmi, unwritten, outside;
    if (ask(tlm::TLM_WRITE_COMMAND, written, write_dmi)) result += "write DMI granted; ";
    if (ask(tlm::TLM_READ_COMMAND, 4 * kPage, unwritten)) result += "unwritten page granted; ";
    if (ask(tlm::TLM_READ_COMMAND, cfg.capacity_bytes(), outside)) result += "address past capacity granted; ";
  });
  sc_core::sc_start();
  EXPECT_EQ(result, "");
}

TEST(DramChannel, IdleReadTakesTrcdPlusTclPlusBurstAndARowHitTclPlusBurst) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  sc_time first_done, second_start, second_done;
  Bench bench(cfg, 1, [&](TestInitiator& init, unsigned) {
    std::uint8_t buffer[32];
    init.transport(tlm::TLM_READ_COMMAND, 0, buffer, 32);  // bank closed: ACT, tRCD, RD, tCL, burst
    first_done = sc_core::sc_time_stamp();
    sc_core::wait(1, SC_US);  // well before the first refresh (tREFI = 3.9 us); the row stays open
    second_start = sc_core::sc_time_stamp();
    init.transport(tlm::TLM_READ_COMMAND, 0, buffer, 32);  // row hit: RD, tCL, burst
    second_done = sc_core::sc_time_stamp();
  });
  sc_core::sc_start();
  const double burst = cfg.burst_cycles();
  EXPECT_NEAR(first_done.to_seconds() * 1e9, cycles_to_ns(cfg, cfg.tRCD + cfg.tCL + burst), 0.002);
  EXPECT_NEAR((second_done - second_start).to_seconds() * 1e9, cycles_to_ns(cfg, cfg.tCL + burst), 0.002);
  EXPECT_EQ(bench.channel.stats().activates, 1u);
  EXPECT_EQ(bench.channel.stats().row_misses, 1u);
  EXPECT_EQ(bench.channel.stats().row_hits, 1u);
}

TEST(DramChannel, DelayArgumentIsWaitedFirstAndReturnedAsZero) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  sc_time done;
  Bench bench(cfg, 1, [&](TestInitiator& init, unsigned) {
    std::uint8_t buffer[32];
    init.transport(tlm::TLM_READ_COMMAND, 0, buffer, 32, sc_time(100, SC_NS));
    done = sc_core::sc_time_stamp();
  });
  sc_core::sc_start();
  // The request reaches the controller at 100 ns = 90 cycles exactly, then ACT/RD/data.
  EXPECT_NEAR(done.to_seconds() * 1e9, 100.0 + cycles_to_ns(cfg, cfg.tRCD + cfg.tCL + cfg.burst_cycles()), 0.002);
  EXPECT_EQ(bench.initiator.last_delay, sc_core::SC_ZERO_TIME);
}

TEST(DramChannel, UnsupportedTransactionsGetTheirTlmErrorResponses) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  std::vector<tlm::tlm_response_status> got;
  Bench bench(cfg, 1, [&](TestInitiator& init, unsigned) {
    std::vector<std::uint8_t> buffer(64);
    const std::uint64_t capacity = cfg.capacity_bytes();
    got.push_back(init.transport(tlm::TLM_READ_COMMAND, capacity, buffer.data(), 4));
    got.push_back(init.transport(tlm::TLM_WRITE_COMMAND, capacity - 16, buffer.data(), 64));
    std::uint8_t enables[64] = {};
    got.push_back(init.transport(tlm::TLM_READ_COMMAND, 0, buffer.data(), 64, sc_core::SC_ZERO_TIME, enables));
    got.push_back(init.transport(tlm::TLM_READ_COMMAND, 0, buffer.data(), 64, sc_core::SC_ZERO_TIME, nullptr, 8));
    got.push_back(init.transport(tlm::TLM_READ_COMMAND, capacity - 64, buffer.data(), 64));  // still works
  });
  sc_core::sc_start();
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[0], tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(got[1], tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(got[2], tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
  EXPECT_EQ(got[3], tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(got[4], tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bench.channel.stats().read_requests, 1u);
  EXPECT_EQ(bench.channel.stats().write_requests, 0u);
}

// ---- bandwidth ---------------------------------------------------------------------------------------

// Threads of one port pulling consecutive 4 KiB blocks of a single sequential stream.
TestInitiator::Body shared_sequential_stream(std::uint64_t* next_block, std::uint64_t blocks, sc_time* last_done) {
  return [=](TestInitiator& init, unsigned) {
    std::vector<std::uint8_t> buffer(4096);
    while (*next_block < blocks) {
      const std::uint64_t block = (*next_block)++;
      EXPECT_EQ(init.transport(tlm::TLM_READ_COMMAND, block * 4096, buffer.data(), 4096), tlm::TLM_OK_RESPONSE);
      *last_done = std::max(*last_done, sc_core::sc_time_stamp());
    }
  };
}

TEST(DramChannel, ConcurrentSequentialReadsReachNearPeakBandwidthOnHbm2) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  const std::uint64_t blocks = 4096;  // 16 MiB
  std::uint64_t next_block = 0;
  sc_time last_done;
  Bench bench(cfg, 8, shared_sequential_stream(&next_block, blocks, &last_done));
  sc_core::sc_start();
  const double efficiency = blocks * 4096.0 / last_done.to_seconds() / cfg.peak_bytes_per_s();
  // The data bus is idle only around refresh: every tREFI (3510 cycles) it loses about tRTP + tRP + tRFC +
  // tRCD = 5 + 13 + 315 + 11 = 344 cycles (~9.8%); row switches are hidden behind the streaming row.
  EXPECT_GE(efficiency, 0.85);
  EXPECT_LE(efficiency, 0.95);
  const DramStats& s = bench.channel.stats();
  EXPECT_EQ(s.read_bytes, blocks * 4096);
  EXPECT_EQ(s.reads, blocks * 4096 / cfg.bytes_per_column());
  RecordProperty("efficiency", std::to_string(efficiency));
  std::cout << "HBM2 sequential 4 KiB reads, 8 threads: " << efficiency * 100 << "% of peak\n";
}

TEST(DramChannel, ConcurrentSequentialReadsReachNearPeakBandwidthOnDdr4) {
  const DramConfig cfg = vp::test::u280_ddr_channel();
  const std::uint64_t blocks = 4096;
  std::uint64_t next_block = 0;
  sc_time last_done;
  Bench bench(cfg, 8, shared_sequential_stream(&next_block, blocks, &last_done));
  sc_core::sc_start();
  const double efficiency = blocks * 4096.0 / last_done.to_seconds() / cfg.peak_bytes_per_s();
  // Refresh costs about (tRTP + tRP + tRFC + tRCD) / tREFI = (9 + 17 + 420 + 17) / 9360 = 4.9%; a row holds
  // a 32 KiB segment, so row switches are rare.
  EXPECT_GE(efficiency, 0.90);
  EXPECT_LE(efficiency, 0.97);
  std::cout << "DDR4 sequential 4 KiB reads, 8 threads: " << efficiency * 100 << "% of peak\n";
}

TEST(DramChannel, RandomSmallReadsAreLimitedByTheActivationWindow) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  const unsigned threads = 16, per_thread = 2000;
  sc_time last_done;
  Bench bench(cfg, threads, [&](TestInitiator& init, unsigned thread) {
    std::mt19937_64 rng(1000 + thread);
    std::uniform_int_distribution<std::uint64_t> line(0, cfg.capacity_bytes() / 64 - 1);
    std::uint8_t buffer[64];
    for (unsigned i = 0; i < per_thread; ++i) {
      init.transport(tlm::TLM_READ_COMMAND, line(rng) * 64, buffer, 64);
      last_done = std::max(last_done, sc_core::sc_time_stamp());
    }
  });
  sc_core::sc_start();
  const double efficiency = double(threads) * per_thread * 64 / last_done.to_seconds() / cfg.peak_bytes_per_s();
  // A 64 B read covers two 32 B column accesses in two bank groups, almost surely in rows that are not open:
  // two ACTs per request. tFAW allows 4 ACTs per 15 cycles, i.e. 2 requests = 128 B per 15 cycles, while the
  // bus could move 15 * 16 B = 240 B: at most 53.3% of peak, times the ~90% left by refresh = ~48%.
  const double activation_bound = 2.0 * 64 / (cfg.tFAW * cfg.peak_bytes_per_s() * cfg.tck_ns * 1e-9);
  const double refresh_share = 1.0 - double(cfg.tRFC + cfg.tRP) / cfg.tREFI;
  EXPECT_LT(efficiency, activation_bound * refresh_share);
  EXPECT_LT(efficiency, 0.50);
  // Lower sanity bound: 16 requests in flight over 16 banks do far better than one request per tRC.
  EXPECT_GT(efficiency, 64.0 / (cfg.tRC * 16.0));
  const DramStats& s = bench.channel.stats();
  EXPECT_LT(s.row_hits, s.reads / 100);  // random rows out of 16384 per bank: hits are rare
  EXPECT_GE(s.activates, s.reads - s.row_hits);
  std::cout << "HBM2 random 64 B reads, 16 threads: " << efficiency * 100 << "% of peak (bound "
            << activation_bound * refresh_share * 100 << "%)\n";
}

// ---- scheduling policy -------------------------------------------------------------------------------

struct Completion {
  sc_time time;
  bool write;
};

TEST(DramChannel, RowHitIsServedBeforeAnOlderRowConflict) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  const DramAddressMapper mapper(cfg);
  const std::uint64_t row0 = mapper.address_of({0, 0, 0, 0});
  const std::uint64_t row0_hit = mapper.address_of({0, 0, 0, 5});
  const std::uint64_t row1_conflict = mapper.address_of({0, 0, 1, 0});
  sc_time conflict_done, hit_done;
  Bench bench(cfg, 3, [&](TestInitiator& init, unsigned thread) {
    std::uint8_t buffer[32];
    // Thread 0 opens row 0 at cycle 0; the other two arrive before the scheduler's next decision (cycle 1),
    // the conflicting request first.
    if (thread == 0) init.transport(tlm::TLM_READ_COMMAND, row0, buffer, 32);
    if (thread == 1) {
      init.transport(tlm::TLM_READ_COMMAND, row1_conflict, buffer, 32, sc_time(0.5, SC_NS));
      conflict_done = sc_core::sc_time_stamp();
    }
    if (thread == 2) {
      init.transport(tlm::TLM_READ_COMMAND, row0_hit, buffer, 32, sc_time(0.6, SC_NS));
      hit_done = sc_core::sc_time_stamp();
    }
  });
  sc_core::sc_start();
  EXPECT_LT(hit_done, conflict_done);
  EXPECT_EQ(bench.channel.stats().row_hits, 1u);
  EXPECT_EQ(bench.channel.stats().row_conflicts, 1u);
}

TEST(DramChannel, ReadsAreServedBeforeWritesWhileTheWriteQueueIsBelowTheHighWatermark) {
  DramConfig cfg = vp::test::u280_hbm_channel();
  cfg.write_ack = "completed";  // the write's completion shows when it was served
  std::uint64_t next_block = 0;
  std::vector<Completion> done;
  Bench bench(cfg, 5, [&](TestInitiator& init, unsigned thread) {
    std::vector<std::uint8_t> buffer(4096);
    if (thread == 4) {  // one write, arriving together with the first reads
      init.transport(tlm::TLM_WRITE_COMMAND, 64 << 20, buffer.data(), 4096);
      done.push_back({sc_core::sc_time_stamp(), true});
      return;
    }
    while (next_block < 16) {
      init.transport(tlm::TLM_READ_COMMAND, 4096 * next_block++, buffer.data(), 4096);
      done.push_back({sc_core::sc_time_stamp(), false});
    }
  });
  sc_core::sc_start();
  ASSERT_EQ(done.size(), 17u);
  std::stable_sort(done.begin(), done.end(), [](const Completion& a, const Completion& b) { return a.time < b.time; });
  EXPECT_TRUE(done.back().write) << "the write (1 queued < write_drain_high) must wait for all 16 reads";
}

TEST(DramChannel, WriteQueueAtTheHighWatermarkIsDrainedDownToTheLowWatermarkAheadOfReads) {
  DramConfig cfg = vp::test::u280_hbm_channel();
  cfg.read_queue_depth = 8;
  cfg.write_queue_depth = 8;
  cfg.write_drain_high = 6;
  cfg.write_drain_low = 2;
  cfg.write_buffer_depth = 8;
  cfg.write_ack = "completed";  // completions show the service order
  const unsigned writers = 8, readers = 4;
  std::uint64_t next_block = 0;
  std::vector<Completion> done;
  Bench bench(cfg, writers + readers, [&](TestInitiator& init, unsigned thread) {
    std::vector<std::uint8_t> buffer(4096);
    if (thread < writers) {
      init.transport(tlm::TLM_WRITE_COMMAND, (64 << 20) + 4096 * thread, buffer.data(), 4096);
      done.push_back({sc_core::sc_time_stamp(), true});
      return;
    }
    while (next_block < 32) {
      init.transport(tlm::TLM_READ_COMMAND, 4096 * next_block++, buffer.data(), 4096);
      done.push_back({sc_core::sc_time_stamp(), false});
    }
  });
  sc_core::sc_start();
  ASSERT_EQ(done.size(), writers + 32u);
  std::stable_sort(done.begin(), done.end(), [](const Completion& a, const Completion& b) { return a.time < b.time; });
  // 8 writes queued >= high watermark 6: the drain serves writes until 2 remain, then reads take over; the
  // last 2 writes wait until the reads are gone.
  const unsigned drained = writers - cfg.write_drain_low;
  for (unsigned i = 0; i < drained; ++i) EXPECT_TRUE(done[i].write) << "completion " << i;
  EXPECT_FALSE(done[drained].write);
  for (unsigned i = 0; i < cfg.write_drain_low; ++i) EXPECT_TRUE(done[done.size() - 1 - i].write);
}

// ---- posted writes, admission, re-planning -----------------------------------------------------------------

TEST(DramChannel, PostedWriteIsAcknowledgedOneCycleAfterAcceptanceACompletedOneAtItsLastBeat) {
  for (const char* ack : {"accepted", "completed"}) {
    // SystemC simulates once per process: each setting runs in a forked child that reports its latency.
    const std::string result = dram_test::run_in_child([ack] {
      DramConfig cfg = vp::test::u280_hbm_channel();
      cfg.write_ack = ack;
      sc_time done;
      Bench bench(cfg, 1, [&](TestInitiator& init, unsigned) {
        std::uint8_t buffer[32] = {};
        init.transport(tlm::TLM_WRITE_COMMAND, 0, buffer, 32);
        done = sc_core::sc_time_stamp();
      });
      sc_core::sc_start();
      std::ostringstream out;
      out << done.to_seconds() * 1e9 << ' ' << bench.channel.stats().writes << ' '
          << bench.channel.stats().write_requests;
      return out.str();
    });
    std::istringstream in(result);
    double done_ns = -1;
    unsigned long long writes = 0, requests = 0;
    in >> done_ns >> writes >> requests;
    const DramConfig cfg = vp::test::u280_hbm_channel();
    const double expected_cycles = std::string(ack) == "accepted" ? 1.0 : cfg.tRCD + cfg.tWL + cfg.burst_cycles();
    EXPECT_NEAR(done_ns, cycles_to_ns(cfg, expected_cycles), 0.002) << ack << ": " << result;
    EXPECT_EQ(writes, 1u) << ack << ": the posted write is still written to the device";
    EXPECT_EQ(requests, 1u) << ack;
  }
}

// DramConfig::frontend_cycles (DRAMsim3's setting is 1): an idle read takes that many cycles more; a posted
// write is acknowledged once in the queues, one cycle after its arrival at the earliest, and still written.
TEST(DramChannel, FrontEndCyclesAddToAnIdleReadAndAPostedWriteIsAcknowledgedOnceQueued) {
  for (unsigned frontend : {0u, 1u, 3u}) {
    const std::string result = dram_test::run_in_child([frontend] {
      DramConfig cfg = vp::test::u280_hbm_channel();
      cfg.frontend_cycles = frontend;
      sc_time read_done, write_done;
      Bench bench(cfg, 1, [&](TestInitiator& init, unsigned) {
        std::uint8_t buffer[32] = {};
        init.transport(tlm::TLM_READ_COMMAND, 0, buffer, 32);
        read_done = sc_core::sc_time_stamp();
        sc_core::wait(1, SC_US);
        const sc_time write_start = sc_core::sc_time_stamp();
        init.transport(tlm::TLM_WRITE_COMMAND, 1 << 20, buffer, 32);
        write_done = sc_core::sc_time_stamp() - write_start;
      });
      sc_core::sc_start();
      std::ostringstream out;
      out << read_done.to_seconds() * 1e9 << ' ' << write_done.to_seconds() * 1e9 << ' '
          << bench.channel.stats().writes;
      return out.str();
    });
    std::istringstream in(result);
    double read_ns = -1, write_ns = -1;
    unsigned long long writes = 0;
    in >> read_ns >> write_ns >> writes;
    const DramConfig cfg = vp::test::u280_hbm_channel();
    EXPECT_NEAR(read_ns, cycles_to_ns(cfg, frontend + cfg.tRCD + cfg.tCL + cfg.burst_cycles()), 0.002)
        << "frontend_cycles " << frontend << ": " << result;
    EXPECT_NEAR(write_ns, cycles_to_ns(cfg, std::max(frontend, 1u)), 0.002) << "frontend_cycles " << frontend;
    EXPECT_EQ(writes, 1u) << "frontend_cycles " << frontend;
  }
}

TEST(DramChannel, ReadInsideABufferedWriteIsServedFromTheBuffer) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  std::vector<std::uint8_t> read_back(64);
  sc_time read_latency;
  Bench bench(cfg, 2, [&](TestInitiator& init, unsigned thread) {
    std::vector<std::uint8_t> data(4096);
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = pattern(i);
    if (thread == 0) {
      init.transport(tlm::TLM_WRITE_COMMAND, 0, data.data(), 4096);  // buffered until its WRs at tRCD
    } else {
      sc_core::wait(sc_time(0.5, SC_NS));
      const sc_time start = sc_core::sc_time_stamp();
      init.transport(tlm::TLM_READ_COMMAND, 1024, read_back.data(), 64);
      read_latency = sc_core::sc_time_stamp() - start;
    }
  });
  sc_core::sc_start();
  for (std::size_t i = 0; i < read_back.size(); ++i) ASSERT_EQ(read_back[i], pattern(1024 + i)) << i;
  EXPECT_EQ(bench.channel.stats().reads, 0u) << "no RD command: the data came from the write buffer";
  EXPECT_EQ(bench.channel.stats().read_requests, 1u);
  // Answered one cycle after the cycle boundary at or after its arrival, far sooner than tCL + burst.
  EXPECT_LE(read_latency.to_seconds() * 1e9, cycles_to_ns(cfg, 2.0));
}

TEST(DramChannel, DrainWritesReturnsWhenEveryPostedWriteIsOnTheBus) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  constexpr unsigned kWrites = 16;
  std::uint64_t columns_at_drain = 0;
  sc_time drained;
  Bench bench(cfg, 1, [&](TestInitiator& init, unsigned) {
    std::vector<std::uint8_t> data(4096);
    for (unsigned i = 0; i < kWrites; ++i) init.transport(tlm::TLM_WRITE_COMMAND, i * 65536ull, data.data(), 4096);
    bench.channel.drain_writes();
    drained = sc_core::sc_time_stamp();
    columns_at_drain = bench.channel.stats().writes;
  });
  sc_core::sc_start();
  const DramAddressMapper mapper(cfg);
  EXPECT_EQ(columns_at_drain, kWrites * 4096 / mapper.column_bytes());
  // Not before the data of the last write could have left the bus: the writes take at least their bursts.
  EXPECT_GE(drained.to_seconds() * 1e9, cycles_to_ns(cfg, double(columns_at_drain) * cfg.burst_cycles()));
}

TEST(DramChannel, PostedWritesStillBufferedWhenTheSimulationStopsAreIssuedAndCounted) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  constexpr unsigned kWrites = 8;
  Bench bench(cfg, 1, [&](TestInitiator& init, unsigned) {
    std::vector<std::uint8_t> data(4096);
    for (unsigned i = 0; i < kWrites; ++i) init.transport(tlm::TLM_WRITE_COMMAND, i * 65536ull, data.data(), 4096);
    sc_core::sc_stop();  // right after the last acknowledgement: most writes are still buffered
  });
  sc_core::sc_start();
  const DramAddressMapper mapper(cfg);
  const DramStats& stats = bench.channel.stats();
  EXPECT_EQ(stats.write_requests, kWrites);
  EXPECT_EQ(stats.writes, kWrites * 4096 / mapper.column_bytes());
  EXPECT_EQ(stats.data_bus_busy_cycles, stats.writes * cfg.burst_cycles());
  EXPECT_GE(stats.activates, kWrites);
}

TEST(DramChannel, InitiatorsBlockedOnAFullQueueAreAdmittedInArrivalOrder) {
  DramConfig cfg = vp::test::u280_hbm_channel();
  cfg.read_queue_depth = 1;
  const DramAddressMapper mapper(cfg);
  const unsigned threads = 8;
  std::vector<unsigned> completion_order;
  Bench bench(cfg, threads, [&](TestInitiator& init, unsigned thread) {
    std::uint8_t buffer[32];
    // Every request conflicts in one bank, so each takes a full PRE/ACT/RD; thread t arrives t x 0.1 ns
    // after thread 0, all while the first is served, so threads 1..7 queue up behind the 1-entry queue.
    sc_core::wait(sc_time(0.1 * thread, SC_NS));
    init.transport(tlm::TLM_READ_COMMAND, mapper.address_of({0, 0, thread, 0}), buffer, 32);
    completion_order.push_back(thread);
  });
  sc_core::sc_start();
  ASSERT_EQ(completion_order.size(), threads);
  for (unsigned i = 0; i < threads; ++i) EXPECT_EQ(completion_order[i], i) << "completion " << i;
}

TEST(DramChannel, ARequestToAnIdleBankIsNotHeldBehindOneWaitingForABusyBank) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  const DramAddressMapper mapper(cfg);
  sc_time idle_bank_latency, conflict_done, idle_bank_done;
  Bench bench(cfg, 3, [&](TestInitiator& init, unsigned thread) {
    std::uint8_t buffer[32];
    if (thread == 0) init.transport(tlm::TLM_READ_COMMAND, mapper.address_of({0, 0, 0, 0}), buffer, 32);
    if (thread == 1) {  // same bank, other row: waits for tRAS before its PRE
      sc_core::wait(cycles_to_ns(cfg, 1), SC_NS);
      init.transport(tlm::TLM_READ_COMMAND, mapper.address_of({0, 0, 1, 0}), buffer, 32);
      conflict_done = sc_core::sc_time_stamp();
    }
    if (thread == 2) {  // another bank group and bank, idle; arrives while the conflict waits
      sc_core::wait(cycles_to_ns(cfg, 8), SC_NS);
      const sc_time start = sc_core::sc_time_stamp();
      init.transport(tlm::TLM_READ_COMMAND, mapper.address_of({1, 1, 0, 0}), buffer, 32);
      idle_bank_done = sc_core::sc_time_stamp();
      idle_bank_latency = idle_bank_done - start;
    }
  });
  sc_core::sc_start();
  EXPECT_LT(idle_bank_done, conflict_done);
  // ACT at once (tRRD_S after thread 0's ACT has passed), then tRCD, tCL and the burst.
  EXPECT_LE(idle_bank_latency.to_seconds() * 1e9,
            cycles_to_ns(cfg, 1 + cfg.tRCD + cfg.tCL + cfg.burst_cycles()) + 0.002);
}

// ---- refresh -----------------------------------------------------------------------------------------

TEST(DramChannel, RefreshesUnderTrafficNumberWindowOverTrefi) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  std::uint64_t next_block = 0;
  sc_time last_done;
  Bench bench(cfg, 4, shared_sequential_stream(&next_block, 1u << 30, &last_done));
  const sc_time window(200, SC_US);
  sc_core::sc_start(window);
  bench.channel.catch_up_refresh();
  const double expected = window.to_seconds() * 1e9 / cycles_to_ns(cfg, cfg.tREFI);  // 51.3
  EXPECT_NEAR(double(bench.channel.stats().refreshes), expected, 1.0);
  EXPECT_GT(bench.channel.stats().reads, 0u);
}

TEST(DramChannel, IdleChannelIsRefreshedWithoutSimulationEvents) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  sc_time finished;
  Bench bench(cfg, 1, [&](TestInitiator& init, unsigned) {
    std::uint8_t buffer[32];
    init.transport(tlm::TLM_READ_COMMAND, 0, buffer, 32);  // leaves a row open
    sc_core::wait(100, SC_US);
    finished = sc_core::sc_time_stamp();
  });
  sc_core::sc_start();  // returns when nothing is pending: the idle channel schedules no refresh events
  EXPECT_EQ(sc_core::sc_time_stamp(), finished);
  bench.channel.catch_up_refresh();
  const double expected = finished.to_seconds() * 1e9 / cycles_to_ns(cfg, cfg.tREFI);  // 25.6
  EXPECT_EQ(bench.channel.stats().refreshes, static_cast<std::uint64_t>(expected));
  EXPECT_EQ(bench.channel.stats().precharge_alls, 1u);  // only the first refresh found a row open
}

// ---- determinism -------------------------------------------------------------------------------------

std::string describe(const DramStats& s) {
  std::ostringstream out;
  out << s.read_requests << ' ' << s.write_requests << ' ' << s.read_bytes << ' ' << s.write_bytes << ' '
      << s.activates << ' ' << s.precharges << ' ' << s.precharge_alls << ' ' << s.reads << ' ' << s.writes << ' '
      << s.refreshes << ' ' << s.row_hits << ' ' << s.row_misses << ' ' << s.row_conflicts << ' '
      << s.data_bus_busy_cycles << ' ' << s.total_read_latency.value() << ' ' << s.total_write_latency.value() << ' '
      << s.total_queueing_delay.value();
  return out.str();
}

// Mixed reads and writes of several sizes from 6 threads; returns the stats as text.
std::string run_mixed_workload() {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  Bench bench(cfg, 6, [&](TestInitiator& init, unsigned thread) {
    std::mt19937_64 rng(7 * thread + 1);
    std::vector<std::uint8_t> buffer(8192);
    for (unsigned i = 0; i < 300; ++i) {
      const unsigned length = 32u << (rng() % 8);
      const std::uint64_t address = (rng() % (cfg.capacity_bytes() / 8192)) * 8192;
      init.transport(rng() % 3 == 0 ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, address, buffer.data(), length,
                     sc_time(double(rng() % 50), SC_NS));
    }
  });
  sc_core::sc_start();
  bench.channel.catch_up_refresh();
  return describe(bench.channel.stats());
}

TEST(DramChannel, SameInputGivesIdenticalStats) {
  const std::string first = dram_test::run_in_child(run_mixed_workload);
  const std::string second = dram_test::run_in_child(run_mixed_workload);
  EXPECT_NE(first.find(' '), std::string::npos) << first;
  EXPECT_EQ(first, second);
}

// The command digests (DramTimingChecker::command_digest) of mixed random traffic, with every policy
// (scheduler, page policy, write acknowledgement) and both memories, and of sequential streams (column runs).
// Recorded from the model before its speed work: a change to any command or its cycle changes them.
std::string run_schedule_digest_workloads() {
  struct Case {
    const char* name;
    DramConfig config;
    unsigned max_shift;  // request lengths 64 << (0 .. max_shift)
    bool sequential;
  };
  DramConfig fcfs = vp::test::u280_hbm_channel(), closed = fcfs, completed = fcfs;
  fcfs.scheduler = "fcfs";
  closed.page_policy = "closed";
  completed.write_ack = "completed";
  const std::vector<Case> cases = {{"hbm2", vp::test::u280_hbm_channel(), 0, false},
                                   {"ddr4", vp::test::u280_ddr_channel(), 0, false},
                                   {"hbm2_fcfs", fcfs, 0, false},
                                   {"hbm2_closed", closed, 0, false},
                                   {"hbm2_write_ack_completed", completed, 0, false},
                                   {"hbm2_sizes", vp::test::u280_hbm_channel(), 6, false},
                                   {"ddr4_sequential", vp::test::u280_ddr_channel(), 0, true},
                                   {"hbm2_sequential", vp::test::u280_hbm_channel(), 0, true}};
  std::vector<std::unique_ptr<Bench>> benches;
  for (const Case& c : cases) {
    const unsigned threads = 16;
    benches.push_back(std::make_unique<Bench>(c.config, threads, [c, threads](TestInitiator& init, unsigned thread) {
      std::mt19937_64 rng(thread + 1);
      std::vector<std::uint8_t> buffer(4096);
      const std::uint64_t span = 1ull << 28;  // within every channel's capacity
      for (std::uint64_t i = 0; i < 600; ++i) {
        const unsigned length = c.sequential ? 4096 : 64u << (rng() % (c.max_shift + 1));
        const std::uint64_t address = c.sequential ? (i * threads + thread) * 4096 % span : rng() % (span / length) * length;
        const bool write = c.sequential ? false : rng() % 10 < 3;  // 70/30 reads/writes
        init.transport(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, address, buffer.data(), length);
      }
    }));
  }
  sc_core::sc_start();
  std::ostringstream out;
  for (std::size_t i = 0; i < cases.size(); ++i)
    out << cases[i].name << ' ' << std::hex << benches[i]->channel.command_digest() << std::dec << ' '
        << benches[i]->channel.stats().column_accesses() << '\n';
  return out.str();
}

TEST(DramChannel, ScheduleIsUnchangedCommandByCommand) {
  EXPECT_EQ(dram_test::run_in_child(run_schedule_digest_workloads),
            "hbm2 b5438039b41b688f 19200\n"
            "ddr4 92b6f76062f343d4 9600\n"
            "hbm2_fcfs 2aa7502c0458d00c 19200\n"
            "hbm2_closed 23e4b8415691b5d7 19200\n"
            "hbm2_write_ack_completed bcbd8173f28afbcd 19200\n"
            "hbm2_sizes 7cbd8bb3eb6d0e43 358582\n"
            "ddr4_sequential 8c73e4028802781 614400\n"
            "hbm2_sequential d2dc064b78606784 1228800\n");
}

}  // namespace
}  // namespace vp
