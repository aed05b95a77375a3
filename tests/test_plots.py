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
        with open(self.stats, encoding="utf-8") as f:
            stats = json.load(f)
        stats["energy"] = {"per_token_pj": {"int8_mac": 2.0e6, "dram_dynamic": 6.0e6, "fpga_static": 2.0e6,
                                            "total": 10.0e6}}
        path = os.path.join(self.dir, "with_energy.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(stats, f)
        page, _ = self.report("energy", path)
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
        with open(self.stats, encoding="utf-8") as f:
            stats = json.load(f)
        stats["tokens"] = []
        stats["error"] = "kernel hung at pos 0"
        path = os.path.join(self.dir, "failed.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(stats, f)
        page, _ = self.report("failed", path)
        self.assertIn('id="run-error"', page)
        self.assertIn("kernel hung at pos 0", page)
        self.assertIn("nothing to place on a roofline", page)

    def test_unreadable_input_fails_with_its_name(self):
        r = support.run_report([os.path.join(self.dir, "no_such.json"), "--out=" + os.path.join(self.dir, "x.html")],
                               cwd=self.dir)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("no_such.json", r.stdout)


if __name__ == "__main__":
    support.main()
