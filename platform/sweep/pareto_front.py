"""Pareto front of sweep rows: points no other point beats on both a value to maximise (tokens/s)
and a cost to minimise (energy or bytes per token). Standard library only, so the sweep's CSV
consumers need no plotting package to find the front."""
from typing import List, Optional


def number(row: dict, key: str) -> Optional[float]:
    try:
        return float(row.get(key, ""))
    except (TypeError, ValueError):
        return None


def front(rows: List[dict], cost: str, value: str = "tokens_per_s") -> List[dict]:
    """The successful rows (status ok) that no other successful row dominates (a lower-or-equal cost
    with a higher-or-equal value, one of them strictly), sorted by cost. Rows with equal cost and
    value are all kept."""
    pts = [(r, number(r, cost), number(r, value)) for r in rows if r.get("status") == "ok"]
    pts = [(r, c, v) for r, c, v in pts if c is not None and v is not None]
    kept = []
    for r, c, v in pts:
        if not any(c2 <= c and v2 >= v and (c2 < c or v2 > v) for _, c2, v2 in pts):
            kept.append((c, -v, r))
    kept.sort(key=lambda t: (t[0], t[1]))
    return [r for _, _, r in kept]
