#include "sw/rope_table.h"

#include <cmath>
#include <cstddef>

namespace vp {

std::vector<float> rope_table(const ModelShape& shape) {
  shape.validate("config");
  const int head_size = shape.head_size();
  const int pairs = head_size / 2;
  std::vector<float> table(static_cast<std::size_t>(shape.seq_len) * pairs * 2);
  for (int pos = 0; pos < shape.seq_len; ++pos) {
    for (int pair = 0; pair < pairs; ++pair) {
      const int head_dim = 2 * pair;
      const float freq = 1.0f / powf(10000.0f, head_dim / (float)head_size);
      const float val = pos * freq;
      float* entry = table.data() + (static_cast<std::size_t>(pos) * pairs + pair) * 2;
      entry[0] = cosf(val);
      entry[1] = sinf(val);
    }
  }
  return table;
}

float inv_sqrt_head_size(const ModelShape& shape) { return 1.0f / sqrtf(static_cast<float>(shape.head_size())); }

float inv_dim(const ModelShape& shape) { return 1.0f / static_cast<float>(shape.dim); }

}  // namespace vp
