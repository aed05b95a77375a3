#pragma once
// Device memory as the host lays it out for a testbench, in one flat memory from address 0:
// each weight port's buffer, then each KV port's key cache and value cache, then the logits, each
// starting on a 4096-byte boundary.
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "hls/device_layout.h"
#include "hls/llama_kernel.h"
#include "sw/device_image.h"

namespace vp::test {

constexpr uint64_t kDeviceBufferAlign = 4096;

struct DeviceMemoryLayout {
  KernelArgs args;           // every buffer's address; token and pos left 0
  uint64_t total_bytes = 0;  // end of the logits buffer

  // The arguments of the call for `token` at `pos`.
  KernelArgs call(uint32_t token, uint32_t pos) const {
    KernelArgs a = args;
    a.token = token;
    a.pos = pos;
    return a;
  }
};

inline DeviceMemoryLayout device_memory_layout(const DeviceImage& image) {
  DeviceMemoryLayout layout;
  uint64_t at = 0;
  for (size_t p = 0; p < image.port_buffers.size(); ++p) {
    layout.args.weights[p] = at;
    at += align_up(image.descriptor.port_buffer_bytes, kDeviceBufferAlign);
  }
  for (uint32_t p = 0; p < image.descriptor.kv_ports; ++p) {
    layout.args.key_cache[p] = at;
    at += align_up(image.kv_cache_bytes, kDeviceBufferAlign);
    layout.args.value_cache[p] = at;
    at += align_up(image.kv_cache_bytes, kDeviceBufferAlign);
  }
  layout.args.logits = at;
  at += align_up(image.logits_bytes, kDeviceBufferAlign);
  layout.total_bytes = at;
  return layout;
}

// Copies the image's weight port buffers to their addresses in `memory`, which holds
// layout.total_bytes bytes.
inline void copy_weight_ports(const DeviceImage& image, const DeviceMemoryLayout& layout, uint8_t* memory) {
  for (size_t p = 0; p < image.port_buffers.size(); ++p) {
    const std::vector<uint8_t>& buffer = image.port_buffers[p];
    if (layout.args.weights[p] + buffer.size() > layout.total_bytes)
      throw std::runtime_error("weight port " + std::to_string(p) + " buffer does not fit the device memory layout");
    std::memcpy(memory + layout.args.weights[p], buffer.data(), buffer.size());
  }
}

}  // namespace vp::test
