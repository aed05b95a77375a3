// Our DramChannel against DRAMsim3 on the streams of ../shared/data/dram_reference (README.md there):
// every memory x stream x N row of dramsim3_results.json, driven closed loop with N requests outstanding,
// printed as ours vs DRAMsim3 (bandwidth and mean read latency) with the difference in percent.
// All rows simulate side by side in one SystemC simulation (SystemC simulates once per process).
//   bench_dram_reference [REQUESTS]   at most REQUESTS requests of each stream (default: the full streams)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "tests/dram_reference_workload.h"

int sc_main(int argc, char* argv[]) {
  using namespace vp::dram_reference;
  const std::uint64_t limit = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 0;
  const std::vector<ReferenceRow> rows = read_reference_results(reference_directory() + "/dramsim3_results.json");

  struct Case {
    const ReferenceRow* row;
    std::unique_ptr<vp::DramChannel> channel;
    std::unique_ptr<ClosedLoopDriver> driver;
  };
  std::vector<Case> cases;
  for (const char* memory : {"hbm2", "ddr4"})
    for (Stream stream : {Stream::seq, Stream::rand, Stream::mixed})
      for (unsigned n : {8u, 16u, 32u}) {
        const ReferenceRow& row = find_row(rows, memory, stream, n);
        // DRAMsim3's policies: its write drain (channel_config) and its one-cycle front end (as the test's).
        vp::DramConfig config = channel_config(memory);
        config.frontend_cycles = 1;
        const std::uint64_t requests = limit > 0 ? std::min(limit, full_length(stream)) : full_length(stream);
        const std::string name = std::string(memory) + "_" + to_string(stream) + "_" + std::to_string(n);
        Case c{&row, std::make_unique<vp::DramChannel>((name + "_channel").c_str(), config), nullptr};
        c.driver = std::make_unique<ClosedLoopDriver>((name + "_driver").c_str(), stream, requests, n,
                                                      config.capacity_bytes());
        c.driver->socket.bind(c.channel->socket);
        cases.push_back(std::move(c));
      }

  const auto wall_start = std::chrono::steady_clock::now();
  sc_core::sc_start();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  std::printf("%-6s %-6s %3s | %9s %9s %7s | %9s %9s %7s\n", "memory", "stream", "N", "ours GB/s", "DRAMsim3",
              "diff", "ours ns", "DRAMsim3", "diff");
  std::uint64_t total_requests = 0;
  for (const Case& c : cases) {
    const Measurement& m = c.driver->measurement();
    total_requests += m.requests;
    std::printf("%-6s %-6s %3u | %9.3f %9.3f %+6.1f%% | %9.2f %9.2f %+6.1f%%\n", c.row->memory.c_str(),
                to_string(c.row->stream), c.row->outstanding, m.gigabytes_per_s(), c.row->gigabytes_per_s,
                percent_difference(m.gigabytes_per_s(), c.row->gigabytes_per_s), m.mean_read_latency_ns(),
                c.row->mean_read_latency_ns, percent_difference(m.mean_read_latency_ns(), c.row->mean_read_latency_ns));
  }
  std::printf("%llu requests in %.2f s wall (%.2f M requests/s)\n", static_cast<unsigned long long>(total_requests),
              wall, total_requests / wall / 1e6);
  return 0;
}
