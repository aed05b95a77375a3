#include "traces/axi_trace_text.h"

#include <cinttypes>
#include <cstdio>
#include <istream>
#include <map>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "sw/hex_format.h"

namespace vp {
namespace {

constexpr const char* kFirstLine = "vp-axi-trace 1";

// Each status and its name in the text format: one table for the writer and the reader.
struct StatusName {
  AxiTraceStatus status;
  const char* name;
};
constexpr StatusName kStatusNames[] = {{AxiTraceStatus::kOk, "ok"},
                                       {AxiTraceStatus::kDecodeError, "decode_error"},
                                       {AxiTraceStatus::kErrorResponse, "error_response"}};

const char* status_name(AxiTraceStatus s) {
  for (const StatusName& n : kStatusNames)
    if (n.status == s) return n.name;
  return "?";
}

// The status called `name`; false when there is none.
bool status_of_name(const std::string& name, AxiTraceStatus* status) {
  for (const StatusName& n : kStatusNames) {
    if (name == n.name) {
      *status = n.status;
      return true;
    }
  }
  return false;
}

class LineReader {
 public:
  LineReader(std::istream& in, const std::string& where) : in_(in), where_(where) {}

  // Next non-comment line; false at end of file. Fails on a last line without its newline:
  // the writer always ends lines, so the file was cut.
  bool next(std::string& line) {
    for (;;) {
      line_offset_ = offset_;
      if (!std::getline(in_, line)) return false;
      ++line_number_;
      offset_ += line.size() + 1;
      if (in_.eof()) fail_truncated("last line has no line break");
      if (!line.empty() && line[0] == '#') continue;
      return true;
    }
  }
  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error(where_ + ": corrupt at line " + std::to_string(line_number_) + " (offset " +
                             std::to_string(line_offset_) + "): " + why);
  }
  [[noreturn]] void fail_truncated(const std::string& why) const {
    throw std::runtime_error(where_ + ": truncated at line " + std::to_string(line_number_) + " (offset " +
                             std::to_string(line_offset_) + "): " + why);
  }

 private:
  std::istream& in_;
  const std::string& where_;
  uint64_t offset_ = 0, line_offset_ = 0;
  uint64_t line_number_ = 0;
};

uint64_t parse_u64(const std::string& token, const LineReader& r, const char* what, int base = 10) {
  if (token.empty() || token[0] == '-' || token[0] == '+') r.fail(std::string("bad ") + what + " '" + token + "'");
  size_t used = 0;
  uint64_t v = 0;
  try {
    v = std::stoull(token, &used, base);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != token.size() || used == 0) r.fail(std::string("bad ") + what + " '" + token + "'");
  return v;
}

uint64_t parse_hex(const std::string& token, const LineReader& r, const char* what) {
  if (token.size() < 3 || token[0] != '0' || (token[1] != 'x' && token[1] != 'X'))
    r.fail(std::string("bad ") + what + " '" + token + "' (expected 0x...)");
  return parse_u64(token.substr(2), r, what, 16);
}

std::vector<std::string> split(const std::string& line) {
  std::istringstream s(line);
  std::vector<std::string> tokens;
  std::string t;
  while (s >> t) tokens.push_back(t);
  return tokens;
}

}  // namespace

bool looks_like_text_axi_trace(const std::string& start) { return start.rfind(kFirstLine, 0) == 0; }

void write_axi_trace_text(const AxiTrace& trace, std::ostream& out, const std::string& where) {
  trace.validate(where);
  out << kFirstLine << "\n";
  out << "description " << trace.description << "\n";
  out << "end_ps " << trace.end_ps << "\n";
  out << "records " << trace.records.size() << "\n";
  for (size_t m = 0; m < trace.masters.size(); ++m) {
    const AxiTraceMaster& master = trace.masters[m];
    out << "master " << m << " " << master.name << " "
        << (master.home_channel == AxiTrace::kNoChannel ? std::string("-") : std::to_string(master.home_channel))
        << "\n";
  }
  for (size_t c = 0; c < trace.channels.size(); ++c) {
    const AxiTraceChannel& channel = trace.channels[c];
    out << "channel " << c << " " << channel.name << " " << hex(channel.base) << " " << hex(channel.size) << "\n";
  }
  out << "# arrival_ps completion_ps master command address length channel status\n";
  for (const AxiTraceRecord& r : trace.records) {
    out << r.arrival_ps << ' ' << r.completion_ps << ' ' << trace.masters[r.master].name << ' '
        << (r.write ? 'W' : 'R') << ' ' << hex(r.address) << ' ' << r.length << ' '
        << (r.channel == AxiTrace::kNoChannel16 ? std::string("-") : trace.channels[r.channel].name) << ' '
        << status_name(r.status) << '\n';
  }
  out << "end\n";
}

AxiTrace read_axi_trace_text(std::istream& in, const std::string& where) {
  LineReader reader(in, where);
  AxiTrace trace;
  std::string line;
  if (!reader.next(line)) reader.fail_truncated("empty file");
  if (line != kFirstLine) reader.fail("not a vp AXI trace (expected '" + std::string(kFirstLine) + "')");

  auto header_value = [&](const std::string& key) {
    if (!reader.next(line)) reader.fail_truncated("missing '" + key + "' line");
    if (line.rfind(key + " ", 0) != 0 && line != key) reader.fail("expected '" + key + " ...'");
    return line.size() > key.size() ? line.substr(key.size() + 1) : std::string();
  };
  trace.description = header_value("description");
  trace.end_ps = parse_u64(header_value("end_ps"), reader, "end_ps");
  const uint64_t record_count = parse_u64(header_value("records"), reader, "record count");

  // A numbered line of the table before the transactions ("master" or "channel"): `fields` tokens
  // as `usage` shows, its index the next one (`count` so far), fewer than `limit` of them.
  auto check_table_line = [&](const std::vector<std::string>& t, const std::string& kind, size_t fields,
                              const char* usage, size_t count, size_t limit) {
    if (!trace.records.empty()) reader.fail(kind + " line after the first transaction");
    if (t.size() != fields) reader.fail(std::string("expected '") + usage + "'");
    if (parse_u64(t[1], reader, (kind + " index").c_str()) != count)
      reader.fail(kind + " index " + t[1] + " out of order (expected " + std::to_string(count) + ")");
    if (count >= limit) reader.fail("too many " + kind + "s");
  };

  std::map<std::string, uint16_t> master_index, channel_index;
  bool ended = false;
  while (reader.next(line)) {
    const std::vector<std::string> t = split(line);
    if (t.empty()) reader.fail("empty line");
    if (t[0] == "end" && t.size() == 1) {
      ended = true;
      break;
    }
    if (t[0] == "master") {
      check_table_line(t, "master", 4, "master <index> <name> <home channel|->", trace.masters.size(), 0xFFFF);
      AxiTraceMaster m;
      m.name = t[2];
      m.home_channel = t[3] == "-" ? AxiTrace::kNoChannel
                                   : static_cast<uint32_t>(parse_u64(t[3], reader, "home channel"));
      if (!master_index.emplace(m.name, static_cast<uint16_t>(trace.masters.size())).second)
        reader.fail("duplicate master name " + m.name);
      trace.masters.push_back(m);
      continue;
    }
    if (t[0] == "channel") {
      check_table_line(t, "channel", 5, "channel <index> <name> <base> <size>", trace.channels.size(), 0xFFFE);
      AxiTraceChannel c{t[2], parse_hex(t[3], reader, "channel base"), parse_hex(t[4], reader, "channel size")};
      if (c.size == 0) reader.fail("channel " + c.name + " has size 0");
      if (!channel_index.emplace(c.name, static_cast<uint16_t>(trace.channels.size())).second)
        reader.fail("duplicate channel name " + c.name);
      trace.channels.push_back(c);
      continue;
    }
    if (t.size() != 8) reader.fail("expected 8 fields per transaction, got " + std::to_string(t.size()));
    if (trace.records.size() == record_count)
      reader.fail("more transactions than the " + std::to_string(record_count) + " announced");
    AxiTraceRecord r;
    r.arrival_ps = parse_u64(t[0], reader, "arrival");
    r.completion_ps = parse_u64(t[1], reader, "completion");
    auto m = master_index.find(t[2]);
    if (m == master_index.end()) reader.fail("unknown master '" + t[2] + "'");
    r.master = m->second;
    if (t[3] != "R" && t[3] != "W") reader.fail("command '" + t[3] + "' (expected R or W)");
    r.write = t[3] == "W";
    r.address = parse_hex(t[4], reader, "address");
    const uint64_t length = parse_u64(t[5], reader, "length");
    if (length > 0xFFFF'FFFFu) reader.fail("length " + t[5] + " does not fit 32 bits");
    r.length = static_cast<uint32_t>(length);
    if (t[6] == "-") {
      r.channel = AxiTrace::kNoChannel16;
    } else {
      auto c = channel_index.find(t[6]);
      if (c == channel_index.end()) reader.fail("unknown channel '" + t[6] + "'");
      r.channel = c->second;
    }
    if (!status_of_name(t[7], &r.status))
      reader.fail("status '" + t[7] + "' (expected ok, decode_error or error_response)");
    const std::string problem = record_problem(trace, r);
    if (!problem.empty()) reader.fail(problem);
    trace.records.push_back(r);
  }
  if (!ended)
    reader.fail_truncated("no 'end' line after " + std::to_string(trace.records.size()) + " of " +
                          std::to_string(record_count) + " transactions");
  if (trace.records.size() != record_count)
    reader.fail_truncated(std::to_string(trace.records.size()) + " transactions, the header announced " +
                          std::to_string(record_count));
  if (reader.next(line)) reader.fail("text after the 'end' line");
  for (const AxiTraceMaster& m : trace.masters)
    if (m.home_channel != AxiTrace::kNoChannel && m.home_channel >= trace.channels.size())
      reader.fail("master " + m.name + " home channel " + std::to_string(m.home_channel) + " does not exist");
  return trace;
}

}  // namespace vp
