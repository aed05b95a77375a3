#include "models/host/pcie_dma.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "sw/hex_format.h"

namespace vp {

namespace {

const char* direction_name(bool to_card) { return to_card ? "host-to-card" : "card-to-host"; }

void fill_payload(tlm::tlm_generic_payload& trans, tlm::tlm_command cmd, uint64_t addr, uint8_t* data,
                  unsigned len) {
  trans.set_command(cmd);
  trans.set_address(addr);
  trans.set_data_ptr(data);
  trans.set_data_length(len);
  trans.set_streaming_width(len);
  trans.set_byte_enable_ptr(nullptr);
  trans.set_dmi_allowed(false);
  trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
}

}  // namespace

// ---- PcieConfig ---------------------------------------------------------------------------

double PcieConfig::line_bytes_per_s() const { return gts_per_lane * 1e9 * lanes / 8.0 * encoding_efficiency; }

double PcieConfig::effective_bytes_per_s() const {
  return line_bytes_per_s() * max_payload_bytes / (max_payload_bytes + tlp_overhead_bytes);
}

uint64_t PcieConfig::wire_bytes(uint64_t payload_bytes) const {
  const uint64_t tlps = (payload_bytes + max_payload_bytes - 1) / max_payload_bytes;
  return payload_bytes + tlps * tlp_overhead_bytes;
}

sc_core::sc_time PcieConfig::serialization_time(uint64_t payload_bytes) const {
  return sc_core::sc_time(static_cast<double>(wire_bytes(payload_bytes)) / line_bytes_per_s(), sc_core::SC_SEC);
}

const ConfigFields<PcieConfig>& PcieConfig::fields() {
  using C = PcieConfig;
  // Durations at most 1 ms: every time derived from them stays inside sc_time's 64-bit picosecond range.
  static const ConfigFields<C> list = {
      field(&C::gts_per_lane, "gts_per_lane", above(0), "GT/s", "PCIe transfer rate per lane (Gen3 8, Gen4 16)"),
      field(&C::lanes, "lanes", at_least(1), "", "PCIe link width"),
      field(&C::encoding_efficiency, "encoding_efficiency", above_up_to(0, 1), "", "line code efficiency (128b/130b = 0.9846)"),
      field(&C::max_payload_bytes, "max_payload_bytes", at_least(1), "bytes", "max payload per TLP"),
      field(&C::tlp_overhead_bytes, "tlp_overhead_bytes", any_value(), "bytes",
            "per-TLP overhead: header, framing, LCRC, sequence number"),
      field(&C::latency_ns, "latency_ns", between(0, 1e6), "ns", "one-way link latency"),
      field(&C::dma_chunk_bytes, "dma_chunk_bytes", at_least(1), "bytes", "DMA chunk size, a multiple of max_payload_bytes"),
      field(&C::dma_outstanding, "dma_outstanding", at_least(1), "", "DMA chunks in flight at once"),
      field(&C::mmio_write_ns, "mmio_write_ns", between(0, 1e6), "ns", "MMIO write round trip seen by the host"),
      field(&C::mmio_read_ns, "mmio_read_ns", between(0, 1e6), "ns", "MMIO read round trip seen by the host"),
      field(&C::energy_pj_per_bit, "energy_pj_per_bit", at_least(0), "pJ", "link energy per bit on the wire"),
  };
  return list;
}

void PcieConfig::validate(const std::string& prefix) const {
  check_config_fields(fields(), *this, prefix);
  if (dma_chunk_bytes % max_payload_bytes != 0)
    throw std::runtime_error("config key " + prefix + "dma_chunk_bytes = " + std::to_string(dma_chunk_bytes) +
                             ": must be a positive multiple of max_payload_bytes (" + std::to_string(max_payload_bytes) +
                             ")");
}

// ---- PcieDma ------------------------------------------------------------------------------

struct PcieDma::Transfer {
  unsigned in_flight = 0;
  sc_core::sc_event chunk_done;
  std::optional<std::string> error;  // the first failing chunk
};

PcieDma::PcieDma(const sc_core::sc_module_name& name, const PcieConfig& config)
    : sc_core::sc_module(name),
      to_device("to_device"),
      to_mmio("to_mmio"),
      config_(config),
      chunk_slots_("chunk_slots", static_cast<int>(config.dma_outstanding)) {
  config_.validate(std::string(this->name()) + ".");
}

sc_core::sc_time PcieDma::reserve_link(sc_core::sc_time& link_free_at, const sc_core::sc_time& duration) {
  const sc_core::sc_time start = std::max(sc_core::sc_time_stamp(), link_free_at);
  link_free_at = start + duration;
  return link_free_at;
}

void PcieDma::host_to_card(uint64_t dev_addr, const uint8_t* src, size_t n) {
  // The device side only reads a write's data, so handing it the caller's buffer is safe.
  dma(Direction::host_to_card, dev_addr, const_cast<uint8_t*>(src), n);
}

void PcieDma::card_to_host(uint64_t dev_addr, uint8_t* dst, size_t n) { dma(Direction::card_to_host, dev_addr, dst, n); }

void PcieDma::dma(Direction dir, uint64_t dev_addr, uint8_t* data, size_t n) {
  const bool to_card = dir == Direction::host_to_card;
  if (n == 0) return;
  if (data == nullptr)
    throw std::runtime_error(std::string(name()) + ": " + direction_name(to_card) + " DMA of " + std::to_string(n) +
                             " bytes at device address " + hex(dev_addr) + " with a null host buffer");
  ++(to_card ? stats_.transfers_host_to_card : stats_.transfers_card_to_host);

  Transfer xfer;
  for (size_t offset = 0; offset < n; offset += config_.dma_chunk_bytes) {
    const unsigned len = static_cast<unsigned>(std::min<size_t>(config_.dma_chunk_bytes, n - offset));
    chunk_slots_.wait();
    if (xfer.error) {  // stop issuing after the first failure
      chunk_slots_.post();
      break;
    }
    const uint64_t chunk_addr = dev_addr + offset;
    uint8_t* chunk_data = data + offset;
    ++xfer.in_flight;
    if (to_card) {
      // The host side feeds the link itself, so chunks leave in order, back to back.
      const sc_core::sc_time ser = config_.serialization_time(len);
      const sc_core::sc_time end = reserve_link(down_link_free_at_, ser);
      stats_.link_busy_host_to_card += ser;
      stats_.bytes_host_to_card += len;
      stats_.wire_bits += 8 * config_.wire_bytes(len);
      sc_core::wait(end - sc_core::sc_time_stamp());
      start_chunk({&xfer, chunk_addr, chunk_data, len, true});
    } else {
      // A read request is one header-only TLP; its serialization is negligible next to the data.
      stats_.wire_bits += 8 * config_.tlp_overhead_bytes;
      start_chunk({&xfer, chunk_addr, chunk_data, len, false});
    }
  }
  while (xfer.in_flight > 0) sc_core::wait(xfer.chunk_done);
  if (xfer.error) throw std::runtime_error(*xfer.error);
}

void PcieDma::start_chunk(const Chunk& chunk) {
  if (idle_chunk_workers_.empty()) {
    chunk_workers_.push_back(std::make_unique<ChunkWorker>());
    ChunkWorker* worker = chunk_workers_.back().get();
    worker->chunk = chunk;
    sc_core::sc_spawn([this, worker] { chunk_worker(worker); });
    return;
  }
  ChunkWorker* worker = idle_chunk_workers_.back();
  idle_chunk_workers_.pop_back();
  worker->chunk = chunk;
  worker->start.notify();
}

void PcieDma::chunk_worker(ChunkWorker* worker) {
  for (;;) {
    const Chunk c = worker->chunk;
    if (c.to_card) chunk_to_card(*c.xfer, c.dev_addr, c.data, c.len);
    else chunk_to_host(*c.xfer, c.dev_addr, c.data, c.len);
    idle_chunk_workers_.push_back(worker);
    sc_core::wait(worker->start);
  }
}

void PcieDma::chunk_to_card(Transfer& xfer, uint64_t dev_addr, uint8_t* data, unsigned len) {
  sc_core::wait(sc_core::sc_time(config_.latency_ns, sc_core::SC_NS));
  tlm::tlm_generic_payload trans;
  fill_payload(trans, tlm::TLM_WRITE_COMMAND, dev_addr, data, len);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  to_device->b_transport(trans, delay);
  sc_core::wait(delay);
  if (trans.is_response_error() && !xfer.error)
    xfer.error = std::string(name()) + ": host-to-card DMA write of " + std::to_string(len) +
                 " bytes to device address " + hex(dev_addr) + " failed: " + trans.get_response_string();
  chunk_slots_.post();
  --xfer.in_flight;
  xfer.chunk_done.notify();
}

void PcieDma::chunk_to_host(Transfer& xfer, uint64_t dev_addr, uint8_t* data, unsigned len) {
  const sc_core::sc_time latency(config_.latency_ns, sc_core::SC_NS);
  sc_core::wait(latency);  // the read request travels to the card
  tlm::tlm_generic_payload trans;
  fill_payload(trans, tlm::TLM_READ_COMMAND, dev_addr, data, len);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  to_device->b_transport(trans, delay);
  sc_core::wait(delay);
  if (trans.is_response_error()) {
    if (!xfer.error)
      xfer.error = std::string(name()) + ": card-to-host DMA read of " + std::to_string(len) +
                   " bytes from device address " + hex(dev_addr) + " failed: " + trans.get_response_string();
  } else {
    // Completions queue for the upstream link, then travel back to the host.
    const sc_core::sc_time ser = config_.serialization_time(len);
    const sc_core::sc_time end = reserve_link(up_link_free_at_, ser);
    stats_.link_busy_card_to_host += ser;
    stats_.bytes_card_to_host += len;
    stats_.wire_bits += 8 * config_.wire_bytes(len);
    sc_core::wait(end - sc_core::sc_time_stamp() + latency);
  }
  chunk_slots_.post();
  --xfer.in_flight;
  xfer.chunk_done.notify();
}

void PcieDma::mmio(tlm::tlm_command cmd, uint64_t addr, uint32_t& value) {
  const bool is_write = cmd == tlm::TLM_WRITE_COMMAND;
  // Half the round trip on the way in, half on the way out; the register sees the access in between.
  const sc_core::sc_time half(0.5 * (is_write ? config_.mmio_write_ns : config_.mmio_read_ns), sc_core::SC_NS);
  uint8_t bytes[4];
  std::memcpy(bytes, &value, sizeof bytes);
  tlm::tlm_generic_payload trans;
  fill_payload(trans, cmd, addr, bytes, sizeof bytes);
  sc_core::wait(half);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  to_mmio->b_transport(trans, delay);
  sc_core::wait(delay + half);
  ++(is_write ? stats_.mmio_writes : stats_.mmio_reads);
  // A write is one 4-byte TLP; a read is a header-only request plus a 4-byte completion.
  stats_.wire_bits += 8 * (is_write ? config_.wire_bytes(4) : config_.tlp_overhead_bytes + config_.wire_bytes(4));
  if (trans.is_response_error())
    throw std::runtime_error(std::string(name()) + ": MMIO " + (is_write ? "write" : "read") + " at address " +
                             hex(addr) + " failed: " + trans.get_response_string());
  if (!is_write) std::memcpy(&value, bytes, sizeof bytes);
}

uint32_t PcieDma::mmio_read(uint64_t addr) {
  uint32_t value = 0;
  mmio(tlm::TLM_READ_COMMAND, addr, value);
  return value;
}

void PcieDma::mmio_write(uint64_t addr, uint32_t value) { mmio(tlm::TLM_WRITE_COMMAND, addr, value); }

double PcieDma::energy_pj() const { return static_cast<double>(stats_.wire_bits) * config_.energy_pj_per_bit; }

}  // namespace vp
