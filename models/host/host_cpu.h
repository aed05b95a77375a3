#pragma once
// The host CPU stub: runs the host program (sw/) natively inside one SystemC thread, so its
// driver calls block in simulated time. An exception in the program ends the simulation and
// is kept for the report.
#include <functional>
#include <string>

#include <systemc>

namespace vp {

class HostCpu : public sc_core::sc_module {
 public:
  HostCpu(sc_core::sc_module_name name, std::function<void()> program);

  bool finished() const { return finished_; }
  const std::string& error() const { return error_; }

 private:
  void run();
  std::function<void()> program_;
  bool finished_ = false;
  std::string error_;
};

}  // namespace vp
