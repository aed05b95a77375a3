#pragma once
// Writes an output file atomically: to PATH.tmp, then rename, so a crash never leaves a
// half-written file that looks complete.
#include <functional>
#include <ostream>
#include <string>

namespace vp {

// Throws std::runtime_error naming the path when it cannot be written.
void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace vp
