#include "platform/timeline.h"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "hls/kernel_phase.h"
#include "sw/output_file.h"
#include "traces/trace_time.h"

namespace vp {
namespace {

using nlohmann::json;

// Track ids: (pid, tid).
constexpr int kHostPid = 1, kHostTid = 1, kPcieTid = 2;
constexpr int kKernelPid = 2, kKernelTid = 1;
constexpr int kMemoryPid = 3;  // tid = 1 + channel index

double us_from_ps(uint64_t ps) { return static_cast<double>(ps) / 1e6; }
double us_from_s(double s) { return s * 1e6; }

std::string mhz(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g MHz", v);
  return buf;
}

struct Event {
  int pid, tid;
  double ts, dur;  // dur < 0: an instant event
  json body;
};

class Builder {
 public:
  void complete(int pid, int tid, const std::string& name, const char* cat, double ts, double end, json args = {}) {
    const double dur = std::max(0.0, end - ts);
    json e = {{"name", name}, {"cat", cat}, {"ph", "X"}, {"ts", ts}, {"dur", dur}, {"pid", pid}, {"tid", tid}};
    if (!args.is_null()) e["args"] = std::move(args);
    events_.push_back({pid, tid, ts, dur, std::move(e)});
  }
  // Simulation times in ps: exact start and duration.
  void complete_ps(int pid, int tid, const std::string& name, const char* cat, uint64_t start, uint64_t end,
                   json args = {}) {
    complete(pid, tid, name, cat, us_from_ps(start), us_from_ps(start) + us_from_ps(end > start ? end - start : 0),
             std::move(args));
  }
  void instant(int pid, int tid, const std::string& name, const char* cat, double ts, json args) {
    json e = {{"name", name}, {"cat", cat}, {"ph", "i"}, {"s", "g"}, {"ts", ts}, {"pid", pid}, {"tid", tid},
              {"args", std::move(args)}};
    events_.push_back({pid, tid, ts, -1.0, std::move(e)});
  }
  void name_process(int pid, const std::string& name, int order) {
    metadata_.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", pid}, {"args", {{"name", name}}}});
    metadata_.push_back({{"name", "process_sort_index"}, {"ph", "M"}, {"pid", pid}, {"args", {{"sort_index", order}}}});
  }
  void name_thread(int pid, int tid, const std::string& name) {
    metadata_.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", pid}, {"tid", tid}, {"args", {{"name", name}}}});
    metadata_.push_back(
        {{"name", "thread_sort_index"}, {"ph", "M"}, {"pid", pid}, {"tid", tid}, {"args", {{"sort_index", tid}}}});
  }
  json events() {
    // Per track in time order; an enclosing complete event before what it encloses.
    std::stable_sort(events_.begin(), events_.end(), [](const Event& a, const Event& b) {
      return std::make_tuple(a.pid, a.tid, a.ts, -a.dur) < std::make_tuple(b.pid, b.tid, b.ts, -b.dur);
    });
    json all = metadata_;
    for (Event& e : events_) all.push_back(std::move(e.body));
    return all;
  }

 private:
  json metadata_ = json::array();
  std::vector<Event> events_;
};

void add_busy_track(Builder& b, int pid, int tid, const std::vector<BusyInterval>& busy, const char* name,
                    const char* cat) {
  for (const BusyInterval& i : busy)
    b.complete_ps(pid, tid, name, cat, i.start_ps, i.end_ps, {{"transactions", i.transactions}, {"bytes", i.bytes}});
}

}  // namespace

std::vector<BusyInterval> busy_intervals(const AxiTrace& trace,
                                         const std::function<bool(const AxiTraceRecord&)>& select) {
  std::vector<const AxiTraceRecord*> picked;
  for (const AxiTraceRecord& r : trace.records)
    if (select(r)) picked.push_back(&r);
  std::stable_sort(picked.begin(), picked.end(),
                   [](const AxiTraceRecord* a, const AxiTraceRecord* b) { return a->arrival_ps < b->arrival_ps; });
  std::vector<BusyInterval> merged;
  for (const AxiTraceRecord* r : picked) {
    if (merged.empty() || r->arrival_ps > merged.back().end_ps) merged.push_back({r->arrival_ps, r->completion_ps, 0, 0});
    BusyInterval& m = merged.back();
    m.end_ps = std::max(m.end_ps, r->completion_ps);
    ++m.transactions;
    m.bytes += r->length;
  }
  return merged;
}

json timeline_json(const RunResult& r) {
  Builder b;
  b.name_process(kHostPid, "host (" + r.config.board.name + ")", 1);
  b.name_thread(kHostPid, kHostTid, "host program");
  b.name_thread(kHostPid, kPcieTid, "PCIe DMA in device memory");
  b.name_process(kKernelPid, "kernel (" + mhz(r.config.kernel.clock_mhz) + ")", 2);
  b.name_thread(kKernelPid, kKernelTid, "calls and phases");
  b.name_process(kMemoryPid, "memory channels", 3);

  // Host program.
  b.complete(kHostPid, kHostTid, "weights upload", "host", us_from_s(r.upload.start_s), us_from_s(r.upload.end_s),
             {{"bytes", r.upload.bytes}});
  for (const TokenStats& t : r.tokens) {
    const std::string pos = "pos " + std::to_string(t.pos);
    b.complete(kHostPid, kHostTid, "token " + pos, "host", us_from_s(t.start_s), us_from_s(t.end_s),
               {{"pos", t.pos}, {"token", t.token}, {"next_token", t.next_token}});
    b.complete(kHostPid, kHostTid, "write arguments", "host", us_from_s(t.start_s), us_from_s(t.kernel_start_s));
    b.complete(kHostPid, kHostTid, "start, wait for interrupt", "host", us_from_s(t.kernel_start_s),
               us_from_s(t.kernel_end_s));
    b.complete(kHostPid, kHostTid, "read logits", "host", us_from_s(t.kernel_end_s), us_from_s(t.end_s));
    b.instant(kHostPid, kHostTid, "token out: " + pos, "token", us_from_s(t.end_s),
              {{"pos", t.pos}, {"token", t.token}, {"next_token", t.next_token}, {"text", t.piece}});
  }

  // Kernel calls and their phases.
  for (const KernelCallRecord& call : r.calls) {
    b.complete_ps(kKernelPid, kKernelTid, "forward pos " + std::to_string(call.pos), "kernel", to_ps(call.start),
                  to_ps(call.end),
               {{"token", call.token}, {"pos", call.pos}, {"cycles", call.cycles}, {"compute_cycles", call.compute_cycles}});
    for (const PhaseRecord& p : call.phases) {
      std::string name = phase_name(p.phase);
      if (p.layer >= 0) name += " L" + std::to_string(p.layer);
      b.complete_ps(kKernelPid, kKernelTid, name, "phase", to_ps(p.start), to_ps(p.end),
                 {{"phase", phase_name(p.phase)},
                  {"layer", p.layer},
                  {"compute_cycles", p.compute_cycles},
                  {"elapsed_cycles", (p.end - p.start) / r.config.kernel.cycle()},
                  {"read_bytes", p.read_bytes},
                  {"write_bytes", p.write_bytes}});
    }
  }

  // Memory channels and host DMA, from the recorded transactions.
  const AxiTrace& trace = r.trace;
  for (size_t c = 0; c < trace.channels.size(); ++c) {
    const std::vector<BusyInterval> busy =
        busy_intervals(trace, [c](const AxiTraceRecord& rec) { return rec.channel == c; });
    if (busy.empty()) continue;
    const int tid = 1 + static_cast<int>(c);
    b.name_thread(kMemoryPid, tid, trace.channels[c].name);
    add_busy_track(b, kMemoryPid, tid, busy, "busy", "memory");
  }
  for (size_t m = 0; m < trace.masters.size(); ++m) {
    if (trace.masters[m].name != "pcie") continue;
    add_busy_track(b, kHostPid, kPcieTid,
                   busy_intervals(trace, [m](const AxiTraceRecord& rec) { return rec.master == m; }), "DMA",
                   "pcie");
  }

  return {{"traceEvents", b.events()},
          {"displayTimeUnit", "ns"},
          {"otherData",
           {{"board", r.config.board.name},
            {"model", to_string(r.shape)},
            {"tokens", r.tokens.size()},
            {"simulated_seconds", r.sim_seconds},
            {"error", r.error}}}};
}

void write_timeline(const RunResult& r, const std::string& path) {
  const json j = timeline_json(r);
  write_file_atomically(path, [&](std::ostream& out) { out << j.dump() << "\n"; });
}

}  // namespace vp
