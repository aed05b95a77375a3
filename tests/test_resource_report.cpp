// The reader of synthesized resource counts (models/kernel/resource_report.h): the checked-in reports
// read, and a bad file is refused with an error naming it and the field.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "models/kernel/resource_report.h"
#include "tests/thrown_message.h"

namespace {

const std::string kGood =
    "# command: rtl/synth/report_resources.sh fp32_mul; date: 2026-12-05; Yosys 0.23\n"
    "module: fp32_mul (yosys synth_xilinx -family xcup)\n"
    "LUT: 699\nSRL: 0\nFF: 197\nDSP: 2\nBRAM: 1.5 (RAMB36E2 1, RAMB18E2 1)\nCARRY: 32\nLUTRAM: 0\nURAM: 0\nMUXF: 241\n"
    "device share:\n  LUT (logic + SRL + LUTRAM): 699 (0.05% of XCU280, 0.06% of XCVU9P)\n";

vp::ResourceCounts parse(const std::string& text, const std::string& name = "bad.txt") {
  std::istringstream in(text);
  return vp::parse_resource_report(in, name);
}

// The error of parsing `text`, which must fail.
std::string error_of(const std::string& text) {
  const std::string error = vp::test::thrown_message([&] { parse(text); });
  if (error.empty()) ADD_FAILURE() << "accepted:\n" << text;
  return error;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(ResourceReport, ReadsTheScriptsOutputWithItsHeader) {
  const vp::ResourceCounts r = parse(kGood, "good.txt");
  EXPECT_EQ(r.source, "good.txt");
  EXPECT_EQ(r.module, "fp32_mul (yosys synth_xilinx -family xcup)");
  ASSERT_EQ(r.provenance.size(), 1u);
  EXPECT_NE(r.provenance[0].find("report_resources.sh fp32_mul"), std::string::npos);
  EXPECT_EQ(r.lut, 699);
  EXPECT_EQ(r.srl, 0);
  EXPECT_EQ(r.ff, 197);
  EXPECT_EQ(r.dsp, 2);
  EXPECT_EQ(r.bram, 1.5);
  EXPECT_EQ(r.carry, 32);
  EXPECT_EQ(r.uram, 0);
  EXPECT_EQ(r.muxf, 241);
}

TEST(ResourceReport, CheckedInReportsRead) {
  for (const char* name : {"fp32_mul", "llama_scratchpad"}) {
    const std::string path = std::string(VP_SOURCE_DIR) + "/platform/resources/" + name + ".txt";
    const vp::ResourceCounts r = vp::read_resource_report(path);
    EXPECT_EQ(r.module.rfind(name, 0), 0u) << path;
    EXPECT_FALSE(r.provenance.empty()) << path << " has no header line saying how it was made";
    EXPECT_GT(r.lut, 0) << path;
  }
}

TEST(ResourceReport, MissingFileIsNamed) {
  try {
    vp::read_resource_report("/nonexistent/kernel.txt");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/kernel.txt"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("cannot be opened"), std::string::npos) << e.what();
  }
}

TEST(ResourceReport, MissingCountIsNamedWithTheFile) {
  for (const char* field : {"LUT", "SRL", "FF", "DSP", "BRAM", "LUTRAM", "URAM"}) {
    std::string text;
    std::istringstream lines(kGood);
    for (std::string line; std::getline(lines, line);)
      if (line.rfind(std::string(field) + ":", 0) != 0) text += line + "\n";
    const std::string e = error_of(text);
    EXPECT_NE(e.find("bad.txt"), std::string::npos) << e;
    EXPECT_NE(e.find(std::string("field ") + field + " is missing"), std::string::npos) << e;
  }
}

TEST(ResourceReport, NegativeOrNonNumericCountIsNamed) {
  const std::string negative = error_of(replaced(kGood, "DSP: 2", "DSP: -2"));
  EXPECT_NE(negative.find("bad.txt line 6"), std::string::npos) << negative;
  EXPECT_NE(negative.find("field DSP = -2: negative count"), std::string::npos) << negative;
  for (const char* value : {"many", "", "nan", "inf", "0x10", "1e99", "12abc"}) {
    const std::string e = error_of(replaced(kGood, "FF: 197", std::string("FF: ") + value));
    EXPECT_NE(e.find("bad.txt"), std::string::npos) << value << ": " << e;
    EXPECT_NE(e.find("field FF"), std::string::npos) << value << ": " << e;
  }
}

TEST(ResourceReport, MalformedLinesAreRefused) {
  EXPECT_NE(error_of(replaced(kGood, "module: fp32_mul (yosys synth_xilinx -family xcup)\n", "")).find("no 'module:' line"),
            std::string::npos);
  EXPECT_NE(error_of(kGood + "LUT: 5\n").find("field LUT given twice"), std::string::npos);
  EXPECT_NE(error_of(kGood + "FOO: 5\n").find("unknown field 'FOO'"), std::string::npos);
  EXPECT_NE(error_of(kGood + "garbage\n").find("expected KEY: VALUE"), std::string::npos);
  EXPECT_NE(error_of("").find("no 'module:' line"), std::string::npos);
  try {
    vp::read_resource_report("/dev/zero");
    ADD_FAILURE() << "/dev/zero accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/dev/zero: not a regular file"), std::string::npos) << e.what();
  }
}

}  // namespace
