// PcieDma: link bandwidth and latency, chunk pipelining, data integrity, error reporting, MMIO.
// Each test case elaborates and simulates once (ctest runs each case in its own process).
#include "models/host/pcie_dma.h"

#include <gtest/gtest.h>
#include <tlm_utils/simple_target_socket.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/byte_pattern.h"
#include "tests/sc_test_host.h"
#include "tests/thrown_message.h"

namespace {

using sc_core::sc_time;
using sc_core::SC_NS;

// Test fixture: device memory with real storage, a fixed latency per access and a data port
// of `bytes_per_ns` shared by all accesses (served in arrival order).
class TestMemory : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<TestMemory> socket;
  std::vector<uint8_t> storage;
  unsigned max_concurrent = 0;  // most accesses seen in flight at once

  TestMemory(const sc_core::sc_module_name& name, size_t size, double latency_ns, double bytes_per_ns)
      : sc_module(name), socket("socket"), storage(size, 0), latency_(latency_ns, SC_NS), bytes_per_ns_(bytes_per_ns) {
    socket.register_b_transport(this, &TestMemory::b_transport);
  }

 private:
  void b_transport(tlm::tlm_generic_payload& t, sc_time& delay) {
    ++in_flight_;
    max_concurrent = std::max(max_concurrent, in_flight_);
    sc_core::wait(delay);
    delay = sc_core::SC_ZERO_TIME;
    const sc_time start = std::max(sc_core::sc_time_stamp(), port_free_at_);
    port_free_at_ = start + sc_time(t.get_data_length() / bytes_per_ns_, SC_NS);
    sc_core::wait(port_free_at_ - sc_core::sc_time_stamp() + latency_);
    --in_flight_;
    if (t.get_address() > storage.size() || t.get_data_length() > storage.size() - t.get_address()) {
      t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    if (t.is_write())
      std::memcpy(storage.data() + t.get_address(), t.get_data_ptr(), t.get_data_length());
    else
      std::memcpy(t.get_data_ptr(), storage.data() + t.get_address(), t.get_data_length());
    t.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  sc_time latency_;
  double bytes_per_ns_;
  sc_time port_free_at_;
  unsigned in_flight_ = 0;
};

using vp::test::TestHost;

// The DMA engine under test, wired to a device memory and to a small register file (MMIO).
struct DmaBench {
  vp::PcieDma dma;
  TestMemory memory;
  TestMemory regs;
  DmaBench(const vp::PcieConfig& config, size_t memory_bytes, double memory_latency_ns, double memory_bytes_per_ns,
           double register_ns = 10.0, double register_bytes_per_ns = 4.0)
      : dma("dma", config),
        memory("memory", memory_bytes, memory_latency_ns, memory_bytes_per_ns),
        regs("regs", 64, register_ns, register_bytes_per_ns) {
    dma.to_device.bind(memory.socket);
    dma.to_mmio.bind(regs.socket);
  }
};

// Runs `body` as the host's thread from time zero to the end of the simulation and returns the
// simulated time the body took.
sc_time run_host(const std::function<void()>& body) {
  sc_time elapsed;
  TestHost host("host", [&] {
    const sc_time start = sc_core::sc_time_stamp();
    body();
    elapsed = sc_core::sc_time_stamp() - start;
  });
  sc_core::sc_start();
  return elapsed;
}

// Gen3 x16 with 256-byte payloads: 8 GT/s * 16 lanes / 8 bits * 128/130 * 256/(256+24).
constexpr double kGen3x16EffectiveBytesPerS = 8e9 * 16 / 8 * (128.0 / 130.0) * (256.0 / (256.0 + 24.0));
constexpr double kGen3x16LineBytesPerS = 8e9 * 16 / 8 * (128.0 / 130.0);

std::vector<uint8_t> pattern(size_t n, uint32_t seed) { return vp::test::xorshift_bytes(n, seed); }

TEST(PcieConfig, EffectiveBandwidthOfGen3x16) {
  vp::PcieConfig c;  // defaults are Gen3 x16, 256-byte payload, 24 bytes per TLP
  EXPECT_NEAR(c.effective_bytes_per_s(), kGen3x16EffectiveBytesPerS, 1e-6 * kGen3x16EffectiveBytesPerS);
  EXPECT_NEAR(c.effective_bytes_per_s(), 14.40e9, 0.01e9);
  c.gts_per_lane = 16.0;  // Gen4 doubles it
  EXPECT_NEAR(c.effective_bytes_per_s(), 2 * kGen3x16EffectiveBytesPerS, 1e-6 * kGen3x16EffectiveBytesPerS);
}

TEST(PcieDma, HostToCardReachesEffectiveLinkBandwidthWhenMemoryIsFaster) {
  const size_t n = 16u << 20;
  vp::PcieConfig config;
  // 64 GB/s, far above the link's 14.4, but with a latency longer than a chunk's time on the
  // link: only overlapping chunks keep the link busy.
  DmaBench bench(config, n, 600.0, 64.0);
  TestMemory& memory = bench.memory;
  const std::vector<uint8_t> data = pattern(n, 1);
  const sc_time elapsed = run_host([&] { bench.dma.host_to_card(0, data.data(), n); });

  const double achieved = n / elapsed.to_seconds();
  EXPECT_NEAR(achieved / kGen3x16EffectiveBytesPerS, 1.0, 0.02) << "achieved " << achieved / 1e9 << " GB/s";
  EXPECT_LE(achieved, kGen3x16EffectiveBytesPerS);
  EXPECT_GT(memory.max_concurrent, 1u) << "link transfer of the next chunk overlaps the memory write";
  EXPECT_LE(memory.max_concurrent, config.dma_outstanding);
  EXPECT_TRUE(memory.storage == data);
}

TEST(PcieDma, CardToHostReachesEffectiveLinkBandwidthWhenMemoryIsFaster) {
  const size_t n = 4u << 20;
  DmaBench bench(vp::PcieConfig{}, n, 100.0, 64.0);
  TestMemory& memory = bench.memory;
  memory.storage = pattern(n, 2);
  std::vector<uint8_t> back(n);
  const sc_time elapsed = run_host([&] { bench.dma.card_to_host(0, back.data(), n); });

  const double achieved = n / elapsed.to_seconds();
  // 1024 chunks; the pipeline fill (request latency + memory + return latency) costs ~0.1%.
  EXPECT_NEAR(achieved / kGen3x16EffectiveBytesPerS, 1.0, 0.02) << "achieved " << achieved / 1e9 << " GB/s";
  EXPECT_TRUE(back == memory.storage);
}

TEST(PcieDma, SlowerMemoryLimitsTheTransfer) {
  const size_t n = 4u << 20;
  const double memory_bytes_per_ns = 4.0;  // 4 GB/s, below the link
  DmaBench bench(vp::PcieConfig{}, n, 100.0, memory_bytes_per_ns);
  const std::vector<uint8_t> data = pattern(n, 3);
  const sc_time elapsed = run_host([&] { bench.dma.host_to_card(0, data.data(), n); });
  const double achieved = n / elapsed.to_seconds();
  EXPECT_NEAR(achieved / (memory_bytes_per_ns * 1e9), 1.0, 0.02) << "achieved " << achieved / 1e9 << " GB/s";
}

TEST(PcieDma, OneOutstandingChunkSerializesLinkLatencyAndMemory) {
  vp::PcieConfig config;
  config.dma_outstanding = 1;
  config.latency_ns = 500.0;
  const unsigned chunks = 16;
  const size_t n = chunks * config.dma_chunk_bytes;
  const double memory_latency_ns = 1000.0, memory_bytes_per_ns = 64.0;
  DmaBench bench(config, n, memory_latency_ns, memory_bytes_per_ns);
  TestMemory& memory = bench.memory;
  const std::vector<uint8_t> data = pattern(n, 4);
  const sc_time elapsed = run_host([&] { bench.dma.host_to_card(0, data.data(), n); });

  // Per chunk: 16 TLPs of 256 + 24 bytes on the wire, then the one-way latency, then memory.
  const double serialize_ns = 16 * (256.0 + 24.0) / kGen3x16LineBytesPerS * 1e9;
  const double per_chunk_ns = serialize_ns + 500.0 + config.dma_chunk_bytes / memory_bytes_per_ns + memory_latency_ns;
  EXPECT_NEAR(elapsed.to_seconds() * 1e9, chunks * per_chunk_ns, 0.01);
  EXPECT_EQ(memory.max_concurrent, 1u);
}

TEST(PcieDma, DataSurvivesBothDirectionsWithUnalignedAddressAndPartialChunk) {
  const size_t n = (1u << 20) + 100;
  const uint64_t dev_addr = 0x1000 + 12;
  DmaBench bench(vp::PcieConfig{}, 2u << 20, 100.0, 64.0);
  vp::PcieDma& dma = bench.dma;
  TestMemory& memory = bench.memory;
  const std::vector<uint8_t> data = pattern(n, 5);
  const std::vector<uint8_t> device_side = pattern(n, 6);
  std::vector<uint8_t> written, back(n);
  run_host([&] {
    dma.host_to_card(dev_addr, data.data(), n);
    written.assign(memory.storage.begin() + dev_addr, memory.storage.begin() + dev_addr + n);
    // The card changes the buffer; the host must get the new contents back.
    std::copy(device_side.begin(), device_side.end(), memory.storage.begin() + dev_addr);
    dma.card_to_host(dev_addr, back.data(), n);
  });

  EXPECT_TRUE(written == data);
  EXPECT_TRUE(back == device_side);
  EXPECT_EQ(memory.storage[dev_addr - 1], 0) << "nothing written before the buffer";
  EXPECT_EQ(memory.storage[dev_addr + n], 0) << "nothing written after the buffer";
  EXPECT_EQ(dma.stats().bytes_host_to_card, n);
  EXPECT_EQ(dma.stats().bytes_card_to_host, n);
  EXPECT_EQ(dma.stats().transfers_host_to_card, 1u);
  EXPECT_EQ(dma.stats().transfers_card_to_host, 1u);
}

TEST(PcieDma, ChunkIntoUnmappedAddressThrowsNamingItAndDirection) {
  DmaBench bench(vp::PcieConfig{}, 64 << 10, 100.0, 64.0);  // device memory ends at 0x10000
  vp::PcieDma& dma = bench.dma;
  const std::vector<uint8_t> data = pattern(32 << 10, 7);
  std::string to_card_error, to_host_error;
  std::vector<uint8_t> back(32 << 10);
  run_host([&] {
    try {
      dma.host_to_card(0xC000, data.data(), data.size());
    } catch (const std::runtime_error& e) {
      to_card_error = e.what();
    }
    try {
      dma.card_to_host(0xE000, back.data(), back.size());
    } catch (const std::runtime_error& e) {
      to_host_error = e.what();
    }
  });

  EXPECT_NE(to_card_error.find("0x10000"), std::string::npos) << to_card_error;
  EXPECT_NE(to_card_error.find("host-to-card"), std::string::npos) << to_card_error;
  EXPECT_NE(to_host_error.find("0x10000"), std::string::npos) << to_host_error;
  EXPECT_NE(to_host_error.find("card-to-host"), std::string::npos) << to_host_error;
  // The chunks inside device memory were written before the failure.
  EXPECT_TRUE(std::equal(data.begin(), data.begin() + 0x4000, bench.memory.storage.begin() + 0xC000));
}

TEST(PcieDma, MmioTakesItsRoundTripPlusTheRegisterAccess) {
  vp::PcieConfig config;
  config.mmio_write_ns = 800.0;
  config.mmio_read_ns = 1200.0;
  const double register_ns = 10.0;
  DmaBench bench(config, 4096, 100.0, 64.0, register_ns, 1e9);
  vp::PcieDma& dma = bench.dma;
  sc_time write_time, read_time;
  uint32_t value = 0;
  std::string bad_read_error;
  run_host([&] {
    sc_time t0 = sc_core::sc_time_stamp();
    dma.mmio_write(0x10, 0xCAFEF00D);
    write_time = sc_core::sc_time_stamp() - t0;
    t0 = sc_core::sc_time_stamp();
    value = dma.mmio_read(0x10);
    read_time = sc_core::sc_time_stamp() - t0;
    try {
      dma.mmio_read(0x1000);
    } catch (const std::runtime_error& e) {
      bad_read_error = e.what();
    }
  });

  EXPECT_EQ(value, 0xCAFEF00Du);
  EXPECT_EQ(write_time, sc_time(800.0 + register_ns, SC_NS));
  EXPECT_EQ(read_time, sc_time(1200.0 + register_ns, SC_NS));
  EXPECT_NE(bad_read_error.find("0x1000"), std::string::npos) << bad_read_error;
  EXPECT_EQ(dma.stats().mmio_writes, 1u);
  EXPECT_EQ(dma.stats().mmio_reads, 2u);
}

TEST(PcieDma, LinkBusyTimeAndEnergyCountEveryWireBit) {
  const size_t n = 1u << 20;
  vp::PcieConfig config;
  config.energy_pj_per_bit = 4.0;
  DmaBench bench(config, n, 100.0, 64.0);
  vp::PcieDma& dma = bench.dma;
  const std::vector<uint8_t> data = pattern(n, 8);
  run_host([&] { dma.host_to_card(0, data.data(), n); });

  const double wire_bytes = n + (n / 256.0) * 24.0;
  EXPECT_NEAR(dma.stats().link_busy_host_to_card.to_seconds(), wire_bytes / kGen3x16LineBytesPerS, 1e-9);
  EXPECT_EQ(dma.stats().link_busy_card_to_host, sc_core::SC_ZERO_TIME);
  EXPECT_NEAR(dma.energy_pj(), wire_bytes * 8 * 4.0, 1e-6 * wire_bytes);
}

TEST(PcieConfig, OptionsOverrideDefaultsAndBadChunkSizeIsNamed) {
  namespace po = boost::program_options;
  po::options_description desc;
  vp::declare_config_fields(desc, "pcie.", vp::PcieConfig::fields(), vp::PcieConfig{});
  const char* argv[] = {"prog", "--pcie.gts_per_lane=16", "--pcie.lanes=8", "--pcie.dma_outstanding=4"};
  po::variables_map vm;
  po::store(po::parse_command_line(4, argv, desc), vm);
  po::notify(vm);
  const auto c = vp::config_from_options<vp::PcieConfig>(vm, "pcie.");
  EXPECT_EQ(c.gts_per_lane, 16.0);
  EXPECT_EQ(c.lanes, 8u);
  EXPECT_EQ(c.dma_outstanding, 4u);
  EXPECT_EQ(c.max_payload_bytes, 256u);
  EXPECT_EQ(c.dma_chunk_bytes, 4096u);

  vp::PcieConfig bad;
  bad.dma_chunk_bytes = 1000;  // not a whole number of 256-byte TLPs
  const std::string error = vp::test::thrown_message([&] { bad.validate("pcie."); });
  EXPECT_NE(error.find("pcie.dma_chunk_bytes"), std::string::npos) << "dma_chunk_bytes = 1000: " << error;
  bad = vp::PcieConfig{};
  bad.encoding_efficiency = 1.5;
  EXPECT_THROW(bad.validate("pcie."), std::runtime_error);
}

}  // namespace
