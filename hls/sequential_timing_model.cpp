#include "hls/sequential_timing_model.h"

#include "hls/llama_arith.h"

#include <cmath>
#include <vector>

namespace vp {
namespace {

// Costs of rtl/llama_vector_unit.sv, state by state (see its state list): a call state issues
// from a register (1 cycle), the unit takes its latency, the wait state sees valid and returns.
struct SequentialCost {
  const KernelDescriptor& d;
  const KernelMicroarch& m;

  uint64_t add() const { return m.fadd_latency + 2; }
  uint64_t mul() const { return m.fmul_latency + 2; }
  uint64_t rcp() const { return m.recip_latency + 2; }
  uint64_t rsq() const { return m.rsqrt_latency + 2; }
  uint64_t div() const { return m.div_latency + 2; }
  uint64_t tree() const { return (arith::kReduceLanes - 1) * (add() + 1); }
  // Sequencer issue, unit start, StDone state, sequencer sees done.
  uint64_t command() const { return 4; }

  // FP_LANES: a power of two <= 32 (KernelMicroarch::validate).
  uint64_t lanes() const { return m.fp_lanes; }
  // A sum's tree has min(lanes, 16) leaves: at 32 lanes the partials' add chains take one block
  // of 16 a cycle, not two (rtl/llama_vector_stream.sv).
  uint64_t sum_lanes() const { return lanes() < arith::kSumBlock ? lanes() : arith::kSumBlock; }
  // A pipelined loop (rtl/llama_vector_stream.sv) of `beats` beats: start, one beat a cycle,
  // the reads and the units on the beat's path (each unit: issue register + latency), the
  // done handshake.
  uint64_t stream(uint64_t beats, uint64_t path) const { return beats + 5 + path; }
  uint64_t beats(uint64_t n) const { return ceil_div(n, lanes()); }
  // Sums issue whole blocks of 16 elements (lanes past n are -0.0 leaves).
  uint64_t sum_beats(uint64_t n) const { return ceil_div(n, arith::kSumBlock) * (arith::kSumBlock / sum_lanes()); }
  // A sum's path after its leaves: the tree (log2 sum_lanes levels), the block's combine levels
  // (4 - log2 sum_lanes), the partial sum: five adders, each with its input register. With one
  // lane the leaf register feeds the first combine level, which registers it again.
  uint64_t s_sum() const { return 5 * s_add() + (lanes() == 1 ? 1 : 0); }
  uint64_t s_mul() const { return m.fmul_latency + 1; }
  uint64_t s_add() const { return m.fadd_latency + 1; }
  uint64_t s_exp() const { return m.exp_latency + 1; }
  uint64_t s_div() const { return m.div_latency + 1; }
  uint64_t s_round() const { return m.round_latency + 1; }
  // llama_swiglu_tail: 1 + e, reciprocal, two products (rtl/llama_swiglu_tail.sv).
  uint64_t s_swiglu_tail() const { return 1 + m.fadd_latency + m.recip_latency + 2 * m.fmul_latency; }

  uint64_t dequant(uint64_t n) const { return command() + stream(beats(n), s_mul()); }
  uint64_t rmsnorm(uint64_t n) const {
    return command() + stream(sum_beats(n), s_mul() + s_sum()) + 1 + tree() + mul() + add() + rsq() +
           stream(beats(n), 2 * s_mul());
  }
  // rtl/llama_quantize.sv: beats of min(fp_lanes, gs) words, one a cycle on scratchpad port A;
  // a group's codes (quant beats) once its scale is ready take priority over the maxima (max
  // beats) of the groups after it, at most kSlots groups in flight. A max beat issued at cycle c
  // readies its group's scale (the last beat's) at c + 4 + div; the last quant beat's codes
  // leave at c + 4 + div + round, with the done pulse. Around it: the vector unit's StQuantRun state
  // and the start (3 cycles to the first issue); StDone follows the cycle after the done pulse.
  uint64_t quantize(uint64_t n) const {
    constexpr uint64_t kSlots = 4;
    const uint64_t gs = d.group_size, groups = n / gs;
    const uint64_t lanes = this->lanes();
    const uint64_t beats = gs > lanes ? gs / lanes : 1;
    const uint64_t ready_after = 4 + m.div_latency;
    std::vector<uint64_t> ready(groups, 0);
    uint64_t gm = 0, km = 0, gq = 0, kq = 0, last_issue = 0;
    for (uint64_t c = 0; gq < groups; ++c) {
      if (ready[gq] != 0 && c >= ready[gq]) {
        if (++kq == beats) kq = 0, ++gq;
        last_issue = c;
      } else if (gm < groups && gm - gq < kSlots) {
        if (++km == beats) km = 0, ready[gm++] = c + ready_after;
      }
    }
    return command() + 3 + last_issue + 4 + m.div_latency + m.round_latency;
  }
  // RoPE: beats of min(max(lanes, 2), the largest power of two dividing the head size) elements
  // (a beat's cos/sin words never wrap), both products at once, then the adder.
  uint64_t rope_step(uint64_t hs) const {
    uint64_t step = 1;
    const uint64_t most = lanes() < 2 ? 2 : lanes();
    while (step * 2 <= most && hs % (step * 2) == 0) step *= 2;
    return step;
  }
  uint64_t rope(uint64_t dim, uint64_t kv_dim, uint64_t hs) const {
    const uint64_t step = rope_step(hs);
    return command() + stream(ceil_div(dim, step), s_mul() + s_add()) +
           stream(ceil_div(kv_dim, step), s_mul() + s_add());
  }
  // rtl/llama_attention_unit.sv. Its kv_ports lanes take a group of kv_ports consecutive
  // positions at once (one from each KV port), in lockstep: a group costs what one position did.
  // Scores: q copied into q' (copy_steps) while the cache requests make their round trip (they
  // leave in the copy's first cycle); the first issue waits for both and for the copy's last row to
  // land; then one issue per beat and query group (hs < 16: the beat's 16 / hs dots leave one a
  // cycle), then the multipliers, the block tree, the score tree and the done handshake.
  uint64_t kv_lanes() const { return d.kv_ports > 1 ? d.kv_ports : 1; }
  uint64_t groups(uint64_t positions) const { return ceil_div(positions, kv_lanes()); }
  uint64_t score_issues(uint64_t positions, uint64_t hs, uint64_t kv_dim) const {
    const uint64_t dots_per_issue = hs < 16 ? 16 / hs : 1;
    return groups(positions) * (kv_dim / 16) * kv_mul() * dots_per_issue;
  }
  uint64_t scores_serial(uint64_t positions, uint64_t dim, uint64_t hs, uint64_t kv_dim) const {
    const uint64_t level = hs < 16 ? log2_floor(hs) : 4, dots_per_issue = hs < 16 ? 16 / hs : 1;
    const uint64_t drain = 1 + m.fmul_latency + level * m.fadd_latency + (dots_per_issue - 1) +
                           3 * m.fadd_latency + m.fmul_latency + 3;
    const uint64_t copied = copy_steps(dim, hs) + 1, first_beat = stream_start(groups(positions) * kv_dim);
    return command() + 1 + (copied > first_beat ? copied : first_beat) + drain;
  }
  // The q copy and the xb write-back move a 16-word row a cycle (head_size >= 16: a row of q is a
  // row of q'), else a word a cycle.
  static uint64_t copy_steps(uint64_t dim, uint64_t hs) { return hs < 16 ? dim : dim / 16; }
  // Wsum (xb' is not cleared: position 0 adds to +0): a group's issues (one xb' row each) wait while
  // their row is in the multiply-add pipeline (the multiplier, then one adder per lane in position
  // order), and for the group's weights, which are read a head a cycle (kv_ports words each) into
  // the set the group before last freed; then the pipeline drains and xb' is written back
  // (copy_steps).
  uint64_t wsum_depth() const { return 1 + m.fmul_latency + kv_lanes() * m.fadd_latency; }
  uint64_t wsum_issues(uint64_t positions, uint64_t heads, uint64_t kv_dim) const {
    const uint64_t rows = (kv_dim / 16) * kv_mul();
    uint64_t period = rows > wsum_depth() + 1 ? rows : wsum_depth() + 1;
    const uint64_t weight_bound = ceil_div(rows + heads + 2, 2);
    if (weight_bound > period) period = weight_bound;
    return groups(positions) * period;
  }
  uint64_t wsum_serial(uint64_t positions, uint64_t dim, uint64_t hs, uint64_t kv_dim) const {
    return command() + 1 + stream_start(groups(positions) * kv_dim) + wsum_depth() + 1 + copy_steps(dim, hs) + 1;
  }
  // The request leaves in the first stream cycle; its first beat follows the round trip and
  // the first burst (as a load's).
  uint64_t stream_start(uint64_t words) const { return 4 + m.memory_latency + first_burst_cycles(words); }
  uint64_t kv_mul() const { return d.n_heads / d.n_kv_heads; }
  static uint64_t log2_floor(uint64_t v) {
    uint64_t l = 0;
    while (v > 1) v >>= 1, ++l;
    return l;
  }
  uint64_t softmax(uint64_t heads, uint64_t n) const {
    const uint64_t head = stream(beats(n), 0) + stream(beats(n), s_add() + s_exp()) + stream(sum_beats(n), s_sum()) +
                          1 + tree() + rcp() + stream(beats(n), s_mul()) + 1;
    return command() + heads * head;
  }
  uint64_t residual(uint64_t n) const { return command() + stream(beats(n), s_add()); }
  uint64_t swiglu(uint64_t n) const { return command() + stream(beats(n), s_exp() + s_swiglu_tail()); }

  // Load unit: request through the read master, round trip, one beat per cycle into the
  // scratchpad (the first from word lane `lane`). The SoC's AXI bridge hands a burst's beats on
  // once the memory has served the whole burst (<= 4 KiB), so the first beat waits for the
  // first burst's bytes at the channel's rate too.
  uint64_t first_burst_cycles(uint64_t words) const {
    const uint64_t bytes = words * 4 < 4096 ? words * 4 : 4096;
    return uint64_t(std::ceil(double(bytes) / m.memory_bytes_per_cycle));
  }
  uint64_t load(uint64_t words, uint64_t lane = 0) const {
    return command() + 4 + m.memory_latency + first_burst_cycles(words) + ceil_div(lane + words, 16);
  }
  // Store unit: three cycles a beat (window read, capture, send); the write's response follows
  // the last beat at once (the DRAM controller posts writes: dram write_ack = accepted).
  uint64_t store(uint64_t words, uint64_t first_lane) const {
    const uint64_t beats = ceil_div(first_lane + words, 16);
    return command() + 2 + 3 * beats;
  }

  // Matmul engines (rtl/llama_gemv_array.sv), streaming part: each engine takes the rows of its
  // port (interleaved: ceil(rows / ports) for the busiest); each row passes the MAC stage (beats x
  // chunks), the term multiplier (one group a cycle) and one of the accumulators (one add in
  // flight). The round-robin merge hands out one result a cycle.
  uint64_t row_beats(uint64_t cols) const { return q8_row_stride(uint32_t(cols), d.group_size) / 64; }
  uint64_t engine_rows(uint64_t rows) const { return ceil_div(rows, d.weight_ports); }
  // The MAC pipeline: operand and product registers, then one register per adder-tree level
  // (log2 mac_lanes); a row's group sums are written that many cycles after its last chunk.
  uint64_t mac_stages() const { return 2 + log2_floor(m.mac_lanes); }
  uint64_t matmul_stream(uint64_t rows, uint64_t cols) const {
    const uint64_t mac = row_beats(cols) * ceil_div(64, m.mac_lanes);
    const uint64_t groups = cols / d.group_size;
    const uint64_t accumulate = groups * (m.fadd_latency + 1);
    // A slot is taken at the row's first chunk and free again in the cycle of its last
    // accumulation's write (a 23-cycle slot period for 2-beat rows of one group at 64 lanes:
    // the tiny shape's VCD). The chain takes each term as the term stage makes it, so a row's
    // later groups pass the term stage while its chain runs (as in engine_drain).
    const uint64_t occupancy = mac + mac_stages() + 2 * m.fmul_latency + accumulate + 2;
    const uint64_t row = mac > groups ? mac : groups;
    // The first `accumulators` rows enter a row period apart; row i + accumulators waits for
    // row i's slot, so each later round of rows starts one occupancy (or its rows' periods,
    // if longer) after the one before.
    const uint64_t n = engine_rows(rows), acc = m.accumulators;
    const uint64_t round = occupancy > acc * row ? occupancy : acc * row;
    const uint64_t engine = (n - 1) / acc * round + ((n - 1) % acc + 1) * row;
    return engine > rows ? engine : rows;
  }
  // ... and what follows the stream: the command handshake, the engine's first beat, and the
  // drain after the last beat. With several ports the command is registered once more before
  // the engines. With the weight streams' prefetch (prefetch_beats > 0) the first beats are in the
  // FIFO when the command starts (read in the phase before, or behind the previous matrix): the
  // engine takes one from the FIFO's output stage the cycle after its start. Without it (a
  // what-if), the command's request makes the round trip and waits for the first burst.
  uint64_t matmul_drain(uint64_t rows, uint64_t cols) const {
    const uint64_t command_register = d.weight_ports > 1 ? 1 : 0;
    const uint64_t first_beat = m.prefetch_beats > 0 ? kFifoFirstBeat : memory_wait(rows, cols);
    return command() + command_register + first_beat + engine_drain(cols);
  }
  // After the last beat of a memory-bound stream is served: the bridge's delivery of the last
  // burst, the FIFO (write, read, output stage) and the drain.
  uint64_t matmul_after_memory(uint64_t rows, uint64_t cols) const {
    const uint64_t command_register = d.weight_ports > 1 ? 1 : 0;
    return command() + command_register + memory_wait(rows, cols) + kFifoFirstBeat + engine_drain(cols);
  }
  static constexpr uint64_t kFifoFirstBeat = 2;
  uint64_t memory_wait(uint64_t rows, uint64_t cols) const {
    return m.memory_latency + first_burst_cycles(engine_rows(rows) * row_beats(cols) * 16);
  }
  // The last row after its last chunk: the MAC pipeline, the term multipliers, and its add
  // chain (one add in flight), which takes each term as it comes, so the term stage's groups
  // (the row period) overlap the chain (stories260K's w2, 43 groups a row: the 16-port RTL).
  uint64_t engine_drain(uint64_t cols) const {
    const uint64_t groups = cols / d.group_size;
    return mac_stages() + 2 * m.fmul_latency + groups * (m.fadd_latency + 1) + 2;
  }
};

}  // namespace

PhaseCycles sequential_phase_cycles(KernelPhase phase, const KernelDescriptor& d, uint32_t pos,
                                    const KernelMicroarch& m) {
  const SequentialCost c{d, m};
  const uint64_t dim = d.dim, hidden = d.hidden_dim, heads = d.n_heads;
  const uint64_t hs = d.dim / d.n_heads, kv_dim = hs * d.n_kv_heads;
  const uint64_t positions = uint64_t(pos) + 1;
  PhaseCycles p;
  // With prefetch, a matmul phase's memory is followed only by its last matmul's delivery and
  // drain, and the serial work after it (serial_after_last: p.serial when it ended).
  int64_t last_after_memory = -1;
  uint64_t serial_after_last = 0;
  auto matmul = [&](uint64_t rows, uint64_t cols) {
    p.overlapped += c.matmul_stream(rows, cols);
    p.serial += c.matmul_drain(rows, cols);
    if (m.prefetch_beats > 0) last_after_memory = int64_t(c.matmul_after_memory(rows, cols));
    serial_after_last = p.serial;
  };
  switch (phase) {
    case KernelPhase::kLoadDescriptor: {
      // Descriptor load, the two divisions by repeated subtraction, geometry.
      p.serial = 2 + c.load(64) + (hs + 2) + (d.n_heads / d.n_kv_heads + 2) + 3;
      break;
    }
    case KernelPhase::kEmbedding:
      p.serial = c.load(c.row_beats(dim) * 16) + c.dequant(dim) + c.load(hs, uint64_t(pos) * hs % 16);
      break;
    case KernelPhase::kAttnRmsnorm:
    case KernelPhase::kFfnRmsnorm:
    case KernelPhase::kFinalRmsnorm: p.serial = c.load(dim) + c.rmsnorm(dim) + c.quantize(dim); break;
    case KernelPhase::kQkvMatmul:
      matmul(dim, dim);
      matmul(kv_dim, dim);
      matmul(kv_dim, dim);
      break;
    case KernelPhase::kRopeKvWrite: {
      const uint64_t lane = (uint64_t(kv_row_in_port(pos, c.kv_lanes())) * kv_dim) % 16;  // rows start where the previous ended
      p.serial = c.rope(dim, kv_dim, hs) + 2 * c.store(kv_dim, lane);
      break;
    }
    case KernelPhase::kAttention:
      // The key and value streams overlap their memory traffic; the rest is serial.
      p.overlapped = c.score_issues(positions, hs, kv_dim) + c.wsum_issues(positions, heads, kv_dim);
      p.serial = c.scores_serial(positions, dim, hs, kv_dim) + c.softmax(heads, positions) +
                 c.wsum_serial(positions, dim, hs, kv_dim) + c.quantize(dim);
      break;
    case KernelPhase::kWoMatmul:
      matmul(dim, dim);
      p.serial += c.residual(dim);
      break;
    case KernelPhase::kW13Matmul:
      matmul(hidden, dim);
      matmul(hidden, dim);
      p.serial += c.swiglu(hidden) + c.quantize(hidden);
      break;
    case KernelPhase::kW2Matmul:
      matmul(dim, hidden);
      p.serial += c.residual(dim);
      break;
    case KernelPhase::kClassifier:
      // Logit blocks leave beside the stream; the last block's store follows the drain.
      matmul(d.vocab_size, dim);
      p.serial += c.store(d.vocab_size % 16 == 0 ? 16 : d.vocab_size % 16, 0) + 1;
      break;
  }
  if (last_after_memory >= 0) p.after_memory = last_after_memory + int64_t(p.serial - serial_after_last);
  return p;
}

}  // namespace vp
