# Script tests of the sweep driver (platform/sweep), the plots and the HTML report (platform/plots):
# Python unittest files under tests/, one ctest test per file. They run with Debian's python3
# (/usr/bin/python3), where python3-matplotlib is installed; exit code 77 means every case skipped
# (an optional tool such as Slurm or Chromium is absent).
find_program(VP_SYSTEM_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
find_program(VP_SYSTEM_PYTHON3 NAMES python3)
foreach(script_test test_sweep_spec test_sweep_local test_sweep_slurm test_plots test_report_chromium)
  add_test(NAME ${script_test}
           COMMAND ${VP_SYSTEM_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/${script_test}.py)
  set_tests_properties(${script_test} PROPERTIES
    SKIP_RETURN_CODE 77
    TIMEOUT 900
    ENVIRONMENT "VP_VPSIM=$<TARGET_FILE:vpsim>;VP_TEST_WORK=${CMAKE_BINARY_DIR}/script_tests/${script_test};PYTHONDONTWRITEBYTECODE=1")
endforeach()
