#include "models/host/host_cpu.h"

#include <exception>

namespace vp {

HostCpu::HostCpu(sc_core::sc_module_name name, std::function<void()> program)
    : sc_module(name), program_(std::move(program)) {
  SC_HAS_PROCESS(HostCpu);
  SC_THREAD(run);
}

void HostCpu::run() {
  try {
    program_();
  } catch (const std::exception& e) {
    error_ = e.what();
  }
  finished_ = true;
  sc_core::sc_stop();
}

}  // namespace vp
