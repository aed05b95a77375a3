"""Cycles per token against its position over the run: the whole call and its datapath-only
(compute) cycles on top, with a least-squares line whose slope is the cost of one more position;
below, the phases that grow with the position (attention reads the KV cache of every position so
far, rope_kv_write appends to it), from tokens[].phase_cycles."""
from typing import List, Optional, Tuple

from matplotlib.ticker import MaxNLocator

from figure_files import plt
from phase_bars import colour, phase_table

GROWING_PHASES = ("attention", "rope_kv_write")


def linear_fit(xs: List[float], ys: List[float]) -> Optional[Tuple[float, float]]:
    """(intercept, slope) of the least-squares line, None without two distinct x."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return None
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return my - slope * mx, slope


def figure(stats: dict, title: str) -> Optional[object]:
    tokens = [t for t in stats.get("tokens") or [] if isinstance(t.get("cycles"), (int, float))]
    if not tokens:
        return None
    xs = [float(t.get("pos", i)) for i, t in enumerate(tokens)]
    cycles = [float(t["cycles"]) for t in tokens]
    compute = [float(t.get("compute_cycles") or 0) for t in tokens]
    phases = phase_table(stats)
    growing = [p for p in GROWING_PHASES if any(r.get(p) for r in phases)]
    marker = "o" if len(xs) <= 64 else None
    if growing:
        fig, (ax, low) = plt.subplots(2, 1, figsize=(8.0, 5.6), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    else:
        fig, ax = plt.subplots(figsize=(8.0, 4.2))
        low = None
    ax.plot(xs, cycles, marker=marker, ms=3, lw=1.4, color="#1f4e79", label="kernel call (elapsed)")
    ax.plot(xs, compute, marker=marker, ms=3, lw=1.0, ls="--", color="#2ca02c", label="datapath alone (compute)")
    fit = linear_fit(xs, cycles)
    if fit:
        a, b = fit
        ax.plot([xs[0], xs[-1]], [a + b * xs[0], a + b * xs[-1]], lw=0.8, ls=":", color="#555555",
                label="fit: %.4g + %.4g x position cycles" % (a, b))
    clock = (stats.get("config") or {}).get("kernel_clock_mhz")
    if isinstance(clock, (int, float)) and clock > 0:
        side = ax.secondary_yaxis("right", functions=(lambda c: c / (clock * 1e3), lambda ms: ms * clock * 1e3))
        side.set_ylabel("ms at %g MHz" % clock, fontsize=8)
    ax.set_ylabel("cycles per token")
    ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 5))
    ax.set_title(title, fontsize=10)
    ax.grid(True, lw=0.3, alpha=0.5)
    ax.legend(fontsize=8, loc="lower right")
    if low is not None:
        for i, p in enumerate(growing):
            low.plot(xs, [r.get(p, 0.0) for r in phases], marker=marker, ms=3, lw=1.2, color=colour(p, i),
                     label="%s phase (all layers)" % p)
        low.set_ylabel("cycles")
        low.set_ylim(bottom=0)
        low.ticklabel_format(axis="y", style="sci", scilimits=(-3, 5))
        low.grid(True, lw=0.3, alpha=0.5)
        low.legend(fontsize=8, loc="upper left")
    (low or ax).set_xlabel("token position")
    (low or ax).xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout()
    return fig
