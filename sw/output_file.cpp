#include "sw/output_file.h"

#include <unistd.h>

#include <filesystem>
#include <stdexcept>

namespace vp {

namespace {

// A target that exists and is not a regular file (/dev/null, a FIFO, a terminal) is written in
// place: renaming a temporary over it would replace the device with a plain file.
bool writes_in_place(const std::string& path) {
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(path, ec);
  return !ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status);
}

}  // namespace

AtomicOutputFile::AtomicOutputFile(const std::string& path)
    : path_(path),
      in_place_(writes_in_place(path)),
      tmp_path_(in_place_ ? path : path + ".tmp." + std::to_string(::getpid())) {
  out_.open(tmp_path_, std::ios::binary | std::ios::trunc);
  if (!out_) throw std::runtime_error("cannot write " + path_ + " (creating " + tmp_path_ + " failed)");
}

AtomicOutputFile::~AtomicOutputFile() {
  if (committed_ || in_place_) return;
  out_.close();
  std::error_code ignored;
  std::filesystem::remove(tmp_path_, ignored);
}

void AtomicOutputFile::write(const void* data, std::size_t bytes) {
  out_.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
  if (!out_) throw std::runtime_error("cannot write " + path_ + " (writing " + tmp_path_ + " failed)");
}

void AtomicOutputFile::commit() {
  out_.close();
  if (!out_) throw std::runtime_error("cannot write " + path_ + " (writing " + tmp_path_ + " failed)");
  committed_ = in_place_;
  if (in_place_) return;
  std::error_code ec;
  std::filesystem::rename(tmp_path_, path_, ec);
  if (ec) throw std::runtime_error("cannot write " + path_ + ": " + ec.message());
  committed_ = true;
}

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  AtomicOutputFile file(path);
  write(file.stream());
  file.commit();
}

}  // namespace vp
