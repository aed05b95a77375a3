#pragma once
// Readers of the llama2.c reference outputs in ../shared/data/reference.
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace vp::test {

inline std::vector<int> read_token_ids(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<int> ids;
  int id;
  while (in >> id) ids.push_back(id);
  return ids;
}

// Little-endian fp32 [rows][cols].
inline std::vector<std::vector<float>> read_logits(const std::string& path, int cols) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<std::vector<float>> rows;
  std::vector<float> row(cols);
  while (in.read(reinterpret_cast<char*>(row.data()), std::streamsize(cols * sizeof(float)))) rows.push_back(row);
  return rows;
}

inline int argmax(const std::vector<float>& v) {
  int best = 0;
  for (int i = 1; i < static_cast<int>(v.size()); ++i)
    if (v[i] > v[best]) best = i;
  return best;
}

}  // namespace vp::test
