// Kernel action counts (hls/kernel_timing_model) and the energy model (models/kernel/power_model).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "hls/kernel_timing_model.h"
#include "models/kernel/power_model.h"
#include "platform/report.h"
#include "platform/sim_config.h"
#include "platform/simulation.h"
#include "sw/device_image.h"
#include "tests/sim_config_args.h"
#include "tests/thrown_message.h"

namespace {

using vp::EnergyComponent;
using vp::KernelActionCounts;
using vp::KernelPhase;

// dim 8, hidden 16, 2 heads of size 4 sharing 1 KV head (kv_dim 4), group size 4, vocab 32.
// Q8 rows of 8 or 16 columns are 8 + 2*4 or 16 + 4*4 bytes, padded to one 64-byte (16-word) stride.
vp::KernelDescriptor tiny_descriptor() {
  // dim, hidden, layers, heads, kv heads, vocab, seq, group size; one weight port and one KV port
  return vp::descriptor_header(8, 16, 1, 2, 1, 32, 8, 4, 1, 1);
}

vp::KernelMicroarch four_lanes() {
  vp::KernelMicroarch m;
  m.mac_lanes = 4;  // int8 vectors of 8 or 16 are read in whole lane words
  m.fp_lanes = 4;
  return m;
}

KernelActionCounts counts(uint64_t macs, uint64_t adds, uint64_t muls, uint64_t exps, uint64_t recips,
                          uint64_t rsqrts, uint64_t reads, uint64_t writes) {
  KernelActionCounts c;
  c.int8_macs = macs;
  c.fp32_adds = adds;
  c.fp32_muls = muls;
  c.exp_ops = exps;
  c.recip_ops = recips;
  c.rsqrt_ops = rsqrts;
  c.buffer_read_words = reads;
  c.buffer_write_words = writes;
  return c;
}

void expect_counts(const KernelActionCounts& got, const KernelActionCounts& want) {
  EXPECT_EQ(got.int8_macs, want.int8_macs);
  EXPECT_EQ(got.fp32_adds, want.fp32_adds);
  EXPECT_EQ(got.fp32_muls, want.fp32_muls);
  EXPECT_EQ(got.exp_ops, want.exp_ops);
  EXPECT_EQ(got.recip_ops, want.recip_ops);
  EXPECT_EQ(got.rsqrt_ops, want.rsqrt_ops);
  EXPECT_EQ(got.buffer_read_words, want.buffer_read_words);
  EXPECT_EQ(got.buffer_write_words, want.buffer_write_words);
}

// Counted by hand from hls/llama_kernel.h and hls/llama_arith.h for the tiny shape.
TEST(ActionCounts, QkvMatmulsOfTinyShapeMatchHandCount) {
  // Wq 8x8, Wk 4x8, Wv 4x8: 16 rows of 8 columns, 2 groups per row.
  // MACs 16*8 = 128; per row 2 groups x (2 mul, 1 add) -> 64 mul, 32 add.
  // Per row: row buffer fill 16 words + 1 result word = 17 writes; reads 2 weight words + 2 xq
  // words + 2 weight scales + 2 activation scales = 8.
  expect_counts(vp::phase_action_counts(KernelPhase::kQkvMatmul, tiny_descriptor(), 0, four_lanes()),
                counts(128, 32, 64, 0, 0, 0, 16 * 8, 16 * 17));
}

TEST(ActionCounts, AttentionOfTinyShapeAtPos2MatchesHandCount) {
  // 3 positions, 2 heads of 4.
  // Scores per position: key row fill 4 + 2 att writes; reads 2 x (4 q + 4 k); per head 4 mul +
  //   1 scale mul, 4 partial adds + 7 tree adds.   x3: writes 18, reads 48, mul 30, add 66.
  // Softmax per head over 3: 2 max compares + 3 subtracts + (3 + 7) sum adds = 15 adds, 3 exp,
  //   1 recip, 3 mul; reads 3 per pass x 4 passes = 12, writes 3 + 3.   x2: add 30, exp 6,
  //   recip 2, mul 6, reads 24, writes 12.
  // Weighted sum: zero fill 8; per position value row fill 4, per head 1 weight read + 4 x
  //   (read v, read xb, write xb, mul, add).   writes 8 + 3 x 12 = 44, reads 3 x 18 = 54,
  //   mul 24, add 24.
  // Quantize 8 in 2 groups: per group 4 max compares + 8 clamp compares + 4 rounding adds,
  //   4 scale mul + 2 per-group mul, 1 recip, 8 reads, 1 word of int8 + 1 scale written.
  //   x2: add 32, mul 12, recip 2, reads 16, writes 4.
  expect_counts(vp::phase_action_counts(KernelPhase::kAttention, tiny_descriptor(), 2, four_lanes()),
                counts(0, 66 + 30 + 24 + 32, 30 + 6 + 24 + 12, 6, 2 + 2, 0, 48 + 24 + 54 + 16, 18 + 12 + 44 + 4));
}

TEST(ActionCounts, RmsnormQuantizeOfTinyShapeMatchesHandCount) {
  // RMSNorm of 8: weight fill 8 writes; 8 x*x mul + 8 partial adds + 7 tree adds; * 1/n mul,
  // + eps add, 1 rsqrt; 8 x (scale*x, weight*..) = 16 mul, 16 reads, 8 writes; sum pass 8 reads.
  // -> mul 25, add 16, rsqrt 1, reads 24, writes 16; plus quantize 8 as in attention.
  expect_counts(vp::phase_action_counts(KernelPhase::kAttnRmsnorm, tiny_descriptor(), 5, four_lanes()),
                counts(0, 16 + 32, 25 + 12, 0, 2, 1, 24 + 16, 16 + 4));
}

TEST(ActionCounts, W13MatmulsAndSwigluOfTinyShapeMatchHandCount) {
  // W1, W3: 2 x 16 rows of 8 columns: MACs 256, mul 128, add 64, reads 2*16*8 = 256, writes 2*16*17 = 544.
  // SwiGLU x16: exp, 1 + e add, recip, 2 mul, reads h1 h3, write h.
  // Quantize 16 in 4 groups: add 64, mul 16 + 8, recip 4, reads 32, writes 4 + 4.
  expect_counts(vp::phase_action_counts(KernelPhase::kW13Matmul, tiny_descriptor(), 0, four_lanes()),
                counts(256, 64 + 16 + 64, 128 + 32 + 24, 16, 16 + 4, 0, 256 + 32 + 32, 544 + 16 + 8));
}

TEST(ActionCounts, MacEngineReadsWholeLaneVectors) {
  // With 64 lanes, each 8-column int8 vector (weights and activations) costs a 64-byte read
  // (16 words): per row 2 x 16 + 4 scale words.
  vp::KernelMicroarch wide = four_lanes();
  wide.mac_lanes = 64;
  EXPECT_EQ(vp::phase_action_counts(KernelPhase::kQkvMatmul, tiny_descriptor(), 0, wide).buffer_read_words,
            16u * 36u);
}

TEST(ActionCounts, MacsOfACallAreTheMatrixEntriesOfTheModel) {
  // A stories110M-shaped call, phases in kernel order.
  vp::KernelDescriptor d = tiny_descriptor();
  d.dim = 768;
  d.hidden_dim = 2048;
  d.n_layers = 12;
  d.n_heads = 12;
  d.n_kv_heads = 12;
  d.vocab_size = 32000;
  d.seq_len = 1024;
  d.group_size = 64;
  vp::KernelCallRecord call;
  call.pos = 17;
  auto add = [&](KernelPhase p, int layer) {
    vp::PhaseRecord r;
    r.phase = p;
    r.layer = layer;
    call.phases.push_back(r);
  };
  add(KernelPhase::kLoadDescriptor, -1);
  add(KernelPhase::kEmbedding, -1);
  for (int l = 0; l < 12; ++l)
    for (KernelPhase p : {KernelPhase::kAttnRmsnorm, KernelPhase::kQkvMatmul, KernelPhase::kRopeKvWrite,
                          KernelPhase::kAttention, KernelPhase::kWoMatmul, KernelPhase::kFfnRmsnorm,
                          KernelPhase::kW13Matmul, KernelPhase::kW2Matmul})
      add(p, l);
  add(KernelPhase::kFinalRmsnorm, -1);
  add(KernelPhase::kClassifier, -1);
  const KernelActionCounts c = vp::call_action_counts(call, d, vp::KernelMicroarch{});
  const uint64_t per_layer = 4ull * 768 * 768 + 3ull * 768 * 2048;  // Wq Wk Wv Wo, W1 W2 W3
  EXPECT_EQ(c.int8_macs, 12 * per_layer + 32000ull * 768);
  // One rsqrt per RMSNorm: two per layer and the final one; 18 positions of exp per head and layer
  // plus one per hidden unit per layer.
  EXPECT_EQ(c.rsqrt_ops, 2u * 12u + 1u);
  EXPECT_EQ(c.exp_ops, 12ull * (12 * 18 + 2048));
}

// ---- energy ------------------------------------------------------------------------------

vp::TokenActivity busy_token() {
  vp::TokenActivity t;
  t.actions = counts(1000000, 30000, 20000, 500, 600, 7, 800000, 400000);
  t.kernel_cycles = 2000000;
  t.axi_beats = 150000;
  t.kernel_s = 0.008;
  t.token_s = 0.009;
  t.dram_dynamic_pj = 3.5e9;
  t.dram_background_w = 1.6;
  t.pcie_pj = 2.0e6;
  return t;
}

double sum_of_components(const vp::EnergyBreakdown& e) {
  double s = 0;
  for (int i = 0; i < vp::kEnergyComponentCount; ++i) s += e[EnergyComponent(i)];
  return s;
}

TEST(EnergyModel, BreakdownSumsToTotal) {
  const vp::EnergyBreakdown e = vp::token_energy(vp::PowerConfig{}, busy_token());
  EXPECT_DOUBLE_EQ(e.total_pj(), sum_of_components(e));
  double dynamic = 0;
  for (int i = 0; i <= int(EnergyComponent::kControl); ++i) dynamic += e[EnergyComponent(i)];
  EXPECT_DOUBLE_EQ(e.kernel_dynamic_pj(), dynamic);
  EXPECT_DOUBLE_EQ(e.card_pj(), e.total_pj() - e[EnergyComponent::kHost]);
  // Without power.resource_report the resource classes are unused (tests/test_resource_power.cpp).
  for (int i = 0; i < vp::kEnergyComponentCount; ++i) {
    if (vp::is_resource_class(EnergyComponent(i))) {
      EXPECT_EQ(e[EnergyComponent(i)], 0.0);
    } else {
      EXPECT_GT(e[EnergyComponent(i)], 0.0) << vp::energy_component_name(EnergyComponent(i));
    }
  }
}

TEST(EnergyModel, ComponentsAreCountsTimesConstants) {
  const vp::PowerConfig c;
  const vp::TokenActivity t = busy_token();
  const vp::EnergyBreakdown e = vp::token_energy(c, t);
  EXPECT_DOUBLE_EQ(e[EnergyComponent::kInt8Mac], 1e6 * c.e_int8_mac_pj);
  EXPECT_DOUBLE_EQ(e[EnergyComponent::kSpecialFunction], 500 * c.e_exp_pj + 600 * c.e_recip_pj + 7 * c.e_rsqrt_pj);
  EXPECT_DOUBLE_EQ(e[EnergyComponent::kAxiBeat], 150000 * c.e_axi_beat_pj);
  EXPECT_DOUBLE_EQ(e[EnergyComponent::kControl], 2e6 * c.e_control_cycle_pj);
  EXPECT_DOUBLE_EQ(e[EnergyComponent::kFpgaStatic], c.fpga_static_w * 0.009 * 1e12);
  EXPECT_DOUBLE_EQ(e[EnergyComponent::kDramDynamic], 3.5e9);
  EXPECT_DOUBLE_EQ(e[EnergyComponent::kDramBackground], 1.6 * 0.009 * 1e12);
  // Host: idle while the kernel runs (8 ms), active for the remaining 1 ms.
  EXPECT_NEAR(e[EnergyComponent::kHost], (c.host_idle_w * 0.008 + c.host_active_w * 0.001) * 1e12, 1.0);
}

TEST(EnergyModel, DoublingAConstantChangesOnlyItsComponent) {
  struct Case {
    double vp::PowerConfig::*field;
    EnergyComponent component;
  };
  const Case cases[] = {{&vp::PowerConfig::e_int8_mac_pj, EnergyComponent::kInt8Mac},
                        {&vp::PowerConfig::e_fp32_add_pj, EnergyComponent::kFp32Add},
                        {&vp::PowerConfig::e_fp32_mul_pj, EnergyComponent::kFp32Mul},
                        {&vp::PowerConfig::e_exp_pj, EnergyComponent::kSpecialFunction},
                        {&vp::PowerConfig::e_recip_pj, EnergyComponent::kSpecialFunction},
                        {&vp::PowerConfig::e_rsqrt_pj, EnergyComponent::kSpecialFunction},
                        {&vp::PowerConfig::e_buffer_read_pj, EnergyComponent::kBufferRead},
                        {&vp::PowerConfig::e_buffer_write_pj, EnergyComponent::kBufferWrite},
                        {&vp::PowerConfig::e_axi_beat_pj, EnergyComponent::kAxiBeat},
                        {&vp::PowerConfig::e_control_cycle_pj, EnergyComponent::kControl},
                        {&vp::PowerConfig::fpga_static_w, EnergyComponent::kFpgaStatic},
                        {&vp::PowerConfig::board_static_w, EnergyComponent::kBoardStatic},
                        {&vp::PowerConfig::host_idle_w, EnergyComponent::kHost},
                        {&vp::PowerConfig::host_active_w, EnergyComponent::kHost}};
  const vp::TokenActivity t = busy_token();
  const vp::PowerConfig base;
  const vp::EnergyBreakdown before = vp::token_energy(base, t);
  for (const Case& k : cases) {
    vp::PowerConfig doubled = base;
    doubled.*k.field *= 2;
    const vp::EnergyBreakdown after = vp::token_energy(doubled, t);
    for (int i = 0; i < vp::kEnergyComponentCount; ++i) {
      const EnergyComponent c = EnergyComponent(i);
      if (c == k.component) EXPECT_GT(after[c], before[c]) << vp::energy_component_name(c);
      else EXPECT_EQ(after[c], before[c]) << vp::energy_component_name(c) << " changed with "
                                          << vp::energy_component_name(k.component);
    }
  }
  // A component fed by one constant doubles exactly.
  vp::PowerConfig doubled = base;
  doubled.e_fp32_mul_pj *= 2;
  EXPECT_DOUBLE_EQ(vp::token_energy(doubled, t)[EnergyComponent::kFp32Mul], 2 * before[EnergyComponent::kFp32Mul]);
}

TEST(EnergyModel, StaticAndBackgroundEnergyScaleWithTime) {
  vp::TokenActivity t = busy_token();
  const vp::EnergyBreakdown one = vp::token_energy(vp::PowerConfig{}, t);
  t.token_s *= 3;
  t.kernel_s *= 3;
  const vp::EnergyBreakdown three = vp::token_energy(vp::PowerConfig{}, t);
  for (EnergyComponent c : {EnergyComponent::kFpgaStatic, EnergyComponent::kBoardStatic,
                            EnergyComponent::kDramBackground, EnergyComponent::kHost})
    EXPECT_NEAR(three[c], 3 * one[c], 1e-6 * three[c]) << vp::energy_component_name(c);
  // Dynamic energy follows the actions, not the time.
  for (EnergyComponent c : {EnergyComponent::kInt8Mac, EnergyComponent::kAxiBeat, EnergyComponent::kControl,
                            EnergyComponent::kDramDynamic, EnergyComponent::kPcie})
    EXPECT_EQ(three[c], one[c]) << vp::energy_component_name(c);
}

using vp::test::config_from;

TEST(EnergyModel, NegativeConstantIsRejectedNamingItsKey) {
  const std::string error = vp::test::thrown_message([] { config_from({"--power.e_axi_beat_pj=-1"}); });
  EXPECT_NE(error.find("power.e_axi_beat_pj"), std::string::npos) << "a negative energy: " << error;
}

// A whole run (tiny random model, VU9P preset, per-action model) gives every token and the totals a breakdown
// whose components are all positive and sum to the total, in the stats JSON.
TEST(EnergyModel, RunReportsPositiveBreakdownThatSumsToTotal) {
  const vp::SimConfig config = config_from({std::string(VP_SOURCE_DIR) + "/platform/vu9p_f1.cfg",
                                            "--run.model_shape=tiny", "--run.steps=3",
                                            "--run.cache_dir=vp_test_cache", "--power.resource_report=none"});
  const vp::RunResult result = vp::run_simulation(config, [](const vp::TokenStats&) {});
  ASSERT_TRUE(result.error.empty()) << result.error;
  ASSERT_EQ(result.tokens.size(), 3u);
  const nlohmann::json j = vp::stats_json(result);
  auto check = [](const nlohmann::json& b, const std::string& where) {
    double sum = 0;
    for (int i = 0; i < vp::kEnergyComponentCount; ++i) {
      const char* name = vp::energy_component_name(EnergyComponent(i));
      if (vp::is_resource_class(EnergyComponent(i))) {  // the resource model did not run: left out
        EXPECT_FALSE(b.contains(name)) << where << " " << name;
        continue;
      }
      ASSERT_TRUE(b.contains(name)) << where << " lacks " << name;
      EXPECT_GT(b[name].get<double>(), 0.0) << where << " " << name;
      sum += b[name].get<double>();
    }
    EXPECT_NEAR(sum, b["total"].get<double>(), 1e-9 * sum) << where;
  };
  double token_totals = 0;
  for (size_t i = 0; i < j["tokens"].size(); ++i) {
    check(j["tokens"][i]["energy_pj"], "token " + std::to_string(i));
    token_totals += j["tokens"][i]["energy_pj"]["total"].get<double>();
  }
  check(j["energy"]["total_pj"], "total");
  check(j["energy"]["per_token_pj"], "per token");
  EXPECT_NEAR(j["energy"]["total_pj"]["total"].get<double>(), token_totals, 1e-9 * token_totals);
  EXPECT_NEAR(j["energy"]["per_token_pj"]["total"].get<double>() * 3, token_totals, 1e-9 * token_totals);
  // The action counts of each token are those of its call's phases.
  for (size_t i = 0; i < result.tokens.size(); ++i) EXPECT_GT(result.tokens[i].actions.int8_macs, 0u);
  EXPECT_GT(j["energy"]["baselines"]["cpu"]["energy_ratio"].get<double>(), 0.0);
  EXPECT_GT(j["energy"]["baselines"]["gpu"]["speed_ratio"].get<double>(), 0.0);
}

}  // namespace
