#pragma once
// One declaration per configuration field. A config struct lists its fields once, in a static
// `fields()`: key, member, allowed range (or words), unit, help and where the value comes from. The
// default is the member's initializer (or what the struct's constructor sets), so it too is written
// once. From that list the functions below give
//   - the Boost.Program_options entries (also the INI keys: [section] key = value) with the --help text,
//   - reading a variables_map into the struct,
//   - the range check, with the full key, the value and the allowed range in the error,
//   - the JSON dump of the values (stats JSON).
// Checks that relate several fields (tRC >= tRAS + tRP) stay in the struct's validate(), which calls
// check_config_fields first.
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

namespace vp {

// The values a numeric field accepts: [min, max], or (min, max] with min_exclusive. Real-valued fields
// must in any case be finite.
struct ValueRange {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;

  bool contains(double v) const { return (min_exclusive ? v > min : v >= min) && v <= max; }
  std::string text(bool integer) const {
    auto number = [](double v) {
      std::ostringstream n;
      if (v == std::floor(v) && std::fabs(v) < 1e15) n << static_cast<long long>(v);
      else n << v;
      return n.str();
    };
    std::ostringstream s;
    const bool has_min = std::isfinite(min), has_max = std::isfinite(max);
    if (has_min && has_max && integer) s << number(min) << ".." << number(max);
    else if (has_min && has_max) s << (min_exclusive ? "(" : "[") << number(min) << ", " << number(max) << "]";
    else if (has_min) s << (min_exclusive ? "> " : ">= ") << number(min);
    else if (has_max) s << "<= " << number(max);
    return s.str();
  }
};
inline ValueRange any_value() { return {}; }
inline ValueRange at_least(double min) { return {min, std::numeric_limits<double>::infinity(), false}; }
inline ValueRange above(double min) { return {min, std::numeric_limits<double>::infinity(), true}; }
inline ValueRange between(double min, double max) { return {min, max, false}; }
inline ValueRange above_up_to(double min, double max) { return {min, max, true}; }

// One field of a config struct C, under a section prefix given when it is used ("hbm." + "tRCD").
template <class C>
struct ConfigField {
  std::string key;
  std::string unit;    // "ns", "cycles", "W", ...; empty: none
  std::string help;
  std::string source;  // where the default or the preset values come from; empty: nothing to cite
  std::string allowed;  // the range or the words, as the help and the errors print it; empty: any
  bool optional = false;  // declared without a default; read only where given (see optional_field)
  bool in_dump = true;    // false: where outputs go, not what is simulated (see output_field)
  std::function<void(boost::program_options::options_description&, const std::string& name, const C& defaults,
                     const std::string& help, bool optional)>
      declare;
  std::function<void(const boost::program_options::variable_value&, C&)> read;
  // "" if the value is allowed, else "<value>: expected <allowed>".
  std::function<std::string(const C&)> problem;
  std::function<nlohmann::json(const C&)> dump;
};
template <class C>
using ConfigFields = std::vector<ConfigField<C>>;

namespace config_detail {

template <class T>
constexpr bool is_number = std::is_arithmetic_v<T> && !std::is_same_v<T, bool>;

// "3.2" rather than Boost's "3.2000000000000002" in --help.
template <class T>
std::string shown(const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    return v ? "on" : "off";
  } else {
    std::ostringstream s;
    s << v;
    return s.str();
  }
}

}  // namespace config_detail

// A number, bool or string member. Numbers are checked against `range` (a string or bool has none).
template <class C, class T>
ConfigField<C> field(T C::*member, std::string key, ValueRange range, std::string unit, std::string help,
                     std::string source = "") {
  namespace po = boost::program_options;
  ConfigField<C> f;
  f.key = std::move(key);
  f.unit = std::move(unit);
  f.help = std::move(help);
  f.source = std::move(source);
  if constexpr (config_detail::is_number<T>) f.allowed = range.text(std::is_integral_v<T>);
  f.declare = [member](po::options_description& d, const std::string& name, const C& defaults, const std::string& help,
                       bool optional) {
    auto* value = po::value<T>();
    if (!optional) value->default_value(defaults.*member, config_detail::shown(defaults.*member));
    d.add_options()(name.c_str(), value, help.c_str());
  };
  f.read = [member](const po::variable_value& v, C& c) { c.*member = v.as<T>(); };
  f.problem = [member, range](const C& c) -> std::string {
    if constexpr (config_detail::is_number<T>) {
      const double v = static_cast<double>(c.*member);
      if (std::is_floating_point_v<T> && !std::isfinite(v))
        return config_detail::shown(c.*member) + ": expected a finite number";
      if (!range.contains(v)) return config_detail::shown(c.*member) + ": expected " + range.text(std::is_integral_v<T>);
    }
    return "";
  };
  f.dump = [member](const C& c) { return nlohmann::json(c.*member); };
  return f;
}

// A string member that takes one of `words`.
template <class C>
ConfigField<C> word_field(std::string C::*member, std::string key, std::vector<std::string> words, std::string help,
                          std::string source = "") {
  ConfigField<C> f = field(member, std::move(key), any_value(), "", std::move(help), std::move(source));
  std::string allowed;
  for (const std::string& w : words) allowed += (allowed.empty() ? "" : " | ") + w;
  f.allowed = allowed;
  f.problem = [member, words, allowed](const C& c) -> std::string {
    for (const std::string& w : words)
      if (c.*member == w) return "";
    return c.*member + ": expected " + allowed;
  };
  return f;
}

// An enum member, given in the config as one of the words of `names`.
template <class C, class E>
ConfigField<C> enum_field(E C::*member, std::string key, std::vector<std::pair<std::string, E>> names,
                          std::string help, std::string source = "") {
  namespace po = boost::program_options;
  ConfigField<C> f;
  f.key = std::move(key);
  f.help = std::move(help);
  f.source = std::move(source);
  for (const auto& n : names) f.allowed += (f.allowed.empty() ? "" : " | ") + n.first;
  auto name_of = [names](E value) {
    for (const auto& n : names)
      if (n.second == value) return n.first;
    return std::string("?");
  };
  f.declare = [member, name_of](po::options_description& d, const std::string& name, const C& defaults,
                                const std::string& help, bool optional) {
    auto* value = po::value<std::string>();
    if (!optional) value->default_value(name_of(defaults.*member));
    d.add_options()(name.c_str(), value, help.c_str());
  };
  const std::string allowed = f.allowed;
  f.read = [member, names, allowed](const po::variable_value& v, C& c) {
    const std::string text = v.as<std::string>();
    for (const auto& n : names)
      if (n.first == text) {
        c.*member = n.second;
        return;
      }
    // The key is added by read_config_fields, which knows the section.
    throw std::invalid_argument(text + ": expected " + allowed);
  };
  f.problem = [](const C&) { return std::string(); };
  f.dump = [member, name_of](const C& c) { return nlohmann::json(name_of(c.*member)); };
  return f;
}

// The fields of a member struct S of C, their keys prefixed with `key_prefix` ("cpu_" + "mem_gbs").
template <class C, class S>
ConfigFields<C> nested_fields(S C::*member, const ConfigFields<S>& inner, const std::string& key_prefix = "") {
  namespace po = boost::program_options;
  ConfigFields<C> out;
  for (const ConfigField<S>& s : inner) {
    ConfigField<C> f;
    f.key = key_prefix + s.key;
    f.unit = s.unit;
    f.help = s.help;
    f.source = s.source;
    f.allowed = s.allowed;
    f.optional = s.optional;
    f.in_dump = s.in_dump;
    f.declare = [member, d = s.declare](po::options_description& desc, const std::string& name, const C& defaults,
                                        const std::string& help, bool optional) {
      d(desc, name, defaults.*member, help, optional);
    };
    f.read = [member, r = s.read](const po::variable_value& v, C& c) { r(v, c.*member); };
    f.problem = [member, p = s.problem](const C& c) { return p(c.*member); };
    f.dump = [member, j = s.dump](const C& c) { return j(c.*member); };
    out.push_back(std::move(f));
  }
  return out;
}

// A field given only where the figures exist (no default); the struct's validate says which go together.
template <class C>
ConfigField<C> optional_field(ConfigField<C> f) {
  f.optional = true;
  return f;
}

// A key naming where an output goes, not what is simulated: left out of the JSON dump, so that two runs
// that differ only in it write the same statistics.
template <class C>
ConfigField<C> output_field(ConfigField<C> f) {
  f.in_dump = false;
  return f;
}

template <class C>
ConfigFields<C>& operator+=(ConfigFields<C>& a, const ConfigFields<C>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// The --help line of a field: "help (unit; allowed values; source: ...)".
template <class C>
std::string field_help(const ConfigField<C>& f) {
  std::string notes = f.unit;
  if (!f.allowed.empty()) notes += (notes.empty() ? "" : "; ") + f.allowed;
  if (!f.source.empty()) notes += (notes.empty() ? "source: " : "; source: ") + f.source;
  return notes.empty() ? f.help : f.help + " (" + notes + ")";
}

// Registers every field as prefix + key with the value in `defaults` as its default.
template <class C>
void declare_config_fields(boost::program_options::options_description& desc, const std::string& prefix,
                           const ConfigFields<C>& fields, const C& defaults) {
  for (const ConfigField<C>& f : fields) f.declare(desc, prefix + f.key, defaults, field_help(f), f.optional);
}

// Reads every field registered by declare_config_fields into `c` (no range check: see check_config_fields).
template <class C>
void read_config_fields(const boost::program_options::variables_map& vm, const std::string& prefix,
                        const ConfigFields<C>& fields, C& c) {
  for (const ConfigField<C>& f : fields) {
    const std::string name = prefix + f.key;
    const auto it = vm.find(name);
    const bool given = it != vm.end() && !it->second.empty();
    if (!given && f.optional) continue;
    if (!given)  // a wiring error: declare_config_fields was not called for it
      throw std::invalid_argument("config key " + name + " is missing (its fields were not declared)");
    try {
      f.read(it->second, c);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error("config key " + name + " = " + e.what());
    }
  }
}

// Each field's own range; throws Error("config key <prefix><key> = <value>: expected <range>").
template <class Error = std::runtime_error, class C>
void check_config_fields(const ConfigFields<C>& fields, const C& c, const std::string& prefix) {
  for (const ConfigField<C>& f : fields) {
    const std::string problem = f.problem(c);
    if (!problem.empty()) throw Error("config key " + prefix + f.key + " = " + problem);
  }
}

// {"<prefix><key>": value, ...} added to `out`, output_field keys left out.
template <class C>
void dump_config_fields(nlohmann::json& out, const std::string& prefix, const ConfigFields<C>& fields, const C& c) {
  for (const ConfigField<C>& f : fields)
    if (f.in_dump) out[prefix + f.key] = f.dump(c);
}

// A struct with a static fields() and validate(prefix), read from the options under `prefix` and validated.
template <class C>
C config_from_options(const boost::program_options::variables_map& vm, const std::string& prefix) {
  C c;
  read_config_fields(vm, prefix, C::fields(), c);
  c.validate(prefix);
  return c;
}

}  // namespace vp
