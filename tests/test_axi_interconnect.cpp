// AxiInterconnect: address decode and routing, switch latency, decode errors, statistics, DMI.
// Each test case elaborates and simulates once (ctest runs each case in its own process).
#include "models/axi/axi_interconnect.h"

#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include "tests/sc_test_host.h"
#include "tests/thrown_message.h"

namespace {

using sc_core::sc_time;
using sc_core::SC_NS;

// Test fixture: a memory channel with real storage and a fixed access latency that logs the
// channel-local addresses it sees.
class TestMemory : public sc_core::sc_module {
 public:
  struct Access {
    tlm::tlm_command command;
    uint64_t address;
    unsigned length;
  };

  tlm_utils::simple_target_socket<TestMemory> socket;
  std::vector<uint8_t> storage;
  std::vector<Access> log;

  TestMemory(const sc_core::sc_module_name& name, size_t size, double latency_ns)
      : sc_module(name), socket("socket"), storage(size, 0), latency_(latency_ns, SC_NS) {
    socket.register_b_transport(this, &TestMemory::b_transport);
    socket.register_transport_dbg(this, &TestMemory::transport_dbg);
    socket.register_get_direct_mem_ptr(this, &TestMemory::get_direct_mem_ptr);
  }
  // Read/write DMI granted per 4 KiB page, the first page refused.
  static constexpr uint64_t kDmiPage = 4096;
  void invalidate(uint64_t start, uint64_t end) { socket->invalidate_direct_mem_ptr(start, end); }

 private:
  bool in_range(const tlm::tlm_generic_payload& t) const {
    return t.get_address() <= storage.size() && t.get_data_length() <= storage.size() - t.get_address();
  }
  void access(tlm::tlm_generic_payload& t) {
    if (t.is_write())
      std::memcpy(storage.data() + t.get_address(), t.get_data_ptr(), t.get_data_length());
    else
      std::memcpy(t.get_data_ptr(), storage.data() + t.get_address(), t.get_data_length());
  }
  void b_transport(tlm::tlm_generic_payload& t, sc_time& delay) {
    log.push_back({t.get_command(), t.get_address(), t.get_data_length()});
    sc_core::wait(delay + latency_);
    delay = sc_core::SC_ZERO_TIME;
    if (!in_range(t)) {
      t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    access(t);
    t.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  unsigned transport_dbg(tlm::tlm_generic_payload& t) {
    if (!in_range(t)) return 0;
    access(t);
    return t.get_data_length();
  }
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& t, tlm::tlm_dmi& dmi) {
    const uint64_t start = t.get_address() / kDmiPage * kDmiPage;
    dmi.set_start_address(start);
    dmi.set_end_address(start + kDmiPage - 1);
    if (start == 0) {
      dmi.allow_none();
      return false;
    }
    dmi.set_dmi_ptr(storage.data() + start);
    dmi.allow_read_write();
    return true;
  }
  sc_time latency_;
};

// A bus master driven by a test body running as its SC_THREAD.
class TestMaster : public sc_core::sc_module {
 public:
  struct Result {
    tlm::tlm_response_status status;
    sc_time elapsed;
    uint64_t address_after;  // the address field as the initiator sees it on return
  };

  tlm_utils::simple_initiator_socket<TestMaster> socket;

  SC_HAS_PROCESS(TestMaster);
  TestMaster(const sc_core::sc_module_name& name, std::function<void(TestMaster&)> body)
      : sc_module(name), socket("socket"), body_(std::move(body)) {
    socket.register_invalidate_direct_mem_ptr(this, &TestMaster::invalidate_direct_mem_ptr);
    SC_THREAD(run);
  }
  std::vector<std::pair<uint64_t, uint64_t>> invalidated;  // DMI ranges the interconnect invalidated

  Result transfer(tlm::tlm_command cmd, uint64_t address, uint8_t* data, unsigned length) {
    tlm::tlm_generic_payload t;
    const sc_time start = sc_core::sc_time_stamp();
    sc_time delay = sc_core::SC_ZERO_TIME;
    vp::test::blocking_transfer(socket, t, cmd, address, data, length, delay);
    sc_core::wait(delay);
    return {t.get_response_status(), sc_core::sc_time_stamp() - start, t.get_address()};
  }
  Result write(uint64_t address, std::vector<uint8_t> data) {
    return transfer(tlm::TLM_WRITE_COMMAND, address, data.data(), static_cast<unsigned>(data.size()));
  }
  Result read(uint64_t address, std::vector<uint8_t>& data) {
    return transfer(tlm::TLM_READ_COMMAND, address, data.data(), static_cast<unsigned>(data.size()));
  }
  unsigned debug_read(uint64_t address, std::vector<uint8_t>& data) {
    tlm::tlm_generic_payload t;
    t.set_command(tlm::TLM_READ_COMMAND);
    t.set_address(address);
    t.set_data_ptr(data.data());
    t.set_data_length(static_cast<unsigned>(data.size()));
    t.set_streaming_width(static_cast<unsigned>(data.size()));
    return socket->transport_dbg(t);
  }

 private:
  void run() { body_(*this); }
  void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end) { invalidated.push_back({start, end}); }
  std::function<void(TestMaster&)> body_;
};

// An interconnect of `n` channels, each a 1 MiB memory at 0x1000_0000 * (channel + 1).
struct Platform {
  static constexpr uint64_t kRegionSize = 1 << 20;
  static uint64_t region_base(unsigned channel) { return 0x10000000ull * (channel + 1); }

  vp::AxiInterconnect interconnect;
  std::vector<std::unique_ptr<TestMemory>> memories;

  Platform(const vp::InterconnectConfig& config, unsigned n, double memory_latency_ns)
      : interconnect("interconnect", config) {
    for (unsigned c = 0; c < n; ++c) {
      memories.push_back(
          std::make_unique<TestMemory>(("mem" + std::to_string(c)).c_str(), kRegionSize, memory_latency_ns));
      interconnect.channels.bind(memories.back()->socket);
      interconnect.add_region("ch" + std::to_string(c), region_base(c), kRegionSize, c);
    }
  }
};

vp::InterconnectConfig ddr_config(unsigned channels) {
  vp::InterconnectConfig c;
  c.base_latency_ns = 20.0;
  c.hop_latency_ns = 0.0;
  c.channels_per_switch = channels;
  return c;
}

TEST(AxiInterconnect, RoutesToTheRegionsChannelWithTheLocalAddress) {
  Platform p(ddr_config(2), 2, 30.0);
  const std::vector<uint8_t> pattern{1, 2, 3, 4, 5, 6, 7, 8};
  TestMaster::Result write_result{}, read_result{};
  std::vector<uint8_t> read_back(4), debug_back(8);
  unsigned debug_bytes = 0;
  // Something the master reads from channel 0 that only the fixture put there.
  p.memories[0]->storage[0x10] = 0xAA;
  p.memories[0]->storage[0x13] = 0x55;
  TestMaster master("master", [&](TestMaster& m) {
    write_result = m.write(Platform::region_base(1) + 0x40, pattern);
    read_result = m.read(Platform::region_base(0) + 0x10, read_back);
    debug_bytes = m.debug_read(Platform::region_base(1) + 0x40, debug_back);
  });
  master.socket.bind(p.interconnect.masters);
  sc_core::sc_start();

  EXPECT_EQ(write_result.status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(write_result.address_after, Platform::region_base(1) + 0x40) << "global address restored";
  ASSERT_EQ(p.memories[1]->log.size(), 1u);
  EXPECT_EQ(p.memories[1]->log[0].address, 0x40u);
  EXPECT_EQ(p.memories[1]->log[0].command, tlm::TLM_WRITE_COMMAND);
  EXPECT_TRUE(std::equal(pattern.begin(), pattern.end(), p.memories[1]->storage.begin() + 0x40));

  EXPECT_EQ(read_result.status, tlm::TLM_OK_RESPONSE);
  ASSERT_EQ(p.memories[0]->log.size(), 1u);
  EXPECT_EQ(p.memories[0]->log[0].address, 0x10u);
  EXPECT_EQ(read_back, (std::vector<uint8_t>{0xAA, 0, 0, 0x55}));

  EXPECT_EQ(debug_bytes, 8u);
  EXPECT_EQ(debug_back, pattern);
  EXPECT_EQ(p.memories[1]->log.size(), 1u) << "debug access is not a timed transaction";
}

TEST(AxiInterconnect, PassesDmiWithTheRegionOffsetBothWays) {
  Platform p(ddr_config(2), 2, 30.0);
  const uint64_t base1 = Platform::region_base(1), base0 = Platform::region_base(0);
  struct Answer {
    bool granted = false;
    tlm::tlm_dmi dmi;
    uint64_t address_after = 0;
  };
  Answer granted, refused, unmapped;
  TestMaster master("master", [&](TestMaster& m) {
    const auto ask = [&](uint64_t address, Answer& answer) {
      tlm::tlm_generic_payload t;
      t.set_command(tlm::TLM_READ_COMMAND);
      t.set_address(address);
      answer.granted = m.socket->get_direct_mem_ptr(t, answer.dmi);
      answer.address_after = t.get_address();
    };
    ask(base1 + 0x1234, granted);
    ask(base0 + 0x10, refused);
    ask(0x10, unmapped);
    p.memories[1]->invalidate(0x1000, 0x1FFF);
  });
  master.socket.bind(p.interconnect.masters);
  sc_core::sc_start();

  ASSERT_TRUE(granted.granted);
  EXPECT_EQ(granted.address_after, base1 + 0x1234) << "global address restored";
  EXPECT_EQ(granted.dmi.get_dmi_ptr(), p.memories[1]->storage.data() + 0x1000);
  EXPECT_EQ(granted.dmi.get_start_address(), base1 + 0x1000);
  EXPECT_EQ(granted.dmi.get_end_address(), base1 + 0x1FFF);
  EXPECT_FALSE(refused.granted);
  EXPECT_EQ(refused.dmi.get_start_address(), base0);
  EXPECT_EQ(refused.dmi.get_end_address(), base0 + 0xFFF);
  EXPECT_FALSE(unmapped.granted);
  EXPECT_EQ(unmapped.dmi.get_start_address(), 0x10u);
  EXPECT_EQ(unmapped.dmi.get_end_address(), 0x10u);
  ASSERT_EQ(master.invalidated.size(), 1u);
  EXPECT_EQ(master.invalidated[0], std::make_pair(base1 + 0x1000, base1 + 0x1FFF));
}

TEST(AxiInterconnect, ChargesBaseLatencyOnTopOfTheMemory) {
  const double base_ns = 20.0, memory_ns = 30.0;
  Platform p(ddr_config(2), 2, memory_ns);
  TestMaster::Result r{};
  std::vector<uint8_t> buf(16);
  TestMaster master("master", [&](TestMaster& m) { r = m.read(Platform::region_base(1), buf); });
  master.socket.bind(p.interconnect.masters);
  sc_core::sc_start();
  EXPECT_EQ(r.status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(r.elapsed, sc_time(base_ns + memory_ns, SC_NS));
}

TEST(AxiInterconnect, ChargesHopLatencyPerSwitchCrossedFromTheHomeSwitch) {
  // 8 channels on 4 switches of 2; master 0 lives next to channel 1 (switch 0).
  vp::InterconnectConfig config;
  config.base_latency_ns = 10.0;
  config.hop_latency_ns = 5.0;
  config.channels_per_switch = 2;
  const double memory_ns = 40.0;
  Platform p(config, 8, memory_ns);
  p.interconnect.set_home_channel(0, 1);
  p.interconnect.set_home_channel(1, 6);  // switch 3
  std::vector<sc_time> from0(8), from1(8), from_homeless(8);
  auto probe_all = [&](std::vector<sc_time>& out) {
    return [&out](TestMaster& m) {
      std::vector<uint8_t> buf(4);
      for (unsigned c = 0; c < 8; ++c) out[c] = m.read(Platform::region_base(c), buf).elapsed;
    };
  };
  TestMaster m0("m0", probe_all(from0)), m1("m1", probe_all(from1)), m2("m2", probe_all(from_homeless));
  m0.socket.bind(p.interconnect.masters);
  m1.socket.bind(p.interconnect.masters);
  m2.socket.bind(p.interconnect.masters);
  sc_core::sc_start();

  auto expected = [&](unsigned hops) { return sc_time(10.0 + 5.0 * hops + memory_ns, SC_NS); };
  const unsigned hops_from_switch0[8] = {0, 0, 1, 1, 2, 2, 3, 3};
  const unsigned hops_from_switch3[8] = {3, 3, 2, 2, 1, 1, 0, 0};
  for (unsigned c = 0; c < 8; ++c) {
    EXPECT_EQ(from0[c], expected(hops_from_switch0[c])) << "master 0 to channel " << c;
    EXPECT_EQ(from1[c], expected(hops_from_switch3[c])) << "master 1 to channel " << c;
    EXPECT_EQ(from_homeless[c], expected(0)) << "master without home to channel " << c;
  }
  EXPECT_EQ(p.interconnect.access_latency(0, 7), sc_time(25.0, SC_NS));
}

TEST(AxiInterconnect, UnmappedAddressGetsDecodeErrorAndIsRecorded) {
  Platform p(ddr_config(2), 2, 30.0);
  TestMaster::Result hole{}, straddle{};
  TestMaster idle("idle", [](TestMaster&) {});
  TestMaster master("master", [&](TestMaster& m) {
    std::vector<uint8_t> buf(8);
    sc_core::wait(sc_time(12.5, sc_core::SC_US));
    hole = m.read(0x7000000000ull, buf);
    // Starts inside channel 0's region but runs past its end.
    straddle = m.write(Platform::region_base(0) + Platform::kRegionSize - 4, std::vector<uint8_t>(8, 0xEE));
  });
  idle.socket.bind(p.interconnect.masters);    // master 0
  master.socket.bind(p.interconnect.masters);  // master 1
  EXPECT_FALSE(p.interconnect.last_error().has_value());
  sc_core::sc_start();

  EXPECT_EQ(hole.status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(straddle.status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(p.interconnect.decode_errors(), 2u);
  for (const auto& m : p.memories) EXPECT_TRUE(m->log.empty()) << "nothing reaches a channel";

  ASSERT_TRUE(p.interconnect.last_error().has_value());
  const auto& error = *p.interconnect.last_error();
  EXPECT_EQ(error.address, Platform::region_base(0) + Platform::kRegionSize - 4);
  EXPECT_EQ(error.master, 1u);
  EXPECT_GT(error.time, sc_time(12.5, sc_core::SC_US));
  EXPECT_NE(error.message.find("0x100ffffc"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("master 1"), std::string::npos) << error.message;
}

TEST(AxiInterconnect, DecodeErrorMessageNamesAddressMasterAndTime) {
  Platform p(ddr_config(1), 1, 30.0);
  TestMaster master("master", [&](TestMaster& m) {
    std::vector<uint8_t> buf(4);
    sc_core::wait(sc_time(12.5, sc_core::SC_US));
    m.read(0xdead0000ull, buf);
  });
  master.socket.bind(p.interconnect.masters);
  sc_core::sc_start();
  ASSERT_TRUE(p.interconnect.last_error().has_value());
  EXPECT_EQ(p.interconnect.last_error()->message,
            "address 0xdead0000 outside every memory region (master 0 at 12.5 us)");
  EXPECT_EQ(p.interconnect.last_error()->time, sc_time(12.5, sc_core::SC_US));
}

TEST(AxiInterconnect, CountsTransactionsAndBytesPerMasterAndChannel) {
  Platform p(ddr_config(2), 2, 30.0);
  TestMaster m0("m0", [&](TestMaster& m) {
    m.write(Platform::region_base(0), std::vector<uint8_t>(64, 1));
    m.write(Platform::region_base(0) + 64, std::vector<uint8_t>(64, 2));
    std::vector<uint8_t> buf(32);
    m.read(Platform::region_base(1), buf);
    std::vector<uint8_t> dbg(256);
    m.debug_read(Platform::region_base(1), dbg);  // zero-time access: not traffic
  });
  TestMaster m1("m1", [&](TestMaster& m) {
    std::vector<uint8_t> buf(128);
    m.read(Platform::region_base(0) + 1024, buf);
  });
  m0.socket.bind(p.interconnect.masters);
  m1.socket.bind(p.interconnect.masters);
  sc_core::sc_start();

  const auto s00 = p.interconnect.stats(0, 0);
  EXPECT_EQ(s00.write_transactions, 2u);
  EXPECT_EQ(s00.write_bytes, 128u);
  EXPECT_EQ(s00.read_transactions, 0u);
  const auto s01 = p.interconnect.stats(0, 1);
  EXPECT_EQ(s01.read_transactions, 1u);
  EXPECT_EQ(s01.read_bytes, 32u);
  EXPECT_EQ(s01.write_transactions, 0u);
  const auto s10 = p.interconnect.stats(1, 0);
  EXPECT_EQ(s10.read_transactions, 1u);
  EXPECT_EQ(s10.read_bytes, 128u);
  const auto s11 = p.interconnect.stats(1, 1);
  EXPECT_EQ(s11.read_transactions + s11.write_transactions, 0u);
  EXPECT_EQ(p.interconnect.all_stats().size(), 3u);
}

TEST(AxiInterconnect, OverlappingRegionsThrowNamingBoth) {
  vp::AxiInterconnect ic("interconnect", ddr_config(2));
  ic.add_region("weights", 0x0, 0x1000, 0);
  ic.add_region("kv_cache", 0x1000, 0x1000, 1);  // adjacent is fine
  try {
    ic.add_region("logits", 0x1800, 0x100, 0);
    FAIL() << "overlap not detected";
  } catch (const std::runtime_error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("logits"), std::string::npos) << msg;
    EXPECT_NE(msg.find("kv_cache"), std::string::npos) << msg;
  }
  // A region enclosing an existing one overlaps too.
  EXPECT_THROW(ic.add_region("all", 0x0, 0x10000, 0), std::runtime_error);
  EXPECT_THROW(ic.add_region("empty", 0x8000, 0, 0), std::runtime_error);

  const auto regions = ic.regions();
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_EQ(regions[0].name, "weights");
  EXPECT_EQ(regions[1].name, "kv_cache");
  EXPECT_EQ(regions[1].base, 0x1000u);
  EXPECT_EQ(regions[1].size, 0x1000u);
  EXPECT_EQ(regions[1].channel, 1u);
}

TEST(AxiInterconnect, RegionOnAnUnboundChannelFailsElaboration) {
  Platform p(ddr_config(2), 2, 30.0);
  p.interconnect.add_region("nowhere", 0x90000000ull, 0x1000, 5);
  TestMaster master("master", [](TestMaster&) {});
  master.socket.bind(p.interconnect.masters);
  const std::string error = vp::test::thrown_message<std::exception>([] { sc_core::sc_start(); });
  EXPECT_NE(error.find("nowhere"), std::string::npos) << "a region on channel 5 of 2: " << error;
}

TEST(InterconnectConfig, OptionsOverrideDefaultsAndAreValidated) {
  namespace po = boost::program_options;
  vp::InterconnectConfig defaults;
  defaults.base_latency_ns = 11.0;
  po::options_description desc;
  vp::declare_config_fields(desc, "hbm.", vp::InterconnectConfig::fields(), defaults);
  const char* argv[] = {"prog", "--hbm.hop_latency_ns=7.5", "--hbm.channels_per_switch=4"};
  po::variables_map vm;
  po::store(po::parse_command_line(3, argv, desc), vm);
  po::notify(vm);
  const auto c = vp::config_from_options<vp::InterconnectConfig>(vm, "hbm.");
  EXPECT_EQ(c.base_latency_ns, 11.0);
  EXPECT_EQ(c.hop_latency_ns, 7.5);
  EXPECT_EQ(c.channels_per_switch, 4u);

  vp::InterconnectConfig bad;
  bad.channels_per_switch = 0;
  const std::string error = vp::test::thrown_message([&] { bad.validate("hbm."); });
  EXPECT_NE(error.find("hbm.channels_per_switch"), std::string::npos) << "channels_per_switch = 0: " << error;
  bad = vp::InterconnectConfig{};
  bad.hop_latency_ns = -1;
  EXPECT_THROW(bad.validate("hbm."), std::runtime_error);
}

}  // namespace
