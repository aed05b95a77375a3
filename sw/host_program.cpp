#include "sw/host_program.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "hls/device_layout.h"

namespace vp {

HostProgram::HostProgram(DeviceDriver& driver, const Q8Checkpoint& model, HostBufferPlan plan)
    : driver_(driver), model_(model), plan_(std::move(plan)) {
  if (plan_.weight_banks.empty()) throw std::invalid_argument("host program: no weight banks planned");
  if (plan_.kv_banks.empty()) throw std::invalid_argument("host program: no KV-cache banks planned");
}

UploadRecord HostProgram::upload() {
  if (uploaded_) throw std::logic_error("host program: weights already uploaded");
  const auto weight_ports = static_cast<uint32_t>(plan_.weight_banks.size());
  image_ = build_device_image(model_, weight_ports, static_cast<uint32_t>(plan_.kv_banks.size()));
  UploadRecord rec;
  rec.start_s = driver_.now_seconds();
  for (size_t p = 0; p < image_.port_buffers.size(); ++p) {
    const std::vector<uint8_t>& bytes = image_.port_buffers[p];
    weight_buffers_.push_back(driver_.allocate(plan_.weight_banks[p], bytes.size()));
    driver_.write(weight_buffers_.back(), 0, bytes.data(), bytes.size());
    rec.bytes += bytes.size();
  }
  for (uint32_t p = 0; p < plan_.kv_banks.size(); ++p) {
    key_caches_.push_back(driver_.allocate(plan_.kv_banks[p], image_.kv_cache_bytes));
    value_caches_.push_back(driver_.allocate(plan_.kv_banks[p], image_.kv_cache_bytes));
    driver_.set_arg64(kernel_args::key_cache(p, weight_ports), key_caches_.back().address);
    driver_.set_arg64(kernel_args::value_cache(p, weight_ports), value_caches_.back().address);
  }
  logits_buffer_ = driver_.allocate(plan_.logits_bank, image_.logits_bytes);
  driver_.set_arg64(kernel_args::kLogits, logits_buffer_.address);
  for (size_t p = 0; p < weight_buffers_.size(); ++p)
    driver_.set_arg64(kernel_args::weights(static_cast<uint32_t>(p)), weight_buffers_[p].address);
  rec.end_s = driver_.now_seconds();
  logits_.assign(model_.shape.vocab_size, 0.0f);
  uploaded_ = true;
  return rec;
}

TokenRecord HostProgram::forward(int token, int pos) {
  if (!uploaded_) throw std::logic_error("host program: forward before upload");
  if (token < 0 || token >= model_.shape.vocab_size)
    throw std::out_of_range("token " + std::to_string(token) + " outside vocab 0.." +
                            std::to_string(model_.shape.vocab_size - 1));
  if (pos < 0 || pos >= model_.shape.seq_len)
    throw std::out_of_range("pos " + std::to_string(pos) + " outside 0.." + std::to_string(model_.shape.seq_len - 1));
  TokenRecord rec;
  rec.pos = pos;
  rec.token = token;
  rec.start_s = driver_.now_seconds();
  driver_.set_arg32(kernel_args::kToken, static_cast<uint32_t>(token));
  driver_.set_arg32(kernel_args::kPos, static_cast<uint32_t>(pos));
  rec.kernel_start_s = driver_.now_seconds();
  driver_.start();
  driver_.wait();
  rec.kernel_end_s = driver_.now_seconds();
  driver_.read(logits_buffer_, 0, logits_.data(), logits_.size() * sizeof(float));
  rec.end_s = driver_.now_seconds();
  rec.logits = &logits_;
  return rec;
}

std::vector<int> feed_without_sampling(HostProgram& host, const std::vector<int>& prompt, int steps,
                                       const std::function<void(const TokenRecord&)>& on_token) {
  constexpr int kBos = 1;
  std::vector<int> fed = prompt.empty() ? std::vector<int>{kBos} : prompt;
  fed.resize(std::max(steps, 0), fed.back());
  for (int pos = 0; pos < steps; ++pos) {
    TokenRecord rec = host.forward(fed[pos], pos);
    rec.next_token = pos + 1 < steps ? fed[pos + 1] : fed[pos];
    on_token(rec);
  }
  return fed;
}

std::vector<int> generate(HostProgram& host, const std::vector<int>& prompt, int steps, Sampler& sampler,
                          const std::function<void(const TokenRecord&)>& on_token) {
  constexpr int kBos = 1;
  std::vector<int> fed;
  int token = prompt.empty() ? kBos : prompt[0];
  for (int pos = 0; pos < steps; ++pos) {
    TokenRecord rec = host.forward(token, pos);
    fed.push_back(token);
    if (pos + 1 < static_cast<int>(prompt.size())) {
      rec.next_token = prompt[pos + 1];
    } else {
      std::vector<float> logits = host.logits();  // the sampler works in place
      rec.next_token = sampler.sample(logits);
    }
    on_token(rec);
    if (rec.next_token == kBos) break;
    token = rec.next_token;
  }
  return fed;
}

}  // namespace vp
