"""Cycles per kernel phase per token as stacked bars: one bar per token (its position on the x axis),
one colour per phase of hls/kernel_phase.h, each the elapsed cycles of that phase summed over the
call's layers (the stats JSON's tokens[].phase_cycles)."""
from typing import Dict, List, Optional

import stacked_bars
from figure_files import plt

# hls/kernel_phase.h, in execution order; a phase the JSON has and this list lacks goes last.
PHASE_ORDER = ("load_descriptor", "embedding", "attn_rmsnorm", "qkv_matmul", "rope_kv_write", "attention",
               "wo_matmul", "ffn_rmsnorm", "w1_w3_matmul", "w2_matmul", "final_rmsnorm", "classifier")
# Matmuls in blues, attention and its KV write in reds, the element-wise phases in greys and greens.
PHASE_COLOURS = {
    "load_descriptor": "#bdbdbd", "embedding": "#8c6d31", "attn_rmsnorm": "#9ecae1", "qkv_matmul": "#3182bd",
    "rope_kv_write": "#fc9272", "attention": "#cb181d", "wo_matmul": "#6baed6", "ffn_rmsnorm": "#a1d99b",
    "w1_w3_matmul": "#08519c", "w2_matmul": "#2171b5", "final_rmsnorm": "#74c476", "classifier": "#756bb1",
}


def phase_table(stats: dict) -> List[Dict[str, float]]:
    """Per token, phase -> elapsed cycles; empty when the JSON predates tokens[].phase_cycles."""
    out = []
    for t in stats.get("tokens") or []:
        p = t.get("phase_cycles")
        if not isinstance(p, dict):
            return []
        out.append({k: float(v) for k, v in p.items() if isinstance(v, (int, float))})
    return out


def ordered_phases(rows: List[Dict[str, float]]) -> List[str]:
    present = {k for r in rows for k, v in r.items() if v > 0}
    return [p for p in PHASE_ORDER if p in present] + sorted(present - set(PHASE_ORDER))


def colour(phase: str, i: int):
    return PHASE_COLOURS.get(phase) or plt.get_cmap("tab10")(i % 10)


def figure(stats: dict, title: str) -> Optional[object]:
    rows = phase_table(stats)
    if not rows:
        return None
    tokens = stats.get("tokens") or []
    xs = [int(t.get("pos", i)) for i, t in enumerate(tokens)]
    phases = ordered_phases(rows)
    fig, ax = plt.subplots(figsize=(8.6, 4.6))
    bottoms = [0.0] * len(rows)
    thin = len(rows) > 48
    for i, phase in enumerate(phases):
        heights = [r.get(phase, 0.0) for r in rows]
        ax.bar(xs, heights, 0.85 if thin else 0.7, bottom=bottoms, label=phase, color=colour(phase, i),
               edgecolor="none" if thin else "white", lw=0.4)
        bottoms = [b + h for b, h in zip(bottoms, heights)]
    ax.set_xlabel("token position (one kernel call each)")
    ax.set_ylabel("kernel cycles (summed over layers)")
    if len(xs) <= 16:
        ax.set_xticks(xs)
    ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 5))
    return stacked_bars.finish(fig, ax, title)
