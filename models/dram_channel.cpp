#include "models/dram_channel.h"

#include "models/timing_only_extension.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace vp {
using sc_core::sc_time;

DramChannel::DramChannel(sc_core::sc_module_name name, const DramConfig& config)
    : sc_module(name),
      socket("socket"),
      config_((config.validate(std::string(this->name()) + "."), config)),
      mapper_(config_),
      checker_(config_),
      storage_(config_.capacity_bytes()),
      tck_in_resolution_units_(config_.tck_ns * 1e-9 / sc_core::sc_get_time_resolution().to_seconds()),
      lookahead_cycles_(std::uint64_t{config_.tRP} + config_.tRCD + config_.tFAW),
      next_refresh_cycle_(config_.tREFI) {
  if (tck_in_resolution_units_ < 1.0)
    throw std::invalid_argument(std::string(this->name()) + ".tck_ns = " + std::to_string(config_.tck_ns) +
                                " is shorter than the SystemC time resolution");
  socket.register_b_transport(this, &DramChannel::b_transport);
  socket.register_transport_dbg(this, &DramChannel::transport_dbg);
  read_queue_.reserve(config_.read_queue_depth);
  write_queue_.reserve(config_.write_queue_depth);
  // First run on the first arrival (a delta after it), so every request of that instant competes.
  SC_THREAD(scheduler_thread);
  sensitive << wake_scheduler_;
  dont_initialize();
}

DramChannel::~DramChannel() = default;

sc_time DramChannel::time_of_cycle(std::uint64_t cycle) const {
  return sc_time::from_value(
      static_cast<sc_dt::uint64>(std::llround(static_cast<double>(cycle) * tck_in_resolution_units_)));
}

std::uint64_t DramChannel::cycle_at_or_after(const sc_time& t) const {
  auto cycle = static_cast<std::uint64_t>(std::ceil(static_cast<double>(t.value()) / tck_in_resolution_units_));
  while (cycle > 0 && time_of_cycle(cycle - 1) >= t) --cycle;
  while (time_of_cycle(cycle) < t) ++cycle;
  return cycle;
}

// ---- socket side ------------------------------------------------------------------------------------

bool DramChannel::accept(tlm::tlm_generic_payload& trans) const {
  if (trans.get_byte_enable_ptr() != nullptr) {
    trans.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    return false;
  }
  if (trans.get_streaming_width() < trans.get_data_length()) {
    trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return false;
  }
  const std::uint64_t address = trans.get_address();
  const std::uint64_t length = trans.get_data_length();
  if (address >= storage_.capacity() || length > storage_.capacity() - address) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return false;
  }
  if (length > 0 && trans.get_data_ptr() == nullptr) {
    trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return false;
  }
  return true;
}

void DramChannel::b_transport(tlm::tlm_generic_payload& trans, sc_time& delay) {
  if (delay != sc_core::SC_ZERO_TIME) {
    wait(delay);
    delay = sc_core::SC_ZERO_TIME;
  }
  if (trans.is_read() == trans.is_write()) {  // TLM_IGNORE_COMMAND
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  if (!accept(trans)) return;
  const std::uint64_t address = trans.get_address();
  const std::uint32_t length = trans.get_data_length();
  if (length == 0) {
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  const bool is_write = trans.is_write();
  if (is_timing_only(trans)) {
    // Data already moved functionally: only the timing is modelled.
  } else if (is_write) {
    storage_.write(address, trans.get_data_ptr(), length);
  } else {
    storage_.read(address, trans.get_data_ptr(), length);
  }

  Request* request = acquire_request();
  request->is_write = is_write;
  request->arrival = sc_core::sc_time_stamp();
  request->first_command_cycle = std::numeric_limits<std::uint64_t>::max();
  request->data_end_cycle = 0;
  const std::uint64_t segment_bytes = mapper_.segment_bytes();
  const std::uint64_t end = address + length;
  request->pending_segments =
      static_cast<unsigned>((end - 1) / segment_bytes - address / segment_bytes + 1);
  for (std::uint64_t a = address; a < end;) {
    const std::uint64_t segment_end = std::min(end, (a / segment_bytes + 1) * segment_bytes);
    enqueue(Segment{request, a, static_cast<std::uint32_t>(segment_end - a), mapper_.map(a)});
    a = segment_end;
  }
  wait(request->done);

  const sc_time now = sc_core::sc_time_stamp();
  const sc_time latency = now - request->arrival;
  if (is_write) {
    ++stats_.write_requests;
    stats_.write_bytes += length;
    stats_.total_write_latency += latency;
  } else {
    ++stats_.read_requests;
    stats_.read_bytes += length;
    stats_.total_read_latency += latency;
  }
  stats_.total_queueing_delay += time_of_cycle(request->first_command_cycle) - request->arrival;
  release_request(request);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned DramChannel::transport_dbg(tlm::tlm_generic_payload& trans) {
  const std::uint64_t address = trans.get_address();
  if (address >= storage_.capacity() || trans.get_data_ptr() == nullptr) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return 0;
  }
  const auto length =
      static_cast<unsigned>(std::min<std::uint64_t>(trans.get_data_length(), storage_.capacity() - address));
  if (trans.is_write())
    storage_.write(address, trans.get_data_ptr(), length);
  else if (trans.is_read())
    storage_.read(address, trans.get_data_ptr(), length);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
  return trans.is_read() || trans.is_write() ? length : 0;
}

void DramChannel::enqueue(const Segment& segment) {
  const bool is_write = segment.request->is_write;
  auto& queue = is_write ? write_queue_ : read_queue_;
  const unsigned depth = is_write ? config_.write_queue_depth : config_.read_queue_depth;
  while (queue.size() >= depth) wait(is_write ? write_space_ : read_space_);  // back-pressure
  queue.push_back(segment);
  wake_scheduler_.notify(sc_core::SC_ZERO_TIME);  // a delta later, so same-time arrivals compete together
}

DramChannel::Request* DramChannel::acquire_request() {
  if (free_requests_.empty()) {
    request_pool_.push_back(std::make_unique<Request>());
    return request_pool_.back().get();
  }
  Request* request = free_requests_.back();
  free_requests_.pop_back();
  return request;
}

void DramChannel::release_request(Request* request) { free_requests_.push_back(request); }

// ---- controller ---------------------------------------------------------------------------------------

void DramChannel::scheduler_thread() {
  for (;;) {
    while (read_queue_.empty() && write_queue_.empty()) wait(wake_scheduler_);
    const std::uint64_t now = cycle_at_or_after(sc_core::sc_time_stamp());
    refresh_until(now);
    const Segment segment = take_next_segment(now);
    const Plan plan = plan_segment(segment, now);

    Request& request = *segment.request;
    request.first_command_cycle = std::min(request.first_command_cycle, plan.first_command);
    request.data_end_cycle = std::max(request.data_end_cycle, plan.data_end);
    if (--request.pending_segments == 0)
      request.done.notify(time_of_cycle(request.data_end_cycle) - sc_core::sc_time_stamp());

    const std::uint64_t streaming_until =
        plan.last_column > lookahead_cycles_ ? plan.last_column - lookahead_cycles_ : 0;
    const std::uint64_t next_decision = std::max(plan.first_command + 1, streaming_until);
    wait(time_of_cycle(next_decision) - sc_core::sc_time_stamp());
  }
}

std::uint64_t DramChannel::activation_ready(const DramLocation& loc, std::uint64_t now) const {
  std::uint64_t act = checker_.earliest(DramCommand::ACT, loc.bank_group, loc.bank, now);
  if (checker_.is_open(loc.bank_group, loc.bank))
    act = std::max(act, checker_.earliest(DramCommand::PRE, loc.bank_group, loc.bank, now) + config_.tRP);
  return act;
}

DramChannel::Segment DramChannel::take_next_segment(std::uint64_t now) {
  if (draining_writes_) {
    if (write_queue_.size() <= config_.write_drain_low) draining_writes_ = false;
  } else if (write_queue_.size() >= config_.write_drain_high) {
    draining_writes_ = true;
  }
  const bool serve_writes = !write_queue_.empty() && (draining_writes_ || read_queue_.empty());
  auto& queue = serve_writes ? write_queue_ : read_queue_;
  // FR-FCFS: the oldest segment whose row is open; else the oldest whose row can be opened now; else the
  // one whose row can be opened soonest (a bank still busy with tRC/tRAS/tRP must not hold up the others).
  constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::size_t pick = kNone;
  for (std::size_t i = 0; i < queue.size() && pick == kNone; ++i) {
    const DramLocation& loc = queue[i].first;
    if (checker_.is_open(loc.bank_group, loc.bank) && checker_.open_row(loc.bank_group, loc.bank) == loc.row) pick = i;
  }
  if (pick == kNone) {
    std::uint64_t soonest = std::numeric_limits<std::uint64_t>::max();
    for (std::size_t i = 0; i < queue.size(); ++i) {
      const std::uint64_t ready = activation_ready(queue[i].first, now);
      if (ready < soonest) {
        soonest = ready;
        pick = i;
      }
      if (ready <= now) break;
    }
  }
  const Segment segment = queue[pick];
  queue.erase(queue.begin() + static_cast<std::ptrdiff_t>(pick));
  (serve_writes ? write_space_ : read_space_).notify();
  return segment;
}

DramChannel::Plan DramChannel::plan_segment(const Segment& segment, std::uint64_t now) {
  using Cmd = DramCommand;
  const bool is_write = segment.request->is_write;
  const Cmd column_command = is_write ? Cmd::WR : Cmd::RD;
  const std::uint64_t data_delay = (is_write ? config_.tWL : config_.tCL) + std::uint64_t{config_.burst_cycles()};
  const std::uint64_t column_bytes = mapper_.column_bytes();
  const std::uint64_t end = segment.address + segment.length;

  const std::uint64_t first_address = segment.address & ~(column_bytes - 1);
  const std::uint64_t columns = (end - first_address + column_bytes - 1) / column_bytes;
  // A segment stays in one bank and row: once its first bank_groups column accesses have visited (and
  // opened) that row in every bank group, the rest are row hits in bank-group order, a column run.
  const std::uint64_t one_by_one =
      config_.fast_path ? std::min<std::uint64_t>(columns, config_.bank_groups) : columns;

  // The fast path evaluates each command's timing rules once; without it, the reference earliest() + issue().
  const auto issue_at_earliest = [&](Cmd cmd, unsigned bg, unsigned bank, std::uint32_t row) {
    if (config_.fast_path) return checker_.issue_at_earliest(cmd, bg, bank, row, now);
    const std::uint64_t cycle = checker_.earliest(cmd, bg, bank, now);
    checker_.issue(cmd, bg, bank, row, cycle);
    return cycle;
  };

  Plan plan{std::numeric_limits<std::uint64_t>::max(), 0, 0};
  const std::uint64_t one_by_one_end = first_address + one_by_one * column_bytes;
  for (std::uint64_t a = first_address; a < one_by_one_end; a += column_bytes) {
    const DramLocation loc = mapper_.map(a);
    const unsigned bg = loc.bank_group, bank = loc.bank;
    if (checker_.is_open(bg, bank)) {
      if (checker_.open_row(bg, bank) == loc.row) {
        ++stats_.row_hits;
      } else {
        ++stats_.row_conflicts;
        const std::uint64_t pre = issue_at_earliest(Cmd::PRE, bg, bank, 0);
        ++stats_.precharges;
        plan.first_command = std::min(plan.first_command, pre);
      }
    } else {
      ++stats_.row_misses;
    }
    if (!checker_.is_open(bg, bank)) {
      const std::uint64_t act = issue_at_earliest(Cmd::ACT, bg, bank, loc.row);
      ++stats_.activates;
      plan.first_command = std::min(plan.first_command, act);
    }
    const std::uint64_t column = issue_at_earliest(column_command, bg, bank, loc.row);
    plan.first_command = std::min(plan.first_command, column);
    plan.last_column = column;
    plan.data_end = column + data_delay;
  }
  if (one_by_one < columns) {
    const DramLocation loc = mapper_.map(one_by_one_end);
    const DramTimingChecker::ColumnRun run =
        checker_.issue_column_run(column_command, loc.bank_group, loc.bank, loc.row, columns - one_by_one, now);
    stats_.row_hits += columns - one_by_one;
    plan.first_command = std::min(plan.first_command, run.first);
    plan.last_column = run.last;
    plan.data_end = run.last + data_delay;
  }
  (is_write ? stats_.writes : stats_.reads) += columns;
  stats_.data_bus_busy_cycles += columns * config_.burst_cycles();
  return plan;
}

void DramChannel::refresh_until(std::uint64_t now) {
  using Cmd = DramCommand;
  while (next_refresh_cycle_ <= now) {
    if (checker_.open_banks() > 0) {
      stats_.precharges += checker_.open_banks();
      ++stats_.precharge_alls;
      const std::uint64_t prea = checker_.earliest(Cmd::PREA, 0, 0, next_refresh_cycle_);
      checker_.issue(Cmd::PREA, 0, 0, 0, prea);
    } else if (checker_.earliest(Cmd::REF, 0, 0, next_refresh_cycle_) == next_refresh_cycle_) {
      // Idle: nothing constrains the refreshes due before the last one, so they are only counted; the
      // last is issued below because it still blocks the device for tRFC.
      const std::uint64_t skipped = (now - next_refresh_cycle_) / config_.tREFI;
      stats_.refreshes += skipped;
      next_refresh_cycle_ += skipped * config_.tREFI;
    }
    const std::uint64_t ref = checker_.earliest(Cmd::REF, 0, 0, next_refresh_cycle_);
    checker_.issue(Cmd::REF, 0, 0, 0, ref);
    ++stats_.refreshes;
    next_refresh_cycle_ += config_.tREFI;
  }
}

void DramChannel::catch_up_refresh() {
  const sc_time now = sc_core::sc_time_stamp();
  std::uint64_t cycle = cycle_at_or_after(now);
  if (cycle > 0 && time_of_cycle(cycle) > now) --cycle;
  refresh_until(cycle);
}

void DramChannel::end_of_simulation() { catch_up_refresh(); }

}  // namespace vp
