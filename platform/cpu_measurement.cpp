#include "platform/cpu_measurement.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "sw/golden_model.h"
#include "sw/model_shape.h"

namespace vp {
namespace {

namespace fs = std::filesystem;

// One unsigned decimal number from a sysfs file; throws naming the file and the reason.
uint64_t read_counter(const std::string& path) {
  errno = 0;
  FILE* f = std::fopen(path.c_str(), "r");
  if (!f) {
    const int e = errno;
    std::string why = path + ": " + std::strerror(e);
    if (e == EACCES) why += " (energy_uj is readable by root only since Linux 5.10)";
    throw std::runtime_error(why);
  }
  unsigned long long v = 0;
  const int got = std::fscanf(f, "%llu", &v);
  std::fclose(f);
  if (got != 1) throw std::runtime_error(path + ": not a counter");
  return static_cast<uint64_t>(v);
}

std::string cpu_model_name() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) break;
    std::string name = line.substr(colon + 1);
    name.erase(0, name.find_first_not_of(" \t"));
    return name;
  }
  return "unknown CPU";
}

std::string fmt(double v, const char* format = "%.4g") {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace

RaplMeter::RaplMeter(std::string root) : root_(std::move(root)) {
  std::error_code ec;
  const std::regex package_zone("intel-rapl:[0-9]+");
  std::vector<std::string> found;
  for (fs::directory_iterator it(root_, ec), end; !ec && it != end; it.increment(ec))
    if (std::regex_match(it->path().filename().string(), package_zone)) found.push_back(it->path().string());
  std::sort(found.begin(), found.end());
  if (found.empty()) {
    why_not_ = "no " + root_ + "/intel-rapl:N package zone" + (ec ? " (" + ec.message() + ")" : std::string());
    return;
  }
  zones_ = found;
  for (const std::string& z : zones_) {
    uint64_t max_range = 0;
    try {
      max_range = read_counter(z + "/max_energy_range_uj");
    } catch (const std::exception&) {
      max_range = 0;  // no wrap correction
    }
    max_range_uj_.push_back(max_range);
  }
  try {
    sample();
  } catch (const std::exception& e) {
    why_not_ = e.what();
  }
}

std::vector<uint64_t> RaplMeter::sample() const {
  std::vector<uint64_t> uj;
  for (const std::string& z : zones_) uj.push_back(read_counter(z + "/energy_uj"));
  return uj;
}

double RaplMeter::joules_between(const std::vector<uint64_t>& before, const std::vector<uint64_t>& after) const {
  if (before.size() != zones_.size() || after.size() != zones_.size())
    throw std::invalid_argument("RaplMeter::joules_between: samples do not match the zones under " + root_);
  double uj = 0;
  for (size_t i = 0; i < zones_.size(); ++i) {
    if (after[i] >= before[i]) uj += double(after[i] - before[i]);
    else if (max_range_uj_[i] >= before[i]) uj += double(max_range_uj_[i] - before[i]) + double(after[i]);
    else uj += double(after[i]);  // wrapped, range unknown: at least what it counted since
  }
  return uj * 1e-6;
}

CpuMeasurement measure_cpu(const std::function<void()>& workload, int tokens, const std::string& rapl_root,
                           double configured_power_w, const std::string& configured_power_key) {
  if (tokens <= 0) throw std::invalid_argument("measure_cpu: no token to measure");
  CpuMeasurement m;
  m.cpu_model = cpu_model_name();
  m.tokens = tokens;
  const RaplMeter rapl(rapl_root);
  std::string why_not = rapl.why_not();
  std::vector<uint64_t> before;
  if (why_not.empty()) {
    try {
      before = rapl.sample();
    } catch (const std::exception& e) {
      why_not = e.what();
    }
  }
  const auto start = std::chrono::steady_clock::now();
  workload();
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double joules = 0;
  if (why_not.empty()) {
    try {
      joules = rapl.joules_between(before, rapl.sample());
      if (!(joules > 0)) why_not = "the counters under " + rapl_root + " did not advance over the run";
    } catch (const std::exception& e) {
      why_not = e.what();
    }
  }
  m.tokens_per_s = double(tokens) / std::max(m.seconds, 1e-9);
  if (why_not.empty()) {
    m.energy_measured = true;
    m.power_w = joules / std::max(m.seconds, 1e-9);
    m.energy_per_token_j = joules / double(tokens);
    m.energy_source = "RAPL package energy of " + std::to_string(rapl.zones().size()) + " package(s) under " +
                      rapl_root + " (all activity on the package during the run), mean " + fmt(m.power_w) + " W";
  } else {
    m.energy_measured = false;
    m.power_w = configured_power_w;
    m.energy_per_token_j = configured_power_w / m.tokens_per_s;
    m.energy_source = "RAPL not readable (" + why_not + "): energy from the configured " + configured_power_key +
                      " = " + fmt(configured_power_w) + " W";
  }
  return m;
}

CpuMeasurement measure_golden_q8_cpu(const Q8Checkpoint& weights, const std::vector<std::pair<int, int>>& token_pos,
                                     const std::string& rapl_root, double configured_power_w,
                                     const std::string& configured_power_key) {
  if (token_pos.empty()) throw std::invalid_argument("measure_golden_q8_cpu: no token to measure");
  GoldenQ8Model model(weights);  // allocated before the clock starts
  double sink = 0;
  CpuMeasurement m = measure_cpu(
      [&] {
        for (const auto& [token, pos] : token_pos) sink += double(model.forward(token, pos)[0]);
      },
      int(token_pos.size()), rapl_root, configured_power_w, configured_power_key);
  int lo = token_pos.front().second, hi = lo;
  for (const auto& tp : token_pos) {
    lo = std::min(lo, tp.second);
    hi = std::max(hi, tp.second);
  }
  std::ostringstream w;
  w << "golden Q8_0 model (sw/golden_model), 1 thread, " << to_string(weights.shape) << ", group size "
    << weights.group_size << ", " << token_pos.size() << " tokens at pos " << lo << ".." << hi;
  m.workload = w.str();
  volatile double keep = sink;  // the logits were used: the passes cannot be optimized away
  (void)keep;
  return m;
}

}  // namespace vp
