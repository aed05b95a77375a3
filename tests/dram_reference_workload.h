#pragma once
// The DRAMsim3 reference of ../shared/data/dram_reference (README.md there): its three request streams,
// the closed-loop driver that keeps N requests outstanding, and the reader of dramsim3_results.json.
// Shared by tests/test_dram_reference.cpp (a prefix of each stream, asserted) and
// bench/bench_dram_reference.cpp (the full streams, printed).
#include <cstdint>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/dram/dram_channel.h"
#include "models/dram/dram_config.h"
#include "tests/u280_dram_channels.h"

// Tests get VP_SHARED_DATA from CMake; benches only VP_SOURCE_DIR, beside which ../shared/data lives.
#ifndef VP_SHARED_DATA
#define VP_SHARED_DATA VP_SOURCE_DIR "/../shared/data"
#endif

namespace vp::dram_reference {

// ---- streams (README "Streams": 64-byte requests, channel-local byte addresses) ------------------------

enum class Stream { seq, mixed, rand };
inline const char* to_string(Stream s) { return s == Stream::seq ? "seq" : s == Stream::mixed ? "mixed" : "rand"; }

constexpr unsigned kRequestBytes = 64;

// Full stream lengths from the README.
inline std::uint64_t full_length(Stream s) { return s == Stream::rand ? 500000 : 1048576; }

// xorshift64 as the README defines it: one step before each use.
inline std::uint64_t xorshift64(std::uint64_t& x) {
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return x;
}

struct Request {
  bool is_write;
  std::uint64_t address;
};

// Yields the requests of one stream in order.
class StreamGenerator {
 public:
  StreamGenerator(Stream stream, std::uint64_t channel_capacity)
      : stream_(stream),
        lines_(channel_capacity / kRequestBytes),
        state_(stream == Stream::mixed ? 0x9E3779B97F4A7C15ull : 0x2545F4914F6CDD1Dull) {}

  Request next() {
    const std::uint64_t i = index_++;
    switch (stream_) {
      case Stream::seq: return {false, kRequestBytes * i};
      case Stream::mixed: return {xorshift64(state_) % 10 < 3, kRequestBytes * i};
      case Stream::rand: return {false, xorshift64(state_) % lines_ * kRequestBytes};
    }
    return {false, 0};
  }

 private:
  Stream stream_;
  std::uint64_t lines_;
  std::uint64_t state_;
  std::uint64_t index_ = 0;
};

// ---- closed-loop driver (README "How they were driven") --------------------------------------------------

struct Measurement {
  std::uint64_t requests = 0, reads = 0, bytes = 0;
  sc_core::sc_time first_issue = sc_core::SC_ZERO_TIME, last_completion = sc_core::SC_ZERO_TIME;
  sc_core::sc_time total_read_latency = sc_core::SC_ZERO_TIME;

  double gigabytes_per_s() const {
    const double seconds = (last_completion - first_issue).to_seconds();
    return seconds > 0 ? static_cast<double>(bytes) / seconds / 1e9 : 0.0;
  }
  double mean_read_latency_ns() const {
    return reads == 0 ? 0.0 : total_read_latency.to_seconds() * 1e9 / static_cast<double>(reads);
  }
};

// N threads share one stream: whichever frees first takes the next request, so at most N are outstanding
// and requests are issued in stream order, each as soon as a slot frees.
class ClosedLoopDriver : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<ClosedLoopDriver> socket{"socket"};

  ClosedLoopDriver(sc_core::sc_module_name name, Stream stream, std::uint64_t requests, unsigned outstanding,
                   std::uint64_t channel_capacity)
      : sc_module(name), generator_(stream, channel_capacity), remaining_(requests) {
    for (unsigned t = 0; t < outstanding; ++t)
      sc_core::sc_spawn([this] { run(); }, sc_core::sc_gen_unique_name("slot"));
  }

  const Measurement& measurement() const { return measurement_; }

 private:
  void run() {
    std::uint8_t data[kRequestBytes] = {};
    tlm::tlm_generic_payload trans;
    while (remaining_ > 0) {
      --remaining_;
      const Request request = generator_.next();
      trans.set_command(request.is_write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
      trans.set_address(request.address);
      trans.set_data_ptr(data);
      trans.set_data_length(kRequestBytes);
      trans.set_streaming_width(kRequestBytes);
      trans.set_byte_enable_ptr(nullptr);
      trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
      const sc_core::sc_time issued = sc_core::sc_time_stamp();
      if (measurement_.requests++ == 0) measurement_.first_issue = issued;
      sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
      socket->b_transport(trans, delay);
      if (trans.get_response_status() != tlm::TLM_OK_RESPONSE)
        throw std::runtime_error("reference stream request failed: " + trans.get_response_string());
      const sc_core::sc_time done = sc_core::sc_time_stamp();
      measurement_.bytes += kRequestBytes;
      measurement_.last_completion = std::max(measurement_.last_completion, done);
      if (!request.is_write) {
        ++measurement_.reads;
        measurement_.total_read_latency += done - issued;
      }
    }
  }

  StreamGenerator generator_;
  std::uint64_t remaining_;
  Measurement measurement_;
};

// One channel driven by one stream; call run() from sc_main (once per process).
struct ReferenceRun {
  DramChannel channel;
  ClosedLoopDriver driver;
  ReferenceRun(const DramConfig& config, Stream stream, std::uint64_t requests, unsigned outstanding)
      : channel("channel", config), driver("driver", stream, requests, outstanding, config.capacity_bytes()) {
    driver.socket.bind(channel.socket);
  }
  Measurement run() {
    sc_core::sc_start();
    return driver.measurement();
  }
};

// ---- dramsim3_results.json ----------------------------------------------------------------------------

struct ReferenceRow {
  std::string memory;  // "hbm2" | "ddr4" (DramConfig::kind)
  Stream stream;
  unsigned outstanding;
  double gigabytes_per_s;
  double mean_read_latency_ns;
};

inline std::string reference_directory() { return std::string(VP_SHARED_DATA) + "/dram_reference"; }

// The file is a flat array of flat objects; a regex per field keeps this free of a JSON library.
inline std::vector<ReferenceRow> read_reference_results(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  const std::regex object(R"(\{[^{}]*\})");
  const auto field = [](const std::string& obj, const std::string& key) {
    const std::regex pattern("\"" + key + R"re("\s*:\s*"?([^",}\s]+)"?)re");
    std::smatch m;
    if (!std::regex_search(obj, m, pattern)) throw std::runtime_error("reference row without " + key + ": " + obj);
    return m[1].str();
  };
  std::vector<ReferenceRow> rows;
  for (auto it = std::sregex_iterator(all.begin(), all.end(), object); it != std::sregex_iterator(); ++it) {
    const std::string obj = it->str();
    const std::string stream = field(obj, "stream");
    ReferenceRow row;
    row.memory = field(obj, "memory");
    row.stream = stream == "seq" ? Stream::seq : stream == "mixed" ? Stream::mixed : Stream::rand;
    if (stream != "seq" && stream != "mixed" && stream != "rand")
      throw std::runtime_error("unknown stream " + stream + " in " + path);
    row.outstanding = static_cast<unsigned>(std::stoul(field(obj, "outstanding")));
    row.gigabytes_per_s = std::stod(field(obj, "dramsim3_GBps"));
    row.mean_read_latency_ns = std::stod(field(obj, "dramsim3_avg_read_latency_ns"));
    rows.push_back(row);
  }
  return rows;
}

inline const ReferenceRow& find_row(const std::vector<ReferenceRow>& rows, const std::string& memory, Stream stream,
                                    unsigned outstanding) {
  for (const ReferenceRow& r : rows)
    if (r.memory == memory && r.stream == stream && r.outstanding == outstanding) return r;
  throw std::runtime_error("no DRAMsim3 row for " + memory + " " + to_string(stream) + " N=" +
                           std::to_string(outstanding));
}

// The channel config DRAMsim3 was set up with (README: the u280.cfg [hbm] and [ddr] timings and geometry).
// With dramsim3_policies, the controller policies set as DRAMsim3's (README "Known differences"): a write
// drain starts when the 32-entry write buffer is full and takes every write buffered
// (DRAMsim3 Controller::ScheduleTransaction: write_draining_ = write_buffer_.size()).
inline DramConfig channel_config(const std::string& memory, bool dramsim3_policies = true) {
  DramConfig c = memory == "hbm2" ? vp::test::u280_hbm_channel() : vp::test::u280_ddr_channel();
  if (dramsim3_policies) {
    c.write_ack = "accepted";
    c.write_buffer_depth = c.write_queue_depth = 32;
    c.write_drain_high = c.write_queue_depth;
    c.write_drain_low = 0;
  }
  return c;
}

inline double percent_difference(double ours, double theirs) { return 100.0 * (ours - theirs) / theirs; }

}  // namespace vp::dram_reference
