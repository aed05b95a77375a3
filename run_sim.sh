#!/usr/bin/env bash
# Sets up (Debian packages, configure, build) and runs the virtual platform.
#   ./run_sim.sh [CONFIG.cfg ...] [--key=value ...]   simulate (no config: embedded default, u280 + 110M shape)
#   ./run_sim.sh --test                               build and run the test suite
#   ./run_sim.sh sweep SPEC.ini [--backend=local|slurm] [--jobs=N] [--out=DIR]   what-if sweep -> DIR/sweep.csv
#   ./run_sim.sh report STATS.json [SWEEP.csv] [--out=report.html]               plots + self-contained HTML report
#   ./run_sim.sh replay TRACE [CONFIG.cfg ...] [--key=value ...]   replay a --run.record_trace trace, no kernel
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="${VP_BUILD_DIR:-$here/build}"

packages=(build-essential cmake ninja-build pkg-config libsystemc-dev verilator libboost-program-options-dev
          libgtest-dev nlohmann-json3-dev yosys python3-matplotlib)

install_missing_packages() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "run_sim.sh: missing packages (${missing[*]}) and no sudo" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "run_sim.sh: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}

build() {
  if [ ! -f "$build_dir/build.ninja" ]; then
    cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
  fi
  cmake --build "$build_dir" -j"$(nproc)" >&2
}

install_missing_packages
build
if [ "${1:-}" = "--test" ]; then
  shift
  cd "$build_dir"
  exec ctest --output-on-failure -j"$(nproc)" "$@"
fi
export VP_CACHE_DIR="${VP_CACHE_DIR:-$build_dir/cache}"
# Debian's python3, for which python3-matplotlib is installed (a pyenv or venv python3 may lack it).
python=/usr/bin/python3
[ -x "$python" ] || python=python3
if [ "${1:-}" = "sweep" ]; then
  shift
  exec "$python" "$here/platform/sweep/sweep.py" --vpsim "$build_dir/vpsim" "$@"
fi
if [ "${1:-}" = "report" ]; then
  shift
  exec "$python" "$here/platform/plots/report_html.py" "$@"
fi
if [ "${1:-}" = "replay" ]; then
  shift
  exec "$build_dir/vpreplay" "$@"
fi
exec "$build_dir/vpsim" "$@"
