#include "common/runtime/tools/cli_tools.h"

#include <algorithm>
#include <string_view>

#include "common/runtime/tools/checked_tool.h"
#include "common/runtime/tools/command_run.h"
#include "common/runtime/tools/command_words.h"
#include "common/runtime/tools/program_path.h"

namespace aof::runtime::tools {
namespace {

struct Program {
  std::string name;
  int default_timeout_secs;
  std::string purpose;                   // for the description the model reads
  std::vector<std::string> read_verbs;   // verbs that only read
  std::vector<std::string> local_verbs;  // verbs that change only what is in the run
                                         // directory: no outside effect (journal)
};

const std::vector<Program>& programs() {
  static const std::vector<Program> kPrograms = {
      {"kubectl",
       120,
       "Kubernetes clusters",
       {"get", "describe", "logs", "explain", "version", "api-resources", "api-versions", "top",
        "diff", "cluster-info"},
       {}},
      {"helm",
       300,
       "Helm releases and charts",
       {"list", "ls", "status", "get", "history", "show", "search", "template", "version", "lint",
        "diff"},
       {}},
      {"git",
       120,
       "git repositories",
       {"status", "log", "diff", "show", "blame", "ls-files", "ls-tree", "rev-parse", "describe",
        "shortlog", "grep", "version", "cat-file"},
       // The clone lives in the run directory: only `push` (and anything unknown) reaches
       // beyond it. A redelivery must clone again, so clone is not journaled.
       {"clone",  "init",   "fetch", "pull",  "checkout", "switch",      "restore", "add",
        "commit", "branch", "tag",   "merge", "rebase",   "cherry-pick", "revert",  "reset",
        "stash",  "mv",     "rm",    "apply", "am",       "clean"}},
      {"terraform",
       600,
       "Terraform configurations",
       {"plan", "show", "output", "validate", "version", "providers", "graph"},
       {}},
      {"aws", 120, "AWS", {}, {}},  // by operation: cli_command_changes_something
      {"docker",
       300,
       "Docker containers and images",
       {"ps", "images", "logs", "inspect", "version", "info", "top", "history", "search", "diff"},
       {}},
  };
  return kPrograms;
}

const Program* find_program(const std::string& name) {
  const auto& all = programs();
  const auto it =
      std::find_if(all.begin(), all.end(), [&](const auto& p) { return p.name == name; });
  return it == all.end() ? nullptr : &*it;
}

ToolSpec cli_spec(const Program& program, const CommandAllowList& allowed) {
  std::string description = "Run " + program.name + " (" + program.purpose +
                            ") without a shell. `command` is the arguments after " + program.name +
                            ", quoted as in a shell. Returns stdout, stderr, "
                            "exit_code and success.";
  if (!allowed.allows_everything()) description += " Allowed: " + allowed.describe() + ".";
  return ToolSpec{
      program.name,
      description,
      {{"type", "object"},
       {"properties",
        {{"command",
          {{"type", "string"},
           {"description", "Arguments for " + program.name + ", e.g. " +
                               (program.name == "kubectl" ? "get pods -n web" : "--version")}}},
         {"working_dir", working_dir_property()},
         {"timeout_secs", timeout_property(program.default_timeout_secs)}}},
       {"required", {"command"}}}};
}

ToolResult run_cli(const Program& program, const CliToolOptions& options, const Json& arguments,
                   const ToolCallContext& context) {
  auto words = split_command_words(arguments["command"].get<std::string>());
  if (!words.ok())
    return failure(program.name + " runs without a shell: " + words.error().message());
  if (!words->empty() && words->front() == program.name) words->erase(words->begin());
  std::vector<std::string> full = {program.name};
  full.insert(full.end(), words->begin(), words->end());
  if (!options.allowed.allows(full)) {
    return failure("\"" + join_command_words(full) + "\" is not allowed; this agent's " +
                   program.name + " allows only: " + options.allowed.describe());
  }
  const std::string path = locate_program(program.name, options.search_path);
  if (path.empty()) {
    return failure(program.name + " is not installed on this worker (not found in PATH)");
  }
  auto dir = working_dir_of(arguments, context);
  if (!dir.ok()) return failure(dir.error().message());
  CommandRun run;
  run.argv = full;
  run.argv[0] = path;
  run.display = join_command_words(full);
  run.working_dir = std::move(*dir);
  run.timeout = std::chrono::seconds(arguments.value("timeout_secs", program.default_timeout_secs));
  run.changed_something = cli_command_changes_something(program.name, *words);
  return run_command(run, context);
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The arguments that are not flags: the verb first (`kubectl -n web get` gives "web").
std::vector<std::string> verbs_of(const std::vector<std::string>& args) {
  std::vector<std::string> verbs;
  for (const auto& arg : args) {
    if (!starts_with(arg, "-")) verbs.push_back(arg);
  }
  return verbs;
}

bool contains(const std::vector<std::string>& list, const std::string& word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

bool has_outside_effect(const Program& program, const Json& arguments) {
  auto words = split_command_words(arguments["command"].get<std::string>());
  if (!words.ok()) return false;  // refused before anything runs
  if (!words->empty() && words->front() == program.name) words->erase(words->begin());
  return cli_command_has_outside_effect(program.name, *words);
}

}  // namespace

const std::vector<std::string>& cli_tool_names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const auto& program : programs()) names.push_back(program.name);
    return names;
  }();
  return kNames;
}

std::shared_ptr<const Tool> make_cli_tool(const std::string& program, CliToolOptions options) {
  const Program* found = find_program(program);
  if (found == nullptr) return nullptr;
  auto spec = cli_spec(*found, options.allowed);
  return make_tool(
      std::move(spec),
      [found, options = std::move(options)](const Json& arguments, const ToolCallContext& context) {
        return run_cli(*found, options, arguments, context);
      },
      [found](const Json& arguments) { return has_outside_effect(*found, arguments); });
}

bool cli_command_changes_something(const std::string& program,
                                   const std::vector<std::string>& args) {
  const Program* found = find_program(program);
  if (found == nullptr) return true;
  const std::vector<std::string> verbs = verbs_of(args);
  if (verbs.empty()) return false;  // flags only: --version, --help
  if (program == "aws") {
    if (verbs.size() < 2) return true;
    const std::string& operation = verbs[1];
    return !(operation == "ls" || starts_with(operation, "describe-") ||
             starts_with(operation, "get-") || starts_with(operation, "list-"));
  }
  return !contains(found->read_verbs, verbs.front());
}

bool cli_command_has_outside_effect(const std::string& program,
                                    const std::vector<std::string>& args) {
  if (!cli_command_changes_something(program, args)) return false;
  const Program* found = find_program(program);
  return found == nullptr || !contains(found->local_verbs, verbs_of(args).front());
}

}  // namespace aof::runtime::tools
