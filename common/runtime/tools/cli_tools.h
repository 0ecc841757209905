#pragma once
// The CLI wrappers kubectl, helm, git, terraform, aws and docker (reference §4.4): the
// program with `command` as its arguments, run without a shell. `command` is split the way
// sh would split it (quotes and backslashes, command_words.h), not on blanks as AOF did, so
// `-l 'app in (web,api)'` stays one argument; shell syntax (pipes, ;, $, redirections) is
// refused because nothing would interpret it. A leading program name is dropped
// (`kubectl get pods` in the kubectl tool means `get pods`: models often write it).
//
// Defaults as AOF's: timeout_secs 120, helm and docker 300, terraform 600 (at most 3600;
// the run's deadline may end it first). The program is looked up in PATH at each call; when
// it is missing the call says "kubectl is not installed on this worker (not found in
// PATH)". An allow-list (allowed_commands on the tool's entry, or the Shell entry's entries
// for this program) is checked against the program and its arguments. The program inherits
// the worker's environment (KUBECONFIG, AWS credentials), as in AOF.
//
// changed_something is false only for verbs that obviously only read (get, describe, logs,
// status, diff, log, show, plan, list, version, ...: cli_command_changes_something); any
// doubt counts as a change. Has an outside effect (Tool::has_outside_effect: journaled for
// effect-once) when it changes something and is not a git verb that changes only the local
// clone in the run directory (clone, commit, checkout, ...: a redelivery must redo those);
// the journal may skip a read or a local change, never a write beyond the run.

#include <memory>
#include <string>
#include <vector>

#include "common/runtime/tools/command_policy.h"
#include "common/runtime/tools/tool.h"

namespace aof::runtime::tools {

struct CliToolOptions {
  CommandAllowList allowed;  // default: everything
  std::string search_path;   // PATH-style directories to find the program in; "" = the
                             // worker's $PATH at each call (tests point it at fakes)
};

// The wrapped programs, which are also the tools' names.
const std::vector<std::string>& cli_tool_names();

// nullptr when `program` is not one of cli_tool_names().
std::shared_ptr<const Tool> make_cli_tool(const std::string& program, CliToolOptions options = {});

// Whether `program` run with `args` may change something. The verb is the first argument
// not starting with '-' (aws: the second, the operation), so `kubectl -n web get pods`
// counts as a change: the verb seen is "web". Arguments only (`--version`) change nothing.
bool cli_command_changes_something(const std::string& program,
                                   const std::vector<std::string>& args);

// Whether it changes something beyond the run directory (see above): all but git's local
// verbs among the changes.
bool cli_command_has_outside_effect(const std::string& program,
                                    const std::vector<std::string>& args);

}  // namespace aof::runtime::tools
