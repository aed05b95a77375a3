"""A self-contained HTML report of a run, and optionally of a sweep:

    ./run_sim.sh report STATS.json [SWEEP.csv] [--out=report.html] [--figures-dir=DIR]

The page embeds its figures as SVG data URIs and needs nothing else (no script, no network); the
same figures are also written as PNG and SVG files into the figures directory (default: beside the
report, REPORT_figures/).
"""
import argparse
import csv
import datetime
import html
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

_here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _here)
sys.path.insert(0, os.path.join(os.path.dirname(_here), "sweep"))
import baselines_chart  # noqa: E402
import channel_bandwidth  # noqa: E402
import energy_bars  # noqa: E402
import figure_files  # noqa: E402
import pareto  # noqa: E402
import phase_bars  # noqa: E402
import roofline  # noqa: E402
import token_cycles  # noqa: E402
from gather import FIGURE_COLUMNS  # noqa: E402
from stats_figures import energy_breakdown, load_stats, run_figures  # noqa: E402

CSS = """
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 0; color: #1b1f23; background: #f6f7f9; }
header { background: #1f4e79; color: white; padding: 18px 32px; }
header h1 { margin: 0 0 4px 0; font-size: 22px; }
header p { margin: 0; opacity: 0.85; font-size: 13px; }
main { padding: 8px 32px 32px 32px; max-width: 1200px; }
section { background: white; border: 1px solid #dde1e6; border-radius: 6px; padding: 12px 18px; margin: 16px 0; }
h2 { font-size: 17px; margin: 4px 0 10px 0; color: #1f4e79; }
table { border-collapse: collapse; font-size: 12.5px; }
th, td { border-bottom: 1px solid #e4e7eb; padding: 3px 10px; text-align: right; white-space: nowrap; }
th { background: #eef2f6; position: sticky; top: 0; }
td.text, th.text { text-align: left; }
tr.pareto td { font-weight: 600; background: #fdf2e9; }
tr.failed td { color: #a4261c; background: #fdecea; }
tr.roofline td { color: #57606a; font-style: italic; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { border: 1px solid #dde1e6; border-radius: 6px; padding: 8px 14px; min-width: 150px; background: #fbfcfd; }
.card .v { font-size: 20px; font-weight: 600; }
.card .k { font-size: 11.5px; color: #57606a; }
.error { background: #fdecea; color: #a4261c; border: 1px solid #f5c2c0; border-radius: 6px; padding: 10px 14px; }
.scroll { overflow: auto; max-height: 480px; }
figure { margin: 6px 0; }
.row { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
.row figure { flex: 1 1 560px; max-width: 760px; }
figure img { max-width: 100%; height: auto; }
figcaption, .note { font-size: 12px; color: #57606a; }
"""


def esc(v) -> str:
    return html.escape(str(v), quote=True)


def num(v, fmt="%.4g", scale=1.0) -> str:
    return "&ndash;" if v is None else esc(fmt % (v * scale))


def table(headers, rows, text_cols=(), row_classes=None) -> str:
    out = ["<table><thead><tr>"]
    out += ['<th class="text">%s</th>' % esc(h) if i in text_cols else "<th>%s</th>" % esc(h)
            for i, h in enumerate(headers)]
    out.append("</tr></thead><tbody>")
    for ri, r in enumerate(rows):
        cls = (row_classes or {}).get(ri)
        out.append('<tr class="%s">' % cls if cls else "<tr>")
        out += ['<td class="text">%s</td>' % c if i in text_cols else "<td>%s</td>" % c for i, c in enumerate(r)]
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def figure_html(fig, name: str, caption: str, figures_dir: str) -> str:
    files = figure_files.save(fig, os.path.join(figures_dir, name))
    uri = figure_files.svg_data_uri(fig)
    figure_files.close(fig)
    return ('<figure id="fig-%s"><img alt="%s" src="%s"><figcaption>%s (files: %s)</figcaption></figure>' %
            (esc(name), esc(caption), uri, esc(caption), esc(", ".join(os.path.basename(f) for f in files))))


def run_title(stats: dict) -> str:
    c, m = stats.get("config") or {}, stats.get("model") or {}
    timing_only = ", timing only (functional: off)" if c.get("functional") == "off" else ""
    return "%s, %s mode%s, %s MHz, %s weight port(s) x %s MAC lanes; model dim %s, %s layers, vocab %s" % (
        c.get("board", "?"), c.get("mode", "?"), timing_only, c.get("kernel_clock_mhz", "?"),
        c.get("weight_ports", "?"), c.get("mac_lanes", "?"), m.get("dim", "?"), m.get("n_layers", "?"),
        m.get("vocab_size", "?"))


def summary_cards(f: dict) -> str:
    cards = [
        ("tokens/s (kernel)", num(f["tokens_per_s"], "%.2f")),
        ("tokens/s end to end", num(f["e2e_tokens_per_s"], "%.2f")),
        ("cycles per token", num(f["cycles_per_token"], "%.0f")),
        ("MB per token", num(f["bytes_per_token"], "%.3f", 1e-6)),
        ("achieved GB/s", num(f["achieved_bytes_per_s"], "%.2f", 1e-9)),
        ("of peak on its channels", num(f["bandwidth_utilization"], "%.1f%%", 100.0)),
        ("energy per token (mJ)", num(f["energy_per_token_j"], "%.4f", 1e3)),
        ("DRAM energy, whole run (mJ)", num(f["dram_energy_j"], "%.4f", 1e3)),
    ]
    return '<div class="cards">%s</div>' % "".join(
        '<div class="card"><div class="v">%s</div><div class="k">%s</div></div>' % (v, esc(k))
        for k, v in cards if v != "&ndash;")


def figures_table(f: dict) -> str:
    rows = [
        ("tokens", num(f["tokens"], "%.0f")),
        ("kernel tokens/s", num(f["tokens_per_s"], "%.3f")),
        ("end-to-end tokens/s (host view)", num(f["e2e_tokens_per_s"], "%.3f")),
        ("kernel cycles per token", num(f["cycles_per_token"], "%.1f")),
        ("kernel memory traffic per token (bytes)", num(f["bytes_per_token"], "%.0f")),
        ("achieved bandwidth (GB/s)", num(f["achieved_bytes_per_s"], "%.3f", 1e-9)),
        ("peak bandwidth of the kernel's channels (GB/s)", num(f["peak_bytes_per_s"], "%.3f", 1e-9)),
        ("peak bandwidth of all board channels (GB/s)", num(f["board_peak_bytes_per_s"], "%.3f", 1e-9)),
        ("ops per token (2 per MAC)", num(f["ops_per_token"], "%.4g")),
        ("achieved Gops/s", num(f["achieved_ops_per_s"], "%.3f", 1e-9)),
        ("compute roof (Gops/s)", num(f["compute_roof_ops_per_s"], "%.3f", 1e-9)),
        ("DRAM energy, whole run incl. upload (mJ)", num(f["dram_energy_j"], "%.5f", 1e3)),
        ("PCIe energy, whole run (mJ)", num(f["pcie_energy_j"], "%.5f", 1e3)),
        ("energy per token (mJ)", num(f["energy_per_token_j"], "%.5f", 1e3)),
    ]
    return table(["figure", "value"], [(esc(k), v) for k, v in rows], text_cols=(0,))


def tokens_table(stats: dict, limit: int = 256) -> str:
    tokens = stats.get("tokens") or []
    # A timing-only run (functional: off) has no token ids to show.
    with_ids = (stats.get("config") or {}).get("functional") != "off"
    rows = []
    for t in tokens[:limit]:
        b = float(t.get("read_bytes", 0)) + float(t.get("write_bytes", 0))
        ks = float(t.get("kernel_seconds", 0))
        ids = (esc(t.get("token")), esc(t.get("next_token"))) if with_ids else ()
        rows.append((esc(t.get("pos")),) + ids + (esc(t.get("cycles")), esc(t.get("compute_cycles")),
                                                  num(ks, "%.4f", 1e3), num(b, "%.3f", 1e-6),
                                                  num(b / ks if ks else None, "%.2f", 1e-9)))
    note = "" if len(tokens) <= limit else '<p class="note">first %d of %d tokens</p>' % (limit, len(tokens))
    headers = ["pos"] + (["token", "next"] if with_ids else []) + ["cycles", "compute cycles", "kernel ms", "MB",
                                                                    "GB/s"]
    return table(headers, rows) + note


def channels_table(stats: dict) -> str:
    rows = []
    for c in stats.get("channels") or []:
        if not (c.get("read_bytes") or c.get("write_bytes")):
            continue
        rows.append((esc(c.get("name")), num(c.get("read_bytes"), "%.3f", 1e-6), num(c.get("write_bytes"), "%.3f", 1e-6),
                     esc(c.get("row_hits")), esc(c.get("row_misses")), esc(c.get("row_conflicts")),
                     esc(c.get("refreshes")), num(c.get("energy_pj"), "%.4f", 1e-9),
                     num(c.get("peak_bytes_per_s"), "%.1f", 1e-9)))
    return table(["channel", "read MB", "written MB", "row hits", "misses", "conflicts", "refreshes", "energy mJ",
                  "peak GB/s"], rows, text_cols=(0,))


def energy_section(stats: dict, f: dict, figures_dir: str) -> str:
    found = energy_breakdown(stats)
    if found:
        parts, scope = found
        note = "From the stats JSON's energy section (%s)." % scope
    else:
        parts, scope = energy_bars.fallback_breakdown(stats), "whole run"
        note = ("The stats JSON has no energy breakdown section: DRAM (per channel, with background power) and "
                "PCIe energy of the whole run, weights upload included.")
    fig = energy_bars.figure([("this run", parts)], "Energy breakdown (%s)" % scope)
    total = sum(parts.values()) or 1.0
    rows = [(esc(k), num(v, "%.5f", 1e3), num(v / total, "%.1f%%", 100.0))
            for k, v in sorted(parts.items(), key=lambda kv: -kv[1])]
    body = figure_html(fig, "energy", "Energy breakdown, %s" % scope, figures_dir) if fig else ""
    return ('<section id="energy"><h2>Energy</h2><p class="note">%s</p>%s%s</section>' %
            (esc(note), body, table(["component", "mJ", "share"], rows, text_cols=(0,))))


def baselines_section(stats: dict, figures_dir: str) -> str:
    """The accelerator beside the CPU and GPU baselines of the stats JSON (energy.baselines): each roofline
    row labelled as the upper bound it is, each measured row with its source and how its energy was
    obtained."""
    b = (stats.get("energy") or {}).get("baselines") or {}
    acc = b.get("accelerator") or {}
    rows = [(esc("accelerator"), esc("this run"), esc((stats.get("config") or {}).get("board", "?") + " card"),
             num(acc.get("tokens_per_s"), "%.2f"), num(acc.get("energy_per_token_j"), "%.4f", 1e3), "&ndash;",
             "&ndash;", "&ndash;", esc("simulated (card energy, without the host)"))]
    classes = {}
    entries = [b[k] for k in ("cpu", "gpu") if isinstance(b.get(k), dict)] + \
        [m for m in b.get("measured") or [] if isinstance(m, dict)]
    entries.sort(key=lambda e: (str(e.get("device")), str(e.get("kind")) != "roofline (upper bound)"))
    for e in entries:
        measured = e.get("kind") == "measured"
        note = ("%s; energy per token [%s]: %s" % (e.get("source", "?"), e.get("energy_basis", "?"),
                                                   e.get("energy_source", "?")) if measured else
                "%s-bound: %.3f ms memory, %.3f ms compute" % (
                    "memory" if e.get("memory_bound") else "compute", 1e3 * float(e.get("memory_s") or 0),
                    1e3 * float(e.get("compute_s") or 0)))
        classes[len(rows)] = "measured" if measured else "roofline"
        rows.append((esc(e.get("device", "?")), esc(e.get("kind", "?")), esc(e.get("name", "?")),
                     num(e.get("tokens_per_s"), "%.2f"), num(e.get("energy_per_token_j"), "%.4f", 1e3),
                     num(e.get("power_w"), "%.4g"), num(e.get("energy_ratio"), "%.2fx"),
                     num(e.get("speed_ratio"), "%.2fx"), esc(note)))
    if len(rows) == 1:
        return ('<section id="baselines"><h2>Baselines</h2><p class="note">The stats JSON has no baselines '
                '(no token completed).</p></section>')
    fig = baselines_chart.figure(stats, "Tokens/s and energy per token: this run beside the CPU and GPU baselines")
    chart = figure_html(fig, "baselines", "This run beside the CPU and GPU baselines, measured and roofline (the "
                        "paper's comparison)", figures_dir) if fig else ""
    return ('<section id="baselines"><h2>Baselines</h2><p class="note">A roofline is an upper bound on a '
            'device&#39;s speed (and a lower bound on its energy per token); measured rows are real runs, with '
            'their source. Energy ratio: baseline / accelerator energy per token; speed ratio: accelerator / '
            'baseline tokens/s.</p>%s<div class="scroll">%s</div></section>' % (chart,
            table(["device", "kind", "name", "tokens/s", "mJ/token", "W", "energy ratio", "speed ratio",
                   "source / bound"], rows, text_cols=(0, 1, 2, 8), row_classes=classes)))


def cycles_section(stats: dict, figures_dir: str) -> str:
    """Where a token's cycles go (phases, stacked per token) and how they grow with the position."""
    figs = []
    fig = phase_bars.figure(stats, "Kernel cycles per token by phase (summed over layers)")
    if fig:
        figs.append(figure_html(fig, "phase_cycles", "Cycles per kernel phase per token", figures_dir))
    fig = token_cycles.figure(stats, "Cycles per token against position")
    if fig:
        figs.append(figure_html(fig, "token_cycles", "Cycles per token against position over the run", figures_dir))
    note = "" if phase_bars.phase_table(stats) else \
        '<p class="note">The stats JSON has no per-token phase cycles (tokens[].phase_cycles): no phase bars.</p>'
    if not figs:
        note = '<p class="note">no token completed: no cycles to show</p>'
    return '<section id="cycles"><h2>Cycles per token</h2>%s<div class="row">%s</div></section>' % (note, "".join(figs))


def bandwidth_section(stats: dict, figures_dir: str) -> str:
    fig = channel_bandwidth.figure(stats, "Bandwidth per memory channel over time")
    if not fig:
        return ('<section id="bandwidth"><h2>Bandwidth per channel over time</h2><p class="note">The stats JSON '
                'has no channel traffic over time (channel_traffic), or no channel carried traffic after the '
                'weights upload.</p></section>')
    t = stats["channel_traffic"]
    note = ("Bytes per channel in %d bins of %.4g us from the end of the weights upload, each transaction's bytes "
            "spread evenly over its time in the channel (so a bin can show more than the peak where requests overlap); "
            "kernel ports and the host's logits read-back alike." %
            (int(t.get("bins") or 0), float(t["bin_s"]) * 1e6))
    return ('<section id="bandwidth"><h2>Bandwidth per channel over time</h2><p class="note">%s</p>%s</section>' %
            (esc(note), figure_html(fig, "channel_bandwidth", "Bandwidth per memory channel over time", figures_dir)))


def read_sweep(path: str):
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        columns = reader.fieldnames or []
    fixed = {"point", "status", "error", "stats"} | set(FIGURE_COLUMNS)
    axes = [c for c in columns if c not in fixed]
    return rows, axes


def sweep_section(csv_path: str, figures_dir: str, pareto_cost: str = "") -> str:
    rows, axes = read_sweep(csv_path)
    failed = [r for r in rows if r.get("status") != "ok"]
    if pareto_cost and rows and pareto_cost not in rows[0]:
        raise ValueError("--pareto-cost=%s is not a column of %s" % (pareto_cost, csv_path))
    cost, _ = pareto.cost_column(rows, pareto_cost)
    best_ids = {r["point"] for r in pareto.front(rows, cost)}
    parts = ['<section id="sweep"><h2>Sweep: %d points, %d failed</h2>' % (len(rows), len(failed))]
    parts.append('<p class="note">%s; Pareto front on tokens/s against %s, its rows in bold.</p>' %
                 (esc(csv_path), esc(cost)))
    fig = pareto.figure(rows, axes, "Sweep Pareto front (%d points)" % len(rows), cost)
    if fig:
        parts.append(figure_html(fig, "pareto", "Pareto front: tokens/s against %s" % cost, figures_dir))
    bars = []
    for r in rows:
        if r.get("status") == "ok" and r.get("stats") and os.path.exists(r["stats"]):
            found = energy_breakdown(load_stats(r["stats"]))
            if found and found[1] == "per token":
                bars.append((str(r["point"]), found[0]))
    if bars and len(bars) <= 64:
        fig = energy_bars.figure(bars, "Energy per token by component, per sweep point (numbers as in the table)")
        parts.append(figure_html(fig, "sweep_energy", "Energy per token by component, per sweep point", figures_dir))
    shown = ["point"] + axes + ["status"] + [c for c in FIGURE_COLUMNS if any(r.get(c) for r in rows)] + ["error"]
    text_cols = {i for i, c in enumerate(shown) if c in axes or c in ("status", "error")}
    classes = {i: ("failed" if r.get("status") != "ok" else "pareto" if r["point"] in best_ids else "")
               for i, r in enumerate(rows)}
    parts.append('<div class="scroll">%s</div></section>' %
                 table(shown, [[esc(r.get(c, "")) for c in shown] for r in rows], text_cols, classes))
    return "".join(parts)


def build_report(stats_path: str, csv_path: str, figures_dir: str, pareto_cost: str = "") -> str:
    stats = load_stats(stats_path)
    f = run_figures(stats)
    title = run_title(stats)
    body = []
    if stats.get("error"):
        body.append('<div class="error" id="run-error">The run stopped with an error: %s</div>' % esc(stats["error"]))
    body.append('<section id="summary"><h2>Summary</h2>%s</section>' % summary_cards(f))
    fig = roofline.figure(f, "Roofline: " + title)
    roof = figure_html(fig, "roofline", "Roofline of the kernel on this config", figures_dir) if fig else \
        '<p class="note">no token completed: nothing to place on a roofline</p>'
    body.append('<section id="roofline"><h2>Roofline and figures per token</h2><div class="row">%s'
                '<div id="figures">%s</div></div></section>' % (roof, figures_table(f)))
    body.append(cycles_section(stats, figures_dir))
    body.append(energy_section(stats, f, figures_dir))
    body.append(baselines_section(stats, figures_dir))
    if csv_path:
        body.append(sweep_section(csv_path, figures_dir, pareto_cost))
    body.append('<section id="tokens"><h2>Tokens</h2><div class="scroll">%s</div></section>' % tokens_table(stats))
    body.append(bandwidth_section(stats, figures_dir))
    body.append('<section id="channels"><h2>Memory channels with traffic (whole run)</h2>%s</section>' %
                channels_table(stats))
    files = (stats.get("config") or {}).get("files") or []
    model = stats.get("model") or {}
    sub = "%s<br>model source: %s; config files: %s; generated %s from %s" % (
        esc(title), esc(model.get("source", "?")), esc(", ".join(files) or "built-in defaults"),
        esc(datetime.date.today().isoformat()), esc(os.path.basename(stats_path)))
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<link rel="icon" href="data:,"><title>vpsim report: %s</title><style>%s</style></head>'
            '<body><header><h1>Virtual platform run report</h1><p>%s</p></header><main>%s</main></body></html>\n' %
            (esc((stats.get("config") or {}).get("board", "run")), CSS, sub, "".join(body)))


def main(argv) -> int:
    p = argparse.ArgumentParser(prog="run_sim.sh report", description=__doc__.split("\n\n")[0])
    p.add_argument("stats", help="a --run.stats JSON")
    p.add_argument("sweep_csv", nargs="?", default="", help="a sweep CSV (./run_sim.sh sweep)")
    p.add_argument("--out", default="report.html")
    p.add_argument("--figures-dir", default=None, help="PNG/SVG files of the figures (default: OUT_figures/)")
    p.add_argument("--pareto-cost", default="", help="sweep CSV column to use as the cost per token of the "
                   "Pareto front (default: energy_per_token_j, or bytes_per_token when the runs have no energy)")
    args = p.parse_args(argv)
    out = os.path.abspath(args.out)
    figures_dir = args.figures_dir or os.path.splitext(out)[0] + "_figures"
    os.makedirs(figures_dir, exist_ok=True)
    try:
        page = build_report(args.stats, args.sweep_csv, figures_dir, args.pareto_cost)
    except (OSError, ValueError, KeyError) as e:
        print("report: cannot build the report from %s%s: %s" %
              (args.stats, " and " + args.sweep_csv if args.sweep_csv else "", e), file=sys.stderr)
        return 1
    tmp = "%s.tmp.%d" % (out, os.getpid())
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(page)
    os.replace(tmp, out)
    print("report: %s (figures in %s)" % (out, figures_dir), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
