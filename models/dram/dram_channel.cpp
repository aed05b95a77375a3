#include "models/dram/dram_channel.h"

#include "models/axi/timing_only_extension.h"

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
      next_refresh_cycle_(config_.tREFI),
      posted_writes_(config_.write_ack == "accepted"),
      scheduler_(make_dram_scheduler(config_.scheduler, std::string(this->name()) + ".scheduler")),
      page_policy_(make_dram_page_policy(config_.page_policy, std::string(this->name()) + ".page_policy")),
      hits_hold_banks_(scheduler_->row_hits_hold_banks()),
      picks_soonest_hit_(scheduler_->picks_soonest_hit()),
      closes_rows_(page_policy_->ever_precharges()),
      hit_seen_(config_.total_banks(), 0),
      claimed_(config_.total_banks(), 0),
      hits_incremental_(hits_hold_banks_ && config_.total_banks() <= 64),
      hit_banks_(config_.total_banks(), 0),
      opened_for_(config_.total_banks(), OpenedFor::none),
      precharged_for_conflict_(config_.total_banks(), 0) {
  if (tck_in_resolution_units_ < 1.0)
    throw std::invalid_argument(std::string(this->name()) + ".tck_ns = " + std::to_string(config_.tck_ns) +
                                " is shorter than the SystemC time resolution");
  socket.register_b_transport(this, &DramChannel::b_transport);
  socket.register_transport_dbg(this, &DramChannel::transport_dbg);
  socket.register_get_direct_mem_ptr(this, &DramChannel::get_direct_mem_ptr);
  read_queue_.reserve(config_.read_queue_depth);
  write_queue_.reserve(config_.write_queue_depth);
  // A step's first data beat comes tCL (reads) or tWL (writes acknowledged on completion) + burst cycles
  // after it at the soonest: until then it may run late (lazy steps).
  const std::uint64_t first_beat =
      std::uint64_t{posted_writes_ ? config_.tCL : std::min(config_.tCL, config_.tWL)} + config_.burst_cycles();
  lazy_window_ = first_beat > 0 ? first_beat - 1 : 0;
  // First run on the first arrival (a delta after it), so every request of that instant competes.
  SC_METHOD(schedule);
  sensitive << scheduler_tick_;
  dont_initialize();
}

namespace {
constexpr const char* kRequestsLeft = "/vp/DramChannel/requests_left";
}  // namespace

DramChannel::~DramChannel() {
  // A simulation that ran out of events without sc_stop skips end_of_simulation: say it here, without throwing.
  if (stall_checked_) return;
  try {
    if (stalled()) SC_REPORT_WARNING(kRequestsLeft, stall_report().c_str());
  } catch (...) {
  }
}

sc_dt::uint64 DramChannel::time_value_of_cycle(std::uint64_t cycle) const {
  const double units = static_cast<double>(cycle) * tck_in_resolution_units_;
  if (!(units < 0x1p53)) return static_cast<sc_dt::uint64>(std::llround(units));
  // std::llround (half away from zero) without the library call: below 2^53 the truncation converts back
  // exactly, so the fraction is exact too.
  const auto whole = static_cast<sc_dt::uint64>(units);
  return whole + (units - static_cast<double>(whole) >= 0.5 ? 1 : 0);
}

sc_time DramChannel::time_of_cycle(std::uint64_t cycle) const { return sc_time::from_value(time_value_of_cycle(cycle)); }

std::uint64_t DramChannel::cycle_at_or_after(const sc_time& t) const {
  if (t.value() == converted_time_) return converted_cycle_;
  converted_time_ = t.value();
  auto cycle = static_cast<std::uint64_t>(std::ceil(static_cast<double>(t.value()) / tck_in_resolution_units_));
  while (cycle > 0 && time_value_of_cycle(cycle - 1) >= t.value()) --cycle;
  while (time_value_of_cycle(cycle) < t.value()) ++cycle;
  converted_cycle_ = cycle;
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
  catch_up();  // the queues as they are now
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
  const sc_time arrival = sc_core::sc_time_stamp();
  // A response one controller cycle after acceptance: DRAMsim3 Controller::AddTransaction completes a posted
  // write, and a read found in its write buffer, at clk_ + 1.
  const auto one_cycle_later = [&] { return until_cycle(cycle_at_or_after(sc_core::sc_time_stamp()) + 1); };

  if (!is_write && !write_queue_.empty() && buffered_write_covers(address, length)) {
    wait(one_cycle_later());
    ++stats_.read_requests;
    stats_.read_bytes += length;
    stats_.total_read_latency += sc_core::sc_time_stamp() - arrival;
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }

  // The front end (DramConfig::frontend_cycles): the request reaches the queues that many cycles after it
  // arrived; a posted write is acknowledged once queued, one cycle after its arrival at the earliest.
  const std::uint64_t arrival_cycle = config_.frontend_cycles > 0 ? cycle_at_or_after(arrival) : 0;
  if (config_.frontend_cycles > 0) wait(until_cycle(arrival_cycle + config_.frontend_cycles));

  Request* request = acquire_request();
  request->is_write = is_write;
  request->posted = is_write && posted_writes_;
  request->arrival = arrival;
  request->first_command_cycle = std::numeric_limits<std::uint64_t>::max();
  request->data_end_cycle = 0;
  const std::uint64_t segment_bytes = mapper_.segment_bytes();
  const std::uint64_t column_bytes = mapper_.column_bytes();
  const std::uint64_t end = address + length;
  request->pending_segments =
      static_cast<unsigned>((end - 1) / segment_bytes - address / segment_bytes + 1);
  const bool posted = request->posted;
  for (std::uint64_t a = address; a < end;) {
    const std::uint64_t segment_end = std::min(end, (a / segment_bytes + 1) * segment_bytes);
    const std::uint64_t columns = (segment_end - (a & ~(column_bytes - 1)) + column_bytes - 1) / column_bytes;
    // The first segment of a posted write also takes its buffer slot.
    admit(request, is_write, posted && a == address);
    if (posted && a == address) ++buffered_writes_;
    const DramLocation first = mapper_.map(a);
    const auto groups = static_cast<unsigned>(std::min<std::uint64_t>(columns, config_.bank_groups));
    enqueue(Segment{request, a, static_cast<std::uint32_t>(segment_end - a), first, groups,
                    bank_index(first.bank_group, first.bank), bank_mask(first, groups), next_segment_sequence_++});
    a = segment_end;
  }

  if (posted) {
    // From here the scheduler owns the request (segment_planned releases it).
    if (config_.frontend_cycles == 0) {
      wait(one_cycle_later());
    } else {
      const sc_time acknowledged = time_of_cycle(arrival_cycle + 1);
      if (acknowledged > sc_core::sc_time_stamp()) wait(acknowledged - sc_core::sc_time_stamp());
    }
    ++stats_.write_requests;
    stats_.write_bytes += length;
    stats_.total_write_latency += sc_core::sc_time_stamp() - arrival;
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  wait(request->done);

  const sc_time latency = sc_core::sc_time_stamp() - arrival;
  if (is_write) {
    ++stats_.write_requests;
    stats_.write_bytes += length;
    stats_.total_write_latency += latency;
  } else {
    ++stats_.read_requests;
    stats_.read_bytes += length;
    stats_.total_read_latency += latency;
  }
  stats_.total_queueing_delay += time_of_cycle(request->first_command_cycle) - arrival;
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

bool DramChannel::get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) {
  const std::uint64_t address = trans.get_address();
  const std::uint64_t start = address / DramStorage::kPageBytes * DramStorage::kPageBytes;
  dmi.set_start_address(start);
  dmi.allow_none();
  if (address >= storage_.capacity()) {  // refused for everything from there on
    dmi.set_end_address(std::numeric_limits<std::uint64_t>::max());
    return false;
  }
  dmi.set_end_address(std::min(storage_.capacity(), start + DramStorage::kPageBytes) - 1);
  const std::uint8_t* page = storage_.page(address);
  if (page == nullptr || !trans.is_read()) return false;
  dmi.set_dmi_ptr(const_cast<unsigned char*>(page));  // granted read-only
  dmi.allow_read();
  return true;
}

bool DramChannel::has_room(bool is_write, bool needs_buffer_slot) const {
  if (is_write)
    return write_queue_.size() < config_.write_queue_depth &&
           (!needs_buffer_slot || buffered_writes_ < config_.write_buffer_depth);
  return read_queue_.size() < config_.read_queue_depth;
}

std::deque<DramChannel::Request*>& DramChannel::line_for(const Request& request, bool is_write,
                                                         bool needs_buffer_slot) {
  if (!is_write) return read_line_;
  // A posted write's further segments: its buffer slot frees only once they are planned, so they must not
  // wait behind writers waiting for a slot.
  return request.posted && !needs_buffer_slot ? slot_holder_line_ : write_line_;
}

void DramChannel::admit(Request* request, bool is_write, bool needs_buffer_slot) {
  catch_up();
  auto& line = line_for(*request, is_write, needs_buffer_slot);
  // The slot holders' segments go ahead of every writer in write_line_.
  const auto may_enter = [&] {
    return has_room(is_write, needs_buffer_slot) && (&line != &write_line_ || slot_holder_line_.empty());
  };
  if (line.empty() && may_enter()) return;
  line.push_back(request);
  arm();  // steps now wake this line: at their own instants
  // Only the head of the line is woken (wake_line_head), so nobody overtakes an earlier arrival.
  do {
    wait(request->admitted);
    catch_up();
  } while (line.front() != request || !may_enter());
  line.pop_front();
  wake_line_head(is_write);  // the next in line may fit as well
}

void DramChannel::wake_line_head(bool is_write) {
  auto& line = !is_write ? read_line_ : slot_holder_line_.empty() ? write_line_ : slot_holder_line_;
  if (!line.empty()) line.front()->admitted.notify(sc_core::SC_ZERO_TIME);
}

std::uint64_t DramChannel::bank_mask(const DramLocation& first, unsigned groups) const {
  if (config_.total_banks() > 64) return 0;
  const unsigned group_mask = config_.bank_groups - 1;
  std::uint64_t mask = 0;
  for (unsigned v = 0; v < groups; ++v)
    mask |= std::uint64_t{1} << bank_index((first.bank_group + v) & group_mask, first.bank);
  return mask;
}

void DramChannel::enqueue(const Segment& segment) {
  const bool is_write = segment.request->is_write;
  (is_write ? write_queue_ : read_queue_).push_back(segment);
  // Claims depend on their own queue only; the youngest segment adds claims at the end (speed only: the
  // same claims as a rebuild).
  if (is_write == claims_for_writes_ && !claims_stale_) {
    if (config_.total_banks() <= 64) append_claims(segment);
    else claims_stale_ = true;
  }
  // The youngest segment is a hit or not by itself: the others' positions stay.
  if (is_write == hits_for_writes_ && !hits_dirty_ && rows_open(segment)) {
    const auto& queue = is_write ? write_queue_ : read_queue_;
    add_hit(static_cast<std::uint32_t>(queue.size() - 1), segment);
  }
  step_after_this_delta();  // a delta later, so same-time arrivals compete together
}

bool DramChannel::buffered_write_covers(std::uint64_t address, std::uint64_t length) const {
  for (const Segment& w : write_queue_)
    if (w.address <= address && address + length <= w.address + w.length) return true;
  return false;
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

bool DramChannel::serving_writes() {
  if (draining_writes_) {
    if (write_queue_.size() <= config_.write_drain_low) draining_writes_ = false;
  } else if (write_queue_.size() >= config_.write_drain_high) {
    draining_writes_ = true;
  }
  return !write_queue_.empty() && (draining_writes_ || drain_requested_ || read_queue_.empty());
}

bool DramChannel::rows_open(const Segment& segment) const {
  if (!checker_.holds_row(segment.first_index, segment.first.row)) return false;
  const unsigned group_mask = config_.bank_groups - 1;  // a power of two (DramConfig::validate)
  for (unsigned v = 1; v < segment.groups; ++v)
    if (!checker_.holds_row(bank_index((segment.first.bank_group + v) & group_mask, segment.first.bank),
                            segment.first.row))
      return false;
  return true;
}

const DramStats& DramChannel::stats() const {
  const_cast<DramChannel*>(this)->catch_up();  // the counters of the steps due by now
  return stats_;
}

std::uint64_t DramChannel::command_digest() const {
  const_cast<DramChannel*>(this)->catch_up();
  return checker_.command_digest();
}

void DramChannel::reset_stats() {
  catch_up();
  stats_ = DramStats{};
}

bool DramChannel::steps_must_be_exact() const {
  return lazy_window_ == 0 || drain_requested_ || !read_line_.empty() || !write_line_.empty() ||
         !slot_holder_line_.empty();
}

void DramChannel::schedule() {
  armed_time_ = ~sc_dt::uint64{0};
  armed_delta_ = false;
  catch_up();
  arm();
}

bool DramChannel::scheduler_stopped() const {
  // The wake-up fires before any thread runs at its instant (SystemC runs methods first), so a thread that
  // finds it still armed for now or earlier knows the process did not run (another method may ask before
  // it runs: it then sees the steps a little later, as it could have before).
  if (armed_delta_) return sc_core::sc_delta_count() > armed_delta_count_;
  return armed_time_ <= sc_core::sc_time_stamp().value();
}

void DramChannel::catch_up() {
  if (!pending_.valid || scheduler_stopped()) return;
  const sc_dt::uint64 t = sc_core::sc_time_stamp().value();
  bool ran = false;
  while (pending_.valid && (pending_.time < t || (pending_.time == t && !(pending_.after_delta &&
                                                                          pending_.delta == sc_core::sc_delta_count())))) {
    pending_.valid = false;
    step(pending_.cycle);
    ran = true;
  }
  if (ran) arm();
}

void DramChannel::step_after_this_delta() {
  // catch_up() ran: a pending step is this delta's (kept) or a later wake-up (dropped: this step decides anew).
  const sc_time t = sc_core::sc_time_stamp();
  const sc_dt::uint64 delta = sc_core::sc_delta_count();
  if (pending_.valid && pending_.after_delta && pending_.time == t.value() && pending_.delta == delta) return;
  pending_ = PendingStep{true, true, cycle_at_or_after(t), t.value(), delta};
  arm();
}

void DramChannel::arm() {
  if (!pending_.valid) return;
  sc_dt::uint64 deadline;
  if (steps_must_be_exact()) {
    if (pending_.after_delta) {
      if (!armed_delta_) {
        scheduler_tick_.notify(sc_core::SC_ZERO_TIME);  // overrides a timed notification
        armed_delta_ = true;
        armed_delta_count_ = sc_core::sc_delta_count();
      }
      return;
    }
    deadline = pending_.time;
  } else {
    deadline = time_value_of_cycle(pending_.cycle + lazy_window_);
  }
  if (armed_delta_ || armed_time_ <= deadline) return;  // it fires in time and re-arms
  scheduler_tick_.notify(sc_time::from_value(deadline) - sc_core::sc_time_stamp());  // overrides a later one
  armed_time_ = deadline;
}

void DramChannel::step(std::uint64_t now) {
  if (read_queue_.empty() && write_queue_.empty()) return;  // the next arrival wakes us
  if (next_refresh_cycle_ <= now) refresh_until(now);
  const bool writes = serving_writes();
  auto& queue = writes ? write_queue_ : read_queue_;
  const DramCommand column_command = writes ? DramCommand::WR : DramCommand::RD;

  // Row hits: the scheduler picks one of them (FR-FCFS: the one whose first column can go soonest, the oldest
  // on a tie). The scan also notes which banks have a queued hit, which (FR-FCFS) keeps the look-ahead from
  // closing them.
  if (hits_dirty_ || hits_for_writes_ != writes) scan_hits(queue, writes);
  else if (unmark_banks_ != 0 || act_pending_) update_hits(queue);
  constexpr std::size_t kNone = DramSchedulerPick::kNone;
  const std::size_t hits = hit_positions_.size();
  const std::int64_t channel_bound = checker_.column_channel_bound(column_command, now);  // shared by every hit
  const auto column_bound = [&](std::uint32_t i) {  // its first column's timing bound, before the bus
    const Segment& s = queue[i];
    return static_cast<std::uint64_t>(
        checker_.column_timing_bound(column_command, s.first.bank_group, s.first_index, channel_bound));
  };
  DramSchedulerPick pick;
  if (picks_soonest_hit_) {
    // The first free bus slot is non-decreasing in the bound: the soonest hit's cycle is that of the least bound,
    // and the hits going then are those bounded by it, the oldest of which is picked (speed only: one bus look-up
    // instead of one per hit on DDR4's shared bus).
    pick = pick_soonest_hit(hit_positions_, column_bound);
    if (pick.position != kNone) {
      const std::uint64_t least = pick.cycle;
      pick.cycle = checker_.first_free_column_bus_cycle(least);
      if (pick.cycle > least)
        for (const std::uint32_t position : hit_positions_) {
          if (position == pick.position) break;
          if (column_bound(position) <= pick.cycle) {
            pick.position = position;
            break;
          }
        }
    }
  } else {
    pick = scheduler_->pick(hit_positions_,
                            [&](std::uint32_t i) { return checker_.first_free_column_bus_cycle(column_bound(i)); });
  }
  const std::size_t best = pick.position;
  const std::uint64_t best_cycle = pick.cycle;
  std::uint64_t wake = std::numeric_limits<std::uint64_t>::max();
  if (best != kNone && best_cycle <= now) {
    const Segment segment = queue[best];
    queue.erase(queue.begin() + static_cast<std::ptrdiff_t>(best));
    if (config_.total_banks() <= 64 && !claims_stale_ && claims_for_writes_ == writes)
      release_claims(queue, best, segment);
    else
      claims_stale_ = true;
    const std::uint64_t row_commands = stats_.activates + stats_.precharges;
    const Plan plan = plan_segment(segment, now);
    // A hit's plan issues only its columns; one that opened rows itself (possible under FCFS) rescans.
    if (!hits_incremental_ || stats_.activates + stats_.precharges != row_commands) hits_dirty_ = true;
    if (!hits_dirty_) remove_hit(static_cast<std::uint32_t>(best), segment);
    segment_planned(segment, plan);
    if (closes_rows_) apply_page_policy(segment, now);
    wake_line_head(writes);
    if (writes && queue.empty()) write_queue_emptied_.notify(sc_core::SC_ZERO_TIME);
    if (hits > 1) wake = now + config_.tCCD_S;  // no column command can follow sooner
  } else if (best != kNone) {
    wake = best_cycle;
  }
  wake = std::min(wake, prepare_banks(queue, now, hit_epoch_, wake));
  if (wake == std::numeric_limits<std::uint64_t>::max()) {
    // Nothing queued can act (all served, or blocked on hits already planned): the next arrival wakes us;
    // otherwise the next cycle re-evaluates (e.g. a write queue left when the reads ran out).
    if (read_queue_.empty() && write_queue_.empty()) return;
    wake = now + 1;
  }
  pending_ = PendingStep{true, false, wake, time_value_of_cycle(wake), 0};
  converted_time_ = pending_.time;  // the next step most likely runs then
  converted_cycle_ = wake;
}

void DramChannel::scan_hits(const std::vector<Segment>& queue, bool for_writes) {
  const unsigned group_mask = config_.bank_groups - 1;
  const std::uint64_t epoch = ++hit_epoch_;
  hit_positions_.clear();
  std::fill(hit_banks_.begin(), hit_banks_.end(), 0);
  unmark_banks_ = 0;
  act_pending_ = false;
  for (std::size_t i = 0; i < queue.size(); ++i) {
    const Segment& s = queue[i];
    if (!rows_open(s)) continue;
    // Only a segment that can be served protects its rows: two partly open segments each holding a row the
    // other needs must not block each other.
    for (unsigned v = 0; v < s.groups; ++v) {
      const unsigned index = bank_index((s.first.bank_group + v) & group_mask, s.first.bank);
      hit_seen_[index] = epoch;
      ++hit_banks_[index];
    }
    hit_positions_.push_back(static_cast<std::uint32_t>(i));
  }
  hits_dirty_ = false;
  hits_for_writes_ = for_writes;
}

void DramChannel::add_hit(std::uint32_t position, const Segment& segment) {
  const unsigned group_mask = config_.bank_groups - 1;
  hit_positions_.insert(std::lower_bound(hit_positions_.begin(), hit_positions_.end(), position), position);
  for (unsigned v = 0; v < segment.groups; ++v) {
    const unsigned index = bank_index((segment.first.bank_group + v) & group_mask, segment.first.bank);
    hit_seen_[index] = hit_epoch_;
    ++hit_banks_[index];
  }
}

void DramChannel::remove_hit(std::uint32_t position, const Segment& segment) {
  const auto it = std::lower_bound(hit_positions_.begin(), hit_positions_.end(), position);
  if (it == hit_positions_.end() || *it != position) {  // not a kept hit: rescan
    hits_dirty_ = true;
    return;
  }
  for (auto later = hit_positions_.erase(it); later != hit_positions_.end(); ++later) --*later;
  const unsigned group_mask = config_.bank_groups - 1;
  for (unsigned v = 0; v < segment.groups; ++v) {
    const unsigned index = bank_index((segment.first.bank_group + v) & group_mask, segment.first.bank);
    if (--hit_banks_[index] == 0) unmark_banks_ |= std::uint64_t{1} << index;
  }
}

void DramChannel::update_hits(const std::vector<Segment>& queue) {
  for (std::uint64_t banks = unmark_banks_; banks != 0; banks &= banks - 1) {
    const auto index = static_cast<unsigned>(__builtin_ctzll(banks));
    if (hit_banks_[index] == 0) hit_seen_[index] = 0;  // no hit left there (epochs start at 1)
  }
  unmark_banks_ = 0;
  if (!act_pending_) return;
  act_pending_ = false;
  // The segments the ACT made hits: they need that bank in that row and now find all their rows open.
  const std::uint64_t bit = std::uint64_t{1} << act_index_;
  const Segment* const segments = queue.data();  // add_hit changes no segment: size and data read once
  const std::size_t count = queue.size();
  for (std::size_t i = 0; i < count; ++i) {
    const Segment& s = segments[i];
    if ((s.banks & bit) == 0 || s.first.row != act_row_ || !rows_open(s)) continue;
    const auto position = static_cast<std::uint32_t>(i);
    if (std::binary_search(hit_positions_.begin(), hit_positions_.end(), position)) continue;  // arrived a hit
    add_hit(position, s);
  }
}

void DramChannel::collect_claims(const std::vector<Segment>& queue) {
  const unsigned group_mask = config_.bank_groups - 1;
  const std::uint64_t stamp = ++step_;  // a fresh stamp: no bank is claimed yet
  claims_.clear();
  const unsigned banks = config_.total_banks();
  if (banks <= 64) {
    // The same claims, kept in a bit mask; once every bank is claimed the older segments decided them all.
    const std::uint64_t all = banks == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << banks) - 1;
    std::uint64_t claimed = 0;
    for (const Segment& s : queue) {
      if ((s.banks & ~claimed) == 0) continue;  // older segments decide for all its banks
      for (unsigned v = 0; v < s.groups; ++v) {
        const unsigned bg = (s.first.bank_group + v) & group_mask, bank = s.first.bank;
        const unsigned index = bank_index(bg, bank);
        const std::uint64_t bit = std::uint64_t{1} << index;
        if (claimed & bit) continue;  // an older segment decides for this bank
        claimed |= bit;
        claims_.push_back(Claim::of(s, bg, index));
      }
      if (claimed == all) break;
    }
    claimed_mask_ = claimed;
    return;
  }
  for (const Segment& s : queue)
    for (unsigned v = 0; v < s.groups; ++v) {
      const unsigned bg = (s.first.bank_group + v) & group_mask, bank = s.first.bank;
      const unsigned index = bank_index(bg, bank);
      if (claimed_[index] == stamp) continue;  // an older segment decides for this bank
      claimed_[index] = stamp;
      claims_.push_back(Claim::of(s, bg, index));
    }
}

void DramChannel::append_claims(const Segment& s) {
  if ((s.banks & ~claimed_mask_) == 0) return;
  const unsigned group_mask = config_.bank_groups - 1;
  for (unsigned v = 0; v < s.groups; ++v) {
    const unsigned bg = (s.first.bank_group + v) & group_mask, bank = s.first.bank;
    const unsigned index = bank_index(bg, bank);
    const std::uint64_t bit = std::uint64_t{1} << index;
    if (claimed_mask_ & bit) continue;
    claimed_mask_ |= bit;
    claims_.push_back(Claim::of(s, bg, index));
  }
}

void DramChannel::release_claims(const std::vector<Segment>& queue, std::size_t position, const Segment& planned) {
  // Its claims are consecutive (claims follow queue order: ascending sequence); the banks they held are free.
  const auto by_sequence = [](const Claim& c, std::uint64_t sequence) { return c.sequence < sequence; };
  // (FCFS plans the oldest segment: its claims come first.)
  const auto first = claims_.empty() || claims_.front().sequence >= planned.sequence
                         ? claims_.begin()
                         : std::lower_bound(claims_.begin(), claims_.end(), planned.sequence, by_sequence);
  auto last = first;
  std::uint64_t freed = 0;
  for (; last != claims_.end() && last->sequence == planned.sequence; ++last) freed |= std::uint64_t{1} << last->index;
  claims_.erase(first, last);
  // A freed bank passes to the oldest queued segment needing it, one behind the planned segment (an older one
  // would have held it), whose claims it joins in bank-group visiting order.
  const unsigned group_mask = config_.bank_groups - 1;
  for (std::size_t i = position; i < queue.size() && freed != 0; ++i) {
    const Segment& s = queue[i];
    const std::uint64_t gained = s.banks & freed;
    if (gained == 0) continue;
    freed &= ~gained;
    auto at = std::lower_bound(claims_.begin(), claims_.end(), s.sequence, by_sequence);
    for (unsigned v = 0; v < s.groups; ++v) {
      const unsigned bg = (s.first.bank_group + v) & group_mask, bank = s.first.bank;
      const unsigned index = bank_index(bg, bank);
      if (at != claims_.end() && at->sequence == s.sequence && at->index == index) {
        ++at;  // held already
      } else if (gained & (std::uint64_t{1} << index)) {
        at = claims_.insert(at, Claim::of(s, bg, index)) + 1;
      }
    }
  }
  claimed_mask_ &= ~freed;  // no queued segment needs them
}

std::uint64_t DramChannel::prepare_banks(const std::vector<Segment>& queue, std::uint64_t now, std::uint64_t step,
                                         std::uint64_t wake) {
  using Cmd = DramCommand;
  const bool for_writes = &queue == &write_queue_;
  if (claims_stale_ || claims_for_writes_ != for_writes) {
    collect_claims(queue);
    claims_stale_ = false;
    claims_for_writes_ = for_writes;
  }
  // The reference loop, claim by claim in claim order: skip a bank whose row is open for it (or, FR-FCFS, held
  // by a queued hit); while the channel-wide ACT rules (activate_floor) hold every ACT back, an ACT's bound is
  // that floor; otherwise the command's earliest cycle; the first command that can go now is issued (one row
  // command per cycle) and the soonest of the others, evaluated after it, is the wake-up. Computed here in two
  // passes with the same result: the row command bus is the only rule shared by every claim, and its
  // first_free_row_bus_cycle is non-decreasing, so the soonest of the claims' earliest cycles is that of the
  // least of their timing bounds, found without a branch per claim (speed only).
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  const std::size_t count = claims_.size();
  const Claim* const claims = claims_.data();
  const bool bus_free_now = checker_.first_free_row_bus_cycle(now) == now;
  // Nothing can go now, and nothing before the next cycle: the wake-up stands.
  if (!bus_free_now && wake <= now + 1) return wake;
  // Pass 1 (before any issue): the claims up to the first that can go now.
  std::uint64_t floor = checker_.activate_floor();
  bool act_held = floor > now;  // every ACT waits for the floor
  bool floor_bound = false;     // some ACT claim's bound is the floor
  std::uint64_t least = kMax;   // least timing bound (>= now) of the other claims
  std::size_t go = count;
  for (std::size_t i = 0; i < count; ++i) {
    const Claim& claim = claims[i];
    const std::uint64_t open_key = checker_.open_key(claim.index);
    if (open_key == claim.key) continue;  // open for it
    const bool open = open_key != 0;
    if (open && hits_hold_banks_ && hit_seen_[claim.index] == step) continue;  // held by a queued hit
    if (!open && act_held) {
      floor_bound = true;
      continue;
    }
    const std::int64_t bound = open ? checker_.precharge_bound(claim.index)
                                    : std::max(checker_.activate_bank_bound(claim.index, claim.bank_group),
                                               static_cast<std::int64_t>(floor));
    const std::uint64_t cycle = std::max(now, static_cast<std::uint64_t>(std::max<std::int64_t>(bound, 0)));
    if (cycle == now && bus_free_now) {
      go = i;
      break;
    }
    least = std::min(least, cycle);
  }
  std::uint64_t soonest = floor_bound ? floor : kMax;
  if (least != kMax) soonest = std::min(soonest, checker_.first_free_row_bus_cycle(least));
  if (go == count) return soonest;

  // Issue it.
  const Claim& claim = claims[go];
  const unsigned index = claim.index;
  const bool open = checker_.open_key(index) != 0;
  const Cmd command = open ? Cmd::PRE : Cmd::ACT;
  checker_.issue(command, claim.bank_group, index - claim.bank_group * config_.banks_per_group, claim.row(), now);
  if (command == Cmd::PRE) {
    ++stats_.precharges;
    precharged_for_conflict_[index] = true;
    soonest = std::min(soonest, now + config_.tRP);
  } else {
    ++stats_.activates;
    opened_for_[index] = precharged_for_conflict_[index] ? OpenedFor::conflict : OpenedFor::miss;
    precharged_for_conflict_[index] = false;
    soonest = std::min(soonest, now + config_.tRCD);
    // The ACT may have made hits.
    if (hits_incremental_) {
      act_pending_ = true;
      act_index_ = index;
      act_row_ = claim.row();
    } else {
      hits_dirty_ = true;
    }
  }
  claim.request->first_command_cycle = std::min(claim.request->first_command_cycle, now);

  // Pass 2 (after the issue): the claims after it, none of which can go before the next cycle, so none can
  // make the wake-up sooner once it is the next cycle already.
  if (std::min(soonest, wake) <= now + 1) return soonest;
  floor = checker_.activate_floor();
  act_held = floor > now;
  floor_bound = false;
  least = kMax;
  for (std::size_t i = go + 1; i < count; ++i) {
    const Claim& c = claims[i];
    const std::uint64_t open_key = checker_.open_key(c.index);
    if (open_key == c.key) continue;
    const bool is_open = open_key != 0;
    if (is_open && hits_hold_banks_ && hit_seen_[c.index] == step) continue;
    if (!is_open && act_held) {
      floor_bound = true;
      continue;
    }
    const std::int64_t bound = is_open ? checker_.precharge_bound(c.index)
                                       : std::max(checker_.activate_bank_bound(c.index, c.bank_group),
                                                  static_cast<std::int64_t>(floor));
    least = std::min(least, std::max(now, static_cast<std::uint64_t>(std::max<std::int64_t>(bound, 0))));
  }
  if (floor_bound) soonest = std::min(soonest, floor);
  if (least != kMax) soonest = std::min(soonest, std::max(checker_.first_free_row_bus_cycle(least), now + 1));
  return soonest;
}

void DramChannel::segment_planned(const Segment& segment, const Plan& plan) {
  Request& request = *segment.request;
  request.first_command_cycle = std::min(request.first_command_cycle, plan.first_command);
  request.data_end_cycle = std::max(request.data_end_cycle, plan.data_end);
  if (request.is_write) last_write_data_end_cycle_ = std::max(last_write_data_end_cycle_, plan.data_end);
  if (--request.pending_segments > 0) return;
  if (!request.posted) {
    const sc_time done = time_of_cycle(request.data_end_cycle);
    if (done <= sc_core::sc_time_stamp())  // a lazy step must run before its first data beat
      throw std::logic_error(std::string(name()) + ": a scheduler step ran after its request's last data beat");
    request.done.notify(done - sc_core::sc_time_stamp());
    return;
  }
  // A posted write was acknowledged on acceptance; its buffer slot frees now that all of it is planned.
  stats_.total_queueing_delay += time_of_cycle(request.first_command_cycle) - request.arrival;
  --buffered_writes_;
  release_request(&request);
  wake_line_head(true);
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
        // The first access to a row the look-ahead opened counts as the miss or conflict that opened it.
        OpenedFor& opened = opened_for_[bank_index(bg, bank)];
        if (opened == OpenedFor::miss) ++stats_.row_misses;
        else if (opened == OpenedFor::conflict) ++stats_.row_conflicts;
        else ++stats_.row_hits;
        opened = OpenedFor::none;
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

void DramChannel::apply_page_policy(const Segment& segment, std::uint64_t now) {
  const unsigned group_mask = config_.bank_groups - 1;
  for (unsigned v = 0; v < segment.groups; ++v) {
    const unsigned bg = (segment.first.bank_group + v) & group_mask, bank = segment.first.bank;
    const unsigned index = bank_index(bg, bank);
    if (!checker_.holds_row(index, segment.first.row)) continue;
    if (!page_policy_->precharge_after_access(row_hit_queued(index, segment.first.row))) continue;
    // At the PRE's earliest legal cycle: after the last column (tRTP / tWR), as an auto-precharge.
    checker_.issue_at_earliest(DramCommand::PRE, bg, bank, 0, now);
    ++stats_.precharges;
    precharged_for_conflict_[index] = false;  // the next ACT there opens a row for a miss
    hits_dirty_ = true;
  }
}

bool DramChannel::row_hit_queued(unsigned index, std::uint32_t row) const {
  const unsigned group_mask = config_.bank_groups - 1;
  for (const auto* queue : {&read_queue_, &write_queue_})
    for (const Segment& s : *queue) {
      if (s.first.row != row) continue;
      for (unsigned v = 0; v < s.groups; ++v)
        if (bank_index((s.first.bank_group + v) & group_mask, s.first.bank) == index) return true;
    }
  return false;
}

void DramChannel::refresh_until(std::uint64_t now) {
  using Cmd = DramCommand;
  while (next_refresh_cycle_ <= now) {
    if (checker_.open_banks() > 0) {
      // Rows the look-ahead opened and no column used: their ACTs stay counted, their misses lapse.
      std::fill(opened_for_.begin(), opened_for_.end(), OpenedFor::none);
      stats_.precharges += checker_.open_banks();
      ++stats_.precharge_alls;
      const std::uint64_t prea = checker_.earliest(Cmd::PREA, 0, 0, next_refresh_cycle_);
      checker_.issue(Cmd::PREA, 0, 0, 0, prea);
      hits_dirty_ = true;
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
  catch_up();
  const sc_time now = sc_core::sc_time_stamp();
  std::uint64_t cycle = cycle_at_or_after(now);
  if (cycle > 0 && time_of_cycle(cycle) > now) --cycle;
  refresh_until(cycle);
}

void DramChannel::drain_writes() {
  catch_up();
  drain_requested_ = true;  // from here the steps run at their own instants (they wake this thread)
  while (!write_queue_.empty()) {
    step_after_this_delta();
    wait(write_queue_emptied_);
    catch_up();
  }
  drain_requested_ = false;
  const sc_time data_end = time_of_cycle(last_write_data_end_cycle_);
  if (data_end > sc_core::sc_time_stamp()) wait(data_end - sc_core::sc_time_stamp());
}

void DramChannel::flush_posted_writes() {
  catch_up();
  if (!posted_writes_ || write_queue_.empty()) return;
  const std::uint64_t now = cycle_at_or_after(sc_core::sc_time_stamp());
  refresh_until(now);
  // In arrival order: each plans its own PRE/ACT where the look-ahead has not opened its row.
  if (!closes_rows_) {
    for (const Segment& segment : write_queue_) segment_planned(segment, plan_segment(segment, now));
    write_queue_.clear();
  } else {
    // The page policy looks at the segments still queued behind each one.
    while (!write_queue_.empty()) {
      const Segment segment = write_queue_.front();
      write_queue_.erase(write_queue_.begin());
      segment_planned(segment, plan_segment(segment, now));
      apply_page_policy(segment, now);
    }
  }
  claims_stale_ = true;
  hits_dirty_ = true;
}

unsigned DramChannel::requests_left() const {
  unsigned left = 0;
  for (const auto& request : request_pool_) left += request->pending_segments > 0;  // 0 once released
  return left;
}

bool DramChannel::stalled() const { return requests_left() > 0 && !sc_core::sc_pending_activity(); }

std::string DramChannel::stall_report() const {
  return std::string(name()) + ": the simulation ended with " + std::to_string(requests_left()) +
         " request(s) left in the channel that nothing can finish (" + std::to_string(read_queue_.size()) +
         " read and " + std::to_string(write_queue_.size()) + " write segments queued, " +
         std::to_string(read_line_.size()) + " read and " +
         std::to_string(write_line_.size() + slot_holder_line_.size()) + " write request(s) waiting for admission, " +
         std::to_string(buffered_writes_) + " of " + std::to_string(config_.write_buffer_depth) +
         " write buffer slots taken): the controller hung";
}

void DramChannel::end_of_simulation() {
  catch_up_refresh();  // runs the steps due first
  flush_posted_writes();
  // A hang must not pass silently: with no event pending, the requests still here would never finish.
  stall_checked_ = true;
  if (stalled()) SC_REPORT_ERROR(kRequestsLeft, stall_report().c_str());
}

}  // namespace vp
