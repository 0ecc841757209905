#pragma once
// Finding a program the way a shell would, without one: the CLI tools of agents and the
// native tools of Script nodes run programs by absolute path (no shell, no PATH search by
// exec), so they look the program up here first.

#include <string>

namespace aof::runtime::tools {

// The absolute path of executable `name` in the first directory of `search_path` (PATH
// syntax) that has it, or "" when none does. "" search_path = the worker's $PATH now (or
// /usr/local/bin:/usr/bin:/bin without one). Relative and empty entries are skipped: they
// would mean the worker's own working directory.
std::string locate_program(const std::string& name, std::string search_path = "");

}  // namespace aof::runtime::tools
