#pragma once
// AXI trace files: the binary form (traces/axi_trace_format.h) or the text form
// (traces/axi_trace_text.h), told apart by their first bytes when reading and by the file name
// when writing (".txt": text, anything else: binary). Writes are atomic (sw/output_file.h).
#include <string>

#include "traces/axi_trace.h"

namespace vp {

enum class AxiTraceFormat { kBinary, kText };

AxiTraceFormat format_for_path(const std::string& path);
// Throws std::runtime_error naming the path (and offset or line) when it cannot be read or is
// not a complete, consistent trace.
AxiTrace load_axi_trace(const std::string& path);
void save_axi_trace(const AxiTrace& trace, const std::string& path, AxiTraceFormat format);
inline void save_axi_trace(const AxiTrace& trace, const std::string& path) {
  save_axi_trace(trace, path, format_for_path(path));
}

}  // namespace vp
