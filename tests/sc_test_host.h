#pragma once
// What the SystemC tests' host stubs share: a module that runs the test body as its SC_THREAD (so
// the body may call blocking transports and wait on simulated time), and one blocking transfer
// through an initiator socket.
#include <cstdint>
#include <functional>
#include <utility>

#include <systemc>
#include <tlm>

namespace vp::test {

class TestHost : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(TestHost);
  TestHost(const sc_core::sc_module_name& name, std::function<void()> body) : sc_module(name), body_(std::move(body)) {
    SC_THREAD(run);
  }

 private:
  void run() { body_(); }
  std::function<void()> body_;
};

// Sends `length` bytes at `address` (read into or written from `data`, streaming width `length`)
// through `socket` by blocking transport in `gp`; `delay` comes back with the target's annotation
// added. Returns the response status (gp keeps the rest: the address a router left, extensions).
template <class Socket>
tlm::tlm_response_status blocking_transfer(Socket& socket, tlm::tlm_generic_payload& gp, tlm::tlm_command cmd,
                                           uint64_t address, void* data, unsigned length, sc_core::sc_time& delay) {
  gp.set_command(cmd);
  gp.set_address(address);
  gp.set_data_ptr(static_cast<unsigned char*>(data));
  gp.set_data_length(length);
  gp.set_streaming_width(length);
  gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  socket->b_transport(gp, delay);
  return gp.get_response_status();
}

template <class Socket>
tlm::tlm_response_status blocking_transfer(Socket& socket, tlm::tlm_command cmd, uint64_t address, void* data,
                                           unsigned length, sc_core::sc_time& delay) {
  tlm::tlm_generic_payload gp;
  return blocking_transfer(socket, gp, cmd, address, data, length, delay);
}

}  // namespace vp::test
