#pragma once
// Runs the vpsim binary (VP_VPSIM, set by CMake for test_robustness_* and test_vpsim_cli) as a
// child process, for tests whose behaviour is an exit status, a signal, files on disk or the
// process's peak memory (their scratch directories: tests/scratch_dir.h).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/read_file.h"
#include "tests/scratch_dir.h"

namespace vp::test {

struct ChildResult {
  int exit_code = -1;   // when it exited
  int term_signal = 0;  // when a signal ended it
  std::string out, err;
  long peak_rss_kb = 0;  // the child's own ru_maxrss (wait4)
};

struct ChildOptions {
  rlim_t file_size_limit = RLIM_INFINITY;  // RLIMIT_FSIZE, bytes
  bool ignore_sigxfsz = false;             // then a write past the limit fails with EFBIG instead of killing
};

// vpsim with `args`, stdout and stderr on pipes. The destructor kills and reaps a child still running.
class VpsimChild {
 public:
  explicit VpsimChild(const std::vector<std::string>& args, const ChildOptions& options = {}) {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    std::vector<std::string> all{VP_VPSIM};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {  // child: only async-signal-safe calls until exec
      dup2(out[1], STDOUT_FILENO);
      dup2(err[1], STDERR_FILENO);
      const rlimit limit{options.file_size_limit, options.file_size_limit};
      setrlimit(RLIMIT_FSIZE, &limit);
      if (options.ignore_sigxfsz) signal(SIGXFSZ, SIG_IGN);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    close(err[1]);
    out_fd_ = out[0];
    err_fd_ = err[0];
  }
  ~VpsimChild() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) close(out_fd_);
    if (err_fd_ >= 0) close(err_fd_);
  }
  VpsimChild(const VpsimChild&) = delete;
  VpsimChild& operator=(const VpsimChild&) = delete;

  // Reads until stdout has a complete line starting with `prefix`; false when stdout ends first.
  bool wait_for_line(const std::string& prefix) {
    for (;;) {
      for (size_t start = 0; start < result_.out.size();) {
        const size_t end = result_.out.find('\n', start);
        if (end == std::string::npos) break;
        if (result_.out.compare(start, prefix.size(), prefix) == 0) return true;
        start = end + 1;
      }
      if (!pump()) return false;
    }
  }

  void send_signal(int sig) { kill(pid_, sig); }

  // Reads both pipes to their end and reaps the child.
  ChildResult finish() {
    while (pump()) {
    }
    int status = 0;
    rusage usage{};
    while (wait4(pid_, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    if (WIFEXITED(status)) result_.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result_.term_signal = WTERMSIG(status);
    result_.peak_rss_kb = usage.ru_maxrss;
    return result_;
  }

 private:
  // One poll round over the open pipes; false when both have ended.
  bool pump() {
    pollfd fds[2];
    nfds_t n = 0;
    if (out_fd_ >= 0) fds[n++] = {out_fd_, POLLIN, 0};
    if (err_fd_ >= 0) fds[n++] = {err_fd_, POLLIN, 0};
    if (n == 0) return false;
    if (poll(fds, n, -1) < 0) return errno == EINTR;
    for (nfds_t i = 0; i < n; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      const ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      const bool is_out = fds[i].fd == out_fd_;
      if (got > 0) {
        (is_out ? result_.out : result_.err).append(buf, static_cast<size_t>(got));
      } else {
        close(fds[i].fd);
        (is_out ? out_fd_ : err_fd_) = -1;
      }
    }
    return true;
  }

  pid_t pid_ = -1;
  int out_fd_ = -1, err_fd_ = -1;
  bool reaped_ = false;
  ChildResult result_;
};

inline ChildResult run_vpsim(const std::vector<std::string>& args, const ChildOptions& options = {}) {
  VpsimChild child(args, options);
  return child.finish();
}

}  // namespace vp::test
