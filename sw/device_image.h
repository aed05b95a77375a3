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

// A descriptor's header: magic, version, the model's dimensions, the Q8 group size and the port
// counts, the rest zero (build_device_image adds the host-rounded reciprocals and the offsets). It
// is all the kernel's timing and energy models read of a descriptor.
inline KernelDescriptor descriptor_header(uint32_t dim, uint32_t hidden_dim, uint32_t n_layers, uint32_t n_heads,
                                          uint32_t n_kv_heads, uint32_t vocab_size, uint32_t seq_len,
                                          uint32_t group_size, uint32_t weight_ports, uint32_t kv_ports) {
  KernelDescriptor d{};
  d.magic = kDescriptorMagic;
  d.version = kDescriptorVersion;
  d.dim = dim;
  d.hidden_dim = hidden_dim;
  d.n_layers = n_layers;
  d.n_heads = n_heads;
  d.n_kv_heads = n_kv_heads;
  d.vocab_size = vocab_size;
  d.seq_len = seq_len;
  d.group_size = group_size;
  d.weight_ports = weight_ports;
  d.kv_ports = kv_ports;
  return d;
}

DeviceImage build_device_image(const Q8Checkpoint& model, uint32_t weight_ports, uint32_t kv_ports = 1);

}  // namespace vp
