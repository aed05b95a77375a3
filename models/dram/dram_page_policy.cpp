#include "models/dram/dram_page_policy.h"

#include <stdexcept>

namespace vp {

std::unique_ptr<DramPagePolicyIF> make_dram_page_policy(const std::string& name, const std::string& key) {
  if (name == "open") return std::make_unique<DramPagePolicyOpen>();
  if (name == "closed") return std::make_unique<DramPagePolicyClosed>();
  throw std::invalid_argument("invalid DRAM config " + key + " = " + name + ": expected open or closed");
}

}  // namespace vp
