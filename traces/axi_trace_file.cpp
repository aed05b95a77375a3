#include "traces/axi_trace_file.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "sw/output_file.h"
#include "traces/axi_trace_format.h"
#include "traces/axi_trace_text.h"

namespace vp {

AxiTraceFormat format_for_path(const std::string& path) {
  const std::string ext = ".txt";
  const bool text = path.size() >= ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0;
  return text ? AxiTraceFormat::kText : AxiTraceFormat::kBinary;
}

AxiTrace load_axi_trace(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("trace " + path + ": cannot be opened");
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw std::runtime_error("trace " + path + ": read error");
  if (looks_like_binary_axi_trace(bytes)) return decode_axi_trace(bytes, path);
  const std::string start(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(std::min<size_t>(bytes.size(), 64)));
  if (looks_like_text_axi_trace(start)) {
    std::istringstream text(std::string(bytes.begin(), bytes.end()));
    return read_axi_trace_text(text, path);
  }
  if (bytes.size() < sizeof kAxiTraceMagic)
    throw std::runtime_error(path + ": truncated (file of " + std::to_string(bytes.size()) +
                             " bytes): too short for an AXI trace, at offset 0");
  throw std::runtime_error(path + ": corrupt at offset 0: not a vp AXI trace (neither the binary magic nor the text header)");
}

void save_axi_trace(const AxiTrace& trace, const std::string& path, AxiTraceFormat format) {
  trace.validate("trace " + path);
  write_file_atomically(path, [&](std::ostream& out) {
    if (format == AxiTraceFormat::kText) write_axi_trace_text(trace, out, path);
    else write_axi_trace_binary(trace, out, path);
  });
}

}  // namespace vp
