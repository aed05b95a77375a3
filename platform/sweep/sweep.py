"""What-if sweeps: `./run_sim.sh sweep SPEC.ini [--backend=local|slurm] [--jobs=N] [--out=DIR]`.

Expands the spec's grid (spec.py), runs `vpsim CONFIGS --key=value ... --run.stats=DIR/run_<i>.json`
for every point on a local process pool or as a Slurm job array (backends.py), and gathers one CSV,
DIR/sweep.csv, one row per point (gather.py). A point that fails is a row with its error; the sweep
then exits 1 after writing the CSV. Python 3 standard library only.
"""
import argparse
import os
import shlex
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from backends import SlurmError, run_local, run_slurm  # noqa: E402
from gather import point_row, write_csv  # noqa: E402
from plan import make_plan, write_json_atomically  # noqa: E402
from run_point import clear_point_outputs  # noqa: E402
from spec import SpecError, load_spec  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(prog="run_sim.sh sweep", description=__doc__.split("\n\n")[0])
    p.add_argument("spec", help="sweep spec (INI: [sweep] base, overlays, steps, section.key; [grid] key = v1, v2)")
    p.add_argument("--backend", choices=("local", "slurm"), default="local")
    p.add_argument("--jobs", type=int, default=None,
                   help="local: worker processes (default: nproc); slurm: array tasks at once (default: no limit)")
    p.add_argument("--out", default=None, help="output directory (default: sweep_<spec name>)")
    p.add_argument("--vpsim", default=None, help="simulator binary (default: build/vpsim beside this repo)")
    p.add_argument("--sbatch-args", default="", help="extra sbatch options, e.g. '--partition=debug --time=30'")
    p.add_argument("--wait-timeout", type=float, default=0,
                   help="slurm: cancel the arrays after this many seconds (0: wait for ever)")
    p.add_argument("--dry-run", action="store_true", help="print the points' commands and exit")
    return p.parse_args(argv)


def main(argv) -> int:
    args = parse_args(argv)
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    vpsim = os.path.abspath(args.vpsim or os.path.join(repo, "build", "vpsim"))
    out_dir = os.path.abspath(args.out or "sweep_" + os.path.splitext(os.path.basename(args.spec))[0])
    try:
        spec = load_spec(args.spec)
    except SpecError as e:
        print("sweep: %s" % e, file=sys.stderr)
        return 2
    plan = make_plan(spec, vpsim, out_dir)
    if args.dry_run:
        for p in plan["points"]:
            print(" ".join(shlex.quote(a) for a in p["argv"]))
        return 0
    if not os.access(vpsim, os.X_OK):
        print("sweep: simulator %s not found or not executable (build it: ./run_sim.sh --help)" % vpsim,
              file=sys.stderr)
        return 2
    for sub in ("", "logs", "status"):
        os.makedirs(os.path.join(out_dir, sub), exist_ok=True)
    for p in plan["points"]:
        clear_point_outputs(p)
    write_json_atomically(os.path.join(out_dir, "plan.json"), plan)
    progress = lambda msg: print("sweep: " + msg, file=sys.stderr, flush=True)  # noqa: E731
    n = len(plan["points"])
    progress("%d point(s) from %s, backend %s, results in %s" % (n, args.spec, args.backend, out_dir))
    start = time.monotonic()
    try:
        if args.backend == "local":
            run_local(plan, args.jobs or os.cpu_count() or 1, progress)
        else:
            run_slurm(plan, args.jobs, shlex.split(args.sbatch_args), args.wait_timeout, progress)
    except SlurmError as e:
        progress(str(e))
    rows = [point_row(p, plan["axes"]) for p in plan["points"]]
    csv_path = os.path.join(out_dir, "sweep.csv")
    write_csv(rows, plan["axes"], csv_path)
    failed = [r for r in rows if r["status"] != "ok"]
    progress("%d point(s) in %.1f s, %d failed; CSV: %s" % (n, time.monotonic() - start, len(failed), csv_path))
    for r in failed:
        progress("point %d failed: %s" % (r["point"], r["error"]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
