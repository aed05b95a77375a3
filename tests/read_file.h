#pragma once
// A file's whole contents as bytes (empty when it cannot be read), for tests that check outputs.
#include <fstream>
#include <iterator>
#include <string>

namespace vp::test {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace vp::test
