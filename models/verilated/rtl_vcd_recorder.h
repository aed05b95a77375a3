#pragma once
// The --vcd output of an RTL kernel: one VCD file holding the Verilated model's signals and,
// under the scope `tlm`, probes of transaction-level activity (per AXI port transactions in
// flight and bytes moved, per memory channel bytes and busy cycles...), recorded only inside a
// time window. The file is opened (and the model's signals registered) at the first sample
// inside [start, stop] and closed at the first sample after stop, so it holds that range only.
// Probes are added through the public callback interface Verilator's generated trace code uses
// (VerilatedVcd::addInitCb/addFullCb/addChgCb), so they share the model's time axis.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "models/verilated/verilated_top.h"

namespace vp {

struct VcdWindow {
  std::string file;                                 // empty: no VCD
  sc_core::sc_time start = sc_core::SC_ZERO_TIME;
  sc_core::sc_time stop = sc_core::SC_ZERO_TIME;    // SC_ZERO_TIME: until the end of the run
};

class RtlVcdRecorder {
 public:
  explicit RtlVcdRecorder(VcdWindow window);
  ~RtlVcdRecorder();
  RtlVcdRecorder(const RtlVcdRecorder&) = delete;
  RtlVcdRecorder& operator=(const RtlVcdRecorder&) = delete;

  // A value sampled at every dump, shown as tlm.<scope>.<name>. Throws once the file is open
  // (the signal list is fixed then) or when bits is not 1..64.
  void add_probe(const std::string& scope, const std::string& name, unsigned bits, std::function<uint64_t()> sample);

  // Called with the model's signals settled at time `t` (non-decreasing); dumps when inside the window.
  void sample(VerilatedTop& top, const sc_core::sc_time& t);
  // End of simulation at `now`: closes the file. If the kernel's clock was stopped for the whole
  // window so far (no sample fell inside it), the file still gets the model's unchanged values
  // at the window's start.
  void finish(VerilatedTop& top, const sc_core::sc_time& now);
  // Closes the file if open.
  void close();
  // A window whose bounds are events of the run (e.g. token boundaries, see platform/soc.cpp):
  // build with start = sc_max_time() (nothing recorded), then open_at(t) at the event that
  // opens it (samples from t on are dumped) and close_at(t) at the one that closes it (samples
  // after t close the file). Times not before the last sample.
  void open_at(const sc_core::sc_time& t);
  void close_at(const sc_core::sc_time& t);

  bool is_open() const { return vcd_ != nullptr; }
  bool finished() const { return finished_; }
  const VcdWindow& window() const { return window_; }

 private:
  struct Probe {
    std::string scope, name;
    unsigned bits;
    std::function<uint64_t()> sample;
    uint32_t code_offset = 0;
  };

  static void init_probes(void* self, VerilatedVcd* vcd, uint32_t code);
  static void dump_full(void* self, VerilatedVcd::Buffer* buffer);
  static void dump_changes(void* self, VerilatedVcd::Buffer* buffer);
  static uint64_t picoseconds(const sc_core::sc_time& t);

  VcdWindow window_;
  std::vector<Probe> probes_;
  std::unique_ptr<VerilatedVcdC> vcd_;
  uint32_t base_code_ = 0;
  bool finished_ = false;
};

}  // namespace vp
