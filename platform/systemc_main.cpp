// main() of the project's SystemC executables (vpsim, vpreplay, vptrace, the tests and benches; the
// libFuzzer harnesses have libFuzzer's). libsystemc's own main() calls sc_elab_and_sim, which prints
// SystemC's banner to stderr before it calls sc_main (SystemC 2.3.4: sc_core::pln, once per process)
// unless SYSTEMC_DISABLE_COPYRIGHT_MESSAGE is set by then, so setting it in sc_main is too late.
// This main() sets it (a value already in the environment is kept) and hands over to SystemC.
#include <cstdlib>

#include <systemc>

int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}
