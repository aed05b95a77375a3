#pragma once
// Files written atomically: into a temporary beside the target (unique per process, so
// concurrent runs never share one), renamed over the target only when complete. A crash or
// an error never leaves a half-written file that looks complete. A target that is not a regular
// file (/dev/null, a FIFO) is written in place, so that it stays what it is.
#include <fstream>
#include <functional>
#include <ostream>
#include <string>

namespace vp {

class AtomicOutputFile {
 public:
  explicit AtomicOutputFile(const std::string& path);
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;
  ~AtomicOutputFile();  // removes the temporary unless committed

  std::ostream& stream() { return out_; }
  void write(const void* data, std::size_t bytes);
  // Closes and renames over the target; throws naming the path on any write error.
  void commit();

 private:
  std::string path_;
  bool in_place_;
  std::string tmp_path_;
  std::ofstream out_;
  bool committed_ = false;
};

// Throws std::runtime_error naming the path when it cannot be written.
void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace vp
