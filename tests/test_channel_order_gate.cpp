// ChannelOrderGate (traces/channel_order_gate.h): a plain wire until enforce(), then it lets
// tagged transactions into the channel only in the recorded order. Each test case elaborates and
// simulates once (ctest runs each case alone).
#include "traces/channel_order_gate.h"

#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/sc_test_host.h"

namespace {

using sc_core::sc_time;
using sc_core::SC_NS;

// The channel side: records what reaches it, in arrival order, with the time.
class RecordingChannel : public sc_core::sc_module {
 public:
  struct Arrival {
    uint64_t record;  // ReplayRecordTag, or ~0 for an untagged payload
    uint64_t address;
    sc_time at;
  };
  tlm_utils::simple_target_socket<RecordingChannel> socket;
  std::vector<Arrival> arrivals;
  std::vector<uint64_t> debug_addresses;

  explicit RecordingChannel(const sc_core::sc_module_name& name) : sc_module(name), socket("socket") {
    socket.register_b_transport(this, &RecordingChannel::b_transport);
    socket.register_transport_dbg(this, &RecordingChannel::transport_dbg);
  }

 private:
  void b_transport(tlm::tlm_generic_payload& t, sc_time& delay) {
    const vp::ReplayRecordTag* tag = t.get_extension<vp::ReplayRecordTag>();
    arrivals.push_back({tag ? tag->record : ~uint64_t(0), t.get_address(), sc_core::sc_time_stamp()});
    delay += sc_time(5, SC_NS);  // the channel's own service time, passed back to the caller
    t.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  unsigned transport_dbg(tlm::tlm_generic_payload& t) {
    debug_addresses.push_back(t.get_address());
    return t.get_data_length();
  }
};

// The interconnect side: issues requests from threads of its own, each at its own time.
class Issuer : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Issuer> socket;
  std::vector<std::string> errors;  // what b_transport threw, in order
  std::vector<sc_time> error_at;

  explicit Issuer(const sc_core::sc_module_name& name) : sc_module(name), socket("socket") {}

  // Issues one read at `at`, tagged with `record` unless it is negative.
  void issue_at(sc_time at, int64_t record, uint64_t address = 0) {
    sc_core::sc_spawn([this, at, record, address] {
      sc_core::wait(at);
      uint32_t word = 0;
      tlm::tlm_generic_payload t;
      vp::ReplayRecordTag tag(record < 0 ? 0 : uint64_t(record));
      if (record >= 0) t.set_extension(&tag);
      sc_time delay = sc_core::SC_ZERO_TIME;
      try {
        const tlm::tlm_response_status status =
            vp::test::blocking_transfer(socket, t, tlm::TLM_READ_COMMAND, address, &word, 4, delay);
        EXPECT_EQ(delay, sc_time(5, SC_NS)) << "the channel's delay comes back through the gate";
        EXPECT_EQ(status, tlm::TLM_OK_RESPONSE);
      } catch (const std::exception& e) {
        errors.push_back(e.what());
        error_at.push_back(sc_core::sc_time_stamp());
      }
      if (record >= 0) t.clear_extension(&tag);
    });
  }
  unsigned debug_read(uint64_t address) {
    uint32_t word = 0;
    tlm::tlm_generic_payload t;
    t.set_command(tlm::TLM_READ_COMMAND);
    t.set_address(address);
    t.set_data_ptr(reinterpret_cast<uint8_t*>(&word));
    t.set_data_length(4);
    return socket->transport_dbg(t);
  }
};

struct Bench {
  vp::ChannelOrderGate gate{"gate"};
  Issuer issuer{"issuer"};
  RecordingChannel channel{"channel"};
  Bench() {
    issuer.socket.bind(gate.target);
    gate.initiator.bind(channel.socket);
  }
  std::vector<uint64_t> arrived_records() const {
    std::vector<uint64_t> r;
    for (const auto& a : channel.arrivals) r.push_back(a.record);
    return r;
  }
};

TEST(ChannelOrderGate, IsAPlainWireUntilEnforced) {
  Bench b;
  // Untagged requests pass in issue order, at their issue times.
  b.issuer.issue_at(sc_time(20, SC_NS), -1, 0x200);
  b.issuer.issue_at(sc_time(10, SC_NS), -1, 0x100);
  sc_core::sc_start();
  ASSERT_EQ(b.channel.arrivals.size(), 2u);
  EXPECT_EQ(b.channel.arrivals[0].address, 0x100u);
  EXPECT_EQ(b.channel.arrivals[0].at, sc_time(10, SC_NS));
  EXPECT_EQ(b.channel.arrivals[1].address, 0x200u);
  EXPECT_EQ(b.channel.arrivals[1].at, sc_time(20, SC_NS));
  EXPECT_TRUE(b.issuer.errors.empty());
  EXPECT_EQ(b.gate.passed(), 0u) << "nothing is counted while not enforcing";
  EXPECT_EQ(b.gate.expected(), 0u);
  EXPECT_EQ(b.gate.waiting_for(), "");
}

TEST(ChannelOrderGate, SameInstantRequestsReachTheChannelInTheRecordedOrder) {
  Bench b;
  b.gate.enforce({3, 1, 4, 2});
  // Issued at the same instant in another order (process start order is SystemC's choice).
  for (int64_t r : {1, 2, 3, 4}) b.issuer.issue_at(sc_time(10, SC_NS), r);
  sc_core::sc_start();
  EXPECT_EQ(b.arrived_records(), (std::vector<uint64_t>{3, 1, 4, 2}));
  for (const auto& a : b.channel.arrivals)
    EXPECT_EQ(a.at, sc_time(10, SC_NS)) << "record " << a.record << ": the order costs no simulated time";
  EXPECT_TRUE(b.issuer.errors.empty());
  EXPECT_EQ(b.gate.passed(), 4u);
  EXPECT_EQ(b.gate.expected(), 4u);
  EXPECT_EQ(b.gate.waiting_for(), "");
}

TEST(ChannelOrderGate, AnEarlyRequestWaitsForTheRecordBeforeIt) {
  Bench b;
  b.gate.enforce({7, 9});
  b.issuer.issue_at(sc_time(10, SC_NS), 9);  // arrives first, recorded second
  b.issuer.issue_at(sc_time(50, SC_NS), 7);
  std::string waiting_at_30;
  size_t passed_at_30 = 99;
  sc_core::sc_spawn([&] {
    sc_core::wait(sc_time(30, SC_NS));
    waiting_at_30 = b.gate.waiting_for();
    passed_at_30 = b.gate.passed();
  });
  sc_core::sc_start();
  EXPECT_EQ(waiting_at_30, "record 7");
  EXPECT_EQ(passed_at_30, 0u);
  ASSERT_EQ(b.channel.arrivals.size(), 2u);
  EXPECT_EQ(b.channel.arrivals[0].record, 7u);
  EXPECT_EQ(b.channel.arrivals[1].record, 9u);
  EXPECT_EQ(b.channel.arrivals[1].at, sc_time(50, SC_NS)) << "record 9 held from 10 ns until record 7 passed";
  EXPECT_EQ(b.gate.waiting_for(), "");
}

TEST(ChannelOrderGate, StopsAtTheFirstRecordNotYetSeen) {
  Bench b;
  b.gate.enforce({1, 2, 3});
  b.issuer.issue_at(sc_time(10, SC_NS), 1);
  b.issuer.issue_at(sc_time(10, SC_NS), 3);  // waits for 2, which never comes
  sc_core::sc_start();
  EXPECT_EQ(b.arrived_records(), (std::vector<uint64_t>{1}));
  EXPECT_EQ(b.gate.passed(), 1u);
  EXPECT_EQ(b.gate.waiting_for(), "record 2");
  EXPECT_TRUE(b.issuer.errors.empty());
}

TEST(ChannelOrderGate, AnUntaggedTransactionWhileEnforcingIsALogicError) {
  Bench b;
  b.gate.enforce({1});
  b.issuer.issue_at(sc_time(10, SC_NS), -1);
  sc_core::sc_start();
  ASSERT_EQ(b.issuer.errors.size(), 1u);
  EXPECT_NE(b.issuer.errors[0].find("gate"), std::string::npos) << "names the gate: " << b.issuer.errors[0];
  EXPECT_NE(b.issuer.errors[0].find("without a replay record tag"), std::string::npos) << b.issuer.errors[0];
  EXPECT_TRUE(b.channel.arrivals.empty());
  EXPECT_EQ(b.gate.passed(), 0u);
}

TEST(ChannelOrderGate, ARecordOutsideTheOrderThrowsOnceTheOrderIsExhausted) {
  Bench b;
  b.gate.enforce({1});
  b.issuer.issue_at(sc_time(10, SC_NS), 5);  // not in the order: waits, since record 1 may still come
  b.issuer.issue_at(sc_time(40, SC_NS), 1);
  sc_core::sc_start();
  EXPECT_EQ(b.arrived_records(), (std::vector<uint64_t>{1})) << "record 5 never reaches the channel";
  ASSERT_EQ(b.issuer.errors.size(), 1u);
  EXPECT_NE(b.issuer.errors[0].find("record 5 is not in this channel's recorded order"), std::string::npos)
      << b.issuer.errors[0];
  EXPECT_EQ(b.issuer.error_at[0], sc_time(40, SC_NS)) << "thrown when record 1 passed and the order ran out";
}

TEST(ChannelOrderGate, ARecordAfterTheOrderIsExhaustedThrowsAtOnce) {
  Bench b;
  b.gate.enforce({1});
  b.issuer.issue_at(sc_time(10, SC_NS), 1);
  b.issuer.issue_at(sc_time(20, SC_NS), 1);  // a second pass of the same record
  sc_core::sc_start();
  EXPECT_EQ(b.arrived_records(), (std::vector<uint64_t>{1}));
  ASSERT_EQ(b.issuer.errors.size(), 1u);
  EXPECT_NE(b.issuer.errors[0].find("record 1 is not in this channel's recorded order"), std::string::npos)
      << b.issuer.errors[0];
  EXPECT_EQ(b.issuer.error_at[0], sc_time(20, SC_NS));
}

TEST(ChannelOrderGate, DebugAccessBypassesTheOrder) {
  Bench b;
  b.gate.enforce({1});
  unsigned bytes = 0;
  sc_core::sc_spawn([&] { bytes = b.issuer.debug_read(0x40); });  // record 1 has not passed
  sc_core::sc_start();
  EXPECT_EQ(bytes, 4u);
  EXPECT_EQ(b.channel.debug_addresses, (std::vector<uint64_t>{0x40}));
  EXPECT_EQ(b.gate.passed(), 0u);
}

TEST(ChannelOrderGate, EnforceStartsANewOrderFromItsFirstRecord) {
  Bench b;
  b.gate.enforce({1, 2});
  b.issuer.issue_at(sc_time(10, SC_NS), 1);
  sc_core::sc_spawn([&] {
    sc_core::wait(sc_time(20, SC_NS));
    b.gate.enforce({2, 1});
  });
  b.issuer.issue_at(sc_time(30, SC_NS), 1);
  b.issuer.issue_at(sc_time(40, SC_NS), 2);
  sc_core::sc_start();
  EXPECT_EQ(b.arrived_records(), (std::vector<uint64_t>{1, 2, 1}));
  ASSERT_EQ(b.channel.arrivals.size(), 3u);
  EXPECT_EQ(b.channel.arrivals[2].at, sc_time(40, SC_NS)) << "record 1 of the new order waited for its record 2";
  EXPECT_EQ(b.gate.passed(), 2u);
  EXPECT_EQ(b.gate.expected(), 2u);
}

}  // namespace
