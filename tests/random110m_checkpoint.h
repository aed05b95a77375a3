#pragma once
// The random stories110M-shape checkpoint of ../shared/data/reference (random110M_seed11_*: Q8_0,
// group size 64), rebuilt with ../shared/tools/mkckpt.c (CMake target mkckpt, VP_MKCKPT) into the
// build tree's cache (VP_TEST_CACHE_DIR) on first use, with exactly ../shared/data/README.md's
// commands. Tests that use it define both macros (CMakeLists.txt) and skip when VP_MKCKPT is "".
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include <unistd.h>

namespace vp::test {

inline bool mkckpt_available() { return !std::string(VP_MKCKPT).empty(); }

// mkckpt gen + conv into VP_TEST_CACHE_DIR (kept between runs); returns the Q8_0 file's path.
inline std::string random110m_checkpoint() {
  const std::filesystem::path dir = VP_TEST_CACHE_DIR;
  const std::filesystem::path q8 = dir / "random110M_seed11_q80.bin";
  if (std::filesystem::exists(q8)) return q8.string();
  std::filesystem::create_directories(dir);
  const std::filesystem::path fp32 = dir / ("random110M_seed11_f32." + std::to_string(::getpid()) + ".bin");
  const std::filesystem::path partial = q8.string() + "." + std::to_string(::getpid()) + ".partial";
  const std::string tool = VP_MKCKPT;
  const std::string gen = tool + " gen " + fp32.string() + " 768 2048 12 12 12 -32000 1024 11";
  const std::string conv = tool + " conv " + fp32.string() + " " + partial.string() + " 64";
  if (std::system(gen.c_str()) != 0 || std::system(conv.c_str()) != 0)
    throw std::runtime_error("mkckpt failed: " + gen + " && " + conv);
  std::filesystem::remove(fp32);
  std::filesystem::rename(partial, q8);  // atomic: a concurrent or killed run never sees half a file
  return q8.string();
}

}  // namespace vp::test
