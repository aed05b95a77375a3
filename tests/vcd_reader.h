#pragma once
// Test-side readers for the waveform files of an RTL run: a small VCD reader for what
// VerilatedVcd writes ($timescale, $scope/$var/$upscope, #time, value changes) and the signal
// names a GTKWave save file (.gtkw) asks for.
#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace vp::test {

// Whether parse_vcd keeps every value change or only counts them (a long RTL window has millions).
enum class VcdValues { kKeep, kCountOnly };

struct ParsedVcd {
  std::string timescale;                       // e.g. "1ps"
  std::map<std::string, std::string> code_of;  // "scope.name" -> identifier code
  std::vector<uint64_t> times;
  std::map<std::string, size_t> change_count;  // code -> value changes
  std::map<std::string, std::vector<std::pair<uint64_t, std::string>>> changes;  // code -> (time, value); kKeep only
};

inline ParsedVcd parse_vcd(const std::string& path, VcdValues values = VcdValues::kKeep) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  ParsedVcd vcd;
  std::vector<std::string> scopes;
  std::string line;
  uint64_t now = 0;
  bool in_timescale = false;
  auto record_change = [&](const std::string& code, const std::string& value) {
    ++vcd.change_count[code];
    if (values == VcdValues::kKeep) vcd.changes[code].push_back({now, value});
  };
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string w;
    words >> w;
    if (w.empty()) continue;
    if (in_timescale) {
      if (w != "$end") vcd.timescale += w;
      if (line.find("$end") != std::string::npos) in_timescale = false;
      continue;
    }
    if (w == "$timescale") {
      std::string rest;
      while (words >> rest && rest != "$end") vcd.timescale += rest;
      in_timescale = line.find("$end") == std::string::npos;
    } else if (w == "$scope") {
      std::string kind, name;
      words >> kind >> name;
      scopes.push_back(name);
    } else if (w == "$upscope") {
      scopes.pop_back();
    } else if (w == "$var") {
      std::string type, width, code, name;
      words >> type >> width >> code >> name;
      std::string full;
      for (const std::string& s : scopes) full += s + ".";
      vcd.code_of[full + name] = code;
    } else if (w[0] == '#') {
      now = std::stoull(w.substr(1));
      vcd.times.push_back(now);
    } else if (w[0] == 'b') {
      std::string code;
      words >> code;
      record_change(code, w.substr(1));
    } else if (w[0] == '0' || w[0] == '1') {
      record_change(w.substr(1), w.substr(0, 1));
    }
  }
  return vcd;
}

// Identifier code of the first signal (in name order) whose full name ends in `suffix`; "" if none.
inline std::string find_code(const ParsedVcd& vcd, const std::string& suffix) {
  for (const auto& [name, code] : vcd.code_of)
    if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      return code;
  return "";
}

// Full names of the signals a GTKWave save file shows, in file order: every line that is not a
// directive ('@' flags, '[' settings, '-' comments, '*' markers), its bit range dropped
// ("a.b.sig[7:0]" -> "a.b.sig").
inline std::vector<std::string> gtkw_signals(const std::string& gtkw_path) {
  std::ifstream gtkw(gtkw_path);
  if (!gtkw) throw std::runtime_error("cannot open " + gtkw_path);
  std::vector<std::string> signals;
  std::string line;
  while (std::getline(gtkw, line)) {
    if (line.empty() || line[0] == '@' || line[0] == '[' || line[0] == '-' || line[0] == '*') continue;
    signals.push_back(line.substr(0, line.find('[')));
  }
  return signals;
}

}  // namespace vp::test
