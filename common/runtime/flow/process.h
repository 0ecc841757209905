#pragma once
// Runs one command for a Script node or an agent tool: `/bin/sh -c <command>`, or a program
// with its argv and no shell at all (the CLI tool wrappers: no shell, no shell syntax to
// abuse). The child runs in its own process group, stdin from /dev/null, stdout and stderr
// captured concurrently (each capped), environment additions and working directory applied
// to the child only (posix_spawn; the worker process never calls chdir or setenv). On a
// timeout, the deadline or cancellation the whole process group is killed. When the child
// exits, what is left of its group (background jobs still holding the pipes, say) is killed
// too: a command leaves no processes behind. Thread-safe.

#include <atomic>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "common/base/clock.h"
#include "common/base/result.h"

namespace aof::runtime::flow {

struct ProcessSpec {
  std::string command;                           // run by /bin/sh -c (when argv is empty)
  std::vector<std::string> argv;                 // when set: argv[0] (a path; PATH is not
                                                 // searched) runs with these arguments,
                                                 // no shell; `command` is then unused
  std::map<std::string, std::string> extra_env;  // added to (overriding) the inherited env
  std::string working_dir;                       // child's cwd; "" = the worker's
  Millis timeout{60'000};                        // the script's own limit
  TimePoint deadline = TimePoint::max();         // the run's (or node's) deadline
  const std::atomic<bool>* cancelled = nullptr;  // set → kill and stop
  std::size_t max_output_bytes = 1u << 20;       // per stream; the excess is read and dropped
};

struct ProcessResult {
  int exit_code = 0;  // 128 + signal number when a signal ended it (shell convention)
  std::string stdout_text;
  std::string stderr_text;
  bool stdout_truncated = false;
  bool stderr_truncated = false;
};

// Errors: kTimeout (`timeout` or `deadline` passed), kUnavailable (cancelled),
// kInternal (the shell or program could not be started, e.g. working_dir does not exist).
Result<ProcessResult> run_process(const ProcessSpec& spec);

}  // namespace aof::runtime::flow
