#pragma once
// Builds the device-memory image of a Q8_0 model for a kernel with a given number of weight
// ports and KV-cache ports (layout: hls/device_layout.h). The host uploads each port buffer once
// and allocates a key and a value cache of kv_cache_bytes on each KV port.
#include <cstdint>
#include <vector>

#include "hls/device_layout.h"
#include "sw/checkpoint.h"

namespace vp {

struct DeviceImage {
  KernelDescriptor descriptor{};
  std::vector<std::vector<uint8_t>> port_buffers;  // one per weight port, all the same size
  uint64_t kv_cache_bytes = 0;                     // each KV port's key cache, and its value cache
  uint64_t logits_bytes = 0;
};

DeviceImage build_device_image(const Q8Checkpoint& model, uint32_t weight_ports, uint32_t kv_ports = 1);

}  // namespace vp
