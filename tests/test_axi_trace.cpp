// AXI transaction traces: the binary and text forms, their readers' rejection of truncated and
// corrupt files, the converter tool, and the recorder on a live interconnect.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>

#include "models/memory/memory_system.h"
#include "platform/memory_placement.h"
#include "platform/sim_config.h"
#include "tests/thrown_message.h"
#include "traces/axi_trace.h"
#include "traces/axi_trace_file.h"
#include "traces/axi_trace_format.h"
#include "traces/axi_trace_recorder.h"
#include "traces/axi_trace_text.h"

namespace {

namespace fs = std::filesystem;

// A trace that uses every field, with values that need all their bits.
vp::AxiTrace sample_trace() {
  vp::AxiTrace t;
  t.description = "board u280, test trace";
  t.end_ps = 0x0123'4567'89AB'CDEFull;
  t.channels = {{"HBM[0]", 0, 0x1000'0000}, {"DDR[1]", 0x10'0000'0000ull + 0x2'0000'0000ull, 0x2'0000'0000ull}};
  t.masters = {{"m_axi_w0", 0}, {"m_axi_kv", 1}, {"pcie", vp::AxiTrace::kNoChannel}};
  using S = vp::AxiTraceStatus;
  t.records = {
      {0x40, 1000, 2500, 4096, 0, 0, false, S::kOk},
      {0x12'0000'0000ull + 0x1'FFFF'F000ull, 1000, 0xFFFF'FFFF'FFFFull, 4096, 1, 1, true, S::kOk},
      {0x0FFF'FFC0, 3000, 3001, 64, 2, 0, true, S::kErrorResponse},
      {0xDEAD'0000'0000ull, 5000, 5010, 0xFFFF'FFFFu, 2, vp::AxiTrace::kNoChannel16, false, S::kDecodeError},
  };
  return t;
}

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

uint64_t le(const std::vector<uint8_t>& b, size_t at, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= uint64_t(b.at(at + i)) << (8 * i);
  return v;
}

std::string error_of(const std::function<void()>& f) { return vp::test::thrown_message<std::exception>(f); }

fs::path temp_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("vp_test_axi_trace_" + name + "_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

TEST(AxiTraceFormat, BinaryRoundTripKeepsEveryField) {
  const vp::AxiTrace trace = sample_trace();
  const vp::AxiTrace back = vp::decode_axi_trace(vp::encode_axi_trace(trace), "mem.vpt");
  EXPECT_TRUE(back == trace);
  ASSERT_EQ(back.records.size(), 4u);
  EXPECT_EQ(back.records[1].completion_ps, 0xFFFF'FFFF'FFFFull);
  EXPECT_EQ(back.records[3].length, 0xFFFF'FFFFu);
}

TEST(AxiTraceFormat, TextRoundTripKeepsEveryField) {
  const vp::AxiTrace trace = sample_trace();
  std::stringstream text;
  vp::write_axi_trace_text(trace, text);
  // One line per transaction, readable without the tables.
  EXPECT_NE(text.str().find("1000 2500 m_axi_w0 R 0x40 4096 HBM[0] ok\n"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find(" pcie R 0xdead00000000 4294967295 - decode_error\n"), std::string::npos);
  const vp::AxiTrace back = vp::read_axi_trace_text(text, "mem.txt");
  EXPECT_TRUE(back == trace);
}

// The layout documented in traces/axi_trace_format.h, checked field by field.
TEST(AxiTraceFormat, BinaryLayoutFollowsTheDocumentedOffsets) {
  vp::AxiTrace trace = sample_trace();
  trace.records.resize(2);
  const std::vector<uint8_t> b = vp::encode_axi_trace(trace);
  EXPECT_EQ(std::string(b.begin(), b.begin() + 8), "VPAXITRC");
  EXPECT_EQ(le(b, 8, 4), 1u);
  EXPECT_EQ(le(b, 12, 4), 40u);
  EXPECT_EQ(le(b, 16, 8), 2u);
  EXPECT_EQ(le(b, 24, 8), trace.end_ps);
  EXPECT_EQ(le(b, 32, 4), 3u);
  EXPECT_EQ(le(b, 36, 4), 2u);
  EXPECT_EQ(le(b, 40, 4), trace.description.size());
  EXPECT_EQ(le(b, 44, 4), 0u);
  size_t names = 0;
  for (const auto& m : trace.masters) names += 4 + 2 + m.name.size();
  for (const auto& c : trace.channels) names += 8 + 8 + 2 + c.name.size();
  const size_t first = 48 + trace.description.size() + names;
  ASSERT_EQ(b.size(), first + 2 * 40 + 4);
  const size_t second = first + 40;
  EXPECT_EQ(le(b, second + 0, 8), trace.records[1].address);
  EXPECT_EQ(le(b, second + 8, 8), 1000u);
  EXPECT_EQ(le(b, second + 16, 8), 0xFFFF'FFFF'FFFFull);
  EXPECT_EQ(le(b, second + 24, 4), 4096u);
  EXPECT_EQ(le(b, second + 28, 2), 1u);
  EXPECT_EQ(le(b, second + 30, 2), 1u);
  EXPECT_EQ(le(b, second + 32, 1), 1u);  // write
  EXPECT_EQ(le(b, second + 33, 1), 0u);  // ok
  EXPECT_EQ(le(b, second + 34, 6), 0u);
  EXPECT_EQ(le(b, b.size() - 4, 4), vp::crc32(b.data(), b.size() - 4));
}

TEST(AxiTraceFormat, Crc32IsTheStandardOne) {
  const char* check = "123456789";  // the CRC-32/ISO-HDLC check value
  EXPECT_EQ(vp::crc32(reinterpret_cast<const uint8_t*>(check), 9), 0xCBF43926u);
}

TEST(AxiTraceFormat, EveryTruncationIsRejectedNamingFileAndOffset) {
  const std::vector<uint8_t> whole = vp::encode_axi_trace(sample_trace());
  for (size_t cut = 0; cut < whole.size(); ++cut) {
    const std::vector<uint8_t> part(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(cut));
    const std::string message = error_of([&] { vp::decode_axi_trace(part, "cut.vpt"); });
    ASSERT_NE(message.find("cut.vpt"), std::string::npos) << "cut at " << cut << ": " << message;
    ASSERT_NE(message.find("truncated"), std::string::npos) << "cut at " << cut << ": " << message;
    ASSERT_NE(message.find("offset"), std::string::npos) << "cut at " << cut << ": " << message;
  }
}

TEST(AxiTraceFormat, TruncatedFileOnDiskNamesItsPath) {
  const fs::path dir = temp_dir("truncated");
  const std::string path = (dir / "run.vpt").string();
  std::vector<uint8_t> bytes = vp::encode_axi_trace(sample_trace());
  bytes.resize(bytes.size() - 50);
  write_bytes(path, bytes);
  const std::string message = error_of([&] { vp::load_axi_trace(path); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("truncated"), std::string::npos) << message;
  fs::remove_all(dir);
}

TEST(AxiTraceFormat, InconsistentRecordIsRejectedAtItsOffset) {
  std::vector<uint8_t> b = vp::encode_axi_trace(sample_trace());
  const size_t record1 = b.size() - 4 - 3 * 40;
  b[record1 + 28] = 7;  // master 7 of 3
  const std::string message = error_of([&] { vp::decode_axi_trace(b, "bad.vpt"); });
  EXPECT_NE(message.find("bad.vpt: corrupt at offset " + std::to_string(record1)), std::string::npos) << message;
  EXPECT_NE(message.find("master 7"), std::string::npos) << message;
}

TEST(AxiTraceFormat, AlteredContentFailsTheChecksum) {
  std::vector<uint8_t> b = vp::encode_axi_trace(sample_trace());
  const size_t record0 = b.size() - 4 - 4 * 40;
  b[record0] ^= 0x80;  // address 0x40 -> 0xC0: still a valid record, only the checksum can tell
  const std::string message = error_of([&] { vp::decode_axi_trace(b, "flip.vpt"); });
  EXPECT_NE(message.find("flip.vpt: corrupt at offset " + std::to_string(b.size() - 4)), std::string::npos) << message;
  EXPECT_NE(message.find("checksum"), std::string::npos) << message;
}

TEST(AxiTraceFormat, WrongMagicVersionAndTrailingBytesAreRejected) {
  const std::vector<uint8_t> good = vp::encode_axi_trace(sample_trace());
  std::vector<uint8_t> b = good;
  b[0] = 'X';
  EXPECT_NE(error_of([&] { vp::decode_axi_trace(b, "m.vpt"); }).find("m.vpt: corrupt at offset 0"), std::string::npos);
  b = good;
  b[8] = 2;
  const std::string version = error_of([&] { vp::decode_axi_trace(b, "v.vpt"); });
  EXPECT_NE(version.find("v.vpt: corrupt at offset 8: unsupported version 2"), std::string::npos) << version;
  b = good;
  b.insert(b.end(), 40, 0);
  const std::string trailing = error_of([&] { vp::decode_axi_trace(b, "t.vpt"); });
  EXPECT_NE(trailing.find("t.vpt: corrupt at offset"), std::string::npos) << trailing;
  EXPECT_NE(trailing.find("unexpected"), std::string::npos) << trailing;
}

TEST(AxiTraceText, TruncatedTextIsRejectedNamingFileAndLine) {
  std::stringstream text;
  vp::write_axi_trace_text(sample_trace(), text);
  const std::string whole = text.str();
  // Without the last transaction and the end line.
  const size_t cut = whole.rfind('\n', whole.size() - 6);
  std::istringstream shorter(whole.substr(0, cut + 1));
  const std::string message = error_of([&] { vp::read_axi_trace_text(shorter, "run.txt"); });
  EXPECT_NE(message.find("run.txt: truncated at line"), std::string::npos) << message;
  EXPECT_NE(message.find("offset"), std::string::npos) << message;
  // A last line cut in the middle.
  std::istringstream mid(whole.substr(0, whole.size() - 10));
  EXPECT_NE(error_of([&] { vp::read_axi_trace_text(mid, "run.txt"); }).find("run.txt: truncated"), std::string::npos);
}

TEST(AxiTraceText, CorruptLineIsRejectedNamingItsLine) {
  std::stringstream text;
  vp::write_axi_trace_text(sample_trace(), text);
  std::string s = text.str();
  const size_t at = s.find(" m_axi_w0 R ");
  s.replace(at, 12, " m_axi_w0 Q ");
  const size_t line = static_cast<size_t>(std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 1;
  std::istringstream in(s);
  const std::string message = error_of([&] { vp::read_axi_trace_text(in, "bad.txt"); });
  EXPECT_NE(message.find("bad.txt: corrupt at line " + std::to_string(line) + " "), std::string::npos) << message;
  EXPECT_NE(message.find("command 'Q'"), std::string::npos) << message;
}

TEST(AxiTraceFile, FormatFollowsTheFileNameAndLoadingDetectsIt) {
  const fs::path dir = temp_dir("file");
  const vp::AxiTrace trace = sample_trace();
  vp::save_axi_trace(trace, (dir / "a.txt").string());
  vp::save_axi_trace(trace, (dir / "a.vpt").string());
  EXPECT_EQ(read_bytes((dir / "a.txt").string()).at(0), 'v');
  EXPECT_EQ(read_bytes((dir / "a.vpt").string()).at(0), 'V');
  EXPECT_FALSE(fs::exists(dir / "a.vpt.tmp"));
  EXPECT_TRUE(vp::load_axi_trace((dir / "a.txt").string()) == trace);
  EXPECT_TRUE(vp::load_axi_trace((dir / "a.vpt").string()) == trace);
  fs::remove_all(dir);
}

TEST(AxiTraceTool, ConvertsBinaryToTextAndBackByteForByte) {
  const fs::path dir = temp_dir("tool");
  const std::string a = (dir / "a.vpt").string(), b = (dir / "b.txt").string(), c = (dir / "c.vpt").string();
  vp::save_axi_trace(sample_trace(), a);
  ASSERT_EQ(std::system((std::string(VP_VPTRACE) + " convert " + a + " " + b).c_str()), 0);
  ASSERT_EQ(std::system((std::string(VP_VPTRACE) + " convert " + b + " " + c).c_str()), 0);
  EXPECT_EQ(read_bytes(a), read_bytes(c));
  EXPECT_TRUE(vp::load_axi_trace(b) == sample_trace());
  // A truncated input fails with the file named on stderr.
  std::vector<uint8_t> cut = read_bytes(a);
  cut.resize(cut.size() / 2);
  write_bytes(a, cut);
  const std::string err = (dir / "err.txt").string();
  EXPECT_NE(std::system((std::string(VP_VPTRACE) + " convert " + a + " " + c + " 2>" + err).c_str()), 0);
  const std::vector<uint8_t> message = read_bytes(err);
  EXPECT_NE(std::string(message.begin(), message.end()).find(a + ": truncated"), std::string::npos);
  fs::remove_all(dir);
}

// An initiator that runs a scripted sequence of transfers through the interconnect.
class ScriptedMaster : public sc_core::sc_module {
 public:
  struct Step {
    sc_core::sc_time at;
    bool write;
    uint64_t address;
    uint32_t length;
  };
  struct Seen {
    sc_core::sc_time issued, returned;
    tlm::tlm_response_status status;
  };
  tlm_utils::simple_initiator_socket<ScriptedMaster> socket;
  std::vector<Seen> seen;

  ScriptedMaster(sc_core::sc_module_name name, std::vector<Step> steps)
      : sc_module(name), socket("socket"), steps_(std::move(steps)) {
    seen.resize(steps_.size());
    for (size_t i = 0; i < steps_.size(); ++i)
      sc_core::sc_spawn([this, i] { run(i); }, sc_core::sc_gen_unique_name("step"));
  }

 private:
  void run(size_t i) {
    const Step& s = steps_[i];
    sc_core::wait(s.at);
    std::vector<uint8_t> data(s.length, 0x5A);
    tlm::tlm_generic_payload gp;
    gp.set_command(s.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    gp.set_address(s.address);
    gp.set_data_ptr(data.data());
    gp.set_data_length(s.length);
    gp.set_streaming_width(s.length);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    seen[i].issued = sc_core::sc_time_stamp();
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(gp, delay);
    sc_core::wait(delay);
    seen[i].returned = sc_core::sc_time_stamp();
    seen[i].status = gp.get_response_status();
  }
  std::vector<Step> steps_;
};

TEST(AxiTraceRecorder, RecordsEveryTransactionWithArrivalCompletionAndChannel) {
  const char* argv[] = {"test", "--board.hbm_channels=4", "--board.ddr_channels=1"};
  const vp::SimConfig config = vp::parse_sim_config(3, argv);
  vp::MemorySystem memory(vp::memory_system_config(config));
  vp::AxiTraceRecorder recorder(memory, "recorder test");
  using sc_core::SC_NS;
  const uint64_t hbm1 = memory.channels()[1].base, ddr0 = memory.channels()[4].base;
  ScriptedMaster master("master", {{sc_core::sc_time(0, SC_NS), true, hbm1 + 0x100, 256},
                                   {sc_core::sc_time(5, SC_NS), false, ddr0 + 0x2000, 4096},
                                   {sc_core::sc_time(5, SC_NS), false, hbm1 + 0x100, 64},
                                   {sc_core::sc_time(7, SC_NS), false, 0xFFFF'0000'0000ull, 64}});
  master.socket.bind(memory.interconnect().masters);
  memory.set_master_homes();
  sc_core::sc_start();

  const vp::AxiTrace trace = recorder.trace(sc_core::sc_time_stamp());
  ASSERT_EQ(trace.records.size(), 4u);
  EXPECT_EQ(trace.description, "recorder test");
  EXPECT_EQ(trace.end_ps, static_cast<uint64_t>(sc_core::sc_time_stamp().value()));
  ASSERT_EQ(trace.channels.size(), 5u);
  EXPECT_EQ(trace.channels[4].name, "DDR[0]");
  EXPECT_EQ(trace.channels[4].base, ddr0);
  ASSERT_EQ(trace.masters.size(), memory.masters().size());
  EXPECT_EQ(trace.masters[0].name, "m_axi_w0");
  EXPECT_EQ(trace.masters.back().name, "pcie");

  // Each scripted step appears once, with the times the initiator saw.
  size_t found = 0;
  const std::vector<uint64_t> addresses{hbm1 + 0x100, ddr0 + 0x2000, hbm1 + 0x100, 0xFFFF'0000'0000ull};
  for (size_t i = 0; i < 4; ++i)
    for (const vp::AxiTraceRecord& r : trace.records)
      if (r.address == addresses[i] && r.arrival_ps == uint64_t(master.seen[i].issued.value()) &&
          r.completion_ps == uint64_t(master.seen[i].returned.value())) {
        ++found;
        EXPECT_EQ(r.master, 0u);
        EXPECT_EQ(r.write, i == 0);
        EXPECT_EQ(r.length, i == 0 ? 256u : i == 1 ? 4096u : 64u);
        EXPECT_EQ(r.channel, i == 1 ? 4u : i == 3 ? vp::AxiTrace::kNoChannel16 : 1u);
        EXPECT_EQ(r.status, i == 3 ? vp::AxiTraceStatus::kDecodeError : vp::AxiTraceStatus::kOk);
        EXPECT_GT(r.completion_ps, r.arrival_ps);
        break;
      }
  EXPECT_EQ(found, 4u);
  // Forwarding order: the write to HBM[1] reached the channel before the read of the same bytes.
  size_t write_at = 0, read_at = 0;
  for (size_t k = 0; k < trace.records.size(); ++k) {
    if (trace.records[k].address == hbm1 + 0x100) (trace.records[k].write ? write_at : read_at) = k;
  }
  EXPECT_LT(write_at, read_at);
}

}  // namespace
