#pragma once
// The fuzzed entry points of the file readers (checkpoints, tokenizer, AXI traces): host software
// (sw/) and the trace reader (traces/axi_trace_file.h), no SystemC. What counts as a finding:
// fuzz/fuzz_targets.h.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "sw/checkpoint_reader.h"
#include "sw/quantizer.h"
#include "sw/tokenizer.h"
#include "traces/axi_trace_file.h"
#include "traces/axi_trace_format.h"

namespace vp::fuzz {

// The input as a file that lives only in memory (memfd): no disk traffic, no name clashes between
// parallel fuzz jobs, and gone when the object is.
class MemoryFile {
 public:
  MemoryFile(const uint8_t* data, size_t size) : fd_(memfd_create("vp_fuzz_input", MFD_CLOEXEC)) {
    if (fd_ < 0) throw std::logic_error("memfd_create failed");
    for (size_t done = 0; done < size;) {
      const ssize_t n = ::write(fd_, data + done, size - done);
      if (n <= 0) throw std::logic_error("writing the fuzz input to its memfd failed");
      done += static_cast<size_t>(n);
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~MemoryFile() { ::close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  int fd_;
  std::string path_;
};

// Runs `body`; the refusals a reader is allowed to give are swallowed, everything else escapes.
template <class Body>
void expect_clean(Body&& body) {
  try {
    body();
  } catch (const std::runtime_error&) {
  } catch (const std::invalid_argument&) {
  } catch (const std::out_of_range&) {
  }
}

// Largest group size vpsim quantizes with by default (run.max_group_size).
constexpr int kMaxGroupSize = 64;

// A legacy fp32 checkpoint: read, self-check, quantized as vpsim does on load.
inline void checkpoint_fp32(const uint8_t* data, size_t size) {
  const MemoryFile file(data, size);
  expect_clean([&] {
    const Fp32Checkpoint c = read_fp32_checkpoint(file.path());
    c.validate(file.path());
    const Q8Checkpoint q = quantize_checkpoint(c, choose_group_size(c.shape, kMaxGroupSize));
    q.validate(file.path());
  });
}

// An ak42 Q8_0 checkpoint: read, self-check, and read again through vpsim's format detection.
inline void checkpoint_q8(const uint8_t* data, size_t size) {
  const MemoryFile file(data, size);
  expect_clean([&] {
    const Q8Checkpoint c = read_q8_checkpoint(file.path());
    c.validate(file.path());
  });
  expect_clean([&] { load_checkpoint_as_q8(file.path(), kMaxGroupSize).validate(file.path()); });
}

// Input: u16 vocab_size - 1, u8 prompt length n, n prompt bytes, then the tokenizer file. A loaded
// tokenizer encodes the prompt and decodes every id, as a run with run.tokenizer does.
inline void tokenizer(const uint8_t* data, size_t size) {
  if (size < 3) return;
  const int vocab_size = 1 + (data[0] | data[1] << 8);
  const size_t prompt_bytes = std::min<size_t>(data[2], size - 3);
  const std::string prompt(reinterpret_cast<const char*>(data + 3), prompt_bytes);
  const MemoryFile file(data + 3 + prompt_bytes, size - 3 - prompt_bytes);
  expect_clean([&] {
    const Tokenizer t = Tokenizer::load(file.path(), vocab_size);
    if (t.vocab_size() != vocab_size) throw std::logic_error("tokenizer loaded another vocab_size than asked");
    const std::vector<int> ids = t.encode(prompt, true, false);
    int prev = Tokenizer::kBosId;
    for (int id : ids) {
      t.decode_piece(prev, id);  // every id encode() gives must decode
      prev = id;
    }
    for (int id = 0; id < t.vocab_size(); ++id) t.decode_piece(Tokenizer::kBosId, id);
  });
}

// An AXI trace file, binary or text, as the replay tool reads it. A binary input gets its CRC-32
// trailer recomputed first, so that the fuzzer reaches the decoder behind the checksum.
inline void axi_trace(const uint8_t* data, size_t size) {
  std::vector<uint8_t> bytes(data, data + size);
  if (looks_like_binary_axi_trace(bytes) && bytes.size() >= kAxiTraceHeaderBytes + 4) {
    const uint32_t crc = crc32(bytes.data(), bytes.size() - 4);
    for (int i = 0; i < 4; ++i) bytes[bytes.size() - 4 + i] = static_cast<uint8_t>(crc >> (8 * i));
  }
  const MemoryFile file(bytes.data(), bytes.size());
  expect_clean([&] {
    const AxiTrace trace = load_axi_trace(file.path());
    trace.validate(file.path());
  });
}

}  // namespace vp::fuzz
