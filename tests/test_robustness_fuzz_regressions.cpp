// Replays the fuzz inputs kept in the repository through the same entry points the libFuzzer
// harnesses use (fuzz/fuzz_targets.h): the crashers found so far (fuzz/regressions/<target>/) and
// the seed corpora (fuzz/corpus/<target>/). Each must give a clean error or success; in the
// sanitizer build (.ci/sanitize.sh) a memory error or undefined behaviour fails the test.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "fuzz/fuzz_targets.h"
#include "tests/vpsim_child.h"

namespace {

using EntryPoint = void (*)(const uint8_t*, size_t);

std::vector<std::filesystem::path> inputs_of(const std::string& target, const char* kind) {
  std::vector<std::filesystem::path> files;
  const std::filesystem::path dir = std::filesystem::path(VP_SOURCE_DIR) / "fuzz" / kind / target;
  if (std::filesystem::is_directory(dir))
    for (const auto& entry : std::filesystem::directory_iterator(dir))
      if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// Returns how many files were fed; any escaping exception fails the test naming the file.
size_t replay(const std::string& target, EntryPoint entry) {
  size_t fed = 0;
  for (const char* kind : {"regressions", "corpus"}) {
    for (const std::filesystem::path& file : inputs_of(target, kind)) {
      const std::string bytes = vp::test::read_file(file.string());
      try {
        entry(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      } catch (const std::exception& e) {
        ADD_FAILURE() << file << ": not a clean error: " << e.what();
      }
      ++fed;
    }
  }
  return fed;
}

TEST(FuzzRegressions, Fp32CheckpointInputsGiveACleanResult) {
  EXPECT_GT(replay("checkpoint_fp32", vp::fuzz::checkpoint_fp32), 0u);
}

TEST(FuzzRegressions, Q8CheckpointInputsGiveACleanResult) {
  EXPECT_GT(replay("checkpoint_q8", vp::fuzz::checkpoint_q8), 0u);
}

TEST(FuzzRegressions, TokenizerInputsGiveACleanResult) { EXPECT_GT(replay("tokenizer", vp::fuzz::tokenizer), 0u); }

TEST(FuzzRegressions, SimConfigInputsGiveACleanResult) { EXPECT_GT(replay("sim_config", vp::fuzz::sim_config), 0u); }

TEST(FuzzRegressions, AxiTraceInputsGiveACleanResult) { EXPECT_GT(replay("axi_trace", vp::fuzz::axi_trace), 0u); }

}  // namespace
