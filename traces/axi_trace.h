#pragma once
// A recorded AXI transaction trace: every transaction that entered the interconnect during one
// run (kernel m_axi ports and the PCIe DMA), with the master and channel tables needed to read
// it without the configuration that produced it. Times are integer picoseconds.
//
// Records are in forwarding order: the order in which the interconnect handed them to their
// channel (InterconnectTransaction::sequence), which a replay must reproduce per channel.
#include <cstdint>
#include <string>
#include <vector>

namespace vp {

struct AxiTraceMaster {
  std::string name;                // "m_axi_w0", "m_axi_kv", "m_axi_out", "pcie"
  uint32_t home_channel = 0;       // index into AxiTrace::channels, or kNoChannel
};

struct AxiTraceChannel {
  std::string name;                // "HBM[0]", "DDR[1]"
  uint64_t base = 0, size = 0;     // global address range
};

enum class AxiTraceStatus : uint8_t {
  kOk = 0,
  kDecodeError = 1,   // no channel owns the address: never reached memory
  kErrorResponse = 2, // the channel answered with an error
};

struct AxiTraceRecord {
  uint64_t address = 0;      // global
  uint64_t arrival_ps = 0;   // reached the interconnect
  uint64_t completion_ps = 0;
  uint32_t length = 0;       // bytes
  uint16_t master = 0;       // index into AxiTrace::masters
  uint16_t channel = 0;      // index into AxiTrace::channels; kNoChannel16 for decode errors
  bool write = false;
  AxiTraceStatus status = AxiTraceStatus::kOk;

  bool operator==(const AxiTraceRecord& o) const;
  bool operator!=(const AxiTraceRecord& o) const { return !(*this == o); }
};

struct AxiTrace {
  static constexpr uint32_t kNoChannel = 0xFFFF'FFFFu;
  static constexpr uint16_t kNoChannel16 = 0xFFFF;

  std::string description;   // where it came from (board, config files), free text on one line
  uint64_t end_ps = 0;       // end of the recorded simulation (refresh and background energy run to it)
  std::vector<AxiTraceMaster> masters;
  std::vector<AxiTraceChannel> channels;
  std::vector<AxiTraceRecord> records;

  // Throws std::runtime_error when a record refers to a master or channel that does not exist,
  // lies outside its channel, ends before it starts, or a name is empty or has whitespace.
  // `where` prefixes the message (e.g. the file name).
  void validate(const std::string& where) const;
  bool operator==(const AxiTrace& o) const;
};

// Checks of a single record against the tables; empty string when it is consistent, else why not.
std::string record_problem(const AxiTrace& trace, const AxiTraceRecord& record);

}  // namespace vp
