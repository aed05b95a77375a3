#pragma once
// What an AXI4-Lite target (a kernel's s_axi_control) accepts as a TLM payload: one aligned
// 32-bit beat, no byte enables (no partial writes), at an address of at most `address_bits` bits.
#include <cstdint>

#include <tlm>

namespace vp {

// TLM_OK_RESPONSE for one such beat; else the error response to give: byte enables, then length
// or streaming width other than 4 (a burst), then an unaligned or too wide address.
inline tlm::tlm_response_status axi_lite_beat_status(const tlm::tlm_generic_payload& trans, unsigned address_bits) {
  if (trans.get_byte_enable_ptr() != nullptr) return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
  if (trans.get_data_length() != 4 || trans.get_streaming_width() != 4) return tlm::TLM_BURST_ERROR_RESPONSE;
  const uint64_t address = trans.get_address();
  if (address % 4 != 0 || (address >> address_bits) != 0) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
  return tlm::TLM_OK_RESPONSE;
}

}  // namespace vp
