#include "traces/axi_trace_format.h"

#include <array>
#include <cstring>
#include <ostream>
#include <stdexcept>

namespace vp {
namespace {

class ByteWriter {
 public:
  void u8(uint8_t v) { bytes_.push_back(v); }
  void u16(uint16_t v) { little_endian(v, 2); }
  void u32(uint32_t v) { little_endian(v, 4); }
  void u64(uint64_t v) { little_endian(v, 8); }
  void raw(const void* data, size_t n) {
    const auto* p = static_cast<const uint8_t*>(data);
    bytes_.insert(bytes_.end(), p, p + n);
  }
  void name(const std::string& s, const std::string& where) {
    if (s.size() > 0xFFFF) throw std::runtime_error(where + ": name longer than 65535 bytes");
    u16(static_cast<uint16_t>(s.size()));
    raw(s.data(), s.size());
  }
  std::vector<uint8_t>& bytes() { return bytes_; }

 private:
  void little_endian(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  std::vector<uint8_t> bytes_;
};

// Reads fields in order; every failure names the file and the offset of the field at fault.
class ByteReader {
 public:
  // Reads bytes [0, end); the file may hold more (the trailing checksum).
  ByteReader(const std::vector<uint8_t>& bytes, size_t end, const std::string& where)
      : bytes_(bytes), end_(end), where_(where) {}

  size_t offset() const { return pos_; }
  uint8_t u8(const char* what) { return static_cast<uint8_t>(little_endian(1, what)); }
  uint16_t u16(const char* what) { return static_cast<uint16_t>(little_endian(2, what)); }
  uint32_t u32(const char* what) { return static_cast<uint32_t>(little_endian(4, what)); }
  uint64_t u64(const char* what) { return little_endian(8, what); }
  std::string text(size_t n, const char* what) {
    need(n, what);
    std::string s(reinterpret_cast<const char*>(bytes_.data() + pos_), n);
    pos_ += n;
    return s;
  }
  std::string name(const char* what) { return text(u16(what), what); }
  void need(uint64_t n, const std::string& what) const {
    if (n > end_ - pos_)
      throw std::runtime_error(where_ + ": truncated (file of " + std::to_string(bytes_.size()) + " bytes): " + what +
                               " at offset " + std::to_string(pos_) + " needs " + std::to_string(n) + " bytes, " +
                               std::to_string(end_ - pos_) + " left before the checksum");
  }
  [[noreturn]] void corrupt(size_t at, const std::string& why) const {
    throw std::runtime_error(where_ + ": corrupt at offset " + std::to_string(at) + ": " + why);
  }

 private:
  uint64_t little_endian(int n, const char* what) {
    need(static_cast<uint64_t>(n), what);
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= uint64_t(bytes_[pos_ + i]) << (8 * i);
    pos_ += n;
    return v;
  }
  const std::vector<uint8_t>& bytes_;
  size_t end_;
  size_t pos_ = 0;
  const std::string& where_;
};

std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}

}  // namespace

uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc) {
  static const std::array<uint32_t, 256> table = make_crc_table();
  crc = ~crc;
  for (size_t i = 0; i < size; ++i) crc = table[(crc ^ data[i]) & 0xFFu] ^ (crc >> 8);
  return ~crc;
}

bool looks_like_binary_axi_trace(const std::vector<uint8_t>& bytes) {
  return bytes.size() >= sizeof kAxiTraceMagic && std::memcmp(bytes.data(), kAxiTraceMagic, sizeof kAxiTraceMagic) == 0;
}

std::vector<uint8_t> encode_axi_trace(const AxiTrace& trace, const std::string& where) {
  trace.validate(where);
  ByteWriter w;
  w.raw(kAxiTraceMagic, sizeof kAxiTraceMagic);
  w.u32(kAxiTraceVersion);
  w.u32(kAxiTraceRecordBytes);
  w.u64(trace.records.size());
  w.u64(trace.end_ps);
  w.u32(static_cast<uint32_t>(trace.masters.size()));
  w.u32(static_cast<uint32_t>(trace.channels.size()));
  w.u32(static_cast<uint32_t>(trace.description.size()));
  w.u32(0);
  w.raw(trace.description.data(), trace.description.size());
  for (const AxiTraceMaster& m : trace.masters) {
    w.u32(m.home_channel);
    w.name(m.name, where);
  }
  for (const AxiTraceChannel& c : trace.channels) {
    w.u64(c.base);
    w.u64(c.size);
    w.name(c.name, where);
  }
  w.bytes().reserve(w.bytes().size() + trace.records.size() * kAxiTraceRecordBytes + 4);
  for (const AxiTraceRecord& r : trace.records) {
    w.u64(r.address);
    w.u64(r.arrival_ps);
    w.u64(r.completion_ps);
    w.u32(r.length);
    w.u16(r.master);
    w.u16(r.channel);
    w.u8(r.write ? 1 : 0);
    w.u8(static_cast<uint8_t>(r.status));
    w.u16(0);
    w.u32(0);
  }
  w.u32(crc32(w.bytes().data(), w.bytes().size()));
  return std::move(w.bytes());
}

void write_axi_trace_binary(const AxiTrace& trace, std::ostream& out, const std::string& where) {
  const std::vector<uint8_t> bytes = encode_axi_trace(trace, where);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

AxiTrace decode_axi_trace(const std::vector<uint8_t>& bytes, const std::string& where) {
  if (bytes.size() < 4)
    throw std::runtime_error(where + ": truncated (file of " + std::to_string(bytes.size()) +
                             " bytes): too short for an AXI trace, at offset 0");
  // The trailing checksum is read last; everything before it is the content.
  const size_t content_end = bytes.size() - 4;
  ByteReader in(bytes, content_end, where);
  AxiTrace trace;

  in.need(kAxiTraceHeaderBytes, "header");
  if (!looks_like_binary_axi_trace(bytes)) in.corrupt(0, "not a vp AXI trace (bad magic)");
  in.text(sizeof kAxiTraceMagic, "magic");
  const size_t version_at = in.offset();
  const uint32_t version = in.u32("version");
  if (version != kAxiTraceVersion)
    in.corrupt(version_at, "unsupported version " + std::to_string(version) + " (this reader knows " +
                               std::to_string(kAxiTraceVersion) + ")");
  const size_t record_size_at = in.offset();
  const uint32_t record_bytes = in.u32("record size");
  if (record_bytes != kAxiTraceRecordBytes)
    in.corrupt(record_size_at, "record size " + std::to_string(record_bytes) + ", expected " +
                                   std::to_string(kAxiTraceRecordBytes));
  const uint64_t record_count = in.u64("record count");
  trace.end_ps = in.u64("end time");
  const uint32_t master_count = in.u32("master count");
  const size_t channel_count_at = in.offset();
  const uint32_t channel_count = in.u32("channel count");
  if (master_count > 0xFFFF) in.corrupt(channel_count_at - 4, std::to_string(master_count) + " masters");
  if (channel_count >= 0xFFFF) in.corrupt(channel_count_at, std::to_string(channel_count) + " channels");
  const uint32_t description_bytes = in.u32("description length");
  const size_t reserved_at = in.offset();
  if (in.u32("reserved") != 0) in.corrupt(reserved_at, "reserved header field is not 0");
  trace.description = in.text(description_bytes, "description");

  for (uint32_t m = 0; m < master_count; ++m) {
    const size_t at = in.offset();
    AxiTraceMaster master;
    master.home_channel = in.u32("master home channel");
    master.name = in.name("master name");
    if (master.home_channel != AxiTrace::kNoChannel && master.home_channel >= channel_count)
      in.corrupt(at, "master " + master.name + " home channel " + std::to_string(master.home_channel) +
                         " outside the " + std::to_string(channel_count) + " channels");
    if (master.name.empty()) in.corrupt(at, "master " + std::to_string(m) + " has an empty name");
    trace.masters.push_back(std::move(master));
  }
  for (uint32_t c = 0; c < channel_count; ++c) {
    const size_t at = in.offset();
    AxiTraceChannel channel;
    channel.base = in.u64("channel base");
    channel.size = in.u64("channel size");
    channel.name = in.name("channel name");
    if (channel.size == 0 || channel.name.empty()) in.corrupt(at, "channel " + std::to_string(c) + " is empty or unnamed");
    trace.channels.push_back(std::move(channel));
  }

  const uint64_t left = content_end - in.offset();
  if (record_count > left / kAxiTraceRecordBytes)  // saturate: the product can wrap past 2^64 and pass
    in.need(record_count > UINT64_MAX / kAxiTraceRecordBytes ? UINT64_MAX : record_count * kAxiTraceRecordBytes,
            std::to_string(record_count) + " records");
  if (left != record_count * kAxiTraceRecordBytes)
    in.corrupt(in.offset() + record_count * kAxiTraceRecordBytes,
               std::to_string(left - record_count * kAxiTraceRecordBytes) +
                   " unexpected bytes after the last record (or a wrong record count)");
  trace.records.reserve(record_count);
  for (uint64_t i = 0; i < record_count; ++i) {
    const size_t at = in.offset();
    AxiTraceRecord r;
    r.address = in.u64("address");
    r.arrival_ps = in.u64("arrival");
    r.completion_ps = in.u64("completion");
    r.length = in.u32("length");
    r.master = in.u16("master");
    r.channel = in.u16("channel");
    const uint8_t command = in.u8("command");
    const uint8_t status = in.u8("status");
    const bool reserved_zero = in.u16("reserved") == 0 && in.u32("reserved") == 0;
    if (command > 1) in.corrupt(at + 32, "record " + std::to_string(i) + ": command " + std::to_string(command));
    if (!reserved_zero) in.corrupt(at + 34, "record " + std::to_string(i) + ": reserved bytes are not 0");
    r.write = command == 1;
    r.status = static_cast<AxiTraceStatus>(status);
    const std::string problem = record_problem(trace, r);
    if (!problem.empty()) in.corrupt(at, "record " + std::to_string(i) + ": " + problem);
    trace.records.push_back(r);
  }

  uint32_t stored = 0;
  for (int i = 0; i < 4; ++i) stored |= uint32_t(bytes[content_end + i]) << (8 * i);
  if (stored != crc32(bytes.data(), content_end))
    in.corrupt(content_end, "checksum mismatch: the content was altered");
  return trace;
}

}  // namespace vp
