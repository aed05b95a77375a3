// DramChannel with posted writes under back-pressure: a small write buffer with tight drain watermarks and
// many initiators issuing multi-segment requests must complete every request, and a channel left with
// requests it can never finish says so at the end of the simulation instead of going silent.
// Each test elaborates its own SystemC design and simulates once (ctest runs each test in its own process).
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/dram/dram_channel.h"
#include "tests/u280_dram_channels.h"

namespace vp {
namespace {
using sc_core::sc_time;
using sc_core::SC_NS;

// Initiator threads, each running body(thread) and issuing b_transport calls through transport().
class Initiators : public sc_core::sc_module {
 public:
  using Body = std::function<void(Initiators&, unsigned thread)>;
  tlm_utils::simple_initiator_socket<Initiators> socket{"socket"};

  Initiators(sc_core::sc_module_name name, unsigned threads, Body body) : sc_module(name), body_(std::move(body)) {
    for (unsigned t = 0; t < threads; ++t)
      sc_core::sc_spawn([this, t] { body_(*this, t); }, sc_core::sc_gen_unique_name("worker"));
  }

  tlm::tlm_response_status transport(tlm::tlm_command command, std::uint64_t address, std::uint8_t* data,
                                     unsigned length) {
    tlm::tlm_generic_payload trans;
    trans.set_command(command);
    trans.set_address(address);
    trans.set_data_ptr(data);
    trans.set_data_length(length);
    trans.set_streaming_width(length);
    trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(trans, delay);
    return trans.get_response_status();
  }

 private:
  Body body_;
};

struct Bench {
  DramChannel channel;
  Initiators initiators;
  Bench(const DramConfig& cfg, unsigned threads, Initiators::Body body)
      : channel("channel", cfg), initiators("initiators", threads, std::move(body)) {
    initiators.socket.bind(channel.socket);
  }
};

// The colleague's workload: HBM2, a 4-request write buffer drained from 4 down to 1, 48 initiators each
// issuing 33 reads and writes of 64 B to 4 KiB (up to four row segments) inside 256 KiB, with random idle gaps.
// Many writes span several segments, so a posted write that holds a buffer slot still has segments to
// admit while other writers wait for a slot.
TEST(DramChannelPostedWrites, SmallWriteBufferWithTightWatermarksCompletesEveryRequestOfManyInitiators) {
  DramConfig cfg = vp::test::u280_hbm_channel();
  cfg.write_ack = "accepted";
  cfg.write_buffer_depth = 4;
  cfg.write_drain_high = 4;
  cfg.write_drain_low = 1;
  constexpr unsigned kInitiators = 48, kRequestsEach = 33;
  constexpr std::uint64_t kWindow = 256 * 1024;
  unsigned completed = 0, ok = 0;
  Bench bench(cfg, kInitiators, [&](Initiators& init, unsigned thread) {
    std::mt19937_64 rng(1000 + thread);
    std::vector<std::uint8_t> buffer(4096);
    for (unsigned i = 0; i < kRequestsEach; ++i) {
      sc_core::wait(sc_time(double(rng() % 200), SC_NS));  // idle gap
      const unsigned length = 64u << (rng() % 7);              // 64 B .. 4 KiB
      const std::uint64_t address = (rng() % ((kWindow - length) / 64 + 1)) * 64;
      const bool write = rng() % 2 == 0;
      if (init.transport(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, address, buffer.data(), length) ==
          tlm::TLM_OK_RESPONSE)
        ++ok;
      ++completed;
    }
  });
  // The timing checker checks every command as it is issued and throws on a violation.
  EXPECT_NO_THROW(sc_core::sc_start());
  EXPECT_EQ(completed, kInitiators * kRequestsEach) << "the simulation ran out of events with initiators waiting";
  EXPECT_EQ(ok, completed);
  const DramStats& stats = bench.channel.stats();
  EXPECT_EQ(stats.read_requests + stats.write_requests, std::uint64_t{completed});
  EXPECT_EQ(bench.channel.requests_left(), 0u);
  EXPECT_NO_THROW(sc_core::sc_stop());  // end_of_simulation: nothing left, nothing reported
}

// The default configuration (32-request buffer) hit the same hang once more writers than buffer slots
// issued multi-segment posted writes: 40 initiators writing 4 KiB (two row segments) each.
TEST(DramChannelPostedWrites, MoreMultiSegmentWritersThanBufferSlotsCompleteWithTheDefaultConfiguration) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  ASSERT_EQ(cfg.write_ack, "accepted");
  constexpr unsigned kInitiators = 40, kRequestsEach = 8;
  ASSERT_GT(kInitiators, cfg.write_buffer_depth);
  unsigned completed = 0;
  Bench bench(cfg, kInitiators, [&](Initiators& init, unsigned thread) {
    std::mt19937_64 rng(1 + thread);
    std::vector<std::uint8_t> buffer(4096);
    for (unsigned i = 0; i < kRequestsEach; ++i) {
      sc_core::wait(sc_time(double(rng() % 20), SC_NS));
      const std::uint64_t address = (rng() % ((256 * 1024 - 4096) / 64 + 1)) * 64;
      init.transport(tlm::TLM_WRITE_COMMAND, address, buffer.data(), 4096);
      ++completed;
    }
  });
  EXPECT_NO_THROW(sc_core::sc_start());
  EXPECT_EQ(completed, kInitiators * kRequestsEach);
  EXPECT_EQ(bench.channel.requests_left(), 0u);
}

// The guard: a controller that stops acting (here its scheduler process is disabled) leaves requests the
// simulation can never finish; sc_stop after the events ran out reports them as an error naming the channel.
TEST(DramChannelPostedWrites, SimulationEndingWithRequestsLeftIsAnErrorNamingTheChannelAndTheCount) {
  const DramConfig cfg = vp::test::u280_hbm_channel();
  constexpr unsigned kReads = 3, kWrites = 2;
  unsigned completed = 0;
  Bench bench(cfg, kReads + kWrites, [&](Initiators& init, unsigned thread) {
    std::vector<std::uint8_t> buffer(64);
    const bool write = thread >= kReads;
    init.transport(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, 4096 * thread, buffer.data(), 64);
    ++completed;
  });
  sc_core::sc_object* scheduler = sc_core::sc_find_object("channel.schedule");
  ASSERT_NE(scheduler, nullptr);
  sc_core::sc_process_handle(scheduler).disable();
  sc_core::sc_start();  // returns when the events ran out
  EXPECT_EQ(completed, kWrites) << "posted writes are acknowledged; the reads wait for a scheduler that never runs";
  EXPECT_EQ(bench.channel.requests_left(), kReads + kWrites);
  std::string message;
  try {
    sc_core::sc_stop();  // end_of_simulation: the buffered writes are flushed, the reads are left
  } catch (const sc_core::sc_report& report) {
    message = report.what();
  }
  std::cout << "reported: " << message << "\n";
  EXPECT_NE(message.find("channel"), std::string::npos) << message;
  EXPECT_NE(message.find(std::to_string(kReads) + " request(s) left"), std::string::npos) << message;
  EXPECT_EQ(bench.channel.requests_left(), kReads);
}

}  // namespace
}  // namespace vp
