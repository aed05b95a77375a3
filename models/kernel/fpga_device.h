#pragma once
// What an FPGA device offers, for checking that a synthesized kernel (a resource report,
// models/kernel/resource_report.h) fits the board's device (power.fpga_device). The totals are
// those rtl/synth/report_resources.sh prints shares of, from AMD's product tables.
#include <optional>
#include <string>
#include <vector>

#include "models/kernel/resource_report.h"

namespace vp {

struct FpgaDeviceCapacity {
  std::string name;
  double lut = 0;     // CLB LUTs (logic, shift registers and distributed RAM share them)
  double ff = 0;      // CLB flip-flops
  double dsp = 0;     // DSP48E2 slices
  double bram = 0;    // RAMB36E2 blocks
  double uram = 0;    // URAM288 blocks
  std::string source; // the table the figures come from
};

// The devices of the board presets (platform/*.cfg fpga_device); nullopt for another name.
std::optional<FpgaDeviceCapacity> fpga_device_capacity(const std::string& name);

// One resource class the design uses more of than the device has.
struct ResourceOverflow {
  std::string resource;  // "LUT (logic + SRL + LUTRAM)", "FF", "DSP", "BRAM36", "URAM"
  double used = 0, available = 0;
};

// The classes of `design` that exceed `device`; empty when it fits.
std::vector<ResourceOverflow> resource_overflows(const ResourceCounts& design, const FpgaDeviceCapacity& device);

}  // namespace vp
