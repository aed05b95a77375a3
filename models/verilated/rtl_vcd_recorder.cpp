#include "models/verilated/rtl_vcd_recorder.h"

#include <cmath>
#include <stdexcept>

namespace vp {

RtlVcdRecorder::RtlVcdRecorder(VcdWindow window) : window_(std::move(window)) {
  if (window_.stop != sc_core::SC_ZERO_TIME && window_.stop < window_.start)
    throw std::runtime_error("VCD window of " + window_.file + ": stop " + window_.stop.to_string() +
                             " is before start " + window_.start.to_string());
}

RtlVcdRecorder::~RtlVcdRecorder() { close(); }

void RtlVcdRecorder::add_probe(const std::string& scope, const std::string& name, unsigned bits,
                               std::function<uint64_t()> sample) {
  if (vcd_ || finished_) throw std::runtime_error("VCD " + window_.file + ": probe " + scope + "." + name +
                                                  " added after the file was opened");
  if (bits == 0 || bits > 64)
    throw std::runtime_error("VCD " + window_.file + ": probe " + scope + "." + name + " has " +
                             std::to_string(bits) + " bits (1..64)");
  probes_.push_back({scope, name, bits, std::move(sample), 0});
}

uint64_t RtlVcdRecorder::picoseconds(const sc_core::sc_time& t) {
  return static_cast<uint64_t>(std::llround(t.to_seconds() * 1e12));
}

void RtlVcdRecorder::sample(VerilatedTop& top, const sc_core::sc_time& t) {
  if (window_.file.empty() || finished_ || t < window_.start) return;
  if (window_.stop != sc_core::SC_ZERO_TIME && t > window_.stop) {
    close();
    return;
  }
  if (!vcd_) {
    vcd_ = std::make_unique<VerilatedVcdC>();
    top.trace(*vcd_);
    vcd_->spTrace()->addInitCb(&RtlVcdRecorder::init_probes, this);
    vcd_->spTrace()->addFullCb(&RtlVcdRecorder::dump_full, this);
    vcd_->spTrace()->addChgCb(&RtlVcdRecorder::dump_changes, this);
    vcd_->set_time_unit("1ps");
    vcd_->set_time_resolution("1ps");
    vcd_->open(window_.file.c_str());
    if (!vcd_->isOpen()) {
      vcd_.reset();
      finished_ = true;
      throw std::runtime_error("VCD file " + window_.file + " cannot be opened for writing");
    }
  }
  vcd_->dump(picoseconds(t));
}

void RtlVcdRecorder::finish(VerilatedTop& top, const sc_core::sc_time& now) {
  if (!vcd_ && !finished_ && !window_.file.empty() && now >= window_.start) sample(top, window_.start);
  close();
}

void RtlVcdRecorder::close() {
  if (vcd_) {
    vcd_->close();
    vcd_.reset();
    finished_ = true;
  }
}

void RtlVcdRecorder::open_at(const sc_core::sc_time& t) {
  if (finished_ || vcd_) return;  // a window opens once
  window_.start = t;
  window_.stop = sc_core::SC_ZERO_TIME;
}

void RtlVcdRecorder::close_at(const sc_core::sc_time& t) {
  if (finished_ || window_.start == sc_core::sc_max_time() || t < window_.start) return;  // not opened
  window_.stop = t;
}

void RtlVcdRecorder::init_probes(void* self, VerilatedVcd* vcd, uint32_t code) {
  auto* recorder = static_cast<RtlVcdRecorder*>(self);
  recorder->base_code_ = code;
  vcd->scopeEscape(' ');
  vcd->pushNamePrefix("tlm ");
  uint32_t offset = 0;
  for (Probe& p : recorder->probes_) {
    p.code_offset = offset;
    const std::string name = p.scope + " " + p.name;
    if (p.bits == 1)
      vcd->declBit(code + offset, name.c_str(), false, -1);
    else if (p.bits <= 32)
      vcd->declBus(code + offset, name.c_str(), false, -1, static_cast<int>(p.bits) - 1, 0);
    else
      vcd->declQuad(code + offset, name.c_str(), false, -1, static_cast<int>(p.bits) - 1, 0);
    offset += p.bits <= 32 ? 1 : 2;  // codes are 32-bit words of the previous-value store
  }
  vcd->popNamePrefix();
  vcd->scopeEscape('.');
}

void RtlVcdRecorder::dump_full(void* self, VerilatedVcd::Buffer* buffer) {
  auto* recorder = static_cast<RtlVcdRecorder*>(self);
  uint32_t* const old = buffer->oldp(recorder->base_code_);
  for (const Probe& p : recorder->probes_) {
    const uint64_t v = p.bits == 64 ? p.sample() : p.sample() & ((uint64_t{1} << p.bits) - 1);
    if (p.bits == 1)
      buffer->fullBit(old + p.code_offset, static_cast<CData>(v & 1));
    else if (p.bits <= 32)
      buffer->fullIData(old + p.code_offset, static_cast<IData>(v), static_cast<int>(p.bits));
    else
      buffer->fullQData(old + p.code_offset, v, static_cast<int>(p.bits));
  }
}

void RtlVcdRecorder::dump_changes(void* self, VerilatedVcd::Buffer* buffer) {
  auto* recorder = static_cast<RtlVcdRecorder*>(self);
  uint32_t* const old = buffer->oldp(recorder->base_code_);
  for (const Probe& p : recorder->probes_) {
    const uint64_t v = p.bits == 64 ? p.sample() : p.sample() & ((uint64_t{1} << p.bits) - 1);
    if (p.bits == 1)
      buffer->chgBit(old + p.code_offset, static_cast<CData>(v & 1));
    else if (p.bits <= 32)
      buffer->chgIData(old + p.code_offset, static_cast<IData>(v), static_cast<int>(p.bits));
    else
      buffer->chgQData(old + p.code_offset, v, static_cast<int>(p.bits));
  }
}

}  // namespace vp
