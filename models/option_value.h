#pragma once
// Reads one declared configuration option in a component's from_options. A missing key means the
// component's declare_options was not called on the same options_description: a wiring error that
// names the key rather than Boost's bad_any_cast.
#include <stdexcept>
#include <string>

#include <boost/program_options.hpp>

namespace vp {

template <typename T>
T option_value(const boost::program_options::variables_map& vm, const std::string& key) {
  const auto it = vm.find(key);
  if (it == vm.end() || it->second.empty())
    throw std::runtime_error("configuration option '" + key + "' is missing (declare_options not called?)");
  return it->second.as<T>();
}

}  // namespace vp
