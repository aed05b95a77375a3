"""Roofline of one run: the kernel's operational intensity (ops per byte it moves) against the ops/s
it achieved, under the memory roof (peak bandwidth of the channels it uses, and of the whole board)
and the compute roof (int8 MACs per cycle x 2 x clock) of the config."""
import textwrap
from typing import Optional

from figure_files import plt


def figure(f: dict, title: str) -> Optional[object]:
    """f: stats_figures.run_figures() of the run. None when the run has no token to place."""
    ops, nbytes = f.get("ops_per_token"), f.get("bytes_per_token")
    achieved, bw, compute = f.get("achieved_ops_per_s"), f.get("peak_bytes_per_s"), f.get("compute_roof_ops_per_s")
    if not (ops and nbytes and achieved and bw and compute):
        return None
    intensity = ops / nbytes
    ridge = compute / bw
    board_bw = f.get("board_peak_bytes_per_s")
    lo = min(intensity, ridge) / 30.0
    hi = max(intensity, ridge) * 30.0
    xs = [lo * (hi / lo) ** (i / 200.0) for i in range(201)]

    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    ax.loglog(xs, [min(bw * x, compute) for x in xs], color="#1f4e79", lw=2.2,
              label="roof: %.1f GB/s (kernel's channels), %.1f Gops/s" % (bw / 1e9, compute / 1e9))
    if board_bw and board_bw > bw * 1.01:
        ax.loglog(xs, [min(board_bw * x, compute) for x in xs], color="#1f4e79", lw=1.2, ls="--",
                  label="roof with all board channels: %.1f GB/s" % (board_bw / 1e9))
    ax.axvline(ridge, color="#999999", lw=0.8, ls=":")
    ax.text(ridge, compute * 1.08, " ridge %.2f ops/B" % ridge, color="#555555", fontsize=8, va="bottom")
    bound = min(bw * intensity, compute)
    ax.loglog([intensity], [achieved], "o", ms=9, color="#c0392b",
              label="this run: %.2f ops/B, %.2f Gops/s (%.0f%% of its roof)" %
                    (intensity, achieved / 1e9, 100.0 * achieved / bound))
    ax.set_xlim(lo, hi)
    ax.set_ylim(min(achieved, bw * lo) / 3.0, compute * 3.0)
    ax.set_xlabel("operational intensity (ops per byte of kernel memory traffic)")
    ax.set_ylabel("ops/s (2 per multiply-accumulate)")
    ax.set_title("\n".join(textwrap.wrap(title, 90)), fontsize=10)
    ax.grid(True, which="both", lw=0.3, alpha=0.5)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig
