"""Figures of merit derived from one `--run.stats` JSON (platform/report.cpp stats_json).

Shared by the sweep CSV and the plots/HTML report so both show the same numbers. Energy sections
beyond the per-channel DRAM and PCIe figures are read defensively: their key names may change, so
they are found by shape (a dict of numbers) and by unit suffix (_pj, _nj, _uj, _mj, _j).
"""
import itertools
import json
from typing import Dict, List, Optional, Tuple

_UNIT_SCALE = (("_pj", 1e-12), ("_nj", 1e-9), ("_uj", 1e-6), ("_mj", 1e-3), ("_j", 1.0))
# Project convention (energy_pj, e_act_pj): energy without a unit suffix is in picojoules.
_DEFAULT_SCALE = 1e-12


def load_stats(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _mean(values: List[float]) -> Optional[float]:
    return sum(values) / len(values) if values else None


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def ops_per_token(model: dict, mean_pos: float) -> Optional[float]:
    """Arithmetic operations of one forward pass (2 per multiply-accumulate): the int8 matmuls plus the
    attention dot products over 0..pos. Element-wise work (norms, RoPE, softmax) is left out: it is
    O(dim) against the O(dim^2) matmuls."""
    try:
        dim, hidden, layers = model["dim"], model["hidden_dim"], model["n_layers"]
        heads, kv_heads, vocab = model["n_heads"], model["n_kv_heads"], model["vocab_size"]
    except (KeyError, TypeError):
        return None
    kv_dim = dim * kv_heads // heads
    matmul_macs = layers * (2 * dim * dim + 2 * dim * kv_dim + 3 * dim * hidden) + dim * vocab
    attention_macs = layers * 2 * dim * (mean_pos + 1)
    return 2.0 * (matmul_macs + attention_macs)


def reported_ops_per_token(stats: dict) -> Optional[float]:
    """Ops per token as the simulator counted them (a per-token dict of *_ops figures, e.g. int8_ops
    = 2 per MAC and fp32_ops), when the stats JSON has one."""
    for key, value in stats.items():
        if key in ("tokens", "channels"):
            continue
        for path, d in _walk(value, (key,)):
            ops = [float(v) for k, v in d.items() if k.lower().endswith("_ops") and _is_number(v)]
            if ops and any("token" in p.lower() for p in path):
                return sum(ops)
    return None


def kernel_channel_indices(stats: dict) -> List[int]:
    """Channels that carried traffic during the kernel calls (the kernel's weights, KV cache, logits)."""
    used = set()
    for t in stats.get("tokens") or []:
        for i, b in enumerate(t.get("channel_bytes") or []):
            if b:
                used.add(i)
    return sorted(used)


def _unit_scale(key: str) -> Optional[float]:
    k = key.lower()
    for suffix, scale in _UNIT_SCALE:
        if k.endswith(suffix):
            return scale
    return None


def _energy_sections(stats: dict) -> List[Tuple[str, dict]]:
    return [(k, v) for k, v in stats.items()
            if isinstance(v, dict) and ("energy" in k.lower() or "power" in k.lower())]


def _walk(node, path: Tuple[str, ...]):
    """Yields (path, dict) for every dict under node, node included."""
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from _walk(v, path + (str(k),))


_NOT_ENERGY_SUFFIXES = ("_mw", "_w", "_s", "_ns", "_us", "_ms", "_seconds", "_bytes", "_count", "_share",
                        "_fraction", "_percent", "_ratio", "_hz", "_mhz")


def _leaf_scale(key: str, path: Tuple[str, ...]) -> Optional[float]:
    """Joules per unit of a numeric leaf, or None when the leaf is not an energy: it needs an energy
    unit suffix itself, or a parent dict whose name has one or says 'energy'."""
    own = _unit_scale(key)
    if own is not None:
        return own
    if key.lower().endswith(_NOT_ENERGY_SUFFIXES) or not path:
        return None
    parent = path[-1]
    if _unit_scale(parent) is not None:
        return _unit_scale(parent)
    return _DEFAULT_SCALE if "energy" in parent.lower() else None


def _strip_unit(key: str) -> str:
    for suffix, _ in _UNIT_SCALE:
        if key.lower().endswith(suffix):
            return key[: -len(suffix)]
    return key


def _without_aggregates(parts: Dict[str, float], total: Optional[float]) -> Dict[str, float]:
    """Drops subtotals listed beside their components ({"mac": 1, "add": 2, "kernel": 3, "total": 3}):
    the fewest entries whose removal makes the rest add up to the total (the largest such entries on a
    tie). Without a total, or when no such set exists, the parts are kept as they are."""
    if total is None:
        return parts
    tol = 1e-9 * max(abs(total), 1e-30)
    whole = sum(parts.values())
    names = list(parts)
    for size in range(0, 4):
        matches = [drop for drop in itertools.combinations(names, size)
                   if abs(whole - sum(parts[n] for n in drop) - total) <= tol]
        if matches:
            drop = max(matches, key=lambda d: sum(parts[n] for n in d))
            return {k: v for k, v in parts.items() if k not in drop}
    return parts


def _breakdown_of(d: dict, path: Tuple[str, ...]) -> Optional[Dict[str, float]]:
    """At least two energy components of one dict, in joules, without its total, its subtotals and any
    per-token figure of another scope; None when the dict is not such a breakdown."""
    parts, total = {}, None
    for k, v in d.items():
        low = k.lower()
        if "token" in low:
            continue
        if isinstance(v, dict):
            # {"dram": {"pj": 1.0}} or {"dram": {"energy_pj": 1.0, "share": 0.4}}: one energy leaf
            sub = [(kk, vv) for kk, vv in v.items() if _is_number(vv) and _unit_scale("_" + kk) is not None]
            if len(sub) == 1 and "total" not in low:
                parts[k] = float(sub[0][1]) * _unit_scale("_" + sub[0][0])
        elif _is_number(v):
            scale = _leaf_scale(k, path)
            if scale is None:
                continue
            if "total" in low:
                total = float(v) * scale
            else:
                parts[_strip_unit(k)] = float(v) * scale
    parts = _without_aggregates(parts, total)
    return parts if len(parts) >= 2 else None


def energy_breakdown(stats: dict) -> Optional[Tuple[Dict[str, float], str]]:
    """(component -> joules, scope) where scope is 'per token' or 'whole run', from the JSON's own
    energy section; None when the JSON has none."""
    candidates = []
    for key, section in _energy_sections(stats):
        for path, d in _walk(section, (key,)):
            parts = _breakdown_of(d, path)
            if parts is None:
                continue
            joined = "/".join(path).lower()
            per_token = "token" in joined
            rank = (0 if per_token else 1, 0 if ("breakdown" in joined or "component" in joined) else 1, len(path))
            candidates.append((rank, parts, "per token" if per_token else "whole run"))
    if not candidates:
        return None
    candidates.sort(key=lambda c: c[0])
    _, parts, scope = candidates[0]
    return parts, scope


def energy_per_token_j(stats: dict) -> Optional[float]:
    """Total energy per token: an explicit per-token total if the JSON has one, else the sum of a
    per-token breakdown, else None."""
    for key, section in _energy_sections(stats):
        for path, d in _walk(section, (key,)):
            for k, v in d.items():
                full = "/".join(path + (k,)).lower()
                scale = _leaf_scale(k, path) if _is_number(v) else None
                if scale is not None and "total" in full and "token" in full:
                    return float(v) * scale
    found = energy_breakdown(stats)
    if found and found[1] == "per token":
        return sum(found[0].values())
    return None


def run_figures(stats: dict) -> Dict[str, Optional[float]]:
    """The per-token figures of one run; None where the run produced no token."""
    tokens = stats.get("tokens") or []
    kernel_s = _mean([float(t["kernel_seconds"]) for t in tokens if "kernel_seconds" in t])
    token_s = _mean([float(t["token_seconds"]) for t in tokens if "token_seconds" in t])
    cycles = _mean([float(t["cycles"]) for t in tokens if "cycles" in t])
    nbytes = _mean([float(t.get("read_bytes", 0)) + float(t.get("write_bytes", 0)) for t in tokens])
    mean_pos = _mean([float(t.get("pos", 0)) for t in tokens]) or 0.0
    channels = stats.get("channels") or []
    peak = sum(float(channels[i].get("peak_bytes_per_s", 0)) for i in kernel_channel_indices(stats)
               if i < len(channels)) or None
    all_peak = sum(float(c.get("peak_bytes_per_s", 0)) for c in channels) or None
    dram_pj = sum(float(c.get("energy_pj", 0)) for c in channels) if channels else None
    pcie_pj = (stats.get("pcie") or {}).get("energy_pj")
    config = stats.get("config") or {}
    ops = (reported_ops_per_token(stats) or ops_per_token(stats.get("model") or {}, mean_pos)) if tokens else None
    compute_roof = None
    if all(_is_number(config.get(k)) for k in ("mac_lanes", "weight_ports", "kernel_clock_mhz")):
        compute_roof = 2.0 * config["mac_lanes"] * config["weight_ports"] * config["kernel_clock_mhz"] * 1e6

    def ratio(a, b):
        return a / b if a is not None and b else None

    achieved = ratio(nbytes, kernel_s)
    return {
        "tokens": float(len(tokens)),
        "tokens_per_s": ratio(1.0, kernel_s),
        "e2e_tokens_per_s": ratio(1.0, token_s),
        "cycles_per_token": cycles,
        "bytes_per_token": nbytes,
        "achieved_bytes_per_s": achieved,
        "peak_bytes_per_s": peak,
        "board_peak_bytes_per_s": all_peak,
        "bandwidth_utilization": ratio(achieved, peak),
        "ops_per_token": ops,
        "achieved_ops_per_s": ratio(ops, kernel_s),
        "compute_roof_ops_per_s": compute_roof,
        "dram_energy_j": dram_pj * 1e-12 if dram_pj is not None else None,
        "pcie_energy_j": float(pcie_pj) * 1e-12 if _is_number(pcie_pj) else None,
        "energy_per_token_j": energy_per_token_j(stats),
    }
