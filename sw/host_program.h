#pragma once
// The host program of the accelerator, as it runs on the host CPU: builds the device image,
// uploads the weights once, then per token writes token/pos, starts the kernel, waits for its
// interrupt, reads the logits back and samples (llama2.c generate() loop).
#include <cstdint>
#include <functional>
#include <vector>

#include "sw/checkpoint.h"
#include "sw/device_driver.h"
#include "sw/device_image.h"
#include "sw/sampler.h"

namespace vp {

struct HostBufferPlan {
  std::vector<MemoryBank> weight_banks;  // one per kernel weight port
  std::vector<MemoryBank> kv_banks;  // one per kernel KV-cache port
  MemoryBank logits_bank;
};

struct UploadRecord {
  double start_s = 0, end_s = 0;
  uint64_t bytes = 0;
};

struct TokenRecord {
  int pos = 0;
  int token = 0;       // input token at pos
  int next_token = 0;  // prompt token or sampled
  double start_s = 0, kernel_start_s = 0, kernel_end_s = 0, end_s = 0;
  const std::vector<float>* logits = nullptr;
};

class HostProgram {
 public:
  HostProgram(DeviceDriver& driver, const Q8Checkpoint& model, HostBufferPlan plan);
  // Allocates device buffers and uploads the weight image (once).
  UploadRecord upload();
  // One forward pass on the card at (token, pos); the logits are read back into logits().
  TokenRecord forward(int token, int pos);
  const std::vector<float>& logits() const { return logits_; }
  const DeviceImage& image() const { return image_; }

 private:
  DeviceDriver& driver_;
  const Q8Checkpoint& model_;
  HostBufferPlan plan_;
  DeviceImage image_;
  std::vector<DeviceBuffer> weight_buffers_;
  std::vector<DeviceBuffer> key_caches_, value_caches_;  // one each per KV port
  DeviceBuffer logits_buffer_;
  std::vector<float> logits_;
  bool uploaded_ = false;
};

// llama2.c's generation loop: prompt tokens are forced, then tokens are sampled; stops after
// `steps` positions, at seq_len, or when BOS (1) is produced. Returns all tokens fed.
std::vector<int> generate(HostProgram& host, const std::vector<int>& prompt, int steps, Sampler& sampler,
                          const std::function<void(const TokenRecord&)>& on_token);

// The loop of a timing-only run (run.functional = off), whose logits are never computed: the
// prompt's tokens are fed (BOS without a prompt), then the last of them again, for exactly `steps`
// positions. Each call still reads the logits back, so the host's traffic is a real run's.
std::vector<int> feed_without_sampling(HostProgram& host, const std::vector<int>& prompt, int steps,
                                       const std::function<void(const TokenRecord&)>& on_token);

}  // namespace vp
