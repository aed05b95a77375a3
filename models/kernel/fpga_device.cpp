#include "models/kernel/fpga_device.h"

namespace vp {

std::optional<FpgaDeviceCapacity> fpga_device_capacity(const std::string& name) {
  static const std::vector<FpgaDeviceCapacity> devices = {
      {"XCU280", 1303680, 2607360, 9024, 2016, 960,
       "AMD DS963 (Alveo U280/U50 data sheet), table 1"},
      {"XCU50", 871680, 1743360, 5952, 1344, 640,
       "AMD DS963 (Alveo U280/U50 data sheet), table 1"},
      {"XCVU9P", 1182240, 2364480, 6840, 2160, 960,
       "AMD DS890, Virtex UltraScale+ FPGA Feature Summary"},
  };
  for (const FpgaDeviceCapacity& d : devices)
    if (d.name == name) return d;
  return std::nullopt;
}

std::vector<ResourceOverflow> resource_overflows(const ResourceCounts& design, const FpgaDeviceCapacity& device) {
  const std::vector<ResourceOverflow> classes = {
      {"LUT (logic + SRL + LUTRAM)", design.lut + design.srl + design.lutram, device.lut},
      {"FF", design.ff, device.ff},
      {"DSP", design.dsp, device.dsp},
      {"BRAM36", design.bram, device.bram},
      {"URAM", design.uram, device.uram},
  };
  std::vector<ResourceOverflow> over;
  for (const ResourceOverflow& c : classes)
    if (c.used > c.available) over.push_back(c);
  return over;
}

}  // namespace vp
