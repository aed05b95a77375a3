// Simulation speed of a Verilated RTL kernel in the SoC: the stream-copy kernel copies N bytes
// through the AXI bridges, interconnect and one HBM2 pseudo-channel; prints simulated clock
// edges per wall-clock second and the copy's achieved bandwidth.
//   bench_rtl_stream_copy [MIB=16] [VCD_FILE [START_NS STOP_NS]]
#include "tests/rtl_stream_copy_soc.h"

#include "Vstream_copy_kernel.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

int sc_main(int argc, char* argv[]) {
  const uint32_t mib = argc > 1 ? static_cast<uint32_t>(std::atoi(argv[1])) : 16;
  const uint32_t bytes = mib << 20;
  vp::VerilatedKernelConfig config;
  if (argc > 2) {
    config.vcd.file = argv[2];
    if (argc > 4) {
      config.vcd.start = sc_core::sc_time(std::atof(argv[3]), sc_core::SC_NS);
      config.vcd.stop = sc_core::sc_time(std::atof(argv[4]), sc_core::SC_NS);
    }
  }
  sc_core::sc_time copy_start, copy_end;
  vp::test::RtlStreamCopySoc soc(std::make_unique<vp::StreamCopyRtlTop<Vstream_copy_kernel>>(), config,
                                 [&](vp::test::RtlTestHost& host) {
                                   copy_start = sc_core::sc_time_stamp();
                                   host.run_copy(0, 128u << 20, bytes, 1, sc_core::sc_time(1, sc_core::SC_SEC));
                                   copy_end = sc_core::sc_time_stamp();
                                 });
  soc.kernel.vcd().add_probe("hbm0", "read_bytes", 64, [&] { return soc.dram.stats().read_bytes; });
  soc.kernel.vcd().add_probe("hbm0", "write_bytes", 64, [&] { return soc.dram.stats().write_bytes; });
  soc.kernel.vcd().add_probe("hbm0", "data_bus_busy_cycles", 64,
                             [&] { return soc.dram.stats().data_bus_busy_cycles; });
  const auto wall_start = std::chrono::steady_clock::now();
  sc_core::sc_start();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  if (soc.kernel.violation()) {
    std::printf("protocol violation: %s\n", soc.kernel.violation()->message().c_str());
    return 1;
  }
  const double edges = double(soc.kernel.clock_edges());
  const double seconds = (copy_end - copy_start).to_seconds();
  std::printf("stream copy of %u MiB at %.0f MHz, 512-bit m_axi, one HBM2 pseudo-channel\n", mib,
              config.clock_mhz);
  std::printf("  simulated: %.0f clock edges, %.3f us, %.2f GB/s read\n", edges, seconds * 1e6,
              bytes / seconds / 1e9);
  std::printf("  wall: %.3f s, %.0f cycles/s (%.2f us simulated per wall second)\n", wall, edges / wall,
              seconds * 1e6 / wall);
  std::printf("  most reads in memory at once: %u, read bursts: %llu\n", soc.kernel.master(0).stats().max_reads_in_memory,
              static_cast<unsigned long long>(soc.kernel.master_checker(0).read_bursts()));
  return 0;
}
