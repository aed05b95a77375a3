// libsystemc.so brings a main() that calls sc_main(); the harnesses run libFuzzer's main() instead,
// but the link still needs the symbol. Never called.
extern "C" int sc_main(int, char*[]) { return 1; }
