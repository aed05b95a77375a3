#include "sw/checkpoint_writer.h"

#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "sw/checkpoint_reader.h"
#include "sw/output_file.h"
#include "sw/rope_table.h"

namespace vp {

namespace {

// Checkpoint bytes into an atomic output file.
class CheckpointFile {
 public:
  explicit CheckpointFile(const std::string& path) : file_(path) {}
  void write(const void* data, std::size_t bytes) { file_.write(data, bytes); }
  template <typename T>
  void write_vector(const std::vector<T>& v) { write(v.data(), v.size() * sizeof(T)); }
  void write_q8(const Q8Tensor& t) {
    write_vector(t.q);
    write_vector(t.s);
  }
  void commit() { file_.commit(); }

 private:
  AtomicOutputFile file_;
};

void store_i32(unsigned char* p, int32_t v) { std::memcpy(p, &v, sizeof v); }

void store_dims(unsigned char* p, const ModelShape& s, int32_t stored_vocab) {
  const int32_t dims[7] = {s.dim, s.hidden_dim, s.n_layers, s.n_heads, s.n_kv_heads, stored_vocab, s.seq_len};
  for (int i = 0; i < 7; ++i) store_i32(p + 4 * i, dims[i]);
}

}  // namespace

void write_fp32_checkpoint(const std::string& path, const Fp32Checkpoint& c) {
  c.validate(path);
  const ModelShape& shape = c.shape;
  unsigned char header[kFp32CheckpointHeaderBytes];
  store_dims(header, shape, shape.shared_classifier ? shape.vocab_size : -shape.vocab_size);

  // Legacy layout: freq_cis_real [seq_len][head_size/2] then freq_cis_imag, from the interleaved table.
  const std::vector<float> rope = rope_table(shape);
  std::vector<float> freq_cis_real(rope.size() / 2), freq_cis_imag(rope.size() / 2);
  for (std::size_t i = 0; i < freq_cis_real.size(); ++i) {
    freq_cis_real[i] = rope[2 * i];
    freq_cis_imag[i] = rope[2 * i + 1];
  }

  CheckpointFile out(path);
  out.write(header, sizeof header);
  out.write_vector(c.token_embedding);
  out.write_vector(c.rms_att);
  out.write_vector(c.wq);
  out.write_vector(c.wk);
  out.write_vector(c.wv);
  out.write_vector(c.wo);
  out.write_vector(c.rms_ffn);
  out.write_vector(c.w1);
  out.write_vector(c.w2);
  out.write_vector(c.w3);
  out.write_vector(c.rms_final);
  out.write_vector(freq_cis_real);
  out.write_vector(freq_cis_imag);
  if (!shape.shared_classifier) out.write_vector(c.wcls);
  out.commit();
}

void write_q8_checkpoint(const std::string& path, const Q8Checkpoint& c) {
  c.validate(path);
  unsigned char header[kQ8CheckpointHeaderBytes] = {};
  store_i32(header, static_cast<int32_t>(kQ8CheckpointMagic));
  store_i32(header + 4, kQ8CheckpointVersion);
  store_dims(header + 8, c.shape, c.shape.vocab_size);
  header[36] = c.shape.shared_classifier ? 1 : 0;
  store_i32(header + 37, c.group_size);

  CheckpointFile out(path);
  out.write(header, sizeof header);
  out.write_vector(c.rms_att);
  out.write_vector(c.rms_ffn);
  out.write_vector(c.rms_final);
  out.write_q8(c.token_embedding);
  for (const LayerMatrix& m : layer_matrices(c.shape))
    for (const Q8Tensor& t : c.*m.q8) out.write_q8(t);
  if (!c.shape.shared_classifier) out.write_q8(c.wcls);
  out.commit();
}

}  // namespace vp
