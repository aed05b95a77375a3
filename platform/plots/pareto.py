"""Pareto front of a sweep: tokens/s (higher is better) against a cost per token (lower is better):
energy per token when the runs report it, else bytes moved per token."""
from typing import List, Optional, Tuple

from figure_files import plt
from pareto_front import front, number as _num  # noqa: F401  (front: re-exported)

COST_COLUMNS = (("energy_per_token_j", "energy per token (J)"),
                ("bytes_per_token", "kernel memory traffic per token (bytes)"))


def cost_column(rows: List[dict], preferred: str = "") -> Tuple[str, str]:
    """The preferred column if given, else the first cost column every successful row has a value for."""
    labels = dict(COST_COLUMNS)
    if preferred:
        return preferred, labels.get(preferred, preferred.replace("_", " "))
    ok = [r for r in rows if r.get("status") == "ok"]
    for key, label in COST_COLUMNS:
        if ok and all(_num(r, key) is not None for r in ok):
            return key, label
    return COST_COLUMNS[-1]


def point_label(row: dict, axes: List[str]) -> str:
    parts = []
    for a in axes:
        v = row.get(a, "")
        if a == "preset":
            v = v.split("/")[-1].replace(".cfg", "")
            parts.append(v)
        else:
            parts.append("%s=%s" % (a.split(".")[-1], v))
    return ", ".join(parts) or "point %s" % row.get("point")


def figure(rows: List[dict], axes: List[str], title: str, cost: str = "") -> Optional[object]:
    cost, cost_label = cost_column(rows, cost)
    ok = [r for r in rows if r.get("status") == "ok" and _num(r, cost) is not None and _num(r, "tokens_per_s")]
    if not ok:
        return None
    best = front(rows, cost)
    fig, ax = plt.subplots(figsize=(8.0, 5.0))
    ax.scatter([_num(r, cost) for r in ok], [_num(r, "tokens_per_s") for r in ok], s=28, color="#9bb7d4",
               label="sweep point (%d)" % len(ok), zorder=2)
    fx, fy = [_num(r, cost) for r in best], [_num(r, "tokens_per_s") for r in best]
    ax.plot(fx, fy, "-o", color="#c0392b", ms=7, lw=1.5, label="Pareto front (%d)" % len(best), zorder=3)
    for r, x, y in zip(best, fx, fy):
        ax.annotate(point_label(r, axes), (x, y), textcoords="offset points", xytext=(6, 4), fontsize=7,
                    color="#7b241c")
    if len({_num(r, cost) for r in ok}) == 1:
        ax.text(0.02, 0.97, "every point has the same %s: the front is the fastest point" % cost_label,
                transform=ax.transAxes, fontsize=8, va="top", color="#555555")
    ax.set_xlabel(cost_label + " - lower is better")
    ax.set_ylabel("tokens/s (kernel) - higher is better")
    ax.set_title(title, fontsize=10)
    ax.grid(True, lw=0.3, alpha=0.5)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig
