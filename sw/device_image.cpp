#include "sw/device_image.h"

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include "sw/huge_pages.h"
#include "sw/rope_table.h"

namespace vp {
namespace {

constexpr uint64_t kTensorAlign = 4096;  // tensors start on a 4 KiB page: bursts never straddle two tensors

// Hands out aligned offsets inside a port buffer.
class OffsetAllocator {
 public:
  uint64_t take(uint64_t bytes, uint64_t align) {
    next_ = align_up(next_, align);
    const uint64_t at = next_;
    next_ += bytes;
    return at;
  }
  uint64_t end() const { return align_up(next_, kTensorAlign); }

 private:
  uint64_t next_ = 0;
};

uint64_t slice_bytes(uint32_t rows, uint32_t cols, uint32_t gs, uint32_t ports) {
  return uint64_t(rows_per_port(rows, ports)) * q8_row_stride(cols, gs);
}

void place_matrix(DeviceImage& image, const Q8Tensor& t, uint64_t offset) {
  const uint32_t ports = image.descriptor.weight_ports;
  const uint64_t stride = q8_row_stride(t.cols, t.group_size);
  const size_t scale_bytes = size_t(t.cols / t.group_size) * sizeof(float);
  for (int r = 0; r < t.rows; ++r) {
    uint8_t* dst = image.port_buffers[port_of_row(r, ports)].data() + offset + row_in_port(r, ports) * stride;
    std::memcpy(dst, t.row_q(r), t.cols);
    std::memcpy(dst + t.cols, t.row_s(r), scale_bytes);
  }
}

void place_floats(DeviceImage& image, const std::vector<float>& v, uint64_t offset) {
  std::memcpy(image.port_buffers[0].data() + offset, v.data(), v.size() * sizeof(float));
}

}  // namespace

DeviceImage build_device_image(const Q8Checkpoint& model, uint32_t weight_ports, uint32_t kv_ports) {
  const ModelShape& s = model.shape;
  if (weight_ports == 0 || weight_ports > kMaxWeightPorts)
    throw std::invalid_argument("kernel.weight_ports = " + std::to_string(weight_ports) + " outside 1.." +
                                std::to_string(kMaxWeightPorts));
  if (!valid_kv_ports(kv_ports))
    throw std::invalid_argument("kernel.kv_ports = " + std::to_string(kv_ports) + ": expected a power of two in 1.." +
                                std::to_string(kMaxKvPorts));
  const uint32_t gs = static_cast<uint32_t>(model.group_size);
  const uint32_t dim = s.dim, hidden = s.hidden_dim, kv_dim = s.kv_dim(), layers = s.n_layers;
  const uint32_t vocab = s.vocab_size, seq = s.seq_len, hs = s.head_size();

  DeviceImage image;
  KernelDescriptor& d = image.descriptor;
  d = descriptor_header(dim, hidden, layers, s.n_heads, s.n_kv_heads, vocab, seq, gs, weight_ports, kv_ports);
  d.inv_dim = inv_dim(s);
  d.inv_sqrt_head_size = inv_sqrt_head_size(s);

  OffsetAllocator alloc;
  alloc.take(sizeof(KernelDescriptor), kRowAlign);
  d.off_rms_att = alloc.take(uint64_t(layers) * dim * sizeof(float), kRowAlign);
  d.off_rms_ffn = alloc.take(uint64_t(layers) * dim * sizeof(float), kRowAlign);
  d.off_rms_final = alloc.take(uint64_t(dim) * sizeof(float), kRowAlign);
  d.off_rope = alloc.take(uint64_t(seq) * hs * sizeof(float), kRowAlign);
  d.off_embedding = alloc.take(slice_bytes(vocab, dim, gs, weight_ports), kTensorAlign);
  const uint64_t layer0 = alloc.end();
  d.off_wq = alloc.take(slice_bytes(dim, dim, gs, weight_ports), kTensorAlign);
  d.off_wk = alloc.take(slice_bytes(kv_dim, dim, gs, weight_ports), kTensorAlign);
  d.off_wv = alloc.take(slice_bytes(kv_dim, dim, gs, weight_ports), kTensorAlign);
  d.off_wo = alloc.take(slice_bytes(dim, dim, gs, weight_ports), kTensorAlign);
  d.off_w1 = alloc.take(slice_bytes(hidden, dim, gs, weight_ports), kTensorAlign);
  d.off_w2 = alloc.take(slice_bytes(dim, hidden, gs, weight_ports), kTensorAlign);
  d.off_w3 = alloc.take(slice_bytes(hidden, dim, gs, weight_ports), kTensorAlign);
  d.layer_stride = alloc.end() - layer0;
  alloc.take(d.layer_stride * (layers - 1), kTensorAlign);
  d.off_classifier = s.shared_classifier ? d.off_embedding
                                         : alloc.take(slice_bytes(vocab, dim, gs, weight_ports), kTensorAlign);
  d.port_buffer_bytes = alloc.end();

  // Each buffer zeroed in place (assign(n, zeros) would also build and copy a zeroed prototype: on the 110M
  // model, 118 MB more to fault in and clear at every start), on huge pages.
  image.port_buffers.resize(weight_ports);
  for (std::vector<uint8_t>& buffer : image.port_buffers) resize_on_huge_pages(buffer, d.port_buffer_bytes);
  std::memcpy(image.port_buffers[0].data(), &d, sizeof d);
  place_floats(image, model.rms_att, d.off_rms_att);
  place_floats(image, model.rms_ffn, d.off_rms_ffn);
  place_floats(image, model.rms_final, d.off_rms_final);
  place_floats(image, rope_table(s), d.off_rope);
  place_matrix(image, model.token_embedding, d.off_embedding);
  for (uint32_t l = 0; l < layers; ++l) {
    const uint64_t lo = l * d.layer_stride;
    place_matrix(image, model.wq[l], d.off_wq + lo);
    place_matrix(image, model.wk[l], d.off_wk + lo);
    place_matrix(image, model.wv[l], d.off_wv + lo);
    place_matrix(image, model.wo[l], d.off_wo + lo);
    place_matrix(image, model.w1[l], d.off_w1 + lo);
    place_matrix(image, model.w2[l], d.off_w2 + lo);
    place_matrix(image, model.w3[l], d.off_w3 + lo);
  }
  if (!s.shared_classifier) place_matrix(image, model.wcls, d.off_classifier);
  image.kv_cache_bytes = kv_cache_bytes_per_port(layers, seq, kv_dim, kv_ports);
  image.logits_bytes = uint64_t(vocab) * sizeof(float);
  return image;
}

}  // namespace vp
