"""Bandwidth per memory channel over time, from the stats JSON's channel_traffic section (bytes per
channel per fixed time bin from the end of the weights upload; traces/channel_traffic.h spreads each
transaction's bytes over its time in the channel). Up to MAX_LINES channels as lines against their
peak; more as a heat map, one row per channel, coloured by the share of that channel's peak.
Token boundaries (kernel starts) are marked when there are few enough to see."""
from typing import List, Optional, Tuple

from figure_files import plt

MAX_LINES = 8
MAX_TOKEN_MARKS = 64


def series(stats: dict) -> Optional[Tuple[float, float, List[dict]]]:
    """(origin_s, bin_s, channels with bytes per bin), None when the JSON has no usable section."""
    t = stats.get("channel_traffic")
    if not isinstance(t, dict):
        return None
    try:
        origin, width = float(t["origin_s"]), float(t["bin_s"])
    except (KeyError, TypeError, ValueError):
        return None
    channels = [c for c in t.get("channels") or [] if isinstance(c, dict) and c.get("bytes")]
    if width <= 0 or not channels:
        return None
    return origin, width, channels


def _time_unit(span_s: float) -> Tuple[float, str]:
    for factor, unit in ((1.0, "s"), (1e-3, "ms"), (1e-6, "us")):
        if span_s >= 2 * factor:
            return factor, unit
    return 1e-9, "ns"


def figure(stats: dict, title: str) -> Optional[object]:
    found = series(stats)
    if not found:
        return None
    origin, width, channels = found
    bins = max(len(c["bytes"]) for c in channels)
    factor, unit = _time_unit(bins * width)
    starts = [(float(t["kernel_start_s"]) - origin) / factor for t in stats.get("tokens") or []
              if isinstance(t.get("kernel_start_s"), (int, float))]
    names = [str(c.get("name", "channel %s" % c.get("index"))) for c in channels]
    gbps = [[float(b) / width / 1e9 for b in c["bytes"]] for c in channels]
    if len(channels) <= MAX_LINES:
        fig, ax = plt.subplots(figsize=(9.0, 4.4))
        edges = [i * width / factor for i in range(bins + 1)]
        cmap = plt.get_cmap("tab10")
        for i, (name, row) in enumerate(zip(names, gbps)):
            row = row + [0.0] * (bins - len(row))
            ax.stairs(row, edges, color=cmap(i % 10), lw=1.1, label=name)
        peaks = sorted({float(c["peak_bytes_per_s"]) for c in channels if c.get("peak_bytes_per_s")})
        for p in peaks:
            ax.axhline(p / 1e9, color="#555555", lw=0.8, ls="--")
            ax.text(edges[-1], p / 1e9, "peak %.1f GB/s " % (p / 1e9), ha="right", va="bottom", fontsize=7,
                    color="#555555")
        if len(starts) <= MAX_TOKEN_MARKS:
            for s in starts:
                ax.axvline(s, color="#999999", lw=0.5, ls=":")
        ax.set_ylabel("GB/s (bin of %.3g %s)" % (width / factor, unit))
        ax.set_ylim(bottom=0, top=max([max(r) for r in gbps] + [p / 1e9 for p in peaks]) * 1.08 or 1.0)
        ax.grid(True, axis="y", lw=0.3, alpha=0.5)
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    else:
        fig, ax = plt.subplots(figsize=(9.0, 1.6 + 0.22 * len(channels)))
        share = []
        for c, row in zip(channels, gbps):
            peak = float(c.get("peak_bytes_per_s") or 0) / 1e9
            row = row + [0.0] * (bins - len(row))
            share.append([100.0 * v / peak if peak else 0.0 for v in row])
        image = ax.imshow(share, aspect="auto", interpolation="nearest", cmap="viridis", vmin=0, vmax=100,
                          extent=(0, bins * width / factor, len(channels) - 0.5, -0.5))
        ax.set_yticks(range(len(channels)))
        ax.set_yticklabels(names, fontsize=7)
        bar = fig.colorbar(image, ax=ax, pad=0.01)
        bar.set_label("%% of the channel's peak (bin of %.3g %s)" % (width / factor, unit), fontsize=8)
        if len(starts) <= MAX_TOKEN_MARKS:
            for s in starts:
                ax.axvline(s, color="white", lw=0.5, ls=":")
    ax.set_xlim(0, bins * width / factor)
    ax.set_xlabel("time since the end of the weights upload (%s); dotted: a token's kernel start" % unit)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig
