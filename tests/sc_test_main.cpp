// Test entry point. main() (platform/systemc_main.cpp) hands over to SystemC, which calls sc_main;
// SystemC elaborates and simulates once per process, so each SystemC test case must run alone
// (ctest does this).
#include <gtest/gtest.h>
#include <systemc>

int sc_main(int argc, char* argv[]) {
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
