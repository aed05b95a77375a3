// vptrace: converts AXI transaction traces between the binary and the text form, or summarizes one.
//   vptrace convert IN OUT     (IN: either form; OUT: text when it ends in .txt, else binary)
//   vptrace summary IN
#include <cstdio>
#include <iostream>
#include <map>
#include <string>

#include "traces/axi_trace_file.h"
#include "traces/trace_time.h"

namespace {

void summarize(const vp::AxiTrace& trace, const std::string& path, std::ostream& out) {
  struct Totals {
    uint64_t reads = 0, writes = 0, read_bytes = 0, write_bytes = 0, errors = 0;
  };
  std::map<size_t, Totals> per_master;
  for (const vp::AxiTraceRecord& r : trace.records) {
    Totals& t = per_master[r.master];
    (r.write ? t.writes : t.reads) += 1;
    (r.write ? t.write_bytes : t.read_bytes) += r.length;
    t.errors += r.status != vp::AxiTraceStatus::kOk;
  }
  out << path << ": " << trace.records.size() << " transactions, " << trace.masters.size() << " masters, "
      << trace.channels.size() << " channels, run of " << vp::ps_to_seconds(trace.end_ps) * 1e3 << " ms\n";
  if (!trace.description.empty()) out << "  " << trace.description << "\n";
  for (const auto& [m, t] : per_master) {
    char line[256];
    std::snprintf(line, sizeof line, "  %-12s %10llu reads %12llu B  %10llu writes %12llu B  %llu errors\n",
                  trace.masters[m].name.c_str(), static_cast<unsigned long long>(t.reads),
                  static_cast<unsigned long long>(t.read_bytes), static_cast<unsigned long long>(t.writes),
                  static_cast<unsigned long long>(t.write_bytes), static_cast<unsigned long long>(t.errors));
    out << line;
  }
}

}  // namespace

// main() (platform/systemc_main.cpp) hands over to SystemC, which calls sc_main; nothing here simulates.
int sc_main(int argc, char* argv[]) {
  const std::string usage = "usage: vptrace convert IN OUT   (OUT ending in .txt: text form, else binary)\n"
                            "       vptrace summary IN\n";
  const std::string command = argc > 1 ? argv[1] : "";
  try {
    if (command == "convert" && argc == 4) {
      vp::save_axi_trace(vp::load_axi_trace(argv[2]), argv[3]);
      return 0;
    }
    if (command == "summary" && argc == 3) {
      summarize(vp::load_axi_trace(argv[2]), argv[2], std::cout);
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "vptrace: " << e.what() << "\n";
    return 1;
  }
  std::cerr << usage;
  return 2;
}
