// docker and kubectl (native_tools.h): the program by absolute path with an argv, no shell.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/event/body_codec.h"
#include "common/runtime/flow/native_tool_call.h"
#include "common/runtime/flow/script_node.h"
#include "common/runtime/tools/program_path.h"

namespace aof::runtime::flow {
namespace {

using Json = nlohmann::json;

constexpr std::int64_t kMaxTail = 100'000;

// Turns a finished program's output into the action's result (or a failure).
using Shape = std::function<ToolOutcome(ProcessResult&)>;

ToolOutcome failed(Json output, std::string why) {
  return ToolOutcome{std::move(output), std::move(why)};
}

// The PATH the node's environment gives the program, else the worker's ("").
std::string search_path(const ToolCall& call) {
  const auto path = call.process.extra_env.find("PATH");
  return path == call.process.extra_env.end() ? "" : path->second;
}

Result<ToolOutcome> run_program(const ToolCall& call, const std::string& program,
                                const std::vector<std::string>& arguments, const Shape& shape) {
  std::string display = program;
  for (const auto& argument : arguments) display += " " + argument;
  const std::string path = tools::locate_program(program, search_path(call));
  if (path.empty()) {
    return failed(Json{{"command", display}},
                  program + " is not installed on this worker (not found in PATH)");
  }
  ProcessSpec spec = call.process;
  spec.argv = {path};
  spec.argv.insert(spec.argv.end(), arguments.begin(), arguments.end());
  auto done = run_process(spec);
  if (!done.ok()) return done.error().with_context(display);
  done->stdout_text = event::replace_invalid_utf8(std::move(done->stdout_text));
  done->stderr_text = event::replace_invalid_utf8(std::move(done->stderr_text));
  if (done->exit_code != 0) {
    const std::string tail = stderr_tail(done->stderr_text);
    return failed(Json{{"command", display},
                       {"exit_code", done->exit_code},
                       {"stderr", std::move(done->stderr_text)}},
                  "`" + display + "` exited with " + std::to_string(done->exit_code) +
                      (tail.empty() ? "" : ": " + tail));
  }
  if (done->stdout_truncated) {
    return failed(Json{{"command", display}, {"exit_code", 0}},
                  "`" + display + "` printed more than " +
                      std::to_string(call.max_output_bytes) + " bytes");
  }
  return shape(*done);
}

// stdout as one JSON document.
ToolOutcome json_document(ProcessResult& done, const std::string& what) {
  Json parsed = Json::parse(done.stdout_text, nullptr, false);
  if (parsed.is_discarded()) return failed(Json{{"exit_code", 0}}, what + " printed no JSON");
  return ToolOutcome{std::move(parsed), ""};
}

// stdout as one JSON object per line (`--format '{{json .}}'`); blank lines skipped.
ToolOutcome json_lines(ProcessResult& done, const std::string& what, Json* items) {
  *items = Json::array();
  std::size_t start = 0, line = 0;
  const std::string& text = done.stdout_text;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    ++line;
    const auto piece = std::string_view(text).substr(start, end - start);
    start = end + 1;
    if (piece.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    Json parsed = Json::parse(piece, nullptr, false);
    if (parsed.is_discarded()) {
      return failed(Json{{"exit_code", 0}},
                    what + " printed a line that is not JSON (line " + std::to_string(line) + ")");
    }
    items->push_back(std::move(parsed));
  }
  return {};
}

Error no_action(const std::string& tool, const std::string& action, const char* actions) {
  return Error(ErrorCode::kInvalidArgument,
               tool + " has no action \"" + action + "\"; it has " + actions);
}

}  // namespace

Result<ToolOutcome> run_docker(const ToolCall& call) {
  if (call.action == "ps") {
    auto all = flag_arg(call, "all", false);
    if (!all.ok()) return all.error();
    std::vector<std::string> args = {"ps"};
    if (*all) args.push_back("--all");
    args.insert(args.end(), {"--format", "{{json .}}"});
    return run_program(call, "docker", args, [](ProcessResult& done) {
      Json containers;
      ToolOutcome outcome = json_lines(done, "docker ps", &containers);
      if (!outcome.failure.empty()) return outcome;
      const auto count = containers.size();
      return ToolOutcome{Json{{"containers", std::move(containers)}, {"count", count}}, ""};
    });
  }
  if (call.action == "logs") {
    auto container = name_arg(call, "container", true);
    if (!container.ok()) return container.error();
    auto tail = count_arg(call, "tail", 100, kMaxTail);
    if (!tail.ok()) return tail.error();
    return run_program(call, "docker", {"logs", "--tail", std::to_string(*tail), *container},
                       [&](ProcessResult& done) {
                         return ToolOutcome{Json{{"logs", std::move(done.stdout_text)},
                                                 {"stderr", std::move(done.stderr_text)},
                                                 {"container", *container}},
                                            ""};
                       });
  }
  if (call.action == "inspect") {
    auto container = name_arg(call, "container", true);
    if (!container.ok()) return container.error();
    return run_program(call, "docker", {"inspect", *container}, [](ProcessResult& done) {
      return json_document(done, "docker inspect");
    });
  }
  if (call.action == "stats") {
    return run_program(call, "docker", {"stats", "--no-stream", "--format", "{{json .}}"},
                       [](ProcessResult& done) {
                         Json stats;
                         ToolOutcome outcome = json_lines(done, "docker stats", &stats);
                         if (!outcome.failure.empty()) return outcome;
                         return ToolOutcome{Json{{"stats", std::move(stats)}}, ""};
                       });
  }
  return no_action("docker", call.action, "ps, logs, inspect, stats");
}

Result<ToolOutcome> run_kubectl(const ToolCall& call) {
  // spec.context.namespace reaches the environment as K8S_NAMESPACE (run_context.h); kubectl
  // itself does not read it, so it is the default -n here.
  const auto context_namespace = call.process.extra_env.find("K8S_NAMESPACE");
  auto namespace_ = name_arg(call, "namespace", false);
  if (!namespace_.ok()) return namespace_.error();
  if (namespace_->empty() && context_namespace != call.process.extra_env.end()) {
    *namespace_ = context_namespace->second;
  }
  const auto with_namespace = [&](std::vector<std::string> args) {
    if (!namespace_->empty()) args.insert(args.end(), {"--namespace", *namespace_});
    return args;
  };
  if (call.action == "get" || call.action == "describe") {
    auto resource = name_arg(call, "resource", true);
    if (!resource.ok()) return resource.error();
    auto name = name_arg(call, "name", false);
    if (!name.ok()) return name.error();
    std::vector<std::string> args = {call.action, *resource};
    if (!name->empty()) args.push_back(*name);
    if (call.action == "get") {
      args.insert(args.end(), {"--output", "json"});
      return run_program(call, "kubectl", with_namespace(args), [](ProcessResult& done) {
        return json_document(done, "kubectl get");
      });
    }
    return run_program(call, "kubectl", with_namespace(args), [&](ProcessResult& done) {
      return ToolOutcome{Json{{"output", std::move(done.stdout_text)}, {"resource", *resource}},
                         ""};
    });
  }
  if (call.action == "logs") {
    auto pod = name_arg(call, "pod", true);
    if (!pod.ok()) return pod.error();
    auto container = name_arg(call, "container", false);
    if (!container.ok()) return container.error();
    auto tail = count_arg(call, "tail", 100, kMaxTail);
    if (!tail.ok()) return tail.error();
    std::vector<std::string> args = {"logs", *pod, "--tail", std::to_string(*tail)};
    if (!container->empty()) args.insert(args.end(), {"--container", *container});
    return run_program(call, "kubectl", with_namespace(args), [&](ProcessResult& done) {
      return ToolOutcome{Json{{"logs", std::move(done.stdout_text)}, {"pod", *pod}}, ""};
    });
  }
  return no_action("kubectl", call.action, "get, logs, describe");
}

}  // namespace aof::runtime::flow
