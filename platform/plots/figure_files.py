"""matplotlib set-up and figure output: PNG + SVG files, or an SVG data URI for the HTML report.

matplotlib comes from Debian (python3-matplotlib, installed by run_sim.sh) and so lives in the
system python3, /usr/bin/python3; a python3 of its own (pyenv, venv) may not have it.
"""
import base64
import io
import os
import sys

try:
    import matplotlib
    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt  # noqa: F401  (re-exported for the plot modules)
except ImportError:  # pragma: no cover - depends on the machine
    sys.stderr.write("plots: matplotlib is missing: apt-get install python3-matplotlib and run with "
                     "/usr/bin/python3 (this is %s)\n" % sys.executable)
    raise

# Same input, same bytes: no date in the metadata, fixed ids in the SVG.
matplotlib.rcParams["svg.hashsalt"] = "vp-plots"
matplotlib.rcParams["svg.fonttype"] = "path"  # text as paths: the SVG needs no font on the reader's side
_METADATA = {"svg": {"Date": None}, "png": {"Software": None}}


def save(fig, base_path: str) -> list:
    """Writes BASE.png and BASE.svg (each atomically) and returns their paths."""
    paths = []
    for ext in ("png", "svg"):
        path = "%s.%s" % (base_path, ext)
        tmp = "%s.tmp.%d.%s" % (base_path, os.getpid(), ext)
        fig.savefig(tmp, format=ext, dpi=110, metadata=_METADATA[ext])
        os.replace(tmp, path)
        paths.append(path)
    return paths


def svg_data_uri(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata=_METADATA["svg"])
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def close(fig) -> None:
    plt.close(fig)
