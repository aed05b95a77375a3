"""The sweep driver on the local backend, running the real simulator on the tiny random model."""
import csv
import json
import os
import shlex
import unittest

import script_test_support as support

SPEC = """[sweep]
base = platform/u280.cfg
steps = 2
run.model_shape = tiny

[grid]
kernel.mac_lanes = 32, 64
kernel.clock_mhz = 200, 300
"""


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class LocalSweep(unittest.TestCase):
    def sweep(self, spec_text, *args):
        d = support.fresh_dir(self.id().split(".")[-1])
        spec = support.write(os.path.join(d, "spec.ini"), spec_text)
        out = os.path.join(d, "out")
        r = support.run_sweep([spec, "--out=" + out] + list(args), cwd=d)
        return r, out, spec, d

    def test_every_point_gets_a_row_with_the_figures_of_its_stats_json(self):
        r, out, _, _ = self.sweep(SPEC, "--jobs=2")
        self.assertEqual(r.returncode, 0, r.stdout)
        rows = read_csv(os.path.join(out, "sweep.csv"))
        self.assertEqual([(row["kernel.mac_lanes"], row["kernel.clock_mhz"]) for row in rows],
                         [("32", "200"), ("32", "300"), ("64", "200"), ("64", "300")])
        for i, row in enumerate(rows):
            self.assertEqual(row["status"], "ok", row["error"])
            stats = read_json(os.path.join(out, "run_%d.json" % i))
            self.assertEqual(stats["config"]["mac_lanes"], int(row["kernel.mac_lanes"]))
            self.assertEqual(stats["config"]["kernel_clock_mhz"], float(row["kernel.clock_mhz"]))
            tokens = stats["tokens"]
            self.assertEqual(int(row["tokens"]), 2)
            kernel_s = sum(t["kernel_seconds"] for t in tokens) / len(tokens)
            self.assertAlmostEqual(float(row["tokens_per_s"]), 1.0 / kernel_s, delta=1e-6 / kernel_s)
            cycles = sum(t["cycles"] for t in tokens) / len(tokens)
            self.assertAlmostEqual(float(row["cycles_per_token"]), cycles, delta=1e-6 * cycles)
            nbytes = sum(t["read_bytes"] + t["write_bytes"] for t in tokens) / len(tokens)
            self.assertAlmostEqual(float(row["bytes_per_token"]), nbytes, delta=1e-6 * nbytes)
            self.assertAlmostEqual(float(row["achieved_gbps"]), nbytes / kernel_s / 1e9, delta=1e-6 * nbytes / kernel_s)
            dram = sum(c["energy_pj"] for c in stats["channels"]) * 1e-12
            self.assertAlmostEqual(float(row["dram_energy_j"]), dram, delta=1e-6 * dram)
        # The grid reaches the simulator: at 200 MHz a token takes longer than at 300 MHz.
        self.assertLess(float(rows[0]["tokens_per_s"]), float(rows[1]["tokens_per_s"]))

    def test_point_matches_a_direct_run_of_the_simulator(self):
        r, out, _, d = self.sweep(SPEC)
        self.assertEqual(r.returncode, 0, r.stdout)
        direct = os.path.join(d, "direct.json")
        v = support.run_vpsim([os.path.join(support.REPO, "platform", "u280.cfg"), "--run.steps=2",
                               "--run.model_shape=tiny", "--kernel.mac_lanes=64", "--kernel.clock_mhz=200",
                               "--run.stats=" + direct], cwd=d)
        self.assertEqual(v.returncode, 0, v.stdout)
        swept = read_json(os.path.join(out, "run_2.json"))
        self.assertEqual([t["cycles"] for t in swept["tokens"]], [t["cycles"] for t in read_json(direct)["tokens"]])

    def test_failing_point_is_a_row_with_its_error_and_the_sweep_exits_nonzero(self):
        r, out, _, _ = self.sweep("[sweep]\nbase = platform/u280.cfg\nsteps = 2\nrun.model_shape = tiny\n"
                                  "[grid]\nkernel.axi_data_bits = 7, 512\n")
        self.assertEqual(r.returncode, 1, r.stdout)
        rows = read_csv(os.path.join(out, "sweep.csv"))
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[0]["status"], "error")
        self.assertIn("axi_data_bits", rows[0]["error"])
        self.assertEqual(rows[0]["tokens_per_s"], "")
        self.assertEqual(rows[1]["status"], "ok", rows[1]["error"])
        self.assertGreater(float(rows[1]["tokens_per_s"]), 0)
        self.assertIn("point 0 failed", r.stdout)

    def test_rerun_into_the_same_directory_never_reports_stale_results(self):
        r, out, spec, d = self.sweep(SPEC)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertTrue(os.path.exists(os.path.join(out, "run_0.json")))
        # Same points, but now every run fails without writing stats: no row may show the old figures.
        again = support.run_sweep([spec, "--out=" + out, "--vpsim=/bin/false"], cwd=d)
        self.assertEqual(again.returncode, 1, again.stdout)
        rows = read_csv(os.path.join(out, "sweep.csv"))
        self.assertEqual([row["status"] for row in rows], ["error"] * 4)
        self.assertTrue(all(row["tokens_per_s"] == "" for row in rows))
        self.assertIn("exit 1", rows[0]["error"])

    def test_dry_run_lists_the_commands_without_running_them(self):
        r, out, _, _ = self.sweep(SPEC, "--dry-run")
        self.assertEqual(r.returncode, 0, r.stdout)
        lines = r.stdout.strip().splitlines()
        self.assertEqual(len(lines), 4)
        self.assertIn("--kernel.mac_lanes=64 --kernel.clock_mhz=300", lines[3])
        self.assertFalse(os.path.exists(out))

    def test_bad_spec_stops_before_running_anything(self):
        r, out, _, _ = self.sweep("[grid]\nkernel.mac_lanes = \n")
        self.assertEqual(r.returncode, 2, r.stdout)
        self.assertIn("kernel.mac_lanes", r.stdout)
        self.assertFalse(os.path.exists(out))

    def test_paper_whatif_spec_every_point_passes_vpsim_check(self):
        # platform/sweep/examples/hlstransform_paper_whatif.ini: each point's command with --check, which
        # parses and validates the configuration (keys, ranges, channel placement) and runs nothing.
        spec = os.path.join(support.REPO, "platform", "sweep", "examples", "hlstransform_paper_whatif.ini")
        d = support.fresh_dir(self.id().split(".")[-1])
        r = support.run_sweep([spec, "--out=" + os.path.join(d, "out"), "--dry-run"], cwd=d)
        self.assertEqual(r.returncode, 0, r.stdout)
        commands = [shlex.split(line) for line in r.stdout.strip().splitlines()]
        self.assertEqual(len(commands), 24)
        for argv in commands:
            with self.subTest(point=" ".join(argv[3:])):
                self.assertEqual(argv[0], support.vpsim())
                v = support.run_vpsim(argv[1:] + ["--check"], cwd=d)
                self.assertEqual(v.returncode, 0, v.stdout)
                self.assertIn("configuration accepted", v.stdout)
        self.assertFalse(os.path.exists(os.path.join(d, "out")))
        # --check refuses what a run would: five weight ports need DDR[4], which vu9p_f1 lacks.
        bad = support.run_vpsim(commands[0][1:] + ["--kernel.weight_ports=5", "--check"], cwd=d)
        self.assertEqual(bad.returncode, 2, bad.stdout)
        self.assertIn("weight_ports", bad.stdout)


if __name__ == "__main__":
    support.main()
