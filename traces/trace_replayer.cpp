#include "traces/trace_replayer.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "sw/hex_format.h"
#include "traces/trace_time.h"

namespace vp {
namespace {

// Greedy interval partitioning of one master's records (in issue order) into issuers: a record
// goes to the first issuer whose previous transaction had completed by its arrival. The number
// of issuers is the most transactions the master had in flight at once.
std::vector<std::vector<uint64_t>> partition_into_slots(const AxiTrace& trace, const std::vector<uint64_t>& records) {
  std::vector<std::vector<uint64_t>> slots;
  std::vector<uint64_t> free_at;
  for (uint64_t index : records) {
    const AxiTraceRecord& r = trace.records[index];
    size_t slot = 0;
    while (slot < slots.size() && free_at[slot] > r.arrival_ps) ++slot;
    if (slot == slots.size()) {
      slots.emplace_back();
      free_at.push_back(0);
    }
    slots[slot].push_back(index);
    free_at[slot] = r.completion_ps;
  }
  return slots;
}

}  // namespace

struct TraceReplayer::Issuer {
  unsigned master = 0;
  std::vector<uint64_t> records;  // recorded timing: this issuer's share, in arrival order
  tlm::tlm_generic_payload payload;
  std::vector<uint8_t> buffer;
  Issuer() { payload.set_extension(new ReplayRecordTag); }  // owned and freed by the payload
};

std::vector<uint32_t> map_trace_channels(const AxiTrace& trace, const MemorySystem& memory) {
  std::vector<uint32_t> map(trace.channels.size(), AxiTrace::kNoChannel);
  const std::vector<InterconnectMasterInfo> replay_masters = memory.masters();
  // By role: the channel a recorded master was placed on goes where the replay config places it.
  for (const AxiTraceMaster& m : trace.masters) {
    if (m.home_channel == AxiTrace::kNoChannel || map.at(m.home_channel) != AxiTrace::kNoChannel) continue;
    for (const InterconnectMasterInfo& rm : replay_masters)
      if (rm.name == m.name) {
        map[m.home_channel] = rm.home_channel;
        break;
      }
  }
  // Everything else by name.
  const std::vector<MemoryChannelInfo>& channels = memory.channels();
  for (size_t c = 0; c < trace.channels.size(); ++c) {
    if (map[c] != AxiTrace::kNoChannel) continue;
    for (size_t r = 0; r < channels.size(); ++r)
      if (channels[r].name == trace.channels[c].name) map[c] = static_cast<uint32_t>(r);
  }
  return map;
}

TraceReplayer::TraceReplayer(sc_core::sc_module_name name, const AxiTrace& trace, const MemorySystemConfig& memory,
                             const ReplayConfig& replay, const std::string& board)
    : sc_module(name), trace_(trace), replay_(replay), board_(board) {
  trace_.validate("trace");
  if (trace_.masters.empty() && !trace_.records.empty()) throw std::runtime_error("trace: records but no masters");
  // Every channel gets a gate; recorded timing against the recorded layout turns them on below.
  memory_ = std::make_unique<MemorySystem>(memory, [this](AxiInterconnect& ic, DramChannel& dram, unsigned) {
    gates_.push_back(std::make_unique<ChannelOrderGate>((std::string("gate_") + dram.basename()).c_str()));
    ic.channels.bind(gates_.back()->target);
    gates_.back()->initiator.bind(dram.socket);
  });
  const std::vector<MemoryChannelInfo>& channels = memory_->channels();
  channel_map_ = map_trace_channels(trace_, *memory_);

  bool same_layout = trace_.channels.size() == channels.size();
  for (size_t c = 0; same_layout && c < channels.size(); ++c)
    same_layout = channel_map_[c] == c && trace_.channels[c].name == channels[c].name &&
                  trace_.channels[c].base == channels[c].base &&
                  trace_.channels[c].size == channels[c].config->capacity_bytes();
  order_enforced_ = replay_.timing == ReplayTiming::kRecorded && same_layout;

  const size_t n = trace_.records.size();
  replay_address_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const AxiTraceRecord& r = trace_.records[i];
    if (r.channel == AxiTrace::kNoChannel16) {  // failed decode when recorded: replayed as it was
      replay_address_[i] = r.address;
      continue;
    }
    const AxiTraceChannel& from = trace_.channels[r.channel];
    const uint32_t to = channel_map_[r.channel];
    if (to == AxiTrace::kNoChannel)
      throw std::runtime_error("trace record " + std::to_string(i) + " (" + trace_.masters[r.master].name + " at " +
                               hex(r.address) + "): recorded channel " + from.name +
                               " has no counterpart in the replay config (board '" + board_ +
                               "': no master placed there and no channel of that name)");
    const uint64_t offset = r.address - from.base;
    const uint64_t capacity = channels[to].config->capacity_bytes();
    if (offset > capacity || r.length > capacity - offset)
      throw std::runtime_error("trace record " + std::to_string(i) + " (" + hex(r.address) + ", " +
                               std::to_string(r.length) + " bytes in " + from.name + "): offset " + hex(offset) +
                               " does not fit replay channel " + channels[to].name + " of " + hex(capacity) + " bytes");
    replay_address_[i] = channels[to].base + offset;
  }

  // One initiator per recorded master, bound in trace order, each at home where the replay
  // config places the master of that name.
  AxiInterconnect& interconnect = memory_->interconnect();
  const std::vector<InterconnectMasterInfo> replay_masters = memory_->masters();
  for (size_t m = 0; m < trace_.masters.size(); ++m) {
    sockets_.push_back(std::make_unique<Socket>(("master_" + std::to_string(m)).c_str()));
    sockets_.back()->bind(interconnect.masters);
    const AxiTraceMaster& tm = trace_.masters[m];
    auto same = std::find_if(replay_masters.begin(), replay_masters.end(),
                             [&](const InterconnectMasterInfo& rm) { return rm.name == tm.name; });
    if (same != replay_masters.end())
      interconnect.set_home_channel(static_cast<unsigned>(m), same->home_channel);
    else if (tm.home_channel != AxiTrace::kNoChannel && channel_map_[tm.home_channel] != AxiTrace::kNoChannel)
      interconnect.set_home_channel(static_cast<unsigned>(m), channel_map_[tm.home_channel]);
  }

  if (order_enforced_) {
    std::vector<std::vector<uint64_t>> order(channels.size());
    for (size_t i = 0; i < n; ++i)
      if (trace_.records[i].channel != AxiTrace::kNoChannel16) order[channel_map_[trace_.records[i].channel]].push_back(i);
    for (size_t c = 0; c < channels.size(); ++c) gates_[c]->enforce(std::move(order[c]));
  }

  issued_ps_.assign(n, kNotDone);
  completed_ps_.assign(n, kNotDone);
  error_response_.assign(n, false);
  pending_ = n;
  build_issuers();
  sc_core::sc_spawn([this] { finish(); }, "finish");
}

TraceReplayer::~TraceReplayer() = default;

void TraceReplayer::build_issuers() {
  const size_t masters = trace_.masters.size();
  master_records_.assign(masters, {});
  for (uint64_t i = 0; i < trace_.records.size(); ++i) master_records_[trace_.records[i].master].push_back(i);
  // Issue order per master: recorded arrival, then forwarding order.
  for (auto& records : master_records_)
    std::stable_sort(records.begin(), records.end(), [&](uint64_t a, uint64_t b) {
      return trace_.records[a].arrival_ps < trace_.records[b].arrival_ps;
    });
  recorded_max_in_flight_.assign(masters, 0);
  replayed_max_in_flight_.assign(masters, 0);
  in_flight_.assign(masters, 0);
  dependent_next_.assign(masters, 0);
  for (unsigned m = 0; m < masters; ++m) {
    const std::vector<std::vector<uint64_t>> slots = partition_into_slots(trace_, master_records_[m]);
    recorded_max_in_flight_[m] = static_cast<uint32_t>(slots.size());
    for (const std::vector<uint64_t>& slot : slots) {
      issuers_.push_back(std::make_unique<Issuer>());
      Issuer& issuer = *issuers_.back();
      issuer.master = m;
      if (replay_.timing == ReplayTiming::kRecorded) {
        issuer.records = slot;
        sc_core::sc_spawn([this, &issuer] { run_issuer(issuer); }, sc_core::sc_gen_unique_name("issuer"));
      } else {
        sc_core::sc_spawn([this, &issuer] { run_dependent(issuer); }, sc_core::sc_gen_unique_name("issuer"));
      }
    }
  }
}

void TraceReplayer::run_issuer(Issuer& issuer) {
  for (uint64_t index : issuer.records) {
    const sc_core::sc_time arrival = from_ps(trace_.records[index].arrival_ps);
    if (arrival > sc_core::sc_time_stamp()) sc_core::wait(arrival - sc_core::sc_time_stamp());
    issue(issuer.master, index, issuer.payload, issuer.buffer);
  }
}

void TraceReplayer::run_dependent(Issuer& issuer) {
  // Every issuer of a master takes the master's next record as soon as it is free.
  const std::vector<uint64_t>& records = master_records_[issuer.master];
  while (dependent_next_[issuer.master] < records.size()) {
    const uint64_t index = records[dependent_next_[issuer.master]++];
    issue(issuer.master, index, issuer.payload, issuer.buffer);
  }
}

void TraceReplayer::issue(unsigned master, uint64_t index, tlm::tlm_generic_payload& gp, std::vector<uint8_t>& buffer) {
  const AxiTraceRecord& r = trace_.records[index];
  if (buffer.size() < r.length) buffer.resize(r.length);  // write data is not recorded: zeros
  gp.set_command(r.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  gp.set_address(replay_address_[index]);
  gp.set_data_ptr(buffer.data());
  gp.set_data_length(r.length);
  gp.set_streaming_width(r.length);
  gp.set_byte_enable_ptr(nullptr);
  gp.set_dmi_allowed(false);
  gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  gp.get_extension<ReplayRecordTag>()->record = index;

  issued_ps_[index] = to_ps(sc_core::sc_time_stamp());
  replayed_max_in_flight_[master] = std::max(replayed_max_in_flight_[master], ++in_flight_[master]);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  (*sockets_[master])->b_transport(gp, delay);
  if (delay > sc_core::SC_ZERO_TIME) sc_core::wait(delay);
  --in_flight_[master];
  completed_ps_[index] = to_ps(sc_core::sc_time_stamp());
  error_response_[index] = gp.is_response_error();
  if (--pending_ == 0) all_done_.notify();
}

void TraceReplayer::finish() {
  if (pending_ > 0) sc_core::wait(all_done_);
  // Recorded timing ends where the recorded run ended: refreshes and background energy run to it.
  if (replay_.timing == ReplayTiming::kRecorded) {
    const sc_core::sc_time end = from_ps(trace_.end_ps);
    if (end > sc_core::sc_time_stamp()) sc_core::wait(end - sc_core::sc_time_stamp());
  }
  sc_core::sc_stop();
}

ReplayResult TraceReplayer::result() const {
  ReplayResult r;
  r.timing = replay_.timing;
  r.order_enforced = order_enforced_;
  r.transactions = trace_.records.size();
  for (size_t i = 0; i < trace_.records.size(); ++i) {
    if (completed_ps_[i] == kNotDone) continue;
    ++r.completed;
    r.error_responses += error_response_[i] ? 1 : 0;
    r.completions_as_recorded += completed_ps_[i] == trace_.records[i].completion_ps ? 1 : 0;
  }
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  r.elapsed_s = now.to_seconds();
  r.recorded_elapsed_s = ps_to_seconds(trace_.end_ps);
  for (const MemoryChannelInfo& c : memory_->channels()) {
    c.model->catch_up_refresh();  // a no-op after sc_stop (end_of_simulation did it)
    ReplayChannelResult out;
    out.name = c.name;
    out.peak_bytes_per_s = c.config->peak_bytes_per_s();
    out.stats = c.model->stats();
    out.energy_pj = out.stats.energy_pj(*c.config, now);
    out.bytes_per_s = r.elapsed_s > 0 ? double(out.stats.read_bytes + out.stats.write_bytes) / r.elapsed_s : 0.0;
    r.channels.push_back(out);
  }
  if (r.completed < r.transactions) {
    r.error = std::to_string(r.transactions - r.completed) + " of " + std::to_string(r.transactions) +
              " transactions did not complete";
    for (size_t c = 0; c < gates_.size(); ++c)
      if (!gates_[c]->waiting_for().empty())
        r.error += "; " + memory_->channels()[c].name + " waits for " + gates_[c]->waiting_for() + " (" +
                   std::to_string(gates_[c]->passed()) + " of " + std::to_string(gates_[c]->expected()) + " passed)";
  }
  return r;
}

}  // namespace vp
