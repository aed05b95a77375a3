"""Gathers the points' outcomes (stats JSON, log, exit status) into one CSV row per point."""
import csv
import json
import os
from typing import List

from stats_figures import run_figures

FIGURE_COLUMNS = ["tokens", "tokens_per_s", "e2e_tokens_per_s", "cycles_per_token", "bytes_per_token",
                  "achieved_gbps", "peak_gbps", "bandwidth_utilization", "dram_energy_j", "pcie_energy_j",
                  "energy_per_token_j"]


def _error_line(path: str) -> str:
    """The line of a run's log that says what went wrong: vpsim's own message, else its last line."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = [line.strip() for line in f if line.strip()]
    except OSError:
        return ""
    said = [line for line in lines if line.startswith("vpsim:") or "error" in line.lower()]
    return (said or lines or [""])[-1]


def _figure_cells(stats: dict) -> dict:
    f = run_figures(stats)
    gb = lambda v: None if v is None else v / 1e9  # noqa: E731
    cells = {k: f.get(k) for k in FIGURE_COLUMNS if k in f}
    cells["achieved_gbps"] = gb(f["achieved_bytes_per_s"])
    cells["peak_gbps"] = gb(f["peak_bytes_per_s"])
    return cells


def point_row(point: dict, axes: List[str]) -> dict:
    row = {"point": point["index"]}
    row.update({a: point["grid"][a] for a in axes})
    status, stats, error = None, None, ""
    if os.path.exists(point["status"]):
        with open(point["status"], encoding="utf-8") as f:
            status = json.load(f)
    if os.path.exists(point["stats"]):
        try:
            with open(point["stats"], encoding="utf-8") as f:
                stats = json.load(f)
        except (OSError, ValueError) as e:
            error = "unreadable stats %s: %s" % (point["stats"], e)
    if stats is not None:
        row.update(_figure_cells(stats))
        error = error or stats.get("error") or ""
    if status is None:
        error = error or "no result: the point did not run to the end (log: %s)" % point["log"]
    elif status["exit_code"] != 0:
        detail = _error_line(point["log"])
        what = ("killed by signal %d" % -status["exit_code"]) if status["exit_code"] < 0 else \
            "exit %d" % status["exit_code"]
        error = error or "%s: %s" % (what, detail or "see " + point["log"])
    elif stats is None:
        error = error or "no stats JSON written (log: %s)" % point["log"]
    row["status"] = "error" if error else "ok"
    row["error"] = error
    row["stats"] = point["stats"] if stats is not None else ""
    return row


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return "%.10g" % v
    return str(v)


def write_csv(rows: List[dict], axes: List[str], path: str) -> None:
    columns = ["point"] + axes + ["status"] + FIGURE_COLUMNS + ["error", "stats"]
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for r in rows:
            w.writerow([_cell(r.get(c)) for c in columns])
    os.replace(tmp, path)
