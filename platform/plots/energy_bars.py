"""Energy breakdown as stacked bars: one bar per run (a single run, or every point of a sweep),
one colour per component, from the stats JSON's energy section; without one, from the per-channel
DRAM and the PCIe energy every stats JSON has (whole run, weights upload included)."""
from typing import Dict, List, Optional, Tuple

import stacked_bars
from figure_files import plt


def fallback_breakdown(stats: dict) -> Dict[str, float]:
    """Whole-run joules by part from the fields report.cpp always writes."""
    used = set()
    for t in stats.get("tokens") or []:
        used.update(i for i, b in enumerate(t.get("channel_bytes") or []) if b)
    kernel_dram = other_dram = 0.0
    for i, c in enumerate(stats.get("channels") or []):
        e = float(c.get("energy_pj", 0)) * 1e-12
        if i in used:
            kernel_dram += e
        else:
            other_dram += e
    parts = {"DRAM, kernel's channels": kernel_dram, "DRAM, other channels (background, upload)": other_dram}
    pcie = (stats.get("pcie") or {}).get("energy_pj")
    if isinstance(pcie, (int, float)):
        parts["PCIe link"] = float(pcie) * 1e-12
    return parts


def _scale(max_total: float) -> Tuple[float, str]:
    for factor, unit in ((1.0, "J"), (1e-3, "mJ"), (1e-6, "uJ"), (1e-9, "nJ")):
        if max_total >= factor:
            return factor, unit
    return 1e-12, "pJ"


def figure(bars: List[Tuple[str, Dict[str, float]]], title: str) -> Optional[object]:
    """bars: (label, component -> joules)."""
    bars = [(label, parts) for label, parts in bars if parts]
    if not bars:
        return None
    # Largest components at the bottom of each stack.
    size: Dict[str, float] = {}
    for _, parts in bars:
        for c, v in parts.items():
            size[c] = size.get(c, 0.0) + v
    components = sorted(size, key=lambda c: -size[c])
    factor, unit = _scale(max(sum(p.values()) for _, p in bars))
    legend_in = 0.9 + 0.065 * max(len(c) for c in components)  # room for the legend beside the bars
    width = min(16.0, 1.4 + max(2.6, 0.45 * len(bars)) + legend_in)
    fig, ax = plt.subplots(figsize=(width, 4.6))
    cmap = plt.get_cmap("tab20" if len(components) > 10 else "tab10")
    bottoms = [0.0] * len(bars)
    xs = list(range(len(bars)))
    for ci, comp in enumerate(components):
        heights = [parts.get(comp, 0.0) / factor for _, parts in bars]
        ax.bar(xs, heights, 0.6, bottom=bottoms, label=comp, color=cmap(ci % cmap.N), edgecolor="white", lw=0.5)
        bottoms = [b + h for b, h in zip(bottoms, heights)]
    ax.set_xlim(-0.8, len(bars) - 0.2)
    ax.set_xticks(xs)
    turn = len(bars) > 3 and max(len(label) for label, _ in bars) > 4
    ax.set_xticklabels([label for label, _ in bars], rotation=60 if turn else 0, ha="right" if turn else "center",
                       fontsize=8)
    ax.set_ylabel("energy (%s)" % unit)
    return stacked_bars.finish(fig, ax, title)
