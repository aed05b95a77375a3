#pragma once
// Adapter of the Verilated example kernel rtl/stream_copy_kernel.sv for VerilatedKernel. A
// template over the generated class, so every Verilated variant of the kernel (parameters set
// with -G) shares it: StreamCopyRtlTop<Vstream_copy_kernel>.
#include <cstdint>

#include "models/verilated/verilated_top.h"

namespace vp {

// s_axi_control arguments of the stream-copy kernel (rtl/stream_copy_kernel.sv).
namespace stream_copy_args {
constexpr uint32_t kSrc = 0x10;     // 64-bit: lo, hi
constexpr uint32_t kDst = 0x18;     // 64-bit: lo, hi
constexpr uint32_t kBytes = 0x20;
constexpr uint32_t kAddend = 0x24;  // added to every 32-bit word
}  // namespace stream_copy_args

template <class Model>
class StreamCopyRtlTop : public VerilatedTopModel<Model> {
 public:
  StreamCopyRtlTop() : VerilatedTopModel<Model>("stream_copy_kernel") {
    Model& m = this->model();
    VerilatedTopPorts& p = this->ports_;
    this->bind_vitis_control(6);
    p.masters.emplace_back("m_axi_gmem", VP_AXI_MASTER_PINS(m, m_axi_gmem));
  }
};

}  // namespace vp
