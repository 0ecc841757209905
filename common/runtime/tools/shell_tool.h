#pragma once
// The `shell` tool (reference §4.4; also what `bash` and `sh` name): `/bin/sh -c command` in
// the run directory or a working_dir inside it; timeout_secs (default 60, at most 3600) and
// the run's deadline, whichever ends first, kill the command's whole process group; output
// capped as command_run.h says. changed_something is always true: a shell can do anything.
//
// Refused before anything runs: AOF's blocked patterns (command_policy.h). With an
// allow-list the command must be one simple command whose words the list allows: shell
// syntax that could start a second program (`kubectl get pods; rm -rf /`, `| sh`, `$(...)`,
// backquotes, redirections) is refused unless quoted (command_words.h), so what the list
// checks is all that runs. Without one (no allowed_commands, or "*") sh gets the command as
// written, as in AOF.
//
// The child inherits the worker's environment (kubectl needs KUBECONFIG, aws its
// credentials), so an unrestricted shell can read the worker's secrets: give an agent that
// handles untrusted input an allow-list.

#include <memory>

#include "common/runtime/tools/command_policy.h"
#include "common/runtime/tools/tool.h"

namespace aof::runtime::tools {

struct ShellToolOptions {
  CommandAllowList allowed;  // from allowed_commands; default: everything
};

std::shared_ptr<const Tool> make_shell_tool(ShellToolOptions options = {});

}  // namespace aof::runtime::tools
