#pragma once
// What the DRAM channel tests share: a check that a configuration is refused naming its key, an initiator of any number of SystemC threads that issues
// b_transport calls, and a runner that gives each simulation its own forked process (SystemC
// elaborates and simulates once per process) and takes its result back as text.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/dram/dram_config.h"

namespace vp::dram_test {

// One initiator whose threads each run body(initiator, thread).
class TestInitiator : public sc_core::sc_module {
 public:
  using Body = std::function<void(TestInitiator&, unsigned thread)>;
  tlm_utils::simple_initiator_socket<TestInitiator> socket{"socket"};

  TestInitiator(sc_core::sc_module_name name, unsigned threads, Body body) : sc_module(name), body_(std::move(body)) {
    for (unsigned t = 0; t < threads; ++t)
      sc_core::sc_spawn([this, t] { body_(*this, t); }, sc_core::sc_gen_unique_name("worker"));
  }

  tlm::tlm_response_status transport(tlm::tlm_command command, std::uint64_t address, std::uint8_t* data,
                                     unsigned length, sc_core::sc_time delay = sc_core::SC_ZERO_TIME,
                                     std::uint8_t* byte_enables = nullptr, unsigned streaming_width = 0) {
    tlm::tlm_generic_payload trans;
    trans.set_command(command);
    trans.set_address(address);
    trans.set_data_ptr(data);
    trans.set_data_length(length);
    trans.set_streaming_width(streaming_width == 0 ? length : streaming_width);
    trans.set_byte_enable_ptr(byte_enables);
    trans.set_byte_enable_length(byte_enables ? length : 0);
    trans.set_dmi_allowed(false);
    trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    socket->b_transport(trans, delay);
    last_delay = delay;
    return trans.get_response_status();
  }

  // A read of up to 256 bytes that must succeed.
  void read(std::uint64_t address, unsigned length, sc_core::sc_time delay = sc_core::SC_ZERO_TIME) {
    std::uint8_t buffer[256];
    EXPECT_EQ(transport(tlm::TLM_READ_COMMAND, address, buffer, length, delay), tlm::TLM_OK_RESPONSE);
  }

  sc_core::sc_time last_delay;

 private:
  Body body_;
};

// cfg.validate("hbm.") must refuse cfg with a message containing `fragment` (the key and value).
inline void expect_invalid(const DramConfig& cfg, const std::string& fragment) {
  try {
    cfg.validate("hbm.");
    ADD_FAILURE() << "accepted, expected an error naming " << fragment;
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

// run() in a forked child; its text, or "child failed" when it threw (e.g. a DramTimingViolation) or
// died.
inline std::string run_in_child(const std::function<std::string()>& run) {
  int fds[2];
  if (pipe(fds) != 0) return "pipe failed";
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    std::string text;
    try {
      text = run();
    } catch (const std::exception&) {
      _exit(2);
    }
    const ssize_t written = write(fds[1], text.data(), text.size());
    _exit(written == static_cast<ssize_t>(text.size()) ? 0 : 1);
  }
  close(fds[1]);
  std::string text;
  char chunk[4096];
  for (ssize_t n; (n = read(fds[0], chunk, sizeof chunk)) > 0;) text.append(chunk, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? text : "child failed";
}

}  // namespace vp::dram_test
