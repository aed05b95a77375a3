#pragma once
// Host <-> card traffic over the PCIe link: bulk DMA into device memory and 32-bit MMIO to the
// kernel's control registers. The link is modelled at TLP granularity: each direction serializes
// payload plus per-TLP overhead at the encoded line rate, and every packet pays the one-way
// latency. DMA is split into chunks; chunks are serialized on the link one after the other while
// up to dma_outstanding of them are in flight into (or out of) device memory, so the link transfer
// of one chunk overlaps the memory access of the previous ones.
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/config_fields.h"

namespace vp {

struct PcieConfig {
  double gts_per_lane = 8.0;                    // Gen3
  unsigned lanes = 16;
  double encoding_efficiency = 128.0 / 130.0;   // Gen3/4 128b/130b
  unsigned max_payload_bytes = 256;
  unsigned tlp_overhead_bytes = 24;             // header + framing + LCRC + sequence number
  double latency_ns = 500.0;                    // one way, host root complex <-> card
  unsigned dma_chunk_bytes = 4096;              // a whole number of max-payload TLPs
  unsigned dma_outstanding = 8;                 // chunks in flight at once
  double mmio_write_ns = 1000.0;                // round trip seen by the host CPU
  double mmio_read_ns = 1000.0;                 // round trip seen by the host CPU
  double energy_pj_per_bit = 5.0;               // per bit on the wire (payload + TLP overhead)

  // TLP bytes per second on one direction of the link after line encoding.
  double line_bytes_per_s() const;
  // Payload bytes per second with full-size TLPs: raw * encoding * payload / (payload + overhead).
  double effective_bytes_per_s() const;
  // Bytes on the wire (payload plus per-TLP overhead) for `payload_bytes` of data.
  uint64_t wire_bytes(uint64_t payload_bytes) const;
  // Time the link is busy carrying `payload_bytes` in max-payload TLPs.
  sc_core::sc_time serialization_time(uint64_t payload_bytes) const;

  // Throws std::runtime_error naming `prefix + key` of the first bad value.
  void validate(const std::string& prefix) const;
  // Keys prefix + key, e.g. "pcie.lanes" (models/config_fields.h).
  static const ConfigFields<PcieConfig>& fields();
};

class PcieDma : public sc_core::sc_module {
 public:
  struct Stats {
    uint64_t bytes_host_to_card = 0;   // DMA payload put on the link
    uint64_t bytes_card_to_host = 0;
    uint64_t transfers_host_to_card = 0;  // calls of host_to_card / card_to_host
    uint64_t transfers_card_to_host = 0;
    sc_core::sc_time link_busy_host_to_card;  // serialization time on each direction
    sc_core::sc_time link_busy_card_to_host;
    uint64_t mmio_reads = 0;
    uint64_t mmio_writes = 0;
    uint64_t wire_bits = 0;  // everything sent either way, TLP overhead included
  };

  tlm_utils::simple_initiator_socket<PcieDma> to_device;  // into the interconnect / device memory
  tlm_utils::simple_initiator_socket<PcieDma> to_mmio;    // to the kernel's s_axi_control

  PcieDma(const sc_core::sc_module_name& name, const PcieConfig& config);

  // Blocking calls from a SystemC thread (the host CPU stub). DMA calls return when every chunk
  // has reached (or come back from) device memory. A TLM error response from the device side
  // throws std::runtime_error naming the device address and direction, after the chunks still in
  // flight have completed.
  void host_to_card(uint64_t dev_addr, const uint8_t* src, size_t n);
  void card_to_host(uint64_t dev_addr, uint8_t* dst, size_t n);
  uint32_t mmio_read(uint64_t addr);
  void mmio_write(uint64_t addr, uint32_t value);

  const PcieConfig& config() const { return config_; }
  const Stats& stats() const { return stats_; }
  double energy_pj() const;

 private:
  enum class Direction { host_to_card, card_to_host };
  struct Transfer;  // bookkeeping of one DMA call, shared with its chunk workers

  // One chunk of a DMA call, played by a chunk worker.
  struct Chunk {
    Transfer* xfer;
    uint64_t dev_addr;
    uint8_t* data;
    unsigned len;
    bool to_card;
  };
  // A SystemC thread that plays chunks one after another: spawned for a chunk when no worker is idle,
  // then woken (an immediate notification, so it runs in the same evaluation phase, queued where a
  // thread spawned for the chunk would be) for the next; spawning a thread per chunk costs a stack and
  // a named object each time.
  struct ChunkWorker {
    sc_core::sc_event start;
    Chunk chunk;
  };

  void dma(Direction dir, uint64_t dev_addr, uint8_t* data, size_t n);
  void start_chunk(const Chunk& chunk);
  void chunk_worker(ChunkWorker* worker);
  void chunk_to_card(Transfer& xfer, uint64_t dev_addr, uint8_t* data, unsigned len);
  void chunk_to_host(Transfer& xfer, uint64_t dev_addr, uint8_t* data, unsigned len);
  // Reserves the link direction for `duration` after it frees up; returns when the reservation ends.
  sc_core::sc_time reserve_link(sc_core::sc_time& link_free_at, const sc_core::sc_time& duration);
  void mmio(tlm::tlm_command cmd, uint64_t addr, uint32_t& value);

  PcieConfig config_;
  Stats stats_;
  sc_core::sc_semaphore chunk_slots_;
  std::vector<std::unique_ptr<ChunkWorker>> chunk_workers_;
  std::vector<ChunkWorker*> idle_chunk_workers_;
  sc_core::sc_time down_link_free_at_;  // host -> card
  sc_core::sc_time up_link_free_at_;    // card -> host
};

}  // namespace vp
