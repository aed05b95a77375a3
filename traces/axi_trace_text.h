#pragma once
// Text form of an AxiTrace: readable, greppable, diffable; one line per transaction.
//
//   vp-axi-trace 1
//   description <free text>
//   end_ps <ps>
//   records <count>
//   master <index> <name> <home channel index or ->
//   channel <index> <name> <base hex> <size hex>
//   <arrival ps> <completion ps> <master> <R|W> <address hex> <length> <channel or -> <ok|decode_error|error_response>
//   ...
//   end
//
// Lines starting with '#' are comments. A file without its final "end" line, or with another
// number of transaction lines than "records" says, is rejected as truncated.
#include <iosfwd>
#include <string>

#include "traces/axi_trace.h"

namespace vp {

void write_axi_trace_text(const AxiTrace& trace, std::ostream& out, const std::string& where = "trace");
// `where` (the file name) prefixes every error, with the line number and byte offset at fault.
AxiTrace read_axi_trace_text(std::istream& in, const std::string& where);
// True when `start` (the first bytes of a file) is the text form's first line.
bool looks_like_text_axi_trace(const std::string& start);

}  // namespace vp
