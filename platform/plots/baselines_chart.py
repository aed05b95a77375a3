"""The paper's comparison: this run's tokens/s and energy per token beside the CPU and GPU
baselines of the stats JSON (energy.baselines: roofline rows under cpu/gpu, measured rows under
measured). Two panels on log axes; a roofline bar is hatched and labelled as the bound it is (an
upper bound on speed, so a lower bound on energy per token)."""
import math
from typing import List, Optional

from figure_files import plt

ACCELERATOR, MEASURED, ROOFLINE = "#c0392b", "#1f4e79", "#9ecae1"


def rows(stats: dict) -> List[dict]:
    """[{label, kind: accelerator|measured|roofline, tokens_per_s, energy_per_token_j}], accelerator first,
    then by device, measured before roofline; rows without a positive figure are dropped."""
    b = (stats.get("energy") or {}).get("baselines") or {}
    acc = b.get("accelerator") or {}
    board = (stats.get("config") or {}).get("board", "?")
    out = [{"label": "this run (%s card, simulated)" % board, "kind": "accelerator",
            "tokens_per_s": acc.get("tokens_per_s"), "energy_per_token_j": acc.get("energy_per_token_j")}]
    entries = [b[k] for k in ("cpu", "gpu") if isinstance(b.get(k), dict)] + \
        [m for m in b.get("measured") or [] if isinstance(m, dict)]
    for e in entries:
        measured = e.get("kind") == "measured"
        out.append({"label": "%s %s, %s" % (e.get("device", "?"), e.get("name", "?"),
                                            "measured" if measured else "roofline bound"),
                    "device": str(e.get("device")), "kind": "measured" if measured else "roofline",
                    "tokens_per_s": e.get("tokens_per_s"), "energy_per_token_j": e.get("energy_per_token_j")})
    out[1:] = sorted(out[1:], key=lambda r: (r["device"], r["kind"] != "measured"))

    def ok(v):
        return isinstance(v, (int, float)) and v > 0
    return [r for r in out if ok(r["tokens_per_s"]) or ok(r["energy_per_token_j"])]


def _value(v: float) -> str:
    return "{:,.0f}".format(v) if v >= 1000 else "%.3g" % v


def _panel(ax, items: List[dict], key: str, scale: float, xlabel: str) -> None:
    ys = list(range(len(items)))[::-1]
    for y, r in zip(ys, items):
        v = r.get(key)
        if not isinstance(v, (int, float)) or v <= 0:
            continue
        colour = {"accelerator": ACCELERATOR, "measured": MEASURED}.get(r["kind"], ROOFLINE)
        ax.barh(y, v * scale, 0.65, color=colour, hatch="//" if r["kind"] == "roofline" else None,
                edgecolor="#1f4e79" if r["kind"] == "roofline" else "none", lw=0.6)
        ax.text(v * scale * 1.08, y, _value(v * scale), va="center", fontsize=8)
    ax.set_xscale("log")
    ax.set_axisbelow(True)
    ax.set_yticks(ys)
    ax.set_xlabel(xlabel)
    values = [r[key] * scale for r in items if isinstance(r.get(key), (int, float)) and r[key] > 0]
    # Bars start a whole decade below the smallest value, so that no bar is a sliver; room for the labels.
    ax.set_xlim(10.0 ** (math.floor(math.log10(min(values))) - 1), max(values) * 8)
    ax.grid(True, axis="x", which="major", lw=0.4, alpha=0.6)


def figure(stats: dict, title: str) -> Optional[object]:
    items = rows(stats)
    if len(items) < 2:
        return None
    fig, (speed, energy) = plt.subplots(1, 2, figsize=(11.0, 1.4 + 0.5 * len(items)), sharey=True)
    _panel(speed, items, "tokens_per_s", 1.0, "tokens/s (log; higher is better)")
    _panel(energy, items, "energy_per_token_j", 1e3, "mJ per token (log; lower is better)")
    speed.set_yticklabels([r["label"] for r in items], fontsize=8)
    handles = [plt.Rectangle((0, 0), 1, 1, color=ACCELERATOR), plt.Rectangle((0, 0), 1, 1, color=MEASURED),
               plt.Rectangle((0, 0), 1, 1, facecolor=ROOFLINE, hatch="//", edgecolor="#1f4e79")]
    fig.legend(handles, ["this run (card energy, without the host)", "measured baseline",
                         "roofline: upper bound on speed, lower bound on energy"], fontsize=8, loc="lower center",
               ncol=3, frameon=False)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig
