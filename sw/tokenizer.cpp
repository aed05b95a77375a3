#include "sw/tokenizer.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <utility>

namespace vp {

namespace {

// Reads exactly `size` bytes or throws, naming the file and what was being read.
void read_exact(std::ifstream& in, void* dst, std::size_t size, const std::string& path, const std::string& what) {
  in.read(static_cast<char*>(dst), static_cast<std::streamsize>(size));
  if (static_cast<std::size_t>(in.gcount()) != size)
    throw std::runtime_error("tokenizer " + path + " is truncated: short read of " + what);
}

// run.c decodes pieces with sscanf(piece, "<0x%02hhX>", &byte): "<0x" then one or two hex digits.
bool parse_byte_piece(const std::string& piece, unsigned char* byte) {
  if (piece.size() < 4 || piece.compare(0, 3, "<0x") != 0) return false;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  int value = hex(piece[3]);
  if (value < 0) return false;
  if (piece.size() > 4 && hex(piece[4]) >= 0) value = value * 16 + hex(piece[4]);
  *byte = static_cast<unsigned char>(value);
  return true;
}

}  // namespace

Tokenizer Tokenizer::load(const std::string& path, int vocab_size) {
  if (vocab_size <= 0)
    throw std::runtime_error("tokenizer " + path + ": vocab_size must be positive, got " + std::to_string(vocab_size));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open tokenizer " + path);
  in.seekg(0, std::ios::end);
  const std::int64_t file_size = static_cast<std::int64_t>(in.tellg());
  in.seekg(0, std::ios::beg);

  Tokenizer t;
  t.path_ = path;
  std::uint32_t max_len = 0;
  read_exact(in, &max_len, sizeof max_len, path, "max_token_length");
  if (max_len > static_cast<std::uint32_t>(file_size))
    throw std::runtime_error("tokenizer " + path + ": max_token_length " + std::to_string(max_len) +
                             " exceeds the file size");
  t.max_token_length_ = static_cast<int>(max_len);
  // Every token takes at least 8 bytes, so a vocab_size beyond file_size / 8 cannot be met: don't reserve for it.
  const auto reserve = static_cast<std::size_t>(std::min<std::int64_t>(vocab_size, file_size / 8));
  t.pieces_.reserve(reserve);
  t.scores_.reserve(reserve);

  for (int i = 0; i < vocab_size; ++i) {
    if (in.peek() == std::char_traits<char>::eof())
      throw std::runtime_error("tokenizer " + path + " has " + std::to_string(i) +
                               " tokens but the model's vocab_size is " + std::to_string(vocab_size));
    const std::string token = "token " + std::to_string(i);
    float score = 0.0f;
    std::int32_t len = 0;
    read_exact(in, &score, sizeof score, path, token + " score");
    read_exact(in, &len, sizeof len, path, token + " length");
    // run.c's merge buffer holds two pieces of max_token_length; a longer piece would overflow it.
    if (len < 0 || static_cast<std::uint32_t>(len) > max_len)
      throw std::runtime_error("tokenizer " + path + ": " + token + " has length " + std::to_string(len) +
                               " outside [0, max_token_length " + std::to_string(max_len) + "]");
    std::string piece(static_cast<std::size_t>(len), '\0');
    read_exact(in, piece.data(), piece.size(), path, token + " bytes");
    t.pieces_.push_back(std::move(piece));
    t.scores_.push_back(score);
  }

  t.sorted_ids_.resize(t.pieces_.size());
  for (int id = 0; id < vocab_size; ++id) t.sorted_ids_[static_cast<std::size_t>(id)] = id;
  // Stable sort by piece: duplicate pieces (none in the Llama 2 vocabulary) resolve to the lowest id.
  std::stable_sort(t.sorted_ids_.begin(), t.sorted_ids_.end(),
                   [&t](int a, int b) { return t.pieces_[static_cast<std::size_t>(a)] < t.pieces_[static_cast<std::size_t>(b)]; });
  return t;
}

int Tokenizer::lookup(std::string_view text) const {
  auto it = std::lower_bound(sorted_ids_.begin(), sorted_ids_.end(), text, [this](int id, std::string_view key) {
    return std::string_view(pieces_[static_cast<std::size_t>(id)]) < key;
  });
  return (it != sorted_ids_.end() && pieces_[static_cast<std::size_t>(*it)] == text) ? *it : -1;
}

void Tokenizer::check_id(int id) const {
  if (id < 0 || id >= vocab_size())
    throw std::out_of_range("token id " + std::to_string(id) + " outside the vocabulary of tokenizer " + path_ +
                            " (" + std::to_string(vocab_size()) + " tokens)");
}

const std::string& Tokenizer::piece(int id) const {
  check_id(id);
  return pieces_[static_cast<std::size_t>(id)];
}

float Tokenizer::score(int id) const {
  check_id(id);
  return scores_[static_cast<std::size_t>(id)];
}

std::vector<int> Tokenizer::encode(const std::string& text_in, bool bos, bool eos) const {
  const std::string_view text(text_in.c_str());  // stops at the first NUL, as run.c's C string does
  std::vector<int> tokens;
  tokens.reserve(text.size() + 3);
  if (bos) {
    check_id(kBosId);  // its piece takes part in the merges below
    tokens.push_back(kBosId);
  }

  // sentencepiece's add_dummy_prefix: a leading " " piece, merged with the first word below.
  if (!text.empty()) {
    const int dummy_prefix = lookup(" ");
    if (dummy_prefix < 0) throw std::runtime_error("tokenizer " + path_ + " has no \" \" piece for the dummy prefix");
    tokens.push_back(dummy_prefix);
  }

  // One token per UTF-8 codepoint; run.c caps a codepoint at 4 bytes and starts a new one at any non-continuation
  // byte, so malformed input is split the same way it is there.
  std::string codepoint;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80) codepoint.clear();
    codepoint.push_back(static_cast<char>(c));
    const bool next_is_continuation =
        i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80;
    if (next_is_continuation && codepoint.size() < 4) continue;
    const int id = lookup(codepoint);
    if (id != -1) {
      tokens.push_back(id);
    } else {
      for (char byte : codepoint) {
        const int fallback = static_cast<unsigned char>(byte) + kByteFallbackOffset;
        if (fallback >= vocab_size())
          throw std::runtime_error("tokenizer " + path_ + ": byte fallback id " + std::to_string(fallback) +
                                   " is outside its vocabulary of " + std::to_string(vocab_size()));
        tokens.push_back(fallback);
      }
    }
    codepoint.clear();
  }

  // Greedy BPE: each round merges the adjacent pair whose concatenation has the highest score; the strict '>'
  // keeps the leftmost pair on ties, and run.c's starting best of -1e10 (as float) excludes lower scores.
  // run.c re-looks-up every pair each round; caching each pair's merge id (only the two pairs beside a merge
  // change) gives the same result with one string lookup per new pair.
  std::string pair;
  auto merge_of = [&](int left, int right) {
    pair.assign(pieces_[static_cast<std::size_t>(left)]);
    pair.append(pieces_[static_cast<std::size_t>(right)]);
    return lookup(pair);
  };
  std::vector<int> pair_merge(tokens.size() > 1 ? tokens.size() - 1 : 0);  // pair_merge[i]: id of tokens[i]+[i+1]
  for (std::size_t i = 0; i < pair_merge.size(); ++i) pair_merge[i] = merge_of(tokens[i], tokens[i + 1]);
  for (;;) {
    float best_score = -1e10f;
    int best_id = -1;
    std::size_t best_idx = 0;
    for (std::size_t i = 0; i < pair_merge.size(); ++i) {
      const int id = pair_merge[i];
      if (id != -1 && scores_[static_cast<std::size_t>(id)] > best_score) {
        best_score = scores_[static_cast<std::size_t>(id)];
        best_id = id;
        best_idx = i;
      }
    }
    if (best_id == -1) break;
    tokens[best_idx] = best_id;
    tokens.erase(tokens.begin() + static_cast<std::ptrdiff_t>(best_idx) + 1);
    pair_merge.erase(pair_merge.begin() + static_cast<std::ptrdiff_t>(best_idx));
    if (best_idx > 0) pair_merge[best_idx - 1] = merge_of(tokens[best_idx - 1], tokens[best_idx]);
    if (best_idx < pair_merge.size()) pair_merge[best_idx] = merge_of(tokens[best_idx], tokens[best_idx + 1]);
  }

  if (eos) tokens.push_back(kEosId);
  return tokens;
}

std::string Tokenizer::decode_piece(int prev_token, int token) const {
  const std::string& full = piece(token);
  // After BOS the sentencepiece decoder drops the dummy-prefix space (llama2.c PR #89).
  const std::size_t start = (prev_token == kBosId && !full.empty() && full[0] == ' ') ? 1 : 0;
  std::string text = full.substr(start);
  unsigned char byte = 0;
  if (parse_byte_piece(text, &byte)) return std::string(1, static_cast<char>(byte));
  return text;
}

}  // namespace vp
