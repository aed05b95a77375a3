#include "hls/llama_kernel.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace vp {
namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error("kernel descriptor: " + what);
}

}  // namespace

void validate_descriptor(const KernelDescriptor& d) {
  require(d.magic == kDescriptorMagic, "bad magic (weights buffer 0 does not hold a model image)");
  require(d.version == kDescriptorVersion, "unsupported version " + std::to_string(d.version));
  require(d.dim > 0 && d.dim <= kMaxDim, "dim " + std::to_string(d.dim) + " outside 1.." + std::to_string(kMaxDim));
  require(d.hidden_dim > 0 && d.hidden_dim <= kMaxHidden,
          "hidden_dim " + std::to_string(d.hidden_dim) + " outside 1.." + std::to_string(kMaxHidden));
  require(d.seq_len > 0 && d.seq_len <= kMaxSeqLen,
          "seq_len " + std::to_string(d.seq_len) + " outside 1.." + std::to_string(kMaxSeqLen));
  require(d.n_heads > 0 && d.n_heads <= kMaxHeads && d.dim % d.n_heads == 0,
          "n_heads " + std::to_string(d.n_heads) + " does not divide dim " + std::to_string(d.dim));
  require((d.dim / d.n_heads) % 2 == 0, "head size " + std::to_string(d.dim / d.n_heads) + " is odd");
  require(d.n_kv_heads > 0 && d.n_heads % d.n_kv_heads == 0,
          "n_kv_heads " + std::to_string(d.n_kv_heads) + " does not divide n_heads " + std::to_string(d.n_heads));
  require(d.n_layers > 0, "n_layers is 0");
  require(d.vocab_size > 0, "vocab_size is 0");
  require(d.group_size > 0 && d.dim % d.group_size == 0 && d.hidden_dim % d.group_size == 0,
          "group_size " + std::to_string(d.group_size) + " does not divide dim and hidden_dim");
  require(d.weight_ports > 0 && d.weight_ports <= kMaxWeightPorts,
          "weight_ports " + std::to_string(d.weight_ports) + " outside 1.." + std::to_string(kMaxWeightPorts));
  require(valid_kv_ports(d.kv_ports),
          "kv_ports " + std::to_string(d.kv_ports) + " is not a power of two in 1.." + std::to_string(kMaxKvPorts));
}

void validate_args(const KernelDescriptor& d, const KernelArgs& a) {
  if (a.token >= d.vocab_size)
    throw std::runtime_error("kernel argument token " + std::to_string(a.token) + " >= vocab_size " +
                             std::to_string(d.vocab_size));
  if (a.pos >= d.seq_len)
    throw std::runtime_error("kernel argument pos " + std::to_string(a.pos) + " >= seq_len " +
                             std::to_string(d.seq_len));
}

void KernelBuffers::size_for(const KernelDescriptor& d) {
  const uint32_t kv_dim = d.dim / d.n_heads * d.n_kv_heads;
  const uint32_t widest = std::max(d.dim, d.hidden_dim);
  x.resize(d.dim);
  xb.resize(d.dim);
  xb2.resize(d.dim);
  hb.resize(d.hidden_dim);
  hb2.resize(d.hidden_dim);
  q.resize(d.dim);
  k.resize(kv_dim);
  v.resize(kv_dim);
  att.resize(size_t(d.n_heads) * d.seq_len);
  xq.resize(widest);
  xs.resize(widest / d.group_size);
  ws.resize(widest / d.group_size);
  rms.resize(d.dim);
  rope.resize(d.dim / d.n_heads);
  row.resize(q8_row_stride(widest, d.group_size));
}

}  // namespace vp
