#!/usr/bin/env bash
# CI: builds the libFuzzer harnesses (clang, -DVP_FUZZ=ON: ASan+UBSan+coverage, own build dir) and
# fuzzes every reader of untrusted input for a fixed number of inputs from a fixed seed (so a CI
# run explores exactly what a developer's run of the same commit does), starting from its seed corpus
# (fuzz/corpus/) and the crashers kept so far (fuzz/regressions/). A finding fails the step; the
# input is left in $build_dir/findings/<target>/ to be minimized into fuzz/regressions/<target>/.
# Configured with -DVP_RTL=OFF (no Verilated model; no harness reads RTL) and each harness links only
# its reader's libraries (fuzz/CMakeLists.txt); the main suite (VP_RTL=ON) keeps every RTL test.
#   VP_FUZZ_RUNS   inputs per harness (default 300000, 20-40 s each; the config parser, ~180
#                  inputs/s, gets a twentieth and takes about 1.5 min); harnesses run one per core
#   VP_FUZZ_SEED   libFuzzer seed (default 1); set another to explore further locally
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir="${VP_FUZZ_BUILD_DIR:-build-fuzz}"
runs="${VP_FUZZ_RUNS:-300000}"
seed="${VP_FUZZ_SEED:-1}"
targets=(checkpoint_fp32 checkpoint_q8 tokenizer sim_config axi_trace)

# libFuzzer ships with clang's runtime libraries (libclang-rt-14-dev on Debian 12).
packages=(clang libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

step_start=$SECONDS
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang \
        -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_FLAGS="-g1" -DVP_FUZZ=ON -DVP_RTL=OFF
else
  cmake -S . -B "$build_dir" -DVP_RTL=OFF > /dev/null  # a build dir configured before VP_RTL existed
fi
cmake --build "$build_dir" -j"$(nproc)" --target "${targets[@]/#/fuzz_}"
echo "fuzz.sh: harnesses built in $((SECONDS - step_start)) s"

# One harness per core at a time, the slowest (the config parser) first; each writes its own log and
# a one-line result, printed in the targets' order once all have run.
fuzz_target() {
  local t=$1 work="$build_dir/fuzz_work/$1" findings="$build_dir/findings/$1" t0=$SECONDS
  mkdir -p "$work" "$findings"
  local inputs=("$work" "fuzz/corpus/$t") target_runs=$runs
  [ -d "fuzz/regressions/$t" ] && inputs+=("fuzz/regressions/$t")
  [ "$t" = sim_config ] && target_runs=$((runs / 20))
  local options=(-runs="$target_runs" -seed="$seed" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$findings/" -print_final_stats=1)
  [ -f "fuzz/$t.dict" ] && options+=(-dict="fuzz/$t.dict")
  if "$build_dir/fuzz/fuzz_$t" "${options[@]}" "${inputs[@]}" > "$build_dir/fuzz_$t.log" 2>&1; then
    echo "fuzz.sh: $t: $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build_dir/fuzz_$t.log" | grep -o '[0-9]*$') runs in $((SECONDS - t0)) s, no finding" > "$build_dir/fuzz_$t.result"
  else
    { echo "FINDING"
      echo "fuzz.sh: $t: FINDING after $((SECONDS - t0)) s (input in $findings/):"
      grep -E -A12 'ERROR|runtime error|terminate called|deadly signal' "$build_dir/fuzz_$t.log" | head -40
    } > "$build_dir/fuzz_$t.result"
  fi
}
rm -f "$build_dir"/fuzz_*.result
for t in sim_config "${targets[@]/sim_config}"; do
  [ -n "$t" ] || continue
  while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n || true; done
  fuzz_target "$t" &
done
wait
failed=()
for t in "${targets[@]}"; do
  if [ "$(head -n1 "$build_dir/fuzz_$t.result")" = FINDING ]; then
    tail -n +2 "$build_dir/fuzz_$t.result"
    failed+=("$t")
  else
    cat "$build_dir/fuzz_$t.result"
  fi
done
echo "fuzz.sh: done in $((SECONDS - step_start)) s"
[ ${#failed[@]} -eq 0 ] || { echo "fuzz.sh: findings in: ${failed[*]}" >&2; exit 1; }
