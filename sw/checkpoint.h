#pragma once
// In-memory llama2.c checkpoints: the fp32 weights of run.c and the Q8_0 weights of runq.c.
// Matrices are row-major [out][in]; per-layer fp32 tensors are stacked [layer][out][in] as in run.c.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sw/huge_pages.h"
#include "sw/model_shape.h"

namespace vp {

struct Fp32Checkpoint {
  ModelShape shape;
  std::vector<float> token_embedding;  // [vocab][dim]
  std::vector<float> rms_att;          // [layer][dim]
  std::vector<float> wq;               // [layer][dim][dim]
  std::vector<float> wk;               // [layer][kv_dim][dim]
  std::vector<float> wv;               // [layer][kv_dim][dim]
  std::vector<float> wo;               // [layer][dim][dim]
  std::vector<float> rms_ffn;          // [layer][dim]
  std::vector<float> w1;               // [layer][hidden][dim]
  std::vector<float> w2;               // [layer][dim][hidden]
  std::vector<float> w3;               // [layer][hidden][dim]
  std::vector<float> rms_final;        // [dim]
  std::vector<float> wcls;             // [vocab][dim]; empty when shape.shared_classifier

  // Throws std::runtime_error naming `source` when the shape is invalid or a tensor's size disagrees with it.
  void validate(const std::string& source) const;
};

// A Q8_0 matrix: q[r][c] int8 and one fp32 scale per group of group_size consecutive columns of a row.
struct Q8Tensor {
  int rows = 0;
  int cols = 0;
  int group_size = 0;
  std::vector<int8_t> q;  // [rows][cols]
  std::vector<float> s;   // [rows][cols / group_size]

  int groups_per_row() const { return cols / group_size; }
  const int8_t* row_q(int r) const { return q.data() + static_cast<std::size_t>(r) * cols; }
  const float* row_s(int r) const { return s.data() + static_cast<std::size_t>(r) * groups_per_row(); }
  bool empty() const { return q.empty(); }

  // rows x cols of zeros (scales too), in groups of group_size columns.
  static Q8Tensor zeros(int rows, int cols, int group_size) {
    Q8Tensor t;
    t.rows = rows;
    t.cols = cols;
    t.group_size = group_size;
    resize_on_huge_pages(t.q, static_cast<std::size_t>(rows) * cols);  // the 110M embedding: 24 MB
    t.s.resize(t.q.size() / group_size);
    return t;
  }
};

struct Q8Checkpoint {
  ModelShape shape;
  int group_size = 0;
  std::vector<float> rms_att;    // [layer][dim]
  std::vector<float> rms_ffn;    // [layer][dim]
  std::vector<float> rms_final;  // [dim]
  Q8Tensor token_embedding;      // vocab x dim
  std::vector<Q8Tensor> wq, wk, wv, wo, w1, w2, w3;  // n_layers each
  Q8Tensor wcls;                 // vocab x dim; empty when shape.shared_classifier

  // The embedding when the classifier is shared, wcls otherwise.
  const Q8Tensor& classifier() const { return shape.shared_classifier ? token_embedding : wcls; }

  // Throws std::runtime_error naming `source` when the shape is invalid, group_size does not divide dim and
  // hidden_dim, or a tensor's dimensions or sizes disagree with the shape.
  void validate(const std::string& source) const;
};

// One per-layer weight matrix of the llama2.c layout: its name, dimensions and where each checkpoint type keeps
// it. layer_matrices() lists them in file order (wq, wk, wv, wo, w1, w2, w3) so readers, writers, the quantizer
// and the random generator walk one table.
struct LayerMatrix {
  const char* name;
  int rows;
  int cols;
  std::vector<float> Fp32Checkpoint::*fp32;
  std::vector<Q8Tensor> Q8Checkpoint::*q8;
};
std::array<LayerMatrix, 7> layer_matrices(const ModelShape& shape);

}  // namespace vp
