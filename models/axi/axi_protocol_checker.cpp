#include "models/axi/axi_protocol_checker.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "sw/hex_format.h"

namespace vp {
namespace {

constexpr uint32_t kBurstFixed = 0, kBurstIncr = 1, kBurstWrap = 2;

}  // namespace

std::string AxiViolation::message() const {
  return "AXI protocol violation on " + port + " at " + time.to_string() + ": " + rule + " (" + signals + ")";
}

AxiProtocolChecker::AxiProtocolChecker(std::string port, const AxiCheckerConfig& config)
    : port_(std::move(port)), config_(config) {}

void AxiProtocolChecker::fail(const std::string& rule, const std::string& signals, const sc_core::sc_time& now) {
  if (!violation_) violation_ = AxiViolation{port_, rule, signals, now};
}

void AxiProtocolChecker::reset_state() {
  aw_stalled_ = w_stalled_ = b_stalled_ = ar_stalled_ = r_stalled_ = false;
  reads_.clear();
  writes_.clear();
  next_aw_ = w_index_ = 0;
  outstanding_reads_ = outstanding_writes_ = 0;
}

bool AxiProtocolChecker::check(const AxiPortSignals& s, const sc_core::sc_time& now) {
  if (violation_) return false;
  if (s.reset) {
    std::string high;
    if (s.aw_valid) high += " AWVALID";
    if (s.w_valid) high += " WVALID";
    if (s.b_valid) high += " BVALID";
    if (s.ar_valid) high += " ARVALID";
    if (s.r_valid) high += " RVALID";
    if (!high.empty()) {
      fail("VALID high while reset is asserted", "high:" + high, now);
      return false;
    }
    reset_state();
    return true;
  }
  // An idle edge (no VALID now, none stalled before) breaks no rule and changes nothing: the common case.
  const bool valid = s.aw_valid || s.w_valid || s.b_valid || s.ar_valid || s.r_valid;
  if (!valid && !aw_stalled_ && !w_stalled_ && !b_stalled_ && !ar_stalled_ && !r_stalled_) return true;
  if (!check_stability(s, now)) return false;
  if (s.aw_valid && !check_address("AW", {s.aw_addr, s.aw_len, s.aw_size, s.aw_burst, s.aw_id}, now)) return false;
  if (s.ar_valid && !check_address("AR", {s.ar_addr, s.ar_len, s.ar_size, s.ar_burst, s.ar_id}, now)) return false;
  if (!check_handshakes(s, now)) return false;
  remember(s);
  return true;
}

bool AxiProtocolChecker::check_stability(const AxiPortSignals& s, const sc_core::sc_time& now) {
  auto describe = [](const char* ch, const AddressPayload& a) {
    std::ostringstream o;
    o << ch << "ADDR=" << hex(a.addr) << " " << ch << "LEN=" << a.len << " " << ch << "SIZE=" << a.size << " " << ch
      << "BURST=" << a.burst << " " << ch << "ID=" << a.id;
    return o.str();
  };
  if (aw_stalled_) {
    const AddressPayload now_aw{s.aw_addr, s.aw_len, s.aw_size, s.aw_burst, s.aw_id};
    if (!s.aw_valid) {
      fail("AWVALID dropped before AWREADY", "previous edge AWVALID=1 AWREADY=0 " + describe("AW", aw_prev_), now);
      return false;
    }
    if (!config_.lite ? !(now_aw == aw_prev_) : now_aw.addr != aw_prev_.addr) {
      fail("AW payload changed while AWVALID && !AWREADY",
           "previous edge " + describe("AW", aw_prev_) + "; this edge " + describe("AW", now_aw), now);
      return false;
    }
  }
  if (ar_stalled_) {
    const AddressPayload now_ar{s.ar_addr, s.ar_len, s.ar_size, s.ar_burst, s.ar_id};
    if (!s.ar_valid) {
      fail("ARVALID dropped before ARREADY", "previous edge ARVALID=1 ARREADY=0 " + describe("AR", ar_prev_), now);
      return false;
    }
    if (!config_.lite ? !(now_ar == ar_prev_) : now_ar.addr != ar_prev_.addr) {
      fail("AR payload changed while ARVALID && !ARREADY",
           "previous edge " + describe("AR", ar_prev_) + "; this edge " + describe("AR", now_ar), now);
      return false;
    }
  }
  if (w_stalled_) {
    if (!s.w_valid) {
      fail("WVALID dropped before WREADY", "previous edge WVALID=1 WREADY=0 WSTRB=" + hex(w_strb_prev_), now);
      return false;
    }
    const bool data_changed =
        w_data_known_ && s.w_data != nullptr && std::memcmp(s.w_data, w_data_prev_.data(), w_data_prev_.size()) != 0;
    if (s.w_strb != w_strb_prev_ || (!config_.lite && s.w_last != w_last_prev_) || data_changed) {
      fail("W payload changed while WVALID && !WREADY",
           std::string("WSTRB ") + hex(w_strb_prev_) + " -> " + hex(s.w_strb) + ", WLAST " +
               std::to_string(w_last_prev_) + " -> " + std::to_string(s.w_last) +
               (data_changed ? ", WDATA changed" : ""),
           now);
      return false;
    }
  }
  if (b_stalled_) {
    if (!s.b_valid) {
      fail("BVALID dropped before BREADY", "previous edge BVALID=1 BREADY=0 BRESP=" + std::to_string(b_resp_prev_), now);
      return false;
    }
    if (s.b_resp != b_resp_prev_ || s.b_id != b_id_prev_) {
      fail("B payload changed while BVALID && !BREADY",
           "BRESP " + std::to_string(b_resp_prev_) + " -> " + std::to_string(s.b_resp) + ", BID " +
               std::to_string(b_id_prev_) + " -> " + std::to_string(s.b_id),
           now);
      return false;
    }
  }
  if (r_stalled_) {
    if (!s.r_valid) {
      fail("RVALID dropped before RREADY", "previous edge RVALID=1 RREADY=0 RRESP=" + std::to_string(r_resp_prev_) +
                                               " RLAST=" + std::to_string(r_last_prev_),
           now);
      return false;
    }
    const bool data_changed =
        r_data_known_ && s.r_data != nullptr && std::memcmp(s.r_data, r_data_prev_.data(), r_data_prev_.size()) != 0;
    if (s.r_resp != r_resp_prev_ || s.r_id != r_id_prev_ || (!config_.lite && s.r_last != r_last_prev_) ||
        data_changed) {
      fail("R payload changed while RVALID && !RREADY",
           "RRESP " + std::to_string(r_resp_prev_) + " -> " + std::to_string(s.r_resp) + ", RID " +
               std::to_string(r_id_prev_) + " -> " + std::to_string(s.r_id) + ", RLAST " +
               std::to_string(r_last_prev_) + " -> " + std::to_string(s.r_last) +
               (data_changed ? ", RDATA changed" : ""),
           now);
      return false;
    }
  }
  return true;
}

bool AxiProtocolChecker::check_address(const char* ch, const AddressPayload& a, const sc_core::sc_time& now) {
  if (config_.lite) return true;
  const std::string c(ch);
  auto values = [&] {
    std::ostringstream o;
    o << c << "ADDR=" << hex(a.addr) << " " << c << "LEN=" << a.len << " " << c << "SIZE=" << a.size << " " << c
      << "BURST=" << a.burst;
    return o.str();
  };
  if (a.burst > kBurstWrap) {
    fail(c + "BURST " + std::to_string(a.burst) + " is reserved", values(), now);
    return false;
  }
  if (a.size > 7 || (uint64_t{1} << a.size) > config_.data_bytes) {
    fail(c + "SIZE " + std::to_string(a.size) + " is wider than the " + std::to_string(config_.data_bytes) +
             "-byte data bus",
         values(), now);
    return false;
  }
  const uint64_t size_bytes = uint64_t{1} << a.size;
  const uint64_t beats = uint64_t{a.len} + 1;
  if (a.burst == kBurstIncr) {
    if (beats > 256) {
      fail("INCR burst of " + std::to_string(beats) + " beats (" + c + "LEN > 255)", values(), now);
      return false;
    }
    const uint64_t start = a.addr & ~(size_bytes - 1);
    const uint64_t last = start + beats * size_bytes - 1;
    if (start / config_.boundary != last / config_.boundary) {
      fail("INCR burst crosses a " + std::to_string(config_.boundary) + "-byte boundary (bytes " + hex(start) +
               ".." + hex(last) + ")",
           values(), now);
      return false;
    }
  } else if (a.burst == kBurstWrap) {
    if (beats != 2 && beats != 4 && beats != 8 && beats != 16) {
      fail("WRAP burst of " + std::to_string(beats) + " beats (must be 2, 4, 8 or 16)", values(), now);
      return false;
    }
    if (a.addr % size_bytes != 0) {
      fail("WRAP burst address not aligned to its beat size", values(), now);
      return false;
    }
  } else if (a.burst == kBurstFixed && beats > 16) {
    fail("FIXED burst of " + std::to_string(beats) + " beats (at most 16)", values(), now);
    return false;
  }
  return true;
}

bool AxiProtocolChecker::check_handshakes(const AxiPortSignals& s, const sc_core::sc_time& now) {
  const uint32_t ar_len = config_.lite ? 0 : s.ar_len;
  const uint32_t aw_len = config_.lite ? 0 : s.aw_len;
  const bool w_last = config_.lite ? true : s.w_last;
  const bool r_last = config_.lite ? true : s.r_last;

  // R before AR: a beat accepted at this edge cannot belong to an AR accepted at the same edge.
  if (s.r_valid && s.r_ready) {
    auto it = reads_.find(s.r_id);
    if (it == reads_.end() || it->second.empty()) {
      fail("R beat without an outstanding read", "RID=" + std::to_string(s.r_id) + " RLAST=" +
                                                     std::to_string(s.r_last) + " RRESP=" + std::to_string(s.r_resp),
           now);
      return false;
    }
    ReadBurst& burst = it->second.front();
    ++burst.seen;
    if (r_last && burst.seen != burst.beats) {
      fail("RLAST on beat " + std::to_string(burst.seen) + " of a " + std::to_string(burst.beats) + "-beat burst",
           "RID=" + std::to_string(s.r_id) + " RLAST=1", now);
      return false;
    }
    if (!r_last && burst.seen == burst.beats) {
      fail("RLAST missing on beat " + std::to_string(burst.seen) + " of a " + std::to_string(burst.beats) +
               "-beat burst",
           "RID=" + std::to_string(s.r_id) + " RLAST=0", now);
      return false;
    }
    if (r_last) {
      it->second.pop_front();
      --outstanding_reads_;
    }
  }
  if (s.ar_valid && s.ar_ready) {
    reads_[s.ar_id].push_back({ar_len + 1, 0});
    ++read_bursts_;
    ++outstanding_reads_;
    max_outstanding_reads_ = std::max(max_outstanding_reads_, outstanding_reads_);
  }

  // B: the oldest write of its ID must have had its AW and its last W beat accepted.
  if (s.b_valid && s.b_ready) {
    auto it = std::find_if(writes_.begin(), writes_.end(), [&](const WriteBurst& w) { return w.has_aw && w.id == s.b_id; });
    if (it == writes_.end() || !it->w_done) {
      fail("B response before the write's AW and last W beat were accepted",
           "BID=" + std::to_string(s.b_id) + " BRESP=" + std::to_string(s.b_resp) +
               (it == writes_.end() ? ", no AW outstanding" : ", W beats accepted " + std::to_string(it->w_beats) +
                                                                  " of " + std::to_string(it->aw_beats)),
           now);
      return false;
    }
    const size_t index = static_cast<size_t>(it - writes_.begin());
    writes_.erase(it);
    if (next_aw_ > index) --next_aw_;
    if (w_index_ > index) --w_index_;
    --outstanding_writes_;
  }
  auto beats_mismatch = [&](const WriteBurst& w) {
    fail("WLAST on beat " + std::to_string(w.w_beats) + " of a " + std::to_string(w.aw_beats) + "-beat burst",
         "AWLEN=" + std::to_string(w.aw_beats - 1) + " W beats=" + std::to_string(w.w_beats) + " WLAST=1", now);
  };
  if (s.aw_valid && s.aw_ready) {
    if (next_aw_ == writes_.size()) writes_.push_back({});
    WriteBurst& w = writes_[next_aw_++];
    w.id = s.aw_id;
    w.has_aw = true;
    w.aw_beats = aw_len + 1;
    // W data that ran ahead of this AW must fit it.
    if ((w.w_done && w.w_beats != w.aw_beats) || w.w_beats > w.aw_beats) {
      beats_mismatch(w);
      return false;
    }
    ++write_bursts_;
    ++outstanding_writes_;
    max_outstanding_writes_ = std::max(max_outstanding_writes_, outstanding_writes_);
  }
  if (s.w_valid && s.w_ready) {
    if (w_index_ == writes_.size()) writes_.push_back({});
    WriteBurst& w = writes_[w_index_];
    ++w.w_beats;
    if (w.has_aw) {
      if (w_last && w.w_beats != w.aw_beats) {
        beats_mismatch(w);
        return false;
      }
      if (!w_last && w.w_beats >= w.aw_beats) {
        fail("WLAST missing on beat " + std::to_string(w.w_beats) + " of a " + std::to_string(w.aw_beats) +
                 "-beat burst",
             "AWLEN=" + std::to_string(w.aw_beats - 1) + " WLAST=0", now);
        return false;
      }
    } else if (w.w_beats > 256) {
      fail("more than 256 W beats without WLAST", "W beats=" + std::to_string(w.w_beats), now);
      return false;
    }
    if (w_last) {
      w.w_done = true;
      ++w_index_;
    }
  }
  return true;
}

void AxiProtocolChecker::remember(const AxiPortSignals& s) {
  aw_stalled_ = s.aw_valid && !s.aw_ready;
  ar_stalled_ = s.ar_valid && !s.ar_ready;
  w_stalled_ = s.w_valid && !s.w_ready;
  b_stalled_ = s.b_valid && !s.b_ready;
  r_stalled_ = s.r_valid && !s.r_ready;
  if (aw_stalled_) aw_prev_ = {s.aw_addr, s.aw_len, s.aw_size, s.aw_burst, s.aw_id};
  if (ar_stalled_) ar_prev_ = {s.ar_addr, s.ar_len, s.ar_size, s.ar_burst, s.ar_id};
  if (w_stalled_) {
    w_strb_prev_ = s.w_strb;
    w_last_prev_ = s.w_last;
    w_data_known_ = s.w_data != nullptr;
    if (w_data_known_) w_data_prev_.assign(s.w_data, s.w_data + config_.data_bytes);
  }
  if (b_stalled_) {
    b_resp_prev_ = s.b_resp;
    b_id_prev_ = s.b_id;
  }
  if (r_stalled_) {
    r_resp_prev_ = s.r_resp;
    r_id_prev_ = s.r_id;
    r_last_prev_ = s.r_last;
    r_data_known_ = s.r_data != nullptr;
    if (r_data_known_) r_data_prev_.assign(s.r_data, s.r_data + config_.data_bytes);
  }
}

}  // namespace vp
