#pragma once
// Runs one of our binaries as a black box for end-to-end tests: spawned with its own args and
// environment, stdout/stderr captured to files, stopped with a signal, waited for with a
// deadline. The destructor kills what is still running.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace aof::testing {

// Path of a built binary: $AOF_BIN_DIR/<name> (set by CTest), else <build>/bin/<name>.
std::string binary_path(const std::string& name);

class ChildProcess {
 public:
  // Starts `program` with `args`; `env` entries are added to (or override) the inherited
  // environment. Output goes to files in `log_dir`. `cwd` ("" = ours) is the child's working
  // directory.
  ChildProcess(const std::string& program, const std::vector<std::string>& args,
               const std::map<std::string, std::string>& env, const std::string& log_dir,
               const std::string& cwd = "");
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int signal_number) const;

  // Waits for exit; returns the exit code (128+signal when killed), or nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);

  std::string stdout_text() const;
  std::string stderr_text() const;

  // Polls stderr until `needle` appears; returns the text from the needle to the line's end.
  std::optional<std::string> wait_for_stderr(const std::string& needle,
                                             std::chrono::milliseconds timeout) const;

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::string stdout_path_;
  std::string stderr_path_;
};

// Runs a program to completion (at most `timeout`) and returns {exit code, stdout, stderr}.
struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
RunResult run_to_completion(const std::string& program, const std::vector<std::string>& args,
                            const std::map<std::string, std::string>& env,
                            std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace aof::testing
