#include "models/kernel/resource_report.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace vp {
namespace {

struct Field {
  const char* key;
  double ResourceCounts::*member;
  bool required;
};

// Every count the script prints; CARRY and MUXF carry no power of their own, so older reports
// without them still read.
constexpr Field kFields[] = {{"LUT", &ResourceCounts::lut, true},       {"SRL", &ResourceCounts::srl, true},
                             {"LUTRAM", &ResourceCounts::lutram, true}, {"FF", &ResourceCounts::ff, true},
                             {"DSP", &ResourceCounts::dsp, true},       {"BRAM", &ResourceCounts::bram, true},
                             {"URAM", &ResourceCounts::uram, true},     {"CARRY", &ResourceCounts::carry, false},
                             {"MUXF", &ResourceCounts::muxf, false}};
constexpr size_t kFieldCount = sizeof kFields / sizeof kFields[0];
// More than any device has of anything (the XCVU19P has 8.2M flip-flops); guards against junk.
constexpr double kMaxCount = 1e9;

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

}  // namespace

ResourceCounts parse_resource_report(std::istream& in, const std::string& name) {
  ResourceCounts r;
  r.source = name;
  bool seen[kFieldCount] = {};
  bool module_seen = false;
  std::string line;
  auto fail = [&](int number, const std::string& what) -> std::runtime_error {
    return std::runtime_error("resource report " + name + " line " + std::to_string(number) + ": " + what);
  };
  constexpr size_t kMaxLine = 4096;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.size() > kMaxLine) throw fail(number, "longer than " + std::to_string(kMaxLine) + " characters");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == ' ' || line[0] == '\t') continue;  // blank, or the indented device shares
    if (line[0] == '#') {
      r.provenance.push_back(trim(line.substr(1)));
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string::npos) throw fail(number, "'" + line + "': expected KEY: VALUE");
    const std::string key = line.substr(0, colon);
    const std::string rest = trim(line.substr(colon + 1));
    if (key == "module") {
      if (module_seen) throw fail(number, "second 'module:' line");
      module_seen = true;
      r.module = rest;
      continue;
    }
    if (key == "device share" && rest.empty()) continue;
    size_t f = 0;
    while (f < kFieldCount && key != kFields[f].key) ++f;
    if (f == kFieldCount) throw fail(number, "unknown field '" + key + "'");
    if (seen[f]) throw fail(number, "field " + key + " given twice");
    seen[f] = true;
    // The count is the first word; BRAM adds "(RAMB36E2 n, RAMB18E2 m)" after it.
    const std::string word = rest.substr(0, rest.find_first_of(" \t"));
    char* end = nullptr;
    errno = 0;
    const double v = word.empty() ? NAN : std::strtod(word.c_str(), &end);
    if (word.empty() || errno != 0 || end != word.c_str() + word.size() || !std::isfinite(v) ||
        word.find_first_of("xXpP") != std::string::npos)  // no hex floats
      throw fail(number, "field " + key + " = '" + word + "': expected a number");
    if (v < 0.0) throw fail(number, "field " + key + " = " + word + ": negative count");
    if (v > kMaxCount) throw fail(number, "field " + key + " = " + word + ": more than 1e9");
    r.*kFields[f].member = v;
  }
  if (in.bad()) throw std::runtime_error("resource report " + name + ": read error");
  if (!module_seen) throw std::runtime_error("resource report " + name + ": no 'module:' line");
  for (size_t f = 0; f < kFieldCount; ++f)
    if (kFields[f].required && !seen[f])
      throw std::runtime_error("resource report " + name + ": field " + kFields[f].key + " is missing");
  return r;
}

ResourceCounts read_resource_report(const std::string& path) {
  // A regular file of report size: not a directory, FIFO or /dev/zero, whose "lines" never end.
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
    throw std::runtime_error("resource report " + path + ": not a regular file");
  constexpr uintmax_t kMaxBytes = 1 << 20;
  if (!ec && std::filesystem::is_regular_file(status) && std::filesystem::file_size(path, ec) > kMaxBytes && !ec)
    throw std::runtime_error("resource report " + path + ": larger than 1 MiB");
  std::ifstream in(path);
  if (!in) throw std::runtime_error("resource report " + path + ": cannot be opened");
  return parse_resource_report(in, path);
}

}  // namespace vp
