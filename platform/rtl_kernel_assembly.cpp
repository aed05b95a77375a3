// run.mode = rtl: the kernel factory's Verilated rtl/llama_kernel.sv (built with the CMake option VP_RTL,
// default ON; platform/rtl_kernel_absent.cpp stands in without it). The only platform file that
// includes a Verilated kernel.
#include "platform/rtl_kernel_assembly.h"

#include <algorithm>
#include <string>
#include <vector>

#include "models/verilated/llama_rtl_kernel.h"

namespace vp {
namespace {

// VCD probes of the memory channels the kernel's ports are placed on, under tlm.<channel>.
void add_channel_probes(const SimConfig& config, MemorySystem& memory, RtlVcdRecorder& vcd) {
  std::vector<unsigned> done;
  for (const MemoryBank& bank : config.kernel_port_banks()) {
    const unsigned index = memory.channel_index(bank);
    if (std::find(done.begin(), done.end(), index) != done.end()) continue;
    done.push_back(index);
    const DramChannel* dram = memory.channels()[index].model;
    const std::string scope = dram->basename();  // hbm0, ddr1: names without brackets for VCD viewers
    vcd.add_probe(scope, "read_bytes", 64, [dram] { return dram->stats().read_bytes; });
    vcd.add_probe(scope, "write_bytes", 64, [dram] { return dram->stats().write_bytes; });
    vcd.add_probe(scope, "data_bus_busy_cycles", 64, [dram] { return dram->stats().data_bus_busy_cycles; });
  }
}

}  // namespace

bool rtl_kernel_built() { return true; }

std::unique_ptr<KernelModel> make_rtl_kernel(const SimConfig& config, MemorySystem& memory) {
  LlamaRtlKernelConfig c;
  c.kernel = config.kernel;
  c.run_ahead = config.placement.rtl_run_ahead;
  if (!config.run.vcd.empty())
    c.vcd = {config.run.vcd, sc_core::sc_time(config.run.vcd_start_ns, sc_core::SC_NS),
             sc_core::sc_time(config.run.vcd_stop_ns, sc_core::SC_NS)};
  c.vcd_start_token = config.run.vcd_start_token;
  c.vcd_stop_token = config.run.vcd_stop_token;
  auto kernel = std::make_unique<LlamaRtlKernel>("kernel", c);
  add_channel_probes(config, memory, kernel->verilated().vcd());
  return kernel;
}

}  // namespace vp
