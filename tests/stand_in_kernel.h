#pragma once
// A stand-in for the kernel on the s_axi_control register file's kernel API (KernelControlRegs),
// for the tests of the register file and of the host's driver: it waits for ap_start, accepts it,
// runs the derived class's call() (which may wait on simulated time, or never return, as a hung
// kernel does) and then finishes, for every start.
#include <systemc>

#include "models/kernel/kernel_control_regs.h"

namespace vp::test {

class StandInKernel : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(StandInKernel);
  StandInKernel(const sc_core::sc_module_name& name, KernelControlRegs& regs) : sc_module(name), regs_(regs) {
    SC_THREAD(run);
  }

 protected:
  // One kernel call, after its start was accepted; the arguments are in regs_.
  virtual void call() = 0;
  KernelControlRegs& regs_;

 private:
  void run() {
    for (;;) {
      while (!regs_.start_pending()) sc_core::wait(regs_.start_requested());
      regs_.accept_start();
      call();
      regs_.finish();
    }
  }
};

}  // namespace vp::test
