"""A sweep plan: the expanded points with the exact command and output files of each, written to
OUT/plan.json so that any worker (a local process or a Slurm array task) runs a point by index."""
import json
import os
from typing import List

from spec import Spec


def point_files(out_dir: str, index: int) -> dict:
    return {
        "stats": os.path.join(out_dir, "run_%d.json" % index),
        "log": os.path.join(out_dir, "logs", "run_%d.log" % index),
        "status": os.path.join(out_dir, "status", "run_%d.exit" % index),
    }


def make_plan(spec: Spec, vpsim: str, out_dir: str) -> dict:
    out_dir = os.path.abspath(out_dir)
    points = []
    for p in spec.points():
        files = point_files(out_dir, p.index)
        points.append({"index": p.index, "grid": p.grid, "argv": p.argv(vpsim, files["stats"]),
                       "model_key": model_key(p.config_files, p.overrides), **files})
    return {
        "spec": os.path.abspath(spec.path),
        "axes": [name for name, _ in spec.axes],
        "out_dir": out_dir,
        "cwd": os.getcwd(),
        # One checkpoint cache for every point: a random model is generated once, not per point.
        "cache_dir": os.environ.get("VP_CACHE_DIR") or os.path.join(out_dir, "cache"),
        "points": points,
    }


def model_key(config_files: List[str], overrides) -> str:
    """Points with the same key load the same model (run.* options decide it; a config file might set them)."""
    return json.dumps([config_files, sorted((k, v) for k, v in overrides if k.startswith("run."))])


def cache_primers(plan: dict) -> List[int]:
    """The first point of each model: run alone first so that the random checkpoint it generates and
    caches is complete before other points read it (concurrent writers of one cache file would race)."""
    seen, primers = set(), []
    for p in plan["points"]:
        if p["model_key"] not in seen:
            seen.add(p["model_key"])
            primers.append(p["index"])
    return primers


def write_json_atomically(path: str, data) -> None:
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


def load_plan(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)
