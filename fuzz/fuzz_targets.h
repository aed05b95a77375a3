#pragma once
// The fuzzed entry points, shared by the libFuzzer harnesses (fuzz/fuzz_<target>.cpp) and by the
// regression test (tests/test_robustness_fuzz_regressions.cpp) that replays every file kept in
// fuzz/regressions/<target>/ in the normal test suite.
//
// Each entry point takes the raw input bytes, hands them to a reader the way vpsim would (through a
// file, since the readers take paths) and returns normally when the input is accepted or refused with
// a clean error: std::runtime_error, std::invalid_argument or std::out_of_range, whose messages name
// the file or key. Anything else escapes as a finding: std::bad_alloc or std::length_error from a size
// taken from the input, a std::logic_error from a broken invariant; memory errors and undefined
// behaviour crash under the sanitizers. Header-only so that tests link it without a CMake change; each
// harness includes only its part (file_reader_targets.h: sw/ and traces/ readers, no SystemC;
// sim_config_target.h: the config parser) and links only the libraries that part needs.
#include "fuzz/file_reader_targets.h"
#include "fuzz/sim_config_target.h"
