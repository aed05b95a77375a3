#!/usr/bin/env bash
# Sets up (Debian packages, configure, build) and runs the virtual platform.
#   ./run_sim.sh [CONFIG.cfg ...] [--key=value ...]   simulate (no config: embedded default, u280 + 110M shape)
#   ./run_sim.sh --test                               build and run the test suite
#   ./run_sim.sh sweep SPEC.ini [--backend=local|slurm] [--jobs=N] [--out=DIR]   what-if sweep -> DIR/sweep.csv
#   ./run_sim.sh report STATS.json [SWEEP.csv] [--out=report.html]               plots + self-contained HTML report
#   ./run_sim.sh replay TRACE [CONFIG.cfg ...] [--key=value ...]   replay a --run.record_trace trace, no kernel
# Each installs and builds only what it runs (--test: everything) into $VP_BUILD_DIR (default build/), with
# the compiler's output in build/build.log and a progress line on stderr. A simulation configures its first
# build without the Verilated RTL (-DVP_RTL=OFF: no Verilator, a few minutes less) and adds the RTL when a run
# asks for run.mode = rtl (vpsim --check says so with status 3); --test and sweep build with it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="${VP_BUILD_DIR:-$here/build}"

# Debian packages: what building vpsim needs (CMake finds GTest even for vpsim alone), then Verilator for the
# RTL, then Yosys (synthesis tests) and matplotlib (plots and the report).
core_packages=(build-essential cmake ninja-build pkg-config libsystemc-dev libboost-program-options-dev
               libgtest-dev nlohmann-json3-dev)
rtl_packages=(verilator)
test_packages=(yosys python3-matplotlib)
no_rtl_kernel_status=3  # vpsim: run.mode = rtl in a build without the RTL kernel (platform/rtl_kernel_assembly.h)

install_missing_packages() {
  local missing=()
  for p in "$@"; do
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

# Build output goes to $build_dir/build.log; stderr gets one progress line from ninja's "[N/M]" lines,
# rewritten in place on a terminal, else a line every ~10%.
show_progress() {
  local what="$1" log="$2" tty=0 shown=-1 total=0 line n m pct
  [ -t 2 ] && tty=1
  while IFS= read -r line; do
    printf '%s\n' "$line" >> "$log"
    [[ "$line" =~ ^\[([1-9][0-9]*)/([0-9]+)\] ]] || continue  # [0/N]: the glob check before every build
    n=${BASH_REMATCH[1]} m=${BASH_REMATCH[2]} pct=$((100 * BASH_REMATCH[1] / BASH_REMATCH[2]))
    [ "$m" -eq "$total" ] || { total=$m; shown=-1; }  # a new ninja run (CMake re-ran first)
    if [ "$tty" -eq 1 ]; then
      printf '\r\033[Krun_sim.sh: building %s [%d/%d] %d%%' "$what" "$n" "$m" "$pct" >&2
    elif [ $((pct / 10)) -gt "$shown" ]; then
      shown=$((pct / 10))
      echo "run_sim.sh: building $what [$n/$m] $pct%" >&2
    fi
  done
  [ "$tty" -eq 0 ] || printf '\r\033[K' >&2
}

# The build's VP_RTL (ON or OFF), empty before its first configuration.
rtl_setting() { sed -n 's/^VP_RTL:BOOL=//p' "$build_dir/CMakeCache.txt" 2>/dev/null || true; }

# build RTL TARGET...: configures (first time; RTL = ON or OFF) and builds the targets (none: everything);
# RTL = ON also adds the Verilated RTL to a build configured without it, never the reverse. A failure
# prints the log's last 40 lines and exits non-zero.
build() {
  local rtl="$1"
  shift
  local log="$build_dir/build.log" what="${*:-everything}" targets=() t status=0
  for t in "$@"; do targets+=(--target "$t"); done
  mkdir -p "$build_dir"
  : > "$log"
  if [ ! -f "$build_dir/build.ninja" ]; then
    echo "run_sim.sh: configuring $build_dir" >&2
    cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVP_RTL="$rtl" >> "$log" 2>&1 || status=$?
  elif [ "$rtl" = ON ] && [ "$(rtl_setting)" = OFF ]; then
    echo "run_sim.sh: adding the Verilated RTL to $build_dir" >&2
    cmake -S "$here" -B "$build_dir" -DVP_RTL=ON >> "$log" 2>&1 || status=$?
  fi
  if [ "$status" -eq 0 ]; then
    cmake --build "$build_dir" -j"$(nproc)" "${targets[@]}" 2>&1 | show_progress "$what" "$log" || status=$?
  fi
  if [ "$status" -ne 0 ]; then
    echo "run_sim.sh: building $what failed (exit $status); the last 40 lines of $log:" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
}

# Only what the command runs: a simulation needs vpsim (with the RTL only for run.mode = rtl), a sweep
# vpsim with the RTL (its points may ask for it), a replay vpreplay, the report nothing (python), the test
# suite everything.
case "${1:-}" in
  --test)
    install_missing_packages "${core_packages[@]}" "${rtl_packages[@]}" "${test_packages[@]}"
    build ON ;;
  report) install_missing_packages python3-matplotlib ;;
  replay)
    install_missing_packages "${core_packages[@]}"
    build OFF vpreplay ;;
  sweep)
    install_missing_packages "${core_packages[@]}" "${rtl_packages[@]}"
    build ON vpsim ;;
  *)
    install_missing_packages "${core_packages[@]}"
    build OFF vpsim
    if [ "$(rtl_setting)" = OFF ]; then
      status=0
      "$build_dir/vpsim" --check "$@" > /dev/null 2>&1 || status=$?
      if [ "$status" -eq "$no_rtl_kernel_status" ]; then
        install_missing_packages "${rtl_packages[@]}"
        build ON vpsim
      fi
    fi ;;
esac
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
