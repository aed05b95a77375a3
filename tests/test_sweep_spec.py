"""Sweep spec expansion, Slurm array syntax, figures read from a stats JSON, Pareto front: pure
functions, no simulator run."""
import configparser
import os
import unittest

import script_test_support as support
from backends import array_ranges
from pareto_front import front
from spec import SpecError, load_spec
from stats_figures import energy_breakdown, energy_per_token_j, run_figures

U280 = os.path.join(support.REPO, "platform", "u280.cfg")
VU9P = os.path.join(support.REPO, "platform", "vu9p_f1.cfg")
OVERLAY = os.path.join(support.REPO, "platform", "kernels", "hbm_streaming.cfg")
PAPER = os.path.join(support.REPO, "platform", "kernels", "hlstransform_paper.cfg")
PAPER_WHATIF = os.path.join(support.REPO, "platform", "sweep", "examples", "hlstransform_paper_whatif.ini")


class SpecExpansion(unittest.TestCase):
    def spec(self, text: str):
        d = support.fresh_dir("spec_" + self.id().split(".")[-1])
        return load_spec(support.write(os.path.join(d, "s.ini"), text))

    def test_grid_is_cartesian_product_with_last_key_fastest(self):
        s = self.spec("[sweep]\nbase = platform/u280.cfg\n[grid]\nkernel.mac_lanes = 32, 64\n"
                      "kernel.weight_ports = 1, 4, 16\n")
        pts = s.points()
        self.assertEqual(len(pts), 6)
        self.assertEqual([(p.grid["kernel.mac_lanes"], p.grid["kernel.weight_ports"]) for p in pts],
                         [("32", "1"), ("32", "4"), ("32", "16"), ("64", "1"), ("64", "4"), ("64", "16")])
        self.assertEqual([p.index for p in pts], list(range(6)))

    def test_fixed_overrides_come_before_grid_values_in_the_command(self):
        s = self.spec("[sweep]\nbase = platform/u280.cfg\nsteps = 3\nrun.model_shape = tiny\n"
                      "[grid]\nkernel.clock_mhz = 200\n")
        argv = s.points()[0].argv("/bin/vpsim", "/out/run_0.json")
        self.assertEqual(argv, ["/bin/vpsim", U280, "--run.steps=3", "--run.model_shape=tiny",
                                "--kernel.clock_mhz=200", "--run.stats=/out/run_0.json"])

    def test_preset_axis_replaces_base_and_keeps_overlays(self):
        s = self.spec("[sweep]\nbase = platform/u280.cfg\noverlays = platform/kernels/hbm_streaming.cfg\n"
                      "[grid]\npreset = platform/u280.cfg, platform/vu9p_f1.cfg\n")
        self.assertEqual([p.config_files for p in s.points()], [[U280, OVERLAY], [VU9P, OVERLAY]])
        self.assertEqual([p.overrides for p in s.points()], [[], []])

    def test_quoted_value_keeps_its_commas(self):
        s = self.spec('[grid]\nrun.model_shape = tiny, "64,128,2,4,2,256,64"\n')
        self.assertEqual([p.grid["run.model_shape"] for p in s.points()], ["tiny", "64,128,2,4,2,256,64"])

    def test_option_names_keep_their_case_and_inline_comments_are_dropped(self):
        s = self.spec("[grid]\nhbm.tRCD = 11, 14   # cycles\n")
        self.assertEqual(s.points()[1].overrides, [("hbm.tRCD", "14")])

    def test_no_grid_is_one_point(self):
        s = self.spec("[sweep]\nbase = platform/u280.cfg\n")
        self.assertEqual(len(s.points()), 1)

    def test_errors_name_the_file_and_key(self):
        cases = {
            "[sweep]\nbase = platform/no_such_board.cfg\n": "no_such_board.cfg",
            "[sweep]\nstep = 3\n": "step",
            "[grid]\nmac_lanes = 1, 2\n": "mac_lanes",
            "[grid]\nkernel.mac_lanes = 32, 32\n": "repeated",
            "[grid]\nkernel.mac_lanes = 32,\n": "kernel.mac_lanes",
            "[sweep]\nsteps = 3\n[grid]\nrun.steps = 2, 4\n": "run.steps",
            "[gird]\nkernel.mac_lanes = 32\n": "[gird]",
            "[grid]\npreset = platform/u280.cfg, platform/nope.cfg\n": "nope.cfg",
        }
        for text, needle in cases.items():
            with self.subTest(text=text):
                with self.assertRaises(SpecError) as ctx:
                    self.spec(text)
                self.assertIn(needle, str(ctx.exception))
                self.assertIn("s.ini", str(ctx.exception))


class PaperWhatIfSpec(unittest.TestCase):
    """platform/sweep/examples/hlstransform_paper_whatif.ini (issue 12 item 2); every point's config is
    checked by vpsim --check in test_sweep_local.py."""

    def test_grid_is_width_x_row_burst_x_weight_channels_x_clock_on_the_paper_preset(self):
        s = load_spec(PAPER_WHATIF)
        self.assertEqual(s.axes, [("kernel.hls_weights_maxi_bits", ["32", "512"]),
                                  ("kernel.hls_row_burst", ["off", "on"]),
                                  ("kernel.weight_ports", ["1", "4"]),
                                  ("kernel.clock_mhz", ["125", "250", "300"])])
        pts = s.points()
        self.assertEqual(len(pts), 24)
        for p in pts:
            self.assertEqual(p.config_files, [VU9P, PAPER])
            # Cheap points: timing only, a few positions; the fixed overrides come first.
            self.assertEqual(p.overrides[:2], [("run.steps", "8"), ("run.functional", "off")])
            self.assertEqual(p.overrides[2:], list(p.grid.items()))

    def test_the_preset_itself_is_a_point_of_the_grid(self):
        cfg = configparser.ConfigParser(inline_comment_prefixes=("#",), interpolation=None)
        with open(PAPER, encoding="utf-8") as f:
            cfg.read_file(f)
        self.assertEqual(cfg.get("kernel", "vector_unit"), "hlstransform")
        preset = {"kernel." + k: cfg.get("kernel", k)
                  for k in ("hls_weights_maxi_bits", "hls_row_burst", "weight_ports", "clock_mhz")}
        self.assertEqual(preset, {"kernel.hls_weights_maxi_bits": "32", "kernel.hls_row_burst": "off",
                                  "kernel.weight_ports": "1", "kernel.clock_mhz": "250"})
        self.assertEqual(cfg.get("kernel", "weights_channel"), "0")  # 4 ports: DDR[0..3]
        self.assertEqual(len([p for p in load_spec(PAPER_WHATIF).points() if p.grid == preset]), 1)


class SlurmArraySyntax(unittest.TestCase):
    def test_consecutive_indices_become_ranges(self):
        self.assertEqual(array_ranges([0, 1, 2, 5, 7, 8]), "0-2,5,7-8")
        self.assertEqual(array_ranges([3]), "3")


def stats_json(tokens, channels, energy=None):
    j = {"config": {"board": "t", "kernel_clock_mhz": 250.0, "mac_lanes": 64, "weight_ports": 2},
         "model": {"dim": 64, "hidden_dim": 128, "n_layers": 2, "n_heads": 4, "n_kv_heads": 2, "vocab_size": 256},
         "tokens": tokens, "channels": channels, "pcie": {"energy_pj": 2e6}, "error": ""}
    if energy is not None:
        j["energy"] = energy
    return j


class FiguresFromStats(unittest.TestCase):
    TOKENS = [
        {"pos": 0, "cycles": 1000, "kernel_seconds": 4e-6, "token_seconds": 5e-6, "read_bytes": 900,
         "write_bytes": 100, "channel_bytes": [1000, 0, 0]},
        {"pos": 1, "cycles": 3000, "kernel_seconds": 12e-6, "token_seconds": 15e-6, "read_bytes": 2800,
         "write_bytes": 200, "channel_bytes": [0, 3000, 0]},
    ]
    CHANNELS = [{"peak_bytes_per_s": 10e9, "energy_pj": 1e6}, {"peak_bytes_per_s": 20e9, "energy_pj": 3e6},
                {"peak_bytes_per_s": 40e9, "energy_pj": 5e6}]

    def test_per_token_figures_are_means_over_tokens(self):
        f = run_figures(stats_json(self.TOKENS, self.CHANNELS))
        self.assertEqual(f["tokens"], 2)
        self.assertAlmostEqual(f["tokens_per_s"], 1 / 8e-6)
        self.assertAlmostEqual(f["e2e_tokens_per_s"], 1 / 10e-6)
        self.assertAlmostEqual(f["cycles_per_token"], 2000)
        self.assertAlmostEqual(f["bytes_per_token"], 2000)
        self.assertAlmostEqual(f["achieved_bytes_per_s"], 2000 / 8e-6)
        self.assertAlmostEqual(f["peak_bytes_per_s"], 30e9)       # channels 0 and 1 carried kernel traffic
        self.assertAlmostEqual(f["board_peak_bytes_per_s"], 70e9)
        self.assertAlmostEqual(f["dram_energy_j"], 9e-6)
        self.assertAlmostEqual(f["pcie_energy_j"], 2e-6)
        self.assertAlmostEqual(f["compute_roof_ops_per_s"], 2 * 64 * 2 * 250e6)
        self.assertIsNone(f["energy_per_token_j"])

    def test_ops_per_token_counts_matmuls_and_attention(self):
        f = run_figures(stats_json(self.TOKENS, self.CHANNELS))
        # dim 64, kv_dim 32, hidden 128, 2 layers, vocab 256; mean pos 0.5
        macs = 2 * (2 * 64 * 64 + 2 * 64 * 32 + 3 * 64 * 128) + 64 * 256 + 2 * 2 * 64 * 1.5
        self.assertAlmostEqual(f["ops_per_token"], 2 * macs)

    def test_no_token_gives_no_rates(self):
        f = run_figures(stats_json([], self.CHANNELS))
        self.assertIsNone(f["tokens_per_s"])
        self.assertIsNone(f["ops_per_token"])

    def test_energy_breakdown_per_token_with_units_on_the_parent(self):
        j = stats_json(self.TOKENS, self.CHANNELS,
                       {"per_token_pj": {"dram": 1e6, "kernel": 2e6, "static": 3e6}, "total_per_token_pj": 7e6,
                        "whole_run_pj": {"dram": 1.0, "kernel": 2.0}})
        parts, scope = energy_breakdown(j)
        self.assertEqual(scope, "per token")
        self.assertEqual(set(parts), {"dram", "kernel", "static"})
        self.assertAlmostEqual(parts["static"], 3e-6)
        self.assertAlmostEqual(energy_per_token_j(j), 7e-6)  # the explicit total wins over the parts' sum

    def test_energy_breakdown_with_units_on_the_leaves(self):
        j = stats_json(self.TOKENS, self.CHANNELS,
                       {"per_token": {"dram_nj": 4.0, "mac_nj": 1.0, "static_power_mw": 500.0, "note": "x"}})
        parts, scope = energy_breakdown(j)
        self.assertEqual(parts, {"dram": 4e-9, "mac": 1e-9})
        self.assertAlmostEqual(energy_per_token_j(j), 5e-9)

    def test_subtotals_beside_their_components_are_not_counted_twice(self):
        comps = {"int8_mac": 10.0, "fp32_add": 2.0, "control": 3.0, "dram_dynamic": 20.0, "host": 5.0}
        per_token = dict(comps, kernel_dynamic=15.0, card=35.0, total=40.0)
        j = stats_json(self.TOKENS, self.CHANNELS,
                       {"per_token_pj": per_token, "total_pj": {k: 2 * v for k, v in per_token.items()},
                        "baselines": {"work_per_token": {"bytes": 1e6, "int8_ops": 2e6, "fp32_ops": 1e3},
                                      "cpu": {"energy_per_token_j": 0.5, "power_w": 145.0}}})
        parts, scope = energy_breakdown(j)
        self.assertEqual(scope, "per token")
        self.assertEqual(parts, {k: v * 1e-12 for k, v in comps.items()})
        self.assertAlmostEqual(energy_per_token_j(j), 40e-12)
        # The simulator's own count of the work replaces the estimate from the model shape.
        self.assertAlmostEqual(run_figures(j)["ops_per_token"], 2e6 + 1e3)

    def test_whole_run_breakdown_gives_no_per_token_total(self):
        j = stats_json(self.TOKENS, self.CHANNELS,
                       {"breakdown": {"dram": {"energy_pj": 4.0, "share": 0.5}, "pcie": {"energy_pj": 4.0}}})
        parts, scope = energy_breakdown(j)
        self.assertEqual(scope, "whole run")
        self.assertEqual(parts, {"dram": 4e-12, "pcie": 4e-12})
        self.assertIsNone(energy_per_token_j(j))


class ParetoFront(unittest.TestCase):
    def test_front_keeps_undominated_ok_rows_sorted_by_cost(self):
        rows = [
            {"point": "0", "status": "ok", "tokens_per_s": "10", "cost": "1"},
            {"point": "1", "status": "ok", "tokens_per_s": "20", "cost": "2"},
            {"point": "2", "status": "ok", "tokens_per_s": "15", "cost": "3"},   # beaten by 1
            {"point": "3", "status": "ok", "tokens_per_s": "30", "cost": "5"},
            {"point": "4", "status": "error", "tokens_per_s": "99", "cost": "0"},  # failed: never on the front
            {"point": "5", "status": "ok", "tokens_per_s": "10", "cost": "1.5"},  # beaten by 0
        ]
        self.assertEqual([r["point"] for r in front(rows, "cost")], ["0", "1", "3"])


if __name__ == "__main__":
    support.main()
