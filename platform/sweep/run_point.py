"""Runs one point of a sweep plan: `python3 run_point.py OUT/plan.json INDEX`.

Used in-process by the local backend and as the command of each Slurm array task. Writes the
point's log and, last, its exit-status file, so a status file always means the run has ended.
"""
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plan import load_plan, write_json_atomically  # noqa: E402


def clear_point_outputs(point: dict) -> None:
    """Results of an earlier sweep in the same directory must not pass for this one's."""
    for key in ("stats", "status"):
        try:
            os.remove(point[key])
        except FileNotFoundError:
            pass


def run_point(plan: dict, index: int) -> int:
    point = plan["points"][index]
    clear_point_outputs(point)
    for key in ("log", "status"):
        os.makedirs(os.path.dirname(point[key]), exist_ok=True)
    env = dict(os.environ)
    env["VP_CACHE_DIR"] = plan["cache_dir"]
    with open(point["log"], "w", encoding="utf-8") as log:
        log.write("$ " + " ".join(point["argv"]) + "\n")
        log.flush()
        try:
            code = subprocess.run(point["argv"], cwd=plan["cwd"], env=env, stdin=subprocess.DEVNULL,
                                  stdout=log, stderr=subprocess.STDOUT).returncode
        except OSError as e:
            log.write("cannot start %s: %s\n" % (point["argv"][0], e.strerror))
            code = 127
    write_json_atomically(point["status"], {"index": index, "exit_code": code})
    return code


def main(argv) -> int:
    if len(argv) != 3:
        print("usage: run_point.py PLAN.json INDEX", file=sys.stderr)
        return 2
    plan = load_plan(argv[1])
    index = int(argv[2])
    if not 0 <= index < len(plan["points"]):
        print("run_point.py: %s has no point %d" % (argv[1], index), file=sys.stderr)
        return 2
    return run_point(plan, index)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
