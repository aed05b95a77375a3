"""Where the points of a plan run: a local process pool, or a Slurm job array.

Both run the cache primers (plan.cache_primers) one at a time first, then every other point in
parallel, and both leave each point's outcome in its files (stats JSON, log, status); the caller
gathers the results from there, so a backend only has to get the points run.
"""
import os
import shlex
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, List, Optional

from plan import cache_primers
from run_point import run_point

Progress = Callable[[str], None]


def _split_primers(plan: dict):
    primers = cache_primers(plan)
    rest = [p["index"] for p in plan["points"] if p["index"] not in set(primers)]
    return primers, rest


def run_local(plan: dict, jobs: int, progress: Progress) -> None:
    primers, rest = _split_primers(plan)
    total = len(plan["points"])
    done = [0]
    lock = threading.Lock()

    def one(index: int) -> None:
        code = run_point(plan, index)
        with lock:
            done[0] += 1
            progress("point %d/%d done (index %d, exit %d)" % (done[0], total, index, code))

    for index in primers:
        one(index)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        # Threads suffice: each worker waits on a vpsim child process.
        list(pool.map(one, rest))


def array_ranges(indices: List[int]) -> str:
    """[0,1,2,5,7,8] -> '0-2,5,7-8' (Slurm --array syntax)."""
    parts, start = [], None
    for i, x in enumerate(indices):
        if start is None:
            start = x
        if i + 1 == len(indices) or indices[i + 1] != x + 1:
            parts.append(str(start) if start == x else "%d-%d" % (start, x))
            start = None
    return ",".join(parts)


class SlurmError(RuntimeError):
    pass


def _run(cmd: List[str]) -> str:
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as e:
        raise SlurmError("cannot run %s: %s (is Slurm installed? see .ci/slurm_setup.sh)" % (cmd[0], e.strerror))
    if r.returncode != 0:
        raise SlurmError("%s failed (exit %d): %s" % (" ".join(cmd), r.returncode, r.stderr.strip()))
    return r.stdout


def write_task_script(plan: dict) -> str:
    path = os.path.join(plan["out_dir"], "slurm_task.sh")
    runner = os.path.join(os.path.dirname(os.path.abspath(__file__)), "run_point.py")
    plan_path = os.path.join(plan["out_dir"], "plan.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write("#!/bin/sh\n# One point of the sweep per array task.\n")
        f.write("exec %s %s %s \"$SLURM_ARRAY_TASK_ID\"\n" %
                (shlex.quote(sys.executable), shlex.quote(runner), shlex.quote(plan_path)))
    os.chmod(path, 0o755)
    return path


def _submit(plan: dict, script: str, indices: List[int], throttle: Optional[int], extra: List[str],
            after: Optional[str]) -> str:
    array = array_ranges(indices) + ("%%%d" % throttle if throttle else "")
    cmd = ["sbatch", "--parsable", "--array=" + array, "--job-name=vpsweep", "--ntasks=1", "--cpus-per-task=1",
           "--chdir=" + plan["cwd"], "--output=" + os.path.join(plan["out_dir"], "logs", "slurm_%A_%a.out")]
    if after:
        cmd.append("--dependency=afterany:" + after)
    cmd += extra + [script]
    return _run(cmd).strip().split(";")[0]


def _active_tasks(job_id: str) -> int:
    """Pending or running tasks of one job array (asked one job at a time: squeue refuses a list in
    which one job has already been purged)."""
    r = subprocess.run(["squeue", "-h", "-r", "-j", job_id, "-o", "%i %T"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        # A job purged from the controller's memory (MinJobAge after its end) is unknown to squeue.
        if "Invalid job id" in r.stderr:
            return 0
        raise SlurmError("squeue failed (exit %d): %s" % (r.returncode, r.stderr.strip()))
    return len([line for line in r.stdout.splitlines() if line.strip()])


def run_slurm(plan: dict, jobs: Optional[int], extra_args: List[str], wait_timeout: float, progress: Progress) -> None:
    """One array for the cache primers (one task at a time), one for the rest that starts after it;
    then polls squeue until no task of either is pending or running."""
    primers, rest = _split_primers(plan)
    script = write_task_script(plan)
    first = _submit(plan, script, primers, 1, extra_args, None)
    job_ids = [first]
    if rest:
        job_ids.append(_submit(plan, script, rest, jobs, extra_args, first))
    progress("submitted Slurm job array(s) %s: %d primer point(s), %d other point(s)" %
             (", ".join(job_ids), len(primers), len(rest)))
    try:
        _wait(plan, job_ids, wait_timeout, progress)
    except KeyboardInterrupt:
        # Tasks left running would write into this output directory after the sweep has gone.
        subprocess.run(["scancel"] + job_ids)
        raise


def _wait(plan: dict, job_ids: List[str], wait_timeout: float, progress: Progress) -> None:
    deadline = time.monotonic() + wait_timeout if wait_timeout > 0 else None
    last_report = time.monotonic()
    statuses = [p["status"] for p in plan["points"]]
    while True:
        active = sum(_active_tasks(j) for j in job_ids)
        finished = sum(os.path.exists(s) for s in statuses)
        if active == 0 or finished == len(statuses):
            return
        now = time.monotonic()
        if deadline is not None and now > deadline:
            subprocess.run(["scancel"] + job_ids)
            progress("wait timeout (%g s): cancelled %s" % (wait_timeout, ", ".join(job_ids)))
            return
        if now - last_report > 10:
            progress("%d/%d points done, %d task(s) pending or running" % (finished, len(statuses), active))
            last_report = now
        time.sleep(0.5)
