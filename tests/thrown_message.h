#pragma once
// What a call throws, for the tests that pin an error message: the what() of the exception of type
// E (std::runtime_error unless named) that `call` throws, or "" when it returns. An exception of
// another type goes on to GoogleTest, which fails the test with it.
#include <stdexcept>
#include <string>
#include <utility>

namespace vp::test {

template <class E = std::runtime_error, class Call>
std::string thrown_message(Call&& call) {
  try {
    std::forward<Call>(call)();
  } catch (const E& e) {
    return e.what();
  }
  return "";
}

}  // namespace vp::test
