// Every assertion of rtl/assertions/ can fire: each checker Verilated on its own (test build,
// --assert; rtl/CMakeLists.txt), its inputs driven cycle by cycle. For each assertion a legal
// sequence runs without any failure, and the same sequence with one violating step stops the
// simulation (Verilator's default: $error, then $stop aborts) with that assertion's name.
#include <gtest/gtest.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "verilated.h"

#include "Vaxi4_master_ports_sva.h"
#include "Vaxi4_master_sva.h"
#include "Vaxi_burst_splitter_sva.h"
#include "Vaxi_lite_control_sva.h"
#include "Vaxi_lite_slave_sva.h"
#include "Vaxi_read_master_sva.h"
#include "Vaxi_write_master_sva.h"
#include "Vllama_attention_lanes_sva.h"
#include "Vllama_weight_prefetch_sva.h"

namespace {

template <class Model>
using Step = std::function<void(Model&)>;  // sets inputs for the next clock edge

// One assertion's proof: `prefix` steps, then `legal` or `violation`, a clock edge after each.
template <class Model>
struct Case {
  std::string name;       // test name
  std::string assertion;  // the assertion the violation must fire
  std::vector<Step<Model>> prefix;
  Step<Model> legal, violation;
};

// gtest prints a failing case by its name.
template <class Model>
void PrintTo(const Case<Model>& c, std::ostream* os) {
  *os << c.name << " (" << c.assertion << ")";
}

template <class Model>
class CheckerBench {
 public:
  explicit CheckerBench(bool fatal_on_failure) {
    context_.randReset(0);
    context_.fatalOnError(fatal_on_failure);
    m_ = std::make_unique<Model>(&context_, "dut");
    m_->rst_ni = 0;
    tick();
    m_->rst_ni = 1;
  }
  ~CheckerBench() { m_->final(); }

  void run(const std::vector<Step<Model>>& prefix, const Step<Model>& last) {
    for (const Step<Model>& step : prefix) {
      step(*m_);
      tick();
    }
    last(*m_);
    tick();
    tick();  // the edge after: |=> consequents of the last step
  }
  bool failed() const { return context_.gotError(); }

 private:
  void tick() {
    m_->clk_i = 0;
    m_->eval();
    m_->clk_i = 1;
    m_->eval();
  }

  VerilatedContext context_;
  std::unique_ptr<Model> m_;
};

// Verilator prints assertion failures on stdout; death tests match stderr.
void stdout_to_stderr() { dup2(STDERR_FILENO, STDOUT_FILENO); }

template <class Model>
void expect_legal_passes_and_violation_fires(const Case<Model>& c, const std::string& top) {
  {
    CheckerBench<Model> bench(false);
    bench.run(c.prefix, c.legal);
    EXPECT_FALSE(bench.failed()) << "an assertion failed on the legal sequence (stdout names it)";
  }
  EXPECT_DEATH(
      {
        stdout_to_stderr();
        CheckerBench<Model> bench(true);
        bench.run(c.prefix, c.violation);
      },
      "Assertion failed in dut\\." + top + "\\." + c.assertion + ":");
}

template <class Model>
std::string case_name(const ::testing::TestParamInfo<Case<Model>>& info) {
  return info.param.name;
}

// ---- axi4_master_sva: one AXI4 master port ----
using Master = Vaxi4_master_sva;

void ar(Master& m, bool valid, bool ready, uint64_t addr, uint8_t len) {
  m.arvalid_i = valid;
  m.arready_i = ready;
  m.araddr_i = addr;
  m.arlen_i = len;
  m.arsize_i = 6;  // 64-byte beats
  m.arburst_i = 1;
}
void aw(Master& m, bool valid, bool ready, uint64_t addr, uint8_t len, uint8_t burst = 1) {
  m.awvalid_i = valid;
  m.awready_i = ready;
  m.awaddr_i = addr;
  m.awlen_i = len;
  m.awsize_i = 6;
  m.awburst_i = burst;
}

std::vector<Case<Master>> master_cases() {
  return {
      {"ArPayloadChangedBeforeReady", "a_ar_hold", {[](Master& m) { ar(m, 1, 0, 0x1000, 3); }},
       [](Master& m) { ar(m, 1, 1, 0x1000, 3); }, [](Master& m) { ar(m, 1, 0, 0x1040, 3); }},
      {"ArValidDroppedBeforeReady", "a_ar_hold", {[](Master& m) { ar(m, 1, 0, 0x1000, 3); }},
       [](Master& m) { ar(m, 1, 0, 0x1000, 3); }, [](Master& m) { ar(m, 0, 0, 0x1000, 3); }},
      {"AwLengthChangedBeforeReady", "a_aw_hold", {[](Master& m) { aw(m, 1, 0, 0x2000, 7); }},
       [](Master& m) { aw(m, 1, 1, 0x2000, 7); }, [](Master& m) { aw(m, 1, 0, 0x2000, 6); }},
      {"WDataChangedBeforeReady", "a_w_hold",
       {[](Master& m) {
         m.wvalid_i = 1;
         m.wdata_i[0] = 0xAB;
         m.wstrb_i = ~0ull;
       }},
       [](Master& m) { m.wready_i = 1; }, [](Master& m) { m.wdata_i[15] = 1; }},
      {"ArBurstAcross4KiB", "a_ar_burst", {}, [](Master& m) { ar(m, 1, 1, 0xF80, 1); },  // ends at 0x1000
       [](Master& m) { ar(m, 1, 1, 0xFC0, 1); }},
      {"AwWrapBurst", "a_aw_burst", {}, [](Master& m) { aw(m, 1, 1, 0x3000, 3); },
       [](Master& m) { aw(m, 1, 1, 0x3000, 3, 2); }},
      {"ArValidInReset", "a_reset_quiet", {}, [](Master& m) { m.rst_ni = 0; },
       [](Master& m) {
         m.rst_ni = 0;
         ar(m, 1, 0, 0x1000, 0);
       }},
      {"RDataChangedBeforeReady", "a_r_hold",
       {[](Master& m) {
         m.rvalid_i = 1;
         m.rdata_i[0] = 1;
       }},
       [](Master& m) { m.rready_i = 1; }, [](Master& m) { m.rdata_i[0] = 2; }},
      {"BValidDroppedBeforeReady", "a_b_hold", {[](Master& m) { m.bvalid_i = 1; }},
       [](Master& m) { m.bready_i = 1; }, [](Master& m) { m.bvalid_i = 0; }},
  };
}

class Axi4MasterSvaDeathTest : public ::testing::TestWithParam<Case<Master>> {};
TEST_P(Axi4MasterSvaDeathTest, LegalSequencePassesViolationStopsTheRun) {
  expect_legal_passes_and_violation_fires(GetParam(), "axi4_master_sva");
}
INSTANTIATE_TEST_SUITE_P(Assertions, Axi4MasterSvaDeathTest, ::testing::ValuesIn(master_cases()), case_name<Master>);

// ---- axi_lite_slave_sva: s_axi_control ----
using Lite = Vaxi_lite_slave_sva;

std::vector<Case<Lite>> lite_cases() {
  return {
      {"AwAddressChangedBeforeReady", "a_aw_hold",
       {[](Lite& m) {
         m.awvalid_i = 1;
         m.awaddr_i = 0x10;
       }},
       [](Lite& m) { m.awready_i = 1; }, [](Lite& m) { m.awaddr_i = 0x14; }},
      {"WStrobeChangedBeforeReady", "a_w_hold",
       {[](Lite& m) {
         m.wvalid_i = 1;
         m.wstrb_i = 0xF;
       }},
       [](Lite& m) { m.wready_i = 1; }, [](Lite& m) { m.wstrb_i = 0x3; }},
      {"ArValidDroppedBeforeReady", "a_ar_hold", {[](Lite& m) { m.arvalid_i = 1; }},
       [](Lite& m) { m.arready_i = 1; }, [](Lite& m) { m.arvalid_i = 0; }},
      {"BRespChangedBeforeReady", "a_b_hold", {[](Lite& m) { m.bvalid_i = 1; }},
       [](Lite& m) { m.bready_i = 1; }, [](Lite& m) { m.bresp_i = 2; }},
      {"RDataChangedBeforeReady", "a_r_hold",
       {[](Lite& m) {
         m.rvalid_i = 1;
         m.rdata_i = 7;
       }},
       [](Lite& m) { m.rready_i = 1; }, [](Lite& m) { m.rdata_i = 8; }},
      {"ExokayResponse", "a_resp_legal", {},
       [](Lite& m) {
         m.rvalid_i = 1;
         m.rready_i = 1;
         m.rresp_i = 2;  // SLVERR
       },
       [](Lite& m) {
         m.rvalid_i = 1;
         m.rready_i = 1;
         m.rresp_i = 1;  // EXOKAY
       }},
      {"BValidInReset", "a_reset_quiet", {}, [](Lite& m) { m.rst_ni = 0; },
       [](Lite& m) {
         m.rst_ni = 0;
         m.bvalid_i = 1;
       }},
  };
}

class AxiLiteSlaveSvaDeathTest : public ::testing::TestWithParam<Case<Lite>> {};
TEST_P(AxiLiteSlaveSvaDeathTest, LegalSequencePassesViolationStopsTheRun) {
  expect_legal_passes_and_violation_fires(GetParam(), "axi_lite_slave_sva");
}
INSTANTIATE_TEST_SUITE_P(Assertions, AxiLiteSlaveSvaDeathTest, ::testing::ValuesIn(lite_cases()), case_name<Lite>);

// ---- axi_read_master_sva (MAX_OUTSTANDING = 16) ----
using Reader = Vaxi_read_master_sva;

void ring(Reader& m, unsigned outstanding, unsigned rd, unsigned wr) {
  m.outstanding_q = outstanding;
  m.rd_ptr_q = rd;
  m.wr_ptr_q = wr;
}

std::vector<Case<Reader>> reader_cases() {
  return {
      {"SeventeenBurstsOutstanding", "a_outstanding_overflow", {}, [](Reader& m) { ring(m, 16, 0, 0); },
       [](Reader& m) { ring(m, 17, 0, 1); }},
      {"RBeatWithNothingOutstanding", "a_r_underflow", {},
       [](Reader& m) {
         ring(m, 1, 0, 1);
         m.r_fire_i = 1;
       },
       [](Reader& m) {
         ring(m, 0, 0, 0);
         m.r_fire_i = 1;
       }},
      {"ArWithoutSlot", "a_ar_holds_slot", {},
       [](Reader& m) {
         ring(m, 1, 0, 1);
         m.ar_valid_q = 1;
       },
       [](Reader& m) { m.ar_valid_q = 1; }},
      {"WritePointerOffByOne", "a_ring_consistent", {}, [](Reader& m) { ring(m, 2, 14, 0); },
       [](Reader& m) { ring(m, 2, 14, 1); }},
  };
}

class AxiReadMasterSvaDeathTest : public ::testing::TestWithParam<Case<Reader>> {};
TEST_P(AxiReadMasterSvaDeathTest, LegalSequencePassesViolationStopsTheRun) {
  expect_legal_passes_and_violation_fires(GetParam(), "axi_read_master_sva");
}
INSTANTIATE_TEST_SUITE_P(Assertions, AxiReadMasterSvaDeathTest, ::testing::ValuesIn(reader_cases()),
                         case_name<Reader>);

// ---- axi_write_master_sva (MAX_OUTSTANDING = 16) ----
using Writer = Vaxi_write_master_sva;

void queue(Writer& m, unsigned outstanding, unsigned count, unsigned rd, unsigned wr) {
  m.outstanding_q = outstanding;
  m.w_count_q = count;
  m.w_rd_ptr_q = rd;
  m.w_wr_ptr_q = wr;
}

std::vector<Case<Writer>> writer_cases() {
  return {
      {"SeventeenBurstsOutstanding", "a_outstanding_overflow", {}, [](Writer& m) { queue(m, 16, 0, 0, 0); },
       [](Writer& m) { queue(m, 17, 0, 0, 0); }},
      {"WQueueLongerThanOutstanding", "a_w_queue_overflow", {}, [](Writer& m) { queue(m, 3, 3, 0, 3); },
       [](Writer& m) { queue(m, 2, 3, 0, 3); }},
      {"WBeatWithEmptyQueue", "a_w_underflow", {},
       [](Writer& m) {
         queue(m, 1, 1, 0, 1);
         m.w_fire_i = 1;
       },
       [](Writer& m) {
         queue(m, 1, 0, 0, 0);
         m.w_fire_i = 1;
       }},
      {"BWithNothingOutstanding", "a_b_underflow", {},
       [](Writer& m) {
         queue(m, 1, 0, 0, 0);
         m.b_fire_i = 1;
       },
       [](Writer& m) { m.b_fire_i = 1; }},
      {"AwWithoutSlot", "a_aw_holds_slot", {},
       [](Writer& m) {
         queue(m, 1, 1, 0, 1);
         m.aw_valid_q = 1;
       },
       [](Writer& m) { m.aw_valid_q = 1; }},
      {"WritePointerOffByOne", "a_w_ring_consistent", {}, [](Writer& m) { queue(m, 2, 2, 15, 1); },
       [](Writer& m) { queue(m, 2, 2, 15, 2); }},
  };
}

class AxiWriteMasterSvaDeathTest : public ::testing::TestWithParam<Case<Writer>> {};
TEST_P(AxiWriteMasterSvaDeathTest, LegalSequencePassesViolationStopsTheRun) {
  expect_legal_passes_and_violation_fires(GetParam(), "axi_write_master_sva");
}
INSTANTIATE_TEST_SUITE_P(Assertions, AxiWriteMasterSvaDeathTest, ::testing::ValuesIn(writer_cases()),
                         case_name<Writer>);

// ---- axi_burst_splitter_sva (64-byte beats, 256-beat bursts, 4 KiB boundary) ----
using Splitter = Vaxi_burst_splitter_sva;

void busy(Splitter& m, uint64_t beats_left, unsigned tail_bytes, unsigned offset = 0) {
  m.busy_q = 1;
  m.beats_left_q = beats_left;
  m.tail_bytes_q = tail_bytes;
  m.addr_offset_q = offset;
}
void burst(Splitter& m, bool ready, uint64_t addr, uint8_t len) {
  m.burst_valid_i = 1;
  m.burst_ready_i = ready;
  m.burst_addr_i = addr;
  m.burst_len_i = len;
}

std::vector<Case<Splitter>> splitter_cases() {
  return {
      {"BusyWithNoBeatsLeft", "a_busy_has_beats", {}, [](Splitter& m) { busy(m, 4, 64); },
       [](Splitter& m) { busy(m, 0, 64); }},
      {"BusyAtUnalignedAddress", "a_busy_has_beats", {}, [](Splitter& m) { busy(m, 4, 64); },
       [](Splitter& m) { busy(m, 4, 64, 8); }},
      {"TailOfSixtyFiveBytes", "a_tail_in_range", {}, [](Splitter& m) { busy(m, 4, 1); },
       [](Splitter& m) { busy(m, 4, 65); }},
      {"BurstAcross4KiB", "a_burst_legal", {}, [](Splitter& m) { burst(m, 1, 0xF00, 3); },  // ends at 0x1000
       [](Splitter& m) { burst(m, 1, 0xF00, 4); }},
      {"BurstChangedBeforeTaken", "a_burst_hold", {[](Splitter& m) { burst(m, 0, 0x1000, 7); }},
       [](Splitter& m) { burst(m, 1, 0x1000, 7); }, [](Splitter& m) { burst(m, 0, 0x1000, 3); }},
  };
}

class AxiBurstSplitterSvaDeathTest : public ::testing::TestWithParam<Case<Splitter>> {};
TEST_P(AxiBurstSplitterSvaDeathTest, LegalSequencePassesViolationStopsTheRun) {
  expect_legal_passes_and_violation_fires(GetParam(), "axi_burst_splitter_sva");
}
INSTANTIATE_TEST_SUITE_P(Assertions, AxiBurstSplitterSvaDeathTest, ::testing::ValuesIn(splitter_cases()),
                         case_name<Splitter>);

// ---- axi_lite_control_sva: the write path's state ----
using Control = Vaxi_lite_control_sva;

std::vector<Case<Control>> control_cases() {
  return {
      {"AwAndWHeldTogether", "a_write_state_onehot", {}, [](Control& m) { m.aw_held_q = 1; },
       [](Control& m) {
         m.aw_held_q = 1;
         m.w_held_q = 1;
       }},
      {"ResponsePendingWhileHoldingW", "a_write_state_onehot", {}, [](Control& m) { m.b_valid_q = 1; },
       [](Control& m) {
         m.b_valid_q = 1;
         m.w_held_q = 1;
       }},
      {"ReadResponseExokay", "a_resp_registers_legal", {}, [](Control& m) { m.r_resp_q = 2; },
       [](Control& m) { m.r_resp_q = 1; }},
  };
}

class AxiLiteControlSvaDeathTest : public ::testing::TestWithParam<Case<Control>> {};
TEST_P(AxiLiteControlSvaDeathTest, LegalSequencePassesViolationStopsTheRun) {
  expect_legal_passes_and_violation_fires(GetParam(), "axi_lite_control_sva");
}
INSTANTIATE_TEST_SUITE_P(Assertions, AxiLiteControlSvaDeathTest, ::testing::ValuesIn(control_cases()),
                         case_name<Control>);

// ---- axi4_master_ports_sva: the KV ports (standalone: 2 lanes), one write lane at a time ----
using Ports = Vaxi4_master_ports_sva;

// AW of 1 beat at 0x1000 (64-byte beats, INCR) on the lanes of `valid` (bit p: lane p).
void aw_lanes(Ports& m, uint32_t valid) {
  m.awvalid_i = valid;
  m.awready_i = 0;
  m.awlen_i = 0;
  m.awsize_i = 6 | (6 << 3);
  m.awburst_i = 1 | (1 << 2);
  for (int p = 0; p < 2; ++p) {
    m.awaddr_i[2 * p] = 0x1000;
    m.awaddr_i[2 * p + 1] = 0;
  }
}

std::vector<Case<Ports>> ports_cases() {
  return {
      {"AwOnTwoLanesAtOnce", "a_one_writer", {}, [](Ports& m) { aw_lanes(m, 0b01); },
       [](Ports& m) { aw_lanes(m, 0b11); }},
      {"WOnOneLaneBReadyOnTheOther", "a_one_writer", {}, [](Ports& m) { m.bready_i = 0b10; },
       [](Ports& m) {
         m.bready_i = 0b10;
         m.wvalid_i = 0b01;
         m.wstrb_i[0] = ~0u;
       }},
  };
}

class Axi4MasterPortsSvaDeathTest : public ::testing::TestWithParam<Case<Ports>> {};
TEST_P(Axi4MasterPortsSvaDeathTest, LegalSequencePassesViolationStopsTheRun) {
  expect_legal_passes_and_violation_fires(GetParam(), "axi4_master_ports_sva");
}
INSTANTIATE_TEST_SUITE_P(Assertions, Axi4MasterPortsSvaDeathTest, ::testing::ValuesIn(ports_cases()),
                         case_name<Ports>);

// ---- llama_attention_lanes_sva: the attention unit's KV lanes (standalone: 4 lanes) ----
using Lanes = Vllama_attention_lanes_sva;

// A command's start, then requests on the lanes of `lanes` (taken at once), then quiet.
std::vector<Step<Lanes>> start_and_request(uint32_t lanes) {
  return {[](Lanes& m) { m.start_i = 1; },
          [lanes](Lanes& m) {
            m.start_i = 0;
            m.req_valid_i = lanes;
            m.req_ready_i = lanes;
          },
          [](Lanes& m) {
            m.req_valid_i = 0;
            m.req_ready_i = 0;
          }};
}
Step<Lanes> beats(uint32_t valid, uint32_t ready) {
  return [valid, ready](Lanes& m) {
    m.beat_valid_i = valid;
    m.beat_ready_i = ready;
  };
}

std::vector<Case<Lanes>> lanes_cases() {
  return {
      {"BeatTakenWhereNoneIsThere", "a_beat_there", start_and_request(0b1111), beats(0b1111, 0b1111),
       beats(0b0111, 0b1111)},
      {"LanesTakingABeatAreNotAPrefix", "a_lanes_prefix", start_and_request(0b1111), beats(0b0111, 0b0011),
       beats(0b0101, 0b0101)},
      {"LaneRequestsTwice", "g_lane\\[1\\]\\.a_request_once", start_and_request(0b1111), beats(0, 0),
       [](Lanes& m) {
         m.req_valid_i = 0b0010;
         m.req_ready_i = 0b0010;
       }},
      {"BeatTakenBeforeItsRequest", "g_lane\\[1\\]\\.a_request_first", start_and_request(0b0001), beats(0b0011, 0b0001),
       beats(0b0011, 0b0011)},
  };
}

class LlamaAttentionLanesSvaDeathTest : public ::testing::TestWithParam<Case<Lanes>> {};
TEST_P(LlamaAttentionLanesSvaDeathTest, LegalSequencePassesViolationStopsTheRun) {
  expect_legal_passes_and_violation_fires(GetParam(), "llama_attention_lanes_sva");
}
INSTANTIATE_TEST_SUITE_P(Assertions, LlamaAttentionLanesSvaDeathTest, ::testing::ValuesIn(lanes_cases()),
                         case_name<Lanes>);

// ---- llama_weight_prefetch_sva: a weight port's beat FIFO (PREFETCH_BEATS = 512) ----
using Prefetch = Vllama_weight_prefetch_sva;

// The FIFO's counters and pointers, with no strobe.
Step<Prefetch> fifo(unsigned reserved, unsigned due, unsigned stored, bool out_valid, unsigned wr, unsigned rd) {
  return [=](Prefetch& m) {
    m.reserved_q = reserved;
    m.due_q = due;
    m.stored_q = stored;
    m.out_valid_q = out_valid;
    m.wr_ptr_q = wr;
    m.rd_ptr_q = rd;
    m.beat_fire_i = m.rd_en_i = m.out_fire_i = 0;
  };
}
// As fifo, then the strobes `then` sets.
Step<Prefetch> fifo_and(Step<Prefetch> state, std::function<void(Prefetch&)> then) {
  return [state, then](Prefetch& m) {
    state(m);
    then(m);
  };
}

std::vector<Case<Prefetch>> prefetch_cases() {
  const auto write_beat = [](Prefetch& m) { m.beat_fire_i = 1; };
  const auto read_beat = [](Prefetch& m) { m.rd_en_i = 1; };
  return {
      {"MoreBeatsReservedThanTheFifoHolds", "a_reserved_within_fifo", {}, fifo(512, 512, 0, 0, 0, 0),
       fifo(513, 513, 0, 0, 0, 0)},
      // A full FIFO that still expects a beat breaks the account too, but the overflow is checked first.
      {"BeatWrittenIntoAFullFifo", "a_fifo_overflow", {}, fifo_and(fifo(512, 1, 511, 0, 511, 0), write_beat),
       fifo_and(fifo(512, 1, 512, 0, 0, 0), write_beat)},
      {"BeatReadFromAnEmptyFifo", "a_fifo_underflow", {}, fifo_and(fifo(1, 0, 1, 0, 1, 0), read_beat),
       fifo_and(fifo(0, 0, 0, 0, 0, 0), read_beat)},
      {"EngineTakesAnEmptyOutputStage", "a_fifo_underflow", {},
       fifo_and(fifo(1, 0, 0, 1, 0, 0), [](Prefetch& m) { m.out_fire_i = 1; }),
       fifo_and(fifo(0, 0, 0, 0, 0, 0), [](Prefetch& m) { m.out_fire_i = 1; })},
      {"WritePointerOffByOne", "a_pointers_consistent", {}, fifo(3, 0, 3, 0, 10, 7), fifo(3, 0, 3, 0, 11, 7)},
      {"BeatTakenThatWasNeverRequested", "a_beat_requested", {}, fifo_and(fifo(1, 1, 0, 0, 0, 0), write_beat),
       fifo_and(fifo(0, 0, 0, 0, 0, 0), write_beat)},
      {"BeatLostFromTheAccount", "a_beats_accounted", {}, fifo(5, 2, 2, 1, 2, 0), fifo(4, 2, 2, 1, 2, 0)},
  };
}

class LlamaWeightPrefetchSvaDeathTest : public ::testing::TestWithParam<Case<Prefetch>> {};
TEST_P(LlamaWeightPrefetchSvaDeathTest, LegalSequencePassesViolationStopsTheRun) {
  expect_legal_passes_and_violation_fires(GetParam(), "llama_weight_prefetch_sva");
}
INSTANTIATE_TEST_SUITE_P(Assertions, LlamaWeightPrefetchSvaDeathTest, ::testing::ValuesIn(prefetch_cases()),
                         case_name<Prefetch>);

}  // namespace
