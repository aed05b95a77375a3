"""Sweep specification: an INI file naming config files, fixed overrides and a grid of values.

    [sweep]
    base = platform/u280.cfg                   # config file(s) every point loads, in order
    overlays = platform/kernels/x.cfg          # optional: file(s) loaded after the base (or preset)
    steps = 4                                  # shorthand for run.steps
    run.model_shape = tiny                     # any section.key: a fixed override for every point

    [grid]
    preset = platform/u280.cfg, platform/vu9p_f1.cfg   # replaces `base` for that point
    kernel.mac_lanes = 32, 64
    kernel.clock_mhz = 200, 300

Grid values are comma-separated (double quotes keep a comma inside a value). The points are the
cartesian product in the order the keys are written, the last key varying fastest.
"""
import configparser
import csv
import itertools
import os
from dataclasses import dataclass, field
from typing import Dict, List, Tuple

PRESET_AXIS = "preset"
SWEEP_KEYS = ("base", "overlays", "steps")


class SpecError(ValueError):
    """A sweep specification that cannot be used; the message names the file and key."""


@dataclass
class Point:
    index: int
    grid: Dict[str, str]            # axis name -> value, in spec order
    config_files: List[str]         # absolute paths, in load order
    overrides: List[Tuple[str, str]]  # (section.key, value), fixed ones first, then grid ones

    def argv(self, vpsim: str, stats_path: str) -> List[str]:
        args = [vpsim] + list(self.config_files)
        args += ["--%s=%s" % (k, v) for k, v in self.overrides]
        args.append("--run.stats=" + stats_path)
        return args


@dataclass
class Spec:
    path: str
    axes: List[Tuple[str, List[str]]] = field(default_factory=list)
    base: List[str] = field(default_factory=list)
    overlays: List[str] = field(default_factory=list)
    fixed: List[Tuple[str, str]] = field(default_factory=list)

    def points(self) -> List[Point]:
        names = [name for name, _ in self.axes]
        result = []
        for i, values in enumerate(itertools.product(*[vals for _, vals in self.axes])):
            grid = dict(zip(names, values))
            files = list(self.base)
            overrides = list(self.fixed)
            for name, value in grid.items():
                if name == PRESET_AXIS:
                    files = _resolve_files(value, self.path, "[grid] " + PRESET_AXIS)
                else:
                    overrides.append((name, value))
            result.append(Point(i, grid, files + list(self.overlays), overrides))
        return result


def _repo_root() -> str:
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _resolve_files(text: str, spec_path: str, where: str) -> List[str]:
    """Space-separated file names: relative to the current directory, else to the repository root."""
    files = []
    for name in text.split():
        candidates = [name] if os.path.isabs(name) else [os.path.abspath(name), os.path.join(_repo_root(), name)]
        found = next((c for c in candidates if os.path.isfile(c)), None)
        if found is None:
            raise SpecError("%s: %s: config file %s not found (looked in %s)" %
                            (spec_path, where, name, ", ".join(candidates)))
        files.append(os.path.normpath(found))
    return files


def _split_values(text: str, spec_path: str, key: str) -> List[str]:
    rows = list(csv.reader([text], skipinitialspace=True))
    values = [v.strip() for v in rows[0]] if rows else []
    if not values or any(v == "" for v in values):
        raise SpecError("%s: [grid] %s: needs a comma-separated list of non-empty values, got '%s'" %
                        (spec_path, key, text))
    if len(set(values)) != len(values):
        raise SpecError("%s: [grid] %s: repeated value in '%s'" % (spec_path, key, text))
    return values


def _check_override_key(key: str, spec_path: str, section: str) -> None:
    parts = key.split(".")
    if len(parts) != 2 or not all(parts):
        raise SpecError("%s: [%s] %s: expected a section.key option (see ./run_sim.sh --help)" %
                        (spec_path, section, key))


def load_spec(path: str) -> Spec:
    parser = configparser.ConfigParser(inline_comment_prefixes=("#", ";"), interpolation=None,
                                       default_section="__no_default__")
    parser.optionxform = str  # option names are case-sensitive (hbm.tRCD)
    try:
        with open(path, encoding="utf-8") as f:
            parser.read_file(f)
    except OSError as e:
        raise SpecError("cannot read sweep spec %s: %s" % (path, e.strerror)) from e
    except configparser.Error as e:
        raise SpecError("sweep spec %s: %s" % (path, e)) from e

    unknown = [s for s in parser.sections() if s not in ("sweep", "grid")]
    if unknown:
        raise SpecError("%s: unknown section [%s] (expected [sweep] and [grid])" % (path, unknown[0]))
    spec = Spec(path=path)
    if parser.has_section("sweep"):
        for key, value in parser.items("sweep"):
            if key == "base":
                spec.base = _resolve_files(value, path, "[sweep] base")
            elif key == "overlays":
                spec.overlays = _resolve_files(value, path, "[sweep] overlays")
            elif key == "steps":
                spec.fixed.append(("run.steps", value.strip()))
            elif "." in key:
                _check_override_key(key, path, "sweep")
                spec.fixed.append((key, value.strip()))
            else:
                raise SpecError("%s: [sweep] %s: unknown key (expected %s or a section.key override)" %
                                (path, key, ", ".join(SWEEP_KEYS)))
    if parser.has_section("grid"):
        for key, value in parser.items("grid"):
            if key != PRESET_AXIS:
                _check_override_key(key, path, "grid")
            values = _split_values(value, path, key)
            if key == PRESET_AXIS:
                for v in values:
                    _resolve_files(v, path, "[grid] " + PRESET_AXIS)
            spec.axes.append((key, values))
    fixed_keys = {k for k, _ in spec.fixed}
    clash = [k for k, _ in spec.axes if k in fixed_keys]
    if clash:
        raise SpecError("%s: %s is both a fixed override in [sweep] and a [grid] axis" % (path, clash[0]))
    return spec
