#!/usr/bin/env bash
# CI: the whole test suite built with AddressSanitizer + UndefinedBehaviorSanitizer (g++,
# -DVP_SANITIZE=ON, own build dir), then a leak check (LeakSanitizer, part of ASan) of a 64-token
# run of a small model through vpsim.
#
# Configured with -DVP_RTL=OFF: no Verilated model is compiled, and the RTL tests (test_rtl_*, rtl lint
# and synthesis) are not built; they check the RTL and the Verilator-generated code, not our C++ under the
# sanitizers, and the main suite (./run_sim.sh --test, VP_RTL=ON) runs every one of them.
#
# SystemC's coroutines (QuickThreads) switch stacks under ASan's feet; Debian's libsystemc 2.3.4
# announces each switch through __sanitizer_start/finish_switch_fiber (weak symbols that resolve
# once ASan is linked), so ASan tracks the thread stacks and needs no special options: the suite
# runs clean with the defaults. Stack use-after-return detection stays off (libasan's default; its
# fake stacks are not switched with the coroutines), which the options below only make explicit.
#
# Leaks are not checked in the test suite: SystemC never unwinds a thread that is still waiting when
# the simulation ends (a DRAM controller, a test's initiator, a host program stuck after a kernel
# error), so whatever its frame owns is reported, and LeakSanitizer cannot tell that from a leak.
# The leak check is a complete vpsim run instead, where no thread frame owns heap memory at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir="${VP_SANITIZE_BUILD_DIR:-build-sanitize}"
export ASAN_OPTIONS="detect_leaks=0:detect_stack_use_after_return=0:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$PWD/.ci/ubsan.supp"

step_start=$SECONDS
if [ ! -f "$build_dir/build.ninja" ]; then
  # -O1 as ASan recommends; -g1 gives file:line in reports at a fraction of -g's build time.
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DVP_SANITIZE=ON -DVP_RTL=OFF
else
  cmake -S . -B "$build_dir" -DVP_RTL=OFF > /dev/null  # a build dir configured before VP_RTL existed
fi
cmake --build "$build_dir" -j"$(nproc)"
echo "sanitize.sh: built in $((SECONDS - step_start)) s"

t0=$SECONDS
(cd "$build_dir" && ctest --output-on-failure -j"$(nproc)")
echo "sanitize.sh: test suite under ASan+UBSan passed in $((SECONDS - t0)) s"

# A leak in the model, the platform or the host program shows up as unreachable memory at exit.
t0=$SECONDS
ASAN_OPTIONS="${ASAN_OPTIONS/detect_leaks=0/detect_leaks=1}" VP_CACHE_DIR="$build_dir/cache" \
  "$build_dir/vpsim" --run.model_shape=stories15M --run.steps=64 > "$build_dir/leak_check.log"
echo "sanitize.sh: leak check (stories15M shape, 64 tokens) clean in $((SECONDS - t0)) s"
echo "sanitize.sh: done in $((SECONDS - step_start)) s"
