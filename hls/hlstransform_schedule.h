#pragma once
// Parameters of the HLSTransform kernel's schedule (HLSTransform/submission,
// llama_xrt_kernels/src/forward.cpp, as Vitis HLS schedules it): the m_axi bundles' widths, burst
// inference of the matmul row copy, the m_axi adapter's defaults and the source's unroll factors.
// Used by hls/hlstransform_timing_model.h when kernel.vector_unit = hlstransform; each value's
// source is in platform/kernels/hlstransform_paper.cfg. The defaults here are that file's values.
#include <cstdint>
#include <string>

namespace vp {

struct HlsTransformSchedule {
  uint32_t weights_maxi_bits = 32;  // gmem0 (struct Transformer*): widest scalar, float; no widening of a struct
  uint32_t kv_maxi_bits = 512;      // gmem (key_cache, value_cache: float*): widened to 512 in the Vitis flow
  bool row_burst = false;           // a burst for each matmul row copy (matmul1: wq row) on gmem0
  uint32_t maxi_latency = 64;       // m_axi read latency the schedule assumes (UG1399 default 64)
  uint32_t max_read_burst = 16;     // max_read_burst_length (UG1399 default 16)
  uint32_t max_write_burst = 16;    // max_write_burst_length (UG1399 default 16)
  uint32_t read_outstanding = 16;   // num_read/write_outstanding: kernel.max_outstanding (platform/sim_config.cpp copies it)
  uint32_t unroll = 16;             // UNROLL_FACTOR (vector loops; partition factor of x, xb, q, k, v, att, hb, xq)
  uint32_t swiglu_unroll = 4;       // swi_glu: UNROLL factor = 4
  uint32_t softmax_unroll = 16;     // softmax exp and norm loops: UNROLL factor = 16

  // Throws std::invalid_argument naming `prefix` + the key.
  void validate(const std::string& prefix) const;
};

}  // namespace vp
