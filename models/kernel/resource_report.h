#pragma once
// Resource counts of one synthesized kernel configuration, read from the text that
// rtl/synth/report_resources.sh prints (Yosys synth_xilinx -family xcup), kept as a file per
// configuration under platform/resources/ with '#' header lines saying how it was made:
//   # command: rtl/synth/report_resources.sh llama_kernel; date: ...; Yosys 0.23 (...)
//   module: llama_kernel (yosys synth_xilinx -family xcup)
//   LUT: 123456
//   SRL: 12
//   FF: 234567
//   DSP: 320
//   BRAM: 96.5 (RAMB36E2 96, RAMB18E2 1)
//   CARRY: 4000
//   LUTRAM: 64
//   URAM: 16
//   MUXF: 9000
//   device share:
//     ...                    (indented lines are ignored)
// The power model (models/kernel/power_model.h) turns the counts into watts.
#include <istream>
#include <string>
#include <vector>

namespace vp {

struct ResourceCounts {
  std::string source;  // the file read (for reports)
  std::string module;  // the "module:" line, without its "module: " prefix
  std::vector<std::string> provenance;  // the '#' header lines, without '#'
  double lut = 0;     // LUT1..LUT6 as logic
  double srl = 0;     // LUTs as shift registers
  double lutram = 0;  // LUTs of distributed RAM
  double ff = 0;      // flip-flops
  double dsp = 0;     // DSP48E2
  double bram = 0;    // RAMB36E2 equivalents (a RAMB18E2 counts half)
  double uram = 0;    // URAM288
  double carry = 0;   // CARRY8 (reported, no power of its own: counted with the LUTs it extends)
  double muxf = 0;    // MUXF7/8/9 (likewise)
};

// Throws std::runtime_error naming `name` (and the line or field) when a count is missing,
// duplicated, negative or not a number, or a line is not of the format above.
ResourceCounts parse_resource_report(std::istream& in, const std::string& name);
// Reads `path`; throws naming it if it cannot be opened or does not parse.
ResourceCounts read_resource_report(const std::string& path);

}  // namespace vp
