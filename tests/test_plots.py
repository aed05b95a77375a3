"""Plots (roofline, energy breakdown, Pareto front) and the self-contained HTML report, built from
real simulator output. Needs matplotlib (python3-matplotlib); skips without it."""
import base64
import importlib.util
import csv
import json
import os
import re
import unittest
import xml.etree.ElementTree as ET

import script_test_support as support

HAVE_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None

DATA_URI = re.compile(r'<img alt="[^"]*" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


@unittest.skipUnless(HAVE_MATPLOTLIB, "matplotlib missing: apt-get install python3-matplotlib")
class HtmlReport(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = support.fresh_dir("plots")
        cls.stats, cls.csv = support.make_run_and_sweep(cls.dir)

    def report(self, name, *inputs):
        out = os.path.join(self.dir, name + ".html")
        r = support.run_report(list(inputs) + ["--out=" + out], cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stdout)
        return read(out), os.path.join(self.dir, name + "_figures")

    def edited_stats(self, name, edit):
        """The run's stats JSON as edit(stats) leaves it, written as NAME.json; returns its path."""
        with open(self.stats, encoding="utf-8") as f:
            stats = json.load(f)
        edit(stats)
        path = os.path.join(self.dir, name + ".json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(stats, f)
        return path

    def test_report_embeds_its_figures_writes_them_as_png_and_svg_and_needs_nothing_else(self):
        page, figures = self.report("full", self.stats, self.csv)
        for section in ("summary", "roofline", "figures", "energy", "baselines", "sweep", "tokens", "channels"):
            self.assertIn('id="%s"' % section, page)
        embedded = DATA_URI.findall(page)
        self.assertGreaterEqual(len(embedded), 3)  # roofline, energy, Pareto (+ per-point energy when reported)
        for b64 in embedded:
            root = ET.fromstring(base64.b64decode(b64))
            self.assertTrue(root.tag.endswith("svg"))
        for name in ("roofline", "energy", "pareto"):
            width, height = support.png_size(os.path.join(figures, name + ".png"))
            self.assertGreater(width, 300)
            self.assertGreater(height, 200)
            self.assertTrue(ET.parse(os.path.join(figures, name + ".svg")).getroot().tag.endswith("svg"))
        # Self-contained: nothing referenced outside the page, no script.
        refs = re.findall(r'(?:src|href)="([^"]*)"', page)
        self.assertTrue(refs)
        self.assertEqual([r for r in refs if not r.startswith("data:")], [])
        self.assertNotIn("<script", page)

    def test_report_shows_phase_cycles_cycles_by_position_bandwidth_and_baseline_pictures(self):
        page, figures = self.report("pictures", self.stats)
        for section, names in (("cycles", ("phase_cycles", "token_cycles")), ("baselines", ("baselines",)),
                               ("bandwidth", ("channel_bandwidth",))):
            start = page.index('<section id="%s"' % section)
            body = page[start:page.index("</section>", start)]
            for name in names:
                self.assertRegex(body, r'<figure id="fig-%s"><img alt="[^"]*" src="data:image/svg\+xml;base64,' % name)
                width, height = support.png_size(os.path.join(figures, name + ".png"))
                self.assertGreater(width, 300)
                self.assertGreater(height, 200)
                self.assertTrue(ET.parse(os.path.join(figures, name + ".svg")).getroot().tag.endswith("svg"))

    def test_report_of_a_json_without_phase_cycles_or_channel_traffic_says_so(self):
        def older(stats):
            del stats["channel_traffic"]
            for t in stats["tokens"]:
                del t["phase_cycles"]
        page, _ = self.report("older", self.edited_stats("older", older))
        self.assertIn("no per-token phase cycles", page)
        self.assertIn("no channel traffic over time", page)
        self.assertIn('id="fig-token_cycles"', page)  # from the tokens' cycles alone
        self.assertNotIn('id="fig-phase_cycles"', page)
        self.assertNotIn('id="fig-channel_bandwidth"', page)

    def test_sweep_table_marks_failed_points_and_the_pareto_front(self):
        path = os.path.join(self.dir, "hand.csv")
        rows = [  # point 1 beats point 2 (faster, fewer bytes); point 3 failed
            ["0", "a", "ok", "100", "5000", ""],
            ["1", "b", "ok", "300", "6000", ""],
            ["2", "c", "ok", "200", "7000", ""],
            ["3", "d", "error", "", "", "exit 2: vpsim: bad value"],
        ]
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["point", "kernel.mac_lanes", "status", "tokens_per_s", "bytes_per_token", "error"])
            w.writerows(rows)
        page, _ = self.report("hand", self.stats, path)
        self.assertEqual(page.count('<tr class="failed">'), 1)
        self.assertEqual(page.count('<tr class="pareto">'), 2)  # points 0 and 1
        self.assertIn("exit 2: vpsim: bad value", page)
        self.assertIn("Sweep: 4 points, 1 failed", page)

    def test_energy_section_shows_the_components_of_the_json(self):
        def with_energy(stats):
            stats["energy"] = {"per_token_pj": {"int8_mac": 2.0e6, "dram_dynamic": 6.0e6, "fpga_static": 2.0e6,
                                                "total": 10.0e6}}
        page, _ = self.report("energy", self.edited_stats("with_energy", with_energy))
        section = page[page.index('id="energy"'):page.index('id="tokens"')]
        self.assertIn("per token", section)
        for name, mj, share in (("int8_mac", "0.00200", "20.0%"), ("dram_dynamic", "0.00600", "60.0%"),
                                ("fpga_static", "0.00200", "20.0%")):
            self.assertRegex(section, r"<td class=\"text\">%s</td><td>%s</td><td>%s</td>" % (name, mj, share))
        self.assertNotIn(">total<", section)

    def test_baselines_section_shows_measured_and_roofline_rows(self):
        page, _ = self.report("baselines", self.stats)
        section = page[page.index('id="baselines"'):page.index('id="tokens"')]
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", section)
        kinds = [(re.findall(r"<td[^>]*>(.*?)</td>", r) or ["", ""])[:2] for r in rows]
        # The u280 preset: both devices as a roofline bound, and the repository's measured GPU.
        self.assertIn(["CPU", "roofline (upper bound)"], kinds)
        self.assertIn(["GPU", "roofline (upper bound)"], kinds)
        self.assertIn(["GPU", "measured"], kinds)
        gpu = [r for r in rows if "<td class=\"text\">measured</td>" in r and ">GPU<" in r][0]
        self.assertIn("<td>107.00</td>", gpu)
        self.assertIn("<td>%.4f</td>" % (129.5 / 107.0 * 1e3), gpu)  # energy per token = power / tokens/s, mJ
        self.assertIn("log_256.txt", gpu)
        self.assertIn("emissions.csv", gpu)

    def test_report_of_a_failed_run_shows_its_error(self):
        def failed(stats):
            stats["tokens"] = []
            stats["error"] = "kernel hung at pos 0"
        page, _ = self.report("failed", self.edited_stats("failed", failed))
        self.assertIn('id="run-error"', page)
        self.assertIn("kernel hung at pos 0", page)
        self.assertIn("nothing to place on a roofline", page)

    def test_unreadable_input_fails_with_its_name(self):
        r = support.run_report([os.path.join(self.dir, "no_such.json"), "--out=" + os.path.join(self.dir, "x.html")],
                               cwd=self.dir)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("no_such.json", r.stdout)


@unittest.skipUnless(HAVE_MATPLOTLIB, "matplotlib missing: apt-get install python3-matplotlib")
class ArchitectPictures(unittest.TestCase):
    """What each picture draws is the stats JSON's numbers: stacks add up to the token's cycles, the
    bandwidth line carries every byte of the series, the baseline bars are the rows' figures."""

    @classmethod
    def setUpClass(cls):
        cls.dir = support.fresh_dir("pictures")
        stats = os.path.join(cls.dir, "run.json")
        r = support.run_vpsim([os.path.join(support.REPO, "platform", "u280.cfg"), "--run.model_shape=tiny",
                               "--run.steps=5", "--kernel.weight_ports=4", "--run.stats=" + stats], cwd=cls.dir)
        if r.returncode != 0:
            raise AssertionError("vpsim failed:\n" + r.stdout)
        with open(stats, encoding="utf-8") as f:
            cls.stats = json.load(f)

    def tearDown(self):
        import figure_files
        figure_files.plt.close("all")

    def test_stats_json_has_the_phase_cycles_of_every_token_and_the_channel_traffic(self):
        for t in self.stats["tokens"]:
            phases = t["phase_cycles"]
            self.assertIn("attention", phases)
            self.assertAlmostEqual(sum(phases.values()), t["cycles"], delta=len(phases))
        traffic = self.stats["channel_traffic"]
        self.assertGreater(traffic["bin_s"], 0)
        self.assertLessEqual(traffic["bins"], 1024)
        for c in traffic["channels"]:
            token_bytes = sum(t["channel_bytes"][c["index"]] for t in self.stats["tokens"])
            self.assertAlmostEqual(sum(c["bytes"]), token_bytes, delta=len(c["bytes"]))

    def test_phase_bars_stack_to_each_tokens_cycles_in_execution_order(self):
        import phase_bars
        fig = phase_bars.figure(self.stats, "t")
        ax = fig.axes[0]
        tops = {}
        for bar in ax.patches:
            x = round(bar.get_x() + bar.get_width() / 2)
            tops[x] = max(tops.get(x, 0.0), bar.get_y() + bar.get_height())
        for t in self.stats["tokens"]:
            self.assertAlmostEqual(tops[t["pos"]], sum(t["phase_cycles"].values()), places=6)
        labels = [text.get_text() for text in ax.get_legend().get_texts()][::-1]  # legend reads top first
        self.assertEqual(labels, [p for p in phase_bars.PHASE_ORDER if p in labels])
        self.assertLess(labels.index("qkv_matmul"), labels.index("attention"))

    def test_cycles_by_position_fit_recovers_a_known_slope_and_shows_attention(self):
        import token_cycles
        intercept, slope = token_cycles.linear_fit([0, 1, 2, 3], [100, 130, 160, 190])
        self.assertAlmostEqual(intercept, 100.0)
        self.assertAlmostEqual(slope, 30.0)
        self.assertIsNone(token_cycles.linear_fit([4, 4], [1, 2]))
        fig = token_cycles.figure(self.stats, "t")
        top, low = fig.axes[0], fig.axes[-1]
        self.assertEqual(list(top.lines[0].get_ydata()), [float(t["cycles"]) for t in self.stats["tokens"]])
        attention = [l for l in low.lines if l.get_label().startswith("attention")][0]
        self.assertEqual(list(attention.get_ydata()), [float(t["phase_cycles"]["attention"])
                                                       for t in self.stats["tokens"]])

    def test_bandwidth_lines_carry_every_byte_of_the_series(self):
        import channel_bandwidth
        fig = channel_bandwidth.figure(self.stats, "t")
        ax = fig.axes[0]
        traffic = self.stats["channel_traffic"]
        steps = {s.get_label(): s for s in ax.patches if s.get_label() and not s.get_label().startswith("_")}
        self.assertEqual(sorted(steps), sorted(c["name"] for c in traffic["channels"]))
        for c in traffic["channels"]:
            values = steps[c["name"]].get_data().values
            self.assertAlmostEqual(sum(values) * 1e9 * traffic["bin_s"], sum(c["bytes"]), delta=1e-6 * sum(c["bytes"]))

    def test_many_channels_are_drawn_as_a_heat_map_of_their_peak_share(self):
        import channel_bandwidth
        stats = {"tokens": [], "channel_traffic": {"origin_s": 0.0, "bin_s": 1e-6, "bins": 4, "channels": [
            {"index": i, "name": "HBM[%d]" % i, "peak_bytes_per_s": 1e10, "bytes": [0, 10000 * i, 5000, 0]}
            for i in range(12)]}}
        fig = channel_bandwidth.figure(stats, "t")
        image = fig.axes[0].get_images()[0].get_array()
        self.assertEqual(image.shape, (12, 4))
        self.assertAlmostEqual(float(image[3][1]), 100.0 * 3 * 10000 / 1e-6 / 1e10)  # % of the peak
        self.assertIsNone(channel_bandwidth.figure({"channel_traffic": {"origin_s": 0, "bin_s": 1e-6,
                                                                        "channels": []}}, "t"))

    def test_baseline_bars_are_the_runs_and_the_baselines_figures(self):
        import baselines_chart
        rows = baselines_chart.rows(self.stats)
        self.assertEqual(rows[0]["kind"], "accelerator")
        kinds = {(r.get("device"), r["kind"]) for r in rows[1:]}
        self.assertTrue({("CPU", "roofline"), ("GPU", "roofline"), ("GPU", "measured")} <= kinds)
        fig = baselines_chart.figure(self.stats, "t")
        speed, energy = fig.axes[0], fig.axes[1]
        self.assertEqual(sorted(round(p.get_width(), 6) for p in speed.patches),
                         sorted(round(r["tokens_per_s"], 6) for r in rows))
        self.assertEqual(sorted(round(p.get_width(), 9) for p in energy.patches),
                         sorted(round(r["energy_per_token_j"] * 1e3, 9) for r in rows))
        hatched = [p for p in speed.patches if p.get_hatch()]
        self.assertEqual(len(hatched), sum(r["kind"] == "roofline" for r in rows))
        gpu = [r for r in rows if r["kind"] == "measured" and r["device"] == "GPU"][0]
        self.assertAlmostEqual(gpu["tokens_per_s"], 107.0)


if __name__ == "__main__":
    support.main()
