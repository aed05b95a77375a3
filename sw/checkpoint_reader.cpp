#include "sw/checkpoint_reader.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "sw/quantizer.h"

namespace vp {

namespace {

int32_t load_i32(const unsigned char* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// A checkpoint file read front to back in whole-tensor blocks, with its size known up front so that a
// truncated file is reported before any large allocation.
class CheckpointFile {
 public:
  explicit CheckpointFile(const std::string& path) : path_(path), in_(path, std::ios::binary) {
    if (!in_) throw std::runtime_error("cannot open checkpoint " + path + " (missing or unreadable)");
    in_.seekg(0, std::ios::end);
    size_ = static_cast<int64_t>(in_.tellg());
    in_.seekg(0, std::ios::beg);
  }

  int64_t size() const { return size_; }
  const std::string& path() const { return path_; }

  void read(void* dst, std::size_t bytes, const char* what) {
    in_.read(static_cast<char*>(dst), static_cast<std::streamsize>(bytes));
    if (static_cast<std::size_t>(in_.gcount()) != bytes)
      throw std::runtime_error("checkpoint " + path_ + ": read error in " + what);
  }

  std::vector<float> floats(std::size_t count, const char* what) {
    std::vector<float> v(count);
    read(v.data(), count * sizeof(float), what);
    return v;
  }

  Q8Tensor q8(int rows, int cols, int gs, const char* what) {
    Q8Tensor t = Q8Tensor::zeros(rows, cols, gs);
    read(t.q.data(), t.q.size(), what);
    read(t.s.data(), t.s.size() * sizeof(float), what);
    return t;
  }

  void skip(int64_t bytes) { in_.seekg(bytes, std::ios::cur); }

  // Called once the expected size is known, before reading tensors.
  void check_size(int64_t expected, const ModelShape& shape) const {
    if (size_ < expected)
      throw std::runtime_error("checkpoint " + path_ + " is truncated: expected " + std::to_string(expected) +
                               " bytes for " + to_string(shape) + ", file has " + std::to_string(size_));
    if (size_ > expected)
      throw std::runtime_error("checkpoint " + path_ + " has " + std::to_string(size_ - expected) +
                               " trailing bytes: expected " + std::to_string(expected) + " bytes for " +
                               to_string(shape) + ", file has " + std::to_string(size_));
  }

  void require_header(int64_t header_bytes) const {
    if (size_ < header_bytes)
      throw std::runtime_error("checkpoint " + path_ + " is truncated: expected at least a " +
                               std::to_string(header_bytes) + "-byte header, file has " + std::to_string(size_) +
                               " bytes");
  }

 private:
  std::string path_;
  std::ifstream in_;
  int64_t size_ = 0;
};

// dims[0..6] in header order; vocab_size keeps its sign as stored.
ModelShape shape_from_dims(const int32_t dims[7]) {
  ModelShape s;
  s.dim = dims[0];
  s.hidden_dim = dims[1];
  s.n_layers = dims[2];
  s.n_heads = dims[3];
  s.n_kv_heads = dims[4];
  s.vocab_size = dims[5];
  s.seq_len = dims[6];
  return s;
}

int64_t layer_matrix_elements(const ModelShape& s) {
  int64_t total = 0;
  for (const LayerMatrix& m : layer_matrices(s)) total += int64_t{s.n_layers} * m.rows * m.cols;
  return total;
}

}  // namespace

Fp32Checkpoint read_fp32_checkpoint(const std::string& path) {
  CheckpointFile file(path);
  file.require_header(kFp32CheckpointHeaderBytes);
  int32_t dims[7];
  file.read(dims, sizeof dims, "header");
  ModelShape shape = shape_from_dims(dims);
  // run.c: a negative vocab_size marks an unshared classifier. INT32_MIN has no positive twin: left to validate.
  shape.shared_classifier = dims[5] > 0;
  if (dims[5] < 0 && dims[5] != INT32_MIN) shape.vocab_size = -dims[5];
  shape.validate(path);

  const int64_t dim = shape.dim, layers = shape.n_layers, vocab = shape.vocab_size;
  const int64_t freq_cis_floats = int64_t{shape.seq_len} * shape.head_size() / 2;
  const int64_t floats = vocab * dim + 2 * layers * dim + layer_matrix_elements(shape) + dim + 2 * freq_cis_floats +
                         (shape.shared_classifier ? 0 : vocab * dim);
  file.check_size(kFp32CheckpointHeaderBytes + 4 * floats, shape);

  Fp32Checkpoint c;
  c.shape = shape;
  c.token_embedding = file.floats(vocab * dim, "token_embedding");
  c.rms_att = file.floats(layers * dim, "rms_att");
  const auto matrices = layer_matrices(shape);
  for (int i = 0; i < 4; ++i)  // wq wk wv wo
    c.*matrices[i].fp32 = file.floats(layers * matrices[i].rows * matrices[i].cols, matrices[i].name);
  c.rms_ffn = file.floats(layers * dim, "rms_ffn");
  for (int i = 4; i < 7; ++i)  // w1 w2 w3
    c.*matrices[i].fp32 = file.floats(layers * matrices[i].rows * matrices[i].cols, matrices[i].name);
  c.rms_final = file.floats(dim, "rms_final");
  file.skip(2 * freq_cis_floats * 4);  // freq_cis_real, freq_cis_imag: RoPE is recomputed
  if (!shape.shared_classifier) c.wcls = file.floats(vocab * dim, "wcls");
  return c;
}

Q8Checkpoint read_q8_checkpoint(const std::string& path) {
  CheckpointFile file(path);
  unsigned char header[kQ8CheckpointHeaderBytes];
  if (file.size() >= 4) {
    file.read(header, 4, "magic");
    const uint32_t magic = static_cast<uint32_t>(load_i32(header));
    if (magic != kQ8CheckpointMagic) {
      char hex[16];
      std::snprintf(hex, sizeof hex, "0x%08x", magic);
      throw std::runtime_error("checkpoint " + path + " has wrong magic " + hex + ", expected 0x616b3432 (\"ak42\")");
    }
  }
  file.require_header(kQ8CheckpointHeaderBytes);
  file.read(header + 4, kQ8CheckpointHeaderBytes - 4, "header");
  const int32_t version = load_i32(header + 4);
  if (version != kQ8CheckpointVersion)
    throw std::runtime_error("checkpoint " + path + " has unsupported version " + std::to_string(version) +
                             ", only version 2 (Q8_0) is supported");
  int32_t dims[7];
  for (int i = 0; i < 7; ++i) dims[i] = load_i32(header + 8 + 4 * i);
  ModelShape shape = shape_from_dims(dims);
  const unsigned char shared = header[36];
  if (shared > 1)
    throw std::runtime_error("checkpoint " + path + ": shared_classifier flag is " + std::to_string(shared) +
                             ", expected 0 or 1");
  shape.shared_classifier = shared == 1;
  shape.validate(path);
  const int gs = load_i32(header + 37);
  if (gs <= 0 || shape.dim % gs != 0 || shape.hidden_dim % gs != 0)
    throw std::runtime_error("checkpoint " + path + ": group size " + std::to_string(gs) + " does not divide dim " +
                             std::to_string(shape.dim) + " and hidden_dim " + std::to_string(shape.hidden_dim));

  const int64_t dim = shape.dim, layers = shape.n_layers, vocab = shape.vocab_size;
  const int64_t q8_elements =
      vocab * dim + layer_matrix_elements(shape) + (shape.shared_classifier ? 0 : vocab * dim);
  const int64_t expected = kQ8CheckpointHeaderBytes + 4 * (2 * layers * dim + dim) + q8_elements + 4 * (q8_elements / gs);
  file.check_size(expected, shape);

  Q8Checkpoint c;
  c.shape = shape;
  c.group_size = gs;
  c.rms_att = file.floats(layers * dim, "rms_att");
  c.rms_ffn = file.floats(layers * dim, "rms_ffn");
  c.rms_final = file.floats(dim, "rms_final");
  c.token_embedding = file.q8(shape.vocab_size, shape.dim, gs, "token_embedding");
  for (const LayerMatrix& m : layer_matrices(shape)) {
    std::vector<Q8Tensor>& per_layer = c.*m.q8;
    per_layer.reserve(shape.n_layers);
    for (int l = 0; l < shape.n_layers; ++l) per_layer.push_back(file.q8(m.rows, m.cols, gs, m.name));
  }
  if (!shape.shared_classifier) c.wcls = file.q8(shape.vocab_size, shape.dim, gs, "wcls");
  return c;
}

Q8Checkpoint load_checkpoint_as_q8(const std::string& path, int max_group_size) {
  if (max_group_size < 1)
    throw std::runtime_error("loading " + path + ": maximum group size must be at least 1, got " +
                             std::to_string(max_group_size));
  bool is_q8 = false;
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open checkpoint " + path + " (missing or unreadable)");
    unsigned char magic[4];
    in.read(reinterpret_cast<char*>(magic), sizeof magic);
    is_q8 = in.gcount() == 4 && static_cast<uint32_t>(load_i32(magic)) == kQ8CheckpointMagic;
  }
  if (is_q8) {
    Q8Checkpoint c = read_q8_checkpoint(path);
    if (c.group_size > max_group_size)
      throw std::runtime_error("checkpoint " + path + " has group size " + std::to_string(c.group_size) +
                               ", larger than the maximum " + std::to_string(max_group_size));
    return c;
  }
  Fp32Checkpoint fp32;
  try {
    fp32 = read_fp32_checkpoint(path);
  } catch (const std::runtime_error& e) {
    // Say why the file was taken for a legacy one: a Q8_0 file with a damaged magic lands here too.
    throw std::runtime_error(std::string(e.what()) + " (read as a legacy fp32 checkpoint: the file does not start " +
                             "with the Q8_0 magic 0x616b3432 \"ak42\")");
  }
  return quantize_checkpoint(fp32, choose_group_size(fp32.shape, max_group_size));
}

}  // namespace vp
