#pragma once
// The memory side of the single-channel SoC test benches: one U280 HBM2 pseudo-channel ("hbm0")
// behind an AxiInterconnect that maps all of it, as HBM[0], from address 0. A bench derives from
// it (or holds one) and binds its masters to `interconnect.masters`.
#include "models/axi/axi_interconnect.h"
#include "models/dram/dram_channel.h"
#include "models/dram/dram_config.h"
#include "tests/u280_dram_channels.h"

namespace vp::test {

struct OneHbmChannel {
  DramConfig dram_config = u280_hbm_channel();
  DramChannel dram{"hbm0", dram_config};
  AxiInterconnect interconnect{"interconnect", InterconnectConfig{}};

  OneHbmChannel() {
    interconnect.channels.bind(dram.socket);
    interconnect.add_region("HBM[0]", 0, dram_config.capacity_bytes(), 0);
  }
};

}  // namespace vp::test
