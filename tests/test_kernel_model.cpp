// The kernel as the SoC sees it (models/kernel/kernel_model.h): the fast kernel reached only through
// KernelModel&, alone with a host on its control socket (the argument registers it declares hold what
// the host writes at their offsets, nothing lies past them) and inside the SoC (one call record per
// call, AXI beats growing with them). Each test case elaborates and simulates once.
#include "models/kernel/kernel_model.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>

#include "hls/device_layout.h"
#include "models/host/host_cpu.h"
#include "models/kernel/fast_kernel.h"
#include "platform/model_source.h"
#include "platform/sim_config.h"
#include "platform/soc.h"
#include "sw/host_program.h"
#include "sw/random_checkpoint.h"
#include "tests/one_hbm_channel.h"
#include "tests/sc_test_host.h"

namespace vp {
namespace {

// A host on the control socket: 32-bit register accesses, tlm response status kept.
class MmioHost : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<MmioHost> mmio{"mmio"};

  SC_HAS_PROCESS(MmioHost);
  MmioHost(const sc_core::sc_module_name& name, std::function<void(MmioHost&)> body)
      : sc_module(name), body_(std::move(body)) {
    SC_THREAD(run);
  }

  tlm::tlm_response_status access(tlm::tlm_command cmd, uint32_t offset, uint32_t& value) {
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    return test::blocking_transfer(mmio, cmd, offset, &value, 4, delay);
  }

 private:
  void run() { body_(*this); }
  std::function<void(MmioHost&)> body_;
};

// The word a test writes to each register word: distinct per word, so a register read at another's
// offset shows.
uint32_t pattern(uint32_t offset) { return 0xA5000000u | offset; }

TEST(KernelModel, FastKernelDeclaresItsArgumentRegistersAndTheyHoldTheHostsWordsAtTheirOffsets) {
  test::OneHbmChannel memory;
  FastKernelConfig config;
  config.weight_ports = 2;
  FastKernel fast("kernel", config);
  KernelModel& kernel = fast;

  // What the kernel declares: the Llama kernel's arguments at the Vitis HLS offsets.
  const std::vector<KernelArgumentRegister>& regs = kernel.argument_registers();
  ASSERT_EQ(regs.size(), 7u);
  const std::vector<std::string> names{"token", "pos", "key_cache", "value_cache", "logits", "weights0", "weights1"};
  const std::vector<uint32_t> offsets{kernel_args::kToken,  kernel_args::kPos,    kernel_args::kKeyCache,
                                      kernel_args::kValueCache, kernel_args::kLogits, kernel_args::weights(0),
                                      kernel_args::weights(1)};
  for (size_t i = 0; i < regs.size(); ++i) {
    EXPECT_EQ(regs[i].name, names[i]);
    EXPECT_EQ(regs[i].offset, offsets[i]) << regs[i].name;
    EXPECT_EQ(regs[i].width_bits, i < 2 ? 32u : 64u) << regs[i].name;
  }
  ASSERT_EQ(kernel.master_count(), 4u);  // w0, w1, kv, out
  for (size_t p = 0; p < kernel.master_count(); ++p) kernel.master_socket(p).bind(memory.interconnect.masters);
  sc_core::sc_signal<bool> irq("irq");
  kernel.interrupt()(irq);

  std::vector<uint32_t> read_back;
  tlm::tlm_response_status past_last = tlm::TLM_OK_RESPONSE;
  MmioHost host("host", [&](MmioHost& h) {
    for (const KernelArgumentRegister& r : regs)
      for (uint32_t word = 0; word < r.width_bits / 32; ++word) {
        uint32_t value = pattern(r.offset + 4 * word);
        EXPECT_EQ(h.access(tlm::TLM_WRITE_COMMAND, r.offset + 4 * word, value), tlm::TLM_OK_RESPONSE);
      }
    for (const KernelArgumentRegister& r : regs)
      for (uint32_t word = 0; word < r.width_bits / 32; ++word) {
        uint32_t value = 0;
        EXPECT_EQ(h.access(tlm::TLM_READ_COMMAND, r.offset + 4 * word, value), tlm::TLM_OK_RESPONSE);
        read_back.push_back(value);
      }
    uint32_t value = 0;
    past_last = h.access(tlm::TLM_READ_COMMAND, kernel_args::weights(2), value);
  });
  host.mmio.bind(kernel.control_socket());
  sc_core::sc_start();

  std::vector<uint32_t> want;
  for (const KernelArgumentRegister& r : regs)
    for (uint32_t word = 0; word < r.width_bits / 32; ++word) want.push_back(pattern(r.offset + 4 * word));
  EXPECT_EQ(read_back, want);
  EXPECT_EQ(past_last, tlm::TLM_ADDRESS_ERROR_RESPONSE) << "a register past weights1";
  EXPECT_TRUE(kernel.calls().empty());
  EXPECT_EQ(kernel.axi_beats(), 0u);
  EXPECT_EQ(kernel.hang_report().rfind("idle; ", 0), 0u) << kernel.hang_report();
}

// Through Soc::kernel(): each call the host makes adds one record with its token and pos, and moves
// AXI beats; the model behind the interface is the fast kernel (run.mode = fast).
TEST(KernelModel, SocKernelRecordsOneCallPerForwardPass) {
  const char* argv[] = {"test", "--run.model_shape=tiny"};
  const SimConfig config = parse_sim_config(2, argv);
  const Q8Checkpoint model = random_q8_checkpoint(parse_model_shape("tiny"), 64, 1);
  Soc soc("soc", config);
  KernelModel& kernel = soc.kernel();
  EXPECT_EQ(&kernel_as<FastKernel>(kernel), &kernel);
  EXPECT_EQ(kernel.argument_registers().size(), 5u + config.kernel.weight_ports);
  HostProgram host(soc.driver(), model, {config.weight_banks(), config.kv_banks(), config.out_bank()});
  const std::vector<int> tokens{3, 7, 1};
  std::vector<size_t> calls_after;
  std::vector<uint64_t> beats_after;
  HostCpu cpu("host_cpu", [&] {
    host.upload();
    for (size_t pos = 0; pos < tokens.size(); ++pos) {
      host.forward(tokens[pos], int(pos));
      calls_after.push_back(kernel.calls().size());
      beats_after.push_back(kernel.axi_beats());
    }
  });
  sc_core::sc_start();
  ASSERT_TRUE(cpu.finished()) << cpu.error() << soc.kernel_error();
  EXPECT_EQ(calls_after, (std::vector<size_t>{1, 2, 3}));
  ASSERT_EQ(kernel.calls().size(), tokens.size());
  for (size_t pos = 0; pos < tokens.size(); ++pos) {
    EXPECT_EQ(kernel.calls()[pos].token, uint32_t(tokens[pos]));
    EXPECT_EQ(kernel.calls()[pos].pos, pos);
    EXPECT_GT(kernel.calls()[pos].cycles, 0u);
  }
  ASSERT_EQ(beats_after.size(), tokens.size());
  EXPECT_GT(beats_after[0], 0u);
  EXPECT_GT(beats_after[1], beats_after[0]);
  EXPECT_GT(beats_after[2], beats_after[1]);
  EXPECT_EQ(&soc.kernel_calls(), &kernel.calls());
}

}  // namespace
}  // namespace vp
