"""The sweep driver's Slurm backend on a real Slurm (one node, this machine: .ci/slurm_setup.sh).
Skips when no Slurm node answers, unless VP_REQUIRE_SLURM=1, where that fails."""
import csv
import os
import subprocess
import time
import unittest

import script_test_support as support
from gather import FIGURE_COLUMNS

SPEC = os.path.join(support.REPO, "platform", "sweep", "examples", "tiny_ci.ini")


def slurm_node_state() -> str:
    try:
        r = subprocess.run(["sinfo", "-h", "-o", "%T"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return r.stdout.strip() if r.returncode == 0 else ""


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


class SlurmSweep(unittest.TestCase):
    def setUp(self):
        state = slurm_node_state()
        if not any(s in state for s in ("idle", "mixed", "allocated")):
            if os.environ.get("VP_REQUIRE_SLURM") == "1":
                self.fail("VP_REQUIRE_SLURM=1 but no Slurm node is up (sinfo: '%s')" % state)
            self.skipTest("no Slurm node up (bash .ci/slurm_setup.sh starts one)")
        self.dir = support.fresh_dir(self.id().split(".")[-1])

    def test_job_array_runs_every_point_with_the_local_backends_results(self):
        start = time.monotonic()
        r = support.run_sweep([SPEC, "--backend=slurm", "--out=slurm", "--wait-timeout=600"], cwd=self.dir)
        elapsed = time.monotonic() - start
        print("Slurm sweep of %s: %.1f s" % (os.path.basename(SPEC), elapsed))
        self.assertEqual(r.returncode, 0, r.stdout)
        rows = read_csv(os.path.join(self.dir, "slurm", "sweep.csv"))
        self.assertGreaterEqual(len(rows), 8)
        self.assertEqual([row["point"] for row in rows], [str(i) for i in range(len(rows))])
        self.assertEqual([row["status"] for row in rows], ["ok"] * len(rows), [row["error"] for row in rows])
        # Slurm task logs exist: the points really ran as array tasks.
        logs = os.listdir(os.path.join(self.dir, "slurm", "logs"))
        self.assertEqual(len([n for n in logs if n.startswith("slurm_")]), len(rows))

        local = support.run_sweep([SPEC, "--backend=local", "--out=local"], cwd=self.dir)
        self.assertEqual(local.returncode, 0, local.stdout)
        local_rows = read_csv(os.path.join(self.dir, "local", "sweep.csv"))
        keys = [k for k in rows[0] if k in FIGURE_COLUMNS]
        self.assertIn("cycles_per_token", keys)
        self.assertEqual([[row[k] for k in keys] for row in rows], [[row[k] for k in keys] for row in local_rows])

    def test_failing_task_is_a_row_with_its_error(self):
        spec = support.write(os.path.join(self.dir, "bad.ini"),
                             "[sweep]\nbase = platform/u280.cfg\nsteps = 2\nrun.model_shape = tiny\n"
                             "[grid]\nkernel.mac_lanes = 64, 0\n")
        r = support.run_sweep([spec, "--backend=slurm", "--out=bad", "--wait-timeout=600"], cwd=self.dir)
        self.assertEqual(r.returncode, 1, r.stdout)
        rows = read_csv(os.path.join(self.dir, "bad", "sweep.csv"))
        self.assertEqual([row["status"] for row in rows], ["ok", "error"])
        self.assertIn("mac_lanes", rows[1]["error"])


if __name__ == "__main__":
    support.main()
