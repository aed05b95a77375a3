// sw/output_file.h: complete files appear whole; devices and FIFOs given as the target stay what
// they are (a run with --run.dump_logits=/dev/null once replaced /dev/null with a plain file).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "sw/output_file.h"
#include "tests/read_file.h"

namespace {

using vp::test::read_file;

TEST(AtomicOutputFile, RegularFileAppearsOnlyWhenComplete) {
  const std::string path = ::testing::TempDir() + "vp_output_file_test.bin";
  std::remove(path.c_str());
  {
    vp::AtomicOutputFile file(path);
    file.write("abc", 3);
    EXPECT_FALSE(std::filesystem::exists(path)) << "the target appears only at commit";
    file.commit();
  }
  EXPECT_EQ(read_file(path), "abc");
  {
    vp::AtomicOutputFile unfinished(path);
    unfinished.write("xyz", 3);
  }  // no commit: the old contents stay, and no temporary is left beside them
  EXPECT_EQ(read_file(path), "abc");
  for (const auto& entry : std::filesystem::directory_iterator(::testing::TempDir()))
    EXPECT_EQ(entry.path().string().find(path + ".tmp."), std::string::npos) << entry.path();
  std::remove(path.c_str());
}

TEST(AtomicOutputFile, DevNullStaysACharacterDevice) {
  ASSERT_TRUE(std::filesystem::is_character_file("/dev/null"));
  vp::write_file_atomically("/dev/null", [](std::ostream& out) { out << "logits"; });
  EXPECT_TRUE(std::filesystem::is_character_file("/dev/null"));
  {
    vp::AtomicOutputFile unfinished("/dev/null");
    unfinished.write("x", 1);
  }  // an uncommitted in-place target is not removed
  EXPECT_TRUE(std::filesystem::is_character_file("/dev/null"));
}

TEST(AtomicOutputFile, FifoIsWrittenInPlace) {
  const std::string path = ::testing::TempDir() + "vp_output_file_test.fifo";
  std::remove(path.c_str());
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = read_file(path); });
  vp::write_file_atomically(path, [](std::ostream& out) { out << "through the pipe"; });
  reader.join();
  EXPECT_EQ(received, "through the pipe");
  EXPECT_TRUE(std::filesystem::is_fifo(path));
  std::remove(path.c_str());
}

TEST(AtomicOutputFile, UnwritableTargetNamesThePath) {
  try {
    vp::write_file_atomically("/nonexistent-dir/out.bin", [](std::ostream& out) { out << "x"; });
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/out.bin"), std::string::npos) << e.what();
  }
}

}  // namespace
