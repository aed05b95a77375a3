// Simulation speed of DramChannel: column accesses simulated per wall-clock second (and per CPU second, with
// the requests per CPU second: an HBM2 64 B request is two column accesses, a DDR4 one) for long sequential
// streams (HBM2 and DDR4) and for random 64 B reads, with the bandwidth each reaches in simulated time.
// The last DRAM rows run the controller policies other than the defaults (DramConfig::scheduler = fcfs,
// page_policy = closed) on channels of their own, for their cost and effect against the rows above.
// The "harness floor" workload runs the random-read harness against a target that only waits a fixed time
// per request (no model): its requests per CPU second bound what any channel model can reach in this harness.
// Bench executables start through SystemC (platform/systemc_main.cpp), hence sc_main.
//   bench_dram_channel [NAME_PART]   runs only the workloads whose name contains NAME_PART (e.g. "random");
//                                    =NAME runs only the workload named NAME (e.g. for a profile of one)
//   bench_dram_channel --identity    no timing: runs shortened bench workloads, mixed traffic (every policy,
//                                    sizes, delays) and the DRAMsim3 reference streams (N = 8/16/32) on
//                                    channels of their own and prints, per run, a hash of every request's
//                                    completion time, the command digest and the stats counters, so that
//                                    speed work can show it changed no cycle (diff against a run before)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "models/dram/dram_channel.h"
#include "platform/sim_config.h"
#include "tests/dram_reference_workload.h"

namespace {
using vp::DramChannel;
using vp::DramConfig;

struct Workload {
  std::string name;
  unsigned channel;  // index into the runner's channels; one past the last: the TrivialTarget
  unsigned threads;
  // Returns false when the thread has no more requests; fills command, address, length.
  std::function<bool(unsigned thread, tlm::tlm_command&, std::uint64_t&, unsigned&)> next;
  // Counts the refreshes of the channel's idle time before this workload ahead of the measurement, so that
  // its REF column holds its own only (the default rows keep their historical counts, which include them).
  bool settle_idle_refreshes = false;
};

// The harness's own cost: each request waits a fixed time on an event of its own, as a DramChannel request
// waits for its last data beat, and nothing else is modelled.
class TrivialTarget : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<TrivialTarget> socket;
  explicit TrivialTarget(sc_core::sc_module_name name) : sc_module(name), socket("socket") {
    socket.register_b_transport(this, &TrivialTarget::b_transport);
  }
  std::uint64_t requests = 0;

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time&) {
    std::unique_ptr<sc_core::sc_event> done;
    if (free_events_.empty()) {
      done = std::make_unique<sc_core::sc_event>();
    } else {
      done = std::move(free_events_.back());
      free_events_.pop_back();
    }
    done->notify(sc_core::sc_time(40, sc_core::SC_NS));
    sc_core::wait(*done);
    free_events_.push_back(std::move(done));
    ++requests;
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  std::vector<std::unique_ptr<sc_core::sc_event>> free_events_;
};

// Runs the workloads one after another, so that each wall-clock figure belongs to one workload.
class BenchRunner : public sc_core::sc_module {
 public:
  using Socket = tlm_utils::simple_initiator_socket<BenchRunner>;
  SC_HAS_PROCESS(BenchRunner);
  BenchRunner(sc_core::sc_module_name name, std::vector<DramChannel*> channels, TrivialTarget& trivial,
              std::vector<Workload> workloads)
      : sc_module(name), channels_(std::move(channels)), trivial_(trivial), workloads_(std::move(workloads)) {
    for (DramChannel* channel : channels_) {
      sockets_.push_back(std::make_unique<Socket>(sc_core::sc_gen_unique_name("socket")));
      sockets_.back()->bind(channel->socket);
    }
    sockets_.push_back(std::make_unique<Socket>(sc_core::sc_gen_unique_name("socket")));
    sockets_.back()->bind(trivial_.socket);
    SC_THREAD(run);
  }

 private:
  void run() {
    for (const Workload& w : workloads_) {
      const bool floor = w.channel == channels_.size();
      DramChannel& channel = *channels_[floor ? 0 : w.channel];
      Socket& socket = *sockets_[w.channel];
      if (w.settle_idle_refreshes) channel.catch_up_refresh();
      channel.reset_stats();
      const std::uint64_t trivial_start = trivial_.requests;
      const sc_core::sc_time sim_start = sc_core::sc_time_stamp();
      const auto wall_start = std::chrono::steady_clock::now();
      const std::clock_t cpu_start = std::clock();
      unsigned running = w.threads;
      sc_core::sc_event all_done;
      for (unsigned t = 0; t < w.threads; ++t)
        sc_core::sc_spawn([&, t] {
          std::vector<std::uint8_t> buffer(1 << 16);
          tlm::tlm_command command;
          std::uint64_t address;
          unsigned length;
          tlm::tlm_generic_payload trans;  // reused, as initiators do: no allocation per request
          while (w.next(t, command, address, length)) {
            trans.set_command(command);
            trans.set_address(address);
            trans.set_data_ptr(buffer.data());
            trans.set_data_length(length);
            trans.set_streaming_width(length);
            trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
            sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
            socket->b_transport(trans, delay);
          }
          if (--running == 0) all_done.notify();
        });
      sc_core::wait(all_done);
      // Posted writes still buffered belong to this workload: their time and commands count here.
      if (!floor) channel.drain_writes();
      const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
      // CPU time as well: on a shared machine it is the steadier figure.
      const double cpu = double(std::clock() - cpu_start) / CLOCKS_PER_SEC;
      const double sim = (sc_core::sc_time_stamp() - sim_start).to_seconds();
      if (floor) {
        const double requests = double(trivial_.requests - trivial_start);
        std::printf("%-34s %9.0f requests in %6.3f s wall = %7.2f M requests/s (%7.2f M requests/CPU-s)\n",
                    w.name.c_str(), requests, wall, requests / wall / 1e6, requests / cpu / 1e6);
        continue;
      }
      const vp::DramStats& s = channel.stats();
      const double bytes = double(s.read_bytes + s.write_bytes);
      const double requests = double(s.read_requests + s.write_requests);
      std::printf("%-34s %9llu column accesses in %6.3f s wall = %7.2f M/s (%7.2f M/CPU-s), %6.3f M requests/CPU-s; "
                  "%5.1f%% of peak in sim time, %llu ACT, %llu REF\n",
                  w.name.c_str(), static_cast<unsigned long long>(s.column_accesses()), wall,
                  s.column_accesses() / wall / 1e6, s.column_accesses() / cpu / 1e6, requests / cpu / 1e6,
                  100.0 * bytes / sim / channel.config().peak_bytes_per_s(),
                  static_cast<unsigned long long>(s.activates), static_cast<unsigned long long>(s.refreshes));
    }
  }

  std::vector<DramChannel*> channels_;
  TrivialTarget& trivial_;
  std::vector<std::unique_ptr<Socket>> sockets_;
  std::vector<Workload> workloads_;
};

// Threads sharing one sequential stream of `block`-byte requests over `total` bytes.
Workload sequential(const std::string& name, unsigned channel, tlm::tlm_command command, unsigned threads,
                    unsigned block, std::uint64_t total) {
  auto next_address = std::make_shared<std::uint64_t>(0);
  return {name, channel, threads, [=](unsigned, tlm::tlm_command& c, std::uint64_t& a, unsigned& l) {
            if (*next_address >= total) return false;
            c = command;
            a = *next_address;
            l = block;
            *next_address += block;
            return true;
          }};
}

Workload random_reads(const std::string& name, unsigned channel, unsigned threads, unsigned per_thread,
                      std::uint64_t capacity) {
  auto state = std::make_shared<std::vector<std::pair<std::mt19937_64, unsigned>>>();
  for (unsigned t = 0; t < threads; ++t) state->push_back({std::mt19937_64(t + 1), 0});
  return {name, channel, threads, [=](unsigned t, tlm::tlm_command& c, std::uint64_t& a, unsigned& l) {
            auto& [rng, issued] = (*state)[t];
            if (issued++ == per_thread) return false;
            c = tlm::TLM_READ_COMMAND;
            a = rng() % (capacity / 64) * 64;
            l = 64;
            return true;
          }};
}

Workload settled(Workload w) {
  w.settle_idle_refreshes = true;
  return w;
}


// ---- --identity ------------------------------------------------------------------------------------------

// One request of an identity run: what to send and how long before sending it.
struct IdentityRequest {
  bool is_write;
  std::uint64_t address;
  unsigned length;
  sc_core::sc_time delay;  // passed to b_transport (the channel waits it first)
};
using IdentityGenerator = std::function<bool(unsigned thread, IdentityRequest&)>;

// Drives one channel with `threads` threads and hashes every request's completion (thread, number, time).
class IdentityDriver : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<IdentityDriver> socket{"socket"};
  IdentityDriver(sc_core::sc_module_name name, DramChannel& channel, unsigned threads, IdentityGenerator next)
      : sc_module(name), channel_(channel), next_(std::move(next)), running_(threads) {
    socket.bind(channel.socket);
    for (unsigned t = 0; t < threads; ++t) sc_core::sc_spawn([this, t] { run(t); }, sc_core::sc_gen_unique_name("t"));
  }
  std::uint64_t completion_hash() const { return hash_; }

 private:
  void run(unsigned thread) {
    std::vector<std::uint8_t> buffer(1 << 16);
    tlm::tlm_generic_payload trans;
    IdentityRequest r;
    for (std::uint64_t number = 0; next_(thread, r); ++number) {
      trans.set_command(r.is_write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
      trans.set_address(r.address);
      trans.set_data_ptr(buffer.data());
      trans.set_data_length(r.length);
      trans.set_streaming_width(r.length);
      trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
      sc_core::sc_time delay = r.delay;
      socket->b_transport(trans, delay);
      // Order-free combination: the threads' interleaving at one instant does not matter, only each time.
      std::uint64_t x = (std::uint64_t{thread} << 40 ^ number) * 0x9E3779B97F4A7C15ull ^ sc_core::sc_time_stamp().value();
      x ^= x >> 31;
      x *= 0xBF58476D1CE4E5B9ull;
      x ^= x >> 29;
      hash_ += x;
    }
    if (--running_ == 0) {
      channel_.drain_writes();  // the posted writes' commands belong to the run
      hash_ += sc_core::sc_time_stamp().value();
    }
  }
  DramChannel& channel_;
  IdentityGenerator next_;
  unsigned running_;
  std::uint64_t hash_ = 0;
};

struct IdentityRun {
  std::string name;
  std::unique_ptr<DramChannel> channel;
  std::unique_ptr<IdentityDriver> driver;
};

int run_identity() {
  using namespace vp::dram_reference;
  std::vector<IdentityRun> runs;
  const auto add = [&](const std::string& name, const DramConfig& config, unsigned threads, IdentityGenerator next) {
    IdentityRun run;
    run.name = name;
    run.channel = std::make_unique<DramChannel>(("ch_" + std::to_string(runs.size())).c_str(), config);
    run.driver = std::make_unique<IdentityDriver>(("drv_" + std::to_string(runs.size())).c_str(), *run.channel,
                                                  threads, std::move(next));
    runs.push_back(std::move(run));
  };
  const DramConfig hbm = vp::default_dram_config(vp::MemoryKind::kHbm);
  const DramConfig ddr = vp::default_dram_config(vp::MemoryKind::kDdr);
  DramConfig hbm_fcfs = hbm, hbm_closed = hbm, hbm_completed = hbm, ddr_closed = ddr, ddr_fcfs = ddr;
  hbm_fcfs.scheduler = ddr_fcfs.scheduler = "fcfs";
  hbm_closed.page_policy = ddr_closed.page_policy = "closed";
  hbm_completed.write_ack = "completed";
  DramConfig hbm_front = hbm;
  hbm_front.frontend_cycles = 2;

  // The bench's workloads, shortened.
  const auto sequential_gen = [](bool write, unsigned threads, unsigned block, std::uint64_t total) {
    auto next_address = std::make_shared<std::uint64_t>(0);
    (void)threads;
    return IdentityGenerator([=](unsigned, IdentityRequest& r) {
      if (*next_address >= total) return false;
      r = {write, *next_address, block, sc_core::SC_ZERO_TIME};
      *next_address += block;
      return true;
    });
  };
  const auto random_gen = [](unsigned threads, unsigned per_thread, std::uint64_t capacity) {
    auto state = std::make_shared<std::vector<std::pair<std::mt19937_64, unsigned>>>();
    for (unsigned t = 0; t < threads; ++t) state->push_back({std::mt19937_64(t + 1), 0});
    return IdentityGenerator([=](unsigned t, IdentityRequest& r) {
      auto& [rng, issued] = (*state)[t];
      if (issued++ == per_thread) return false;
      r = {false, rng() % (capacity / 64) * 64, 64, sc_core::SC_ZERO_TIME};
      return true;
    });
  };
  add("bench HBM2 seq 4K reads", hbm, 8, sequential_gen(false, 8, 4096, 16ull << 20));
  add("bench HBM2 seq 4K writes", hbm, 8, sequential_gen(true, 8, 4096, 8ull << 20));
  add("bench HBM2 seq 512 reads", hbm, 8, sequential_gen(false, 8, 512, 8ull << 20));
  add("bench HBM2 random", hbm, 16, random_gen(16, 4000, hbm.capacity_bytes()));
  add("bench DDR4 seq 4K reads", ddr, 8, sequential_gen(false, 8, 4096, 16ull << 20));
  add("bench DDR4 random", ddr, 16, random_gen(16, 4000, 1ull << 30));
  add("bench HBM2 random FCFS", hbm_fcfs, 16, random_gen(16, 4000, hbm.capacity_bytes()));
  add("bench HBM2 512 closed", hbm_closed, 8, sequential_gen(false, 8, 512, 8ull << 20));
  add("bench HBM2 random closed", hbm_closed, 16, random_gen(16, 4000, hbm.capacity_bytes()));

  // Mixed traffic: reads and writes, sizes 32 B .. 8 KiB (row-crossing), random gaps, over a span that makes
  // row hits and conflicts, per policy.
  const auto mixed_gen = [](unsigned threads, unsigned per_thread, unsigned max_shift, bool gaps, std::uint64_t span) {
    auto state = std::make_shared<std::vector<std::pair<std::mt19937_64, unsigned>>>();
    for (unsigned t = 0; t < threads; ++t) state->push_back({std::mt19937_64(7 * t + 3), 0});
    return IdentityGenerator([=](unsigned t, IdentityRequest& r) {
      auto& [rng, issued] = (*state)[t];
      if (issued++ == per_thread) return false;
      const unsigned length = 32u << (rng() % (max_shift + 1));
      const std::uint64_t address = rng() % (span - length);
      const bool write = rng() % 10 < 3;
      r = {write, address, length, gaps ? sc_core::sc_time(double(rng() % 50), sc_core::SC_NS) : sc_core::SC_ZERO_TIME};
      return true;
    });
  };
  const struct {
    const char* name;
    DramConfig config;
  } mixed_configs[] = {{"HBM2", hbm},         {"DDR4", ddr},           {"HBM2 fcfs", hbm_fcfs},
                       {"DDR4 fcfs", ddr_fcfs}, {"HBM2 closed", hbm_closed}, {"DDR4 closed", ddr_closed},
                       {"HBM2 ack-completed", hbm_completed}, {"HBM2 frontend 2", hbm_front}};
  for (const auto& m : mixed_configs) {
    add(std::string("mixed 64B ") + m.name, m.config, 16, mixed_gen(16, 1500, 1, false, 1ull << 24));
    add(std::string("mixed sizes gaps ") + m.name, m.config, 8, mixed_gen(8, 600, 8, true, 1ull << 26));
    add(std::string("mixed 64B narrow ") + m.name, m.config, 32, mixed_gen(32, 600, 1, false, 1ull << 18));
  }

  // The DRAMsim3 reference streams (tests/test_dram_reference.cpp's configs), N = 8, 16, 32.
  for (const char* memory : {"hbm2", "ddr4"})
    for (const Stream stream : {Stream::seq, Stream::mixed, Stream::rand})
      for (const unsigned outstanding : {8u, 16u, 32u})
        for (const unsigned frontend : {0u, 1u}) {
          DramConfig config = channel_config(memory);
          config.frontend_cycles = frontend;
          auto generator = std::make_shared<StreamGenerator>(stream, config.capacity_bytes());
          auto remaining = std::make_shared<std::uint64_t>(20000);
          add(std::string("reference ") + memory + " " + to_string(stream) + " N=" + std::to_string(outstanding) +
                  " frontend " + std::to_string(frontend),
              config, outstanding, [=](unsigned, IdentityRequest& r) {
                if (*remaining == 0) return false;
                --*remaining;
                const Request next = generator->next();
                r = {next.is_write, next.address, kRequestBytes, sc_core::SC_ZERO_TIME};
                return true;
              });
        }

  sc_core::sc_start();
  for (const IdentityRun& run : runs) {
    run.channel->catch_up_refresh();
    const vp::DramStats& s = run.channel->stats();
    std::printf("%-44s completions %016llx commands %016llx | req %llu/%llu bytes %llu/%llu ACT %llu PRE %llu "
                "PREA %llu RD %llu WR %llu REF %llu hit %llu miss %llu conflict %llu bus %llu lat %llu/%llu "
                "queue %llu\n",
                run.name.c_str(), static_cast<unsigned long long>(run.driver->completion_hash()),
                static_cast<unsigned long long>(run.channel->command_digest()),
                static_cast<unsigned long long>(s.read_requests), static_cast<unsigned long long>(s.write_requests),
                static_cast<unsigned long long>(s.read_bytes), static_cast<unsigned long long>(s.write_bytes),
                static_cast<unsigned long long>(s.activates), static_cast<unsigned long long>(s.precharges),
                static_cast<unsigned long long>(s.precharge_alls), static_cast<unsigned long long>(s.reads),
                static_cast<unsigned long long>(s.writes), static_cast<unsigned long long>(s.refreshes),
                static_cast<unsigned long long>(s.row_hits), static_cast<unsigned long long>(s.row_misses),
                static_cast<unsigned long long>(s.row_conflicts),
                static_cast<unsigned long long>(s.data_bus_busy_cycles),
                static_cast<unsigned long long>(s.total_read_latency.value()),
                static_cast<unsigned long long>(s.total_write_latency.value()),
                static_cast<unsigned long long>(s.total_queueing_delay.value()));
  }
  return 0;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  const std::string filter = argc > 1 ? argv[1] : "";
  if (filter == "--identity") return run_identity();
  const DramConfig hbm = vp::default_dram_config(vp::MemoryKind::kHbm);
  const DramConfig ddr = vp::default_dram_config(vp::MemoryKind::kDdr);
  DramChannel hbm_channel("hbm", hbm);
  DramChannel ddr_channel("ddr", ddr);
  DramConfig hbm_fcfs = hbm;
  hbm_fcfs.scheduler = "fcfs";
  DramConfig hbm_closed = hbm;
  hbm_closed.page_policy = "closed";
  DramChannel hbm_fcfs_channel("hbm_fcfs", hbm_fcfs);
  DramChannel hbm_closed_channel("hbm_closed", hbm_closed);
  std::vector<Workload> workloads = {
      sequential("HBM2 sequential 4 KiB reads x8", 0, tlm::TLM_READ_COMMAND, 8, 4096, 256ull << 20),
      sequential("HBM2 sequential 4 KiB writes x8", 0, tlm::TLM_WRITE_COMMAND, 8, 4096, 64ull << 20),
      sequential("HBM2 sequential 512 B reads x8", 0, tlm::TLM_READ_COMMAND, 8, 512, 64ull << 20),
      random_reads("HBM2 random 64 B reads x16", 0, 16, 20000, hbm.capacity_bytes()),
      sequential("DDR4 sequential 4 KiB reads x8", 1, tlm::TLM_READ_COMMAND, 8, 4096, 256ull << 20),
      random_reads("DDR4 random 64 B reads x16", 1, 16, 20000, 1ull << 30),
      settled(random_reads("HBM2 random 64 B reads x16 FCFS", 2, 16, 20000, hbm.capacity_bytes())),
      settled(sequential("HBM2 512 B reads x8 closed page", 3, tlm::TLM_READ_COMMAND, 8, 512, 64ull << 20)),
      settled(random_reads("HBM2 random 64 B x16 closed page", 3, 16, 20000, hbm.capacity_bytes())),
      random_reads("harness floor (random 64 B x16)", 4, 16, 200000, 1ull << 30)};
  workloads.erase(std::remove_if(workloads.begin(), workloads.end(),
                                 [&](const Workload& w) {
                                   if (!filter.empty() && filter[0] == '=') return w.name != filter.substr(1);
                                   return w.name.find(filter) == std::string::npos;
                                 }),
                  workloads.end());
  TrivialTarget trivial("trivial");
  BenchRunner runner("runner", {&hbm_channel, &ddr_channel, &hbm_fcfs_channel, &hbm_closed_channel}, trivial,
                     std::move(workloads));
  sc_core::sc_start();
  return 0;
}
