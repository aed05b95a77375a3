#pragma once
// Compact binary form of an AxiTrace (".vpt"). All integers little-endian.
//
//   header, 48 bytes
//     0  char[8]  magic "VPAXITRC"
//     8  u32      version (kAxiTraceVersion)
//    12  u32      record size in bytes (kAxiTraceRecordBytes)
//    16  u64      record count
//    24  u64      end of the recorded simulation, ps
//    32  u32      master count
//    36  u32      channel count
//    40  u32      description length in bytes
//    44  u32      reserved, 0
//   description   UTF-8, no terminator
//   masters       per master:  u32 home channel (0xFFFFFFFF: none), u16 name length, name
//   channels      per channel: u64 base, u64 size, u16 name length, name
//   records       per record, kAxiTraceRecordBytes:
//     0  u64 global address      8  u64 arrival ps       16  u64 completion ps
//    24  u32 length             28  u16 master           30  u16 channel (0xFFFF: decode error)
//    32  u8  command (0 read, 1 write)                   33  u8  status (AxiTraceStatus)
//    34  u16 reserved, 0        36  u32 reserved, 0
//   trailer       u32 CRC-32 (IEEE 802.3, as zlib's crc32) of every byte before it
//
// The reader rejects a file that is truncated, has trailing bytes, a wrong magic, version or
// record size, an inconsistent record, or a checksum mismatch, naming the file and byte offset.
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "traces/axi_trace.h"

namespace vp {

inline constexpr char kAxiTraceMagic[8] = {'V', 'P', 'A', 'X', 'I', 'T', 'R', 'C'};
inline constexpr uint32_t kAxiTraceVersion = 1;
inline constexpr size_t kAxiTraceHeaderBytes = 48;
inline constexpr size_t kAxiTraceRecordBytes = 40;

// CRC-32 (reflected polynomial 0xEDB88320), continuing from `crc` (0 to start).
uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc = 0);

// Serializes `trace` (validated first; throws naming `where` when it is inconsistent).
std::vector<uint8_t> encode_axi_trace(const AxiTrace& trace, const std::string& where = "trace");
void write_axi_trace_binary(const AxiTrace& trace, std::ostream& out, const std::string& where = "trace");
// Parses a whole file's bytes; `where` (the file name) prefixes every error message.
AxiTrace decode_axi_trace(const std::vector<uint8_t>& bytes, const std::string& where);
// True when `bytes` start with the binary magic.
bool looks_like_binary_axi_trace(const std::vector<uint8_t>& bytes);

}  // namespace vp
