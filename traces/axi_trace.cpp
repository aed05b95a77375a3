#include "traces/axi_trace.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace vp {
namespace {

bool valid_name(const std::string& name) {
  return !name.empty() && std::none_of(name.begin(), name.end(), [](unsigned char c) { return std::isspace(c); });
}

}  // namespace

bool AxiTraceRecord::operator==(const AxiTraceRecord& o) const {
  return address == o.address && arrival_ps == o.arrival_ps && completion_ps == o.completion_ps &&
         length == o.length && master == o.master && channel == o.channel && write == o.write && status == o.status;
}

std::string record_problem(const AxiTrace& trace, const AxiTraceRecord& r) {
  if (r.master >= trace.masters.size())
    return "master " + std::to_string(r.master) + " outside the " + std::to_string(trace.masters.size()) +
           " masters of the trace";
  if (r.completion_ps < r.arrival_ps)
    return "completion " + std::to_string(r.completion_ps) + " ps before arrival " + std::to_string(r.arrival_ps) +
           " ps";
  if (static_cast<uint8_t>(r.status) > static_cast<uint8_t>(AxiTraceStatus::kErrorResponse))
    return "unknown status " + std::to_string(static_cast<unsigned>(r.status));
  const bool decode_error = r.status == AxiTraceStatus::kDecodeError;
  if (decode_error != (r.channel == AxiTrace::kNoChannel16))
    return decode_error ? "decode error with a channel" : "no channel for a decoded transaction";
  if (decode_error) return {};
  if (r.channel >= trace.channels.size())
    return "channel " + std::to_string(r.channel) + " outside the " + std::to_string(trace.channels.size()) +
           " channels of the trace";
  const AxiTraceChannel& c = trace.channels[r.channel];
  if (r.address < c.base || r.address - c.base >= c.size || r.length > c.size - (r.address - c.base))
    return "address range outside channel " + c.name;
  return {};
}

void AxiTrace::validate(const std::string& where) const {
  auto fail = [&](const std::string& why) { throw std::runtime_error(where + ": " + why); };
  if (masters.size() > 0xFFFF) fail(std::to_string(masters.size()) + " masters (at most 65535)");
  if (channels.size() >= 0xFFFF) fail(std::to_string(channels.size()) + " channels (at most 65534)");
  if (description.find('\n') != std::string::npos) fail("description has a line break");
  for (size_t m = 0; m < masters.size(); ++m) {
    if (!valid_name(masters[m].name)) fail("master " + std::to_string(m) + " name '" + masters[m].name + "' is empty or has whitespace");
    if (masters[m].home_channel != kNoChannel && masters[m].home_channel >= channels.size())
      fail("master " + masters[m].name + " home channel " + std::to_string(masters[m].home_channel) +
           " outside the " + std::to_string(channels.size()) + " channels");
  }
  for (size_t c = 0; c < channels.size(); ++c) {
    if (!valid_name(channels[c].name)) fail("channel " + std::to_string(c) + " name '" + channels[c].name + "' is empty or has whitespace");
    if (channels[c].size == 0) fail("channel " + channels[c].name + " has size 0");
  }
  for (size_t i = 0; i < records.size(); ++i) {
    const std::string problem = record_problem(*this, records[i]);
    if (!problem.empty()) fail("record " + std::to_string(i) + ": " + problem);
  }
}

bool AxiTrace::operator==(const AxiTrace& o) const {
  auto same_master = [](const AxiTraceMaster& a, const AxiTraceMaster& b) {
    return a.name == b.name && a.home_channel == b.home_channel;
  };
  auto same_channel = [](const AxiTraceChannel& a, const AxiTraceChannel& b) {
    return a.name == b.name && a.base == b.base && a.size == b.size;
  };
  return description == o.description && end_ps == o.end_ps && masters.size() == o.masters.size() &&
         std::equal(masters.begin(), masters.end(), o.masters.begin(), same_master) &&
         channels.size() == o.channels.size() &&
         std::equal(channels.begin(), channels.end(), o.channels.begin(), same_channel) && records == o.records;
}

}  // namespace vp
