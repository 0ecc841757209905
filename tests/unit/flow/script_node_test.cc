// Script nodes through run_flow: a real /bin/sh per test.
#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/temp_dir.h"
#include "tests/unit/flow/flow_test_util.h"

namespace aof::runtime {
namespace {

using Json = nlohmann::json;
using testing::output_of;
using testing::run;
using testing::script;

config::FlowNode script_with(const std::string& command,
                             const std::function<void(config::ScriptConfig&)>& edit) {
  auto node = script("s", command);
  edit(*node.config.script_config);
  return node;
}

Result<Json> run_script(config::FlowNode node, const Json& trigger = Json::object(),
                        FlowRunOptions options = {}) {
  return run(testing::flow_of({std::move(node)}), trigger, std::move(options));
}

Json output(config::FlowNode node, const Json& trigger = Json::object()) {
  auto result = run_script(std::move(node), trigger);
  REQUIRE(result.ok());
  return output_of(result, "s");
}

// Whether process `pid` is gone (or a zombie nobody reaped yet).
bool process_gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const auto paren = line.rfind(')');
  return paren != std::string::npos && line.size() > paren + 2 && line[paren + 2] == 'Z';
}

TEST_CASE("the output object records exit code, both streams, parsed output and success") {
  const auto out = output(script("s", "echo out; echo err >&2"));
  CHECK(out == Json{{"exit_code", 0},
                    {"stdout", "out\n"},
                    {"stderr", "err\n"},
                    {"output", "out"},
                    {"success", true}});
}

TEST_CASE("stdout parse modes") {
  const auto set_parse = [](std::string mode, std::string pattern = "") {
    return [=](config::ScriptConfig& c) {
      c.parse = mode;
      c.pattern = pattern;
    };
  };
  CHECK(output(script_with("printf '  hello \\n'", set_parse("text")))["output"] == "hello");
  CHECK(output(script_with("echo '{\"a\":[1,2]}'", set_parse("json")))["output"]["a"][1] == 2);
  CHECK(output(script_with("printf 'a\\n\\nb\\n'", set_parse("lines")))["output"] ==
        Json{"a", "b"});
  const auto regex =
      output(script_with("printf 'v=1\\nv=2\\n'", set_parse("regex", "v=(?<n>\\d)")));
  CHECK(regex["output"] ==
        Json{{{"$0", "v=1"}, {"$1", "1"}, {"n", "1"}}, {{"$0", "v=2"}, {"$1", "2"}, {"n", "2"}}});
}

TEST_CASE("json parse failure fails the node; a bad regex is permanent") {
  auto bad_json = run_script(script_with("echo nope", [](auto& c) { c.parse = "json"; }));
  REQUIRE_FALSE(bad_json.ok());
  CHECK(bad_json.error().code() == ErrorCode::kInternal);
  CHECK(bad_json.error().message() ==
        "node \"s\" (Script) failed: parse json: stdout is not valid JSON");
  auto bad_regex = run_script(script_with("echo x", [](auto& c) {
    c.parse = "regex";
    c.pattern = "(";
  }));
  REQUIRE_FALSE(bad_regex.ok());
  CHECK(bad_regex.error().code() == ErrorCode::kInvalidArgument);
}

TEST_CASE("env is expanded and given to the child only") {
  REQUIRE(std::getenv("AOF_FLOW_TEST_VAR") == nullptr);
  const auto out =
      output(script_with("printf '%s|%s' \"$AOF_FLOW_TEST_VAR\" \"${PATH:+has-path}\"",
                         [](auto& c) { c.env["AOF_FLOW_TEST_VAR"] = "${event.text}"; }),
             Json{{"event", {{"text", "hi"}}}});
  CHECK(out["output"] == "hi|has-path");
  CHECK(std::getenv("AOF_FLOW_TEST_VAR") == nullptr);
}

TEST_CASE("working_dir is the child's; the test process's cwd is unchanged") {
  const aof::testing::TempDir dir;
  const auto before = std::filesystem::current_path();
  const auto out =
      output(script_with("pwd -P", [&](auto& c) { c.working_dir = dir.path().string(); }));
  CHECK(out["output"] == std::filesystem::canonical(dir.path()).string());
  CHECK(std::filesystem::current_path() == before);
}

TEST_CASE("a missing working_dir fails the node") {
  auto result = run_script(script_with("true", [](auto& c) { c.working_dir = "/nonexistent/x"; }));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().message().find("cannot start /bin/sh in \"/nonexistent/x\"") !=
        std::string::npos);
}

TEST_CASE("flow context: env, namespace and working directory reach the child") {
  const aof::testing::TempDir dir;
  std::filesystem::create_directory(dir.path() / "sub");
  auto flow =
      testing::flow_of({script_with("printf '%s %s %s ' \"$CTX\" \"$K8S_NAMESPACE\" "
                                    "\"$KUBECONFIG\"; pwd -P",
                                    [](auto& c) {
                                      c.working_dir = "sub";
                                      c.env["CTX"] = "script wins";
                                    })});
  flow.context.emplace();
  flow.context->env = {{"CTX", "context"}};
  flow.context->namespace_ = "staging";
  flow.context->kubeconfig = "/k/config";
  flow.context->working_dir = dir.path().string();
  auto result = run(flow);
  REQUIRE(result.ok());
  CHECK(output_of(result, "s")["output"] ==
        "script wins staging /k/config " + std::filesystem::canonical(dir.path() / "sub").string());
}

TEST_CASE("the script timeout kills the process group") {
  const aof::testing::TempDir dir;
  const auto pid_file = dir.path() / "pid";
  auto result = run_script(script_with("sleep 30 & echo $! > " + pid_file.string() + "; wait",
                                       [](auto& c) { c.timeout_seconds = 1; }));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == ErrorCode::kTimeout);
  CHECK(result.error().message() == "node \"s\" (Script) failed: timed out after 1s");
  std::ifstream in(pid_file);
  pid_t pid = 0;
  in >> pid;
  REQUIRE(pid > 0);
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    gone = process_gone(pid);
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(gone);
}

TEST_CASE("the run deadline and cancellation stop a script") {
  FlowRunOptions options;
  options.deadline = std::chrono::system_clock::now() + std::chrono::milliseconds(200);
  auto late = run_script(script("s", "sleep 30"), Json::object(), options);
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().code() == ErrorCode::kTimeout);
  CHECK(late.error().message() == "node \"s\" (Script) failed: deadline passed");

  std::atomic<bool> cancelled = false;
  FlowRunOptions cancellable;
  cancellable.cancelled = &cancelled;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancelled = true;
  });
  auto stopped = run_script(script("s", "sleep 30"), Json::object(), cancellable);
  canceller.join();
  REQUIRE_FALSE(stopped.ok());
  CHECK(stopped.error().code() == ErrorCode::kUnavailable);
}

TEST_CASE("a background job holding the pipes does not hold the node") {
  auto result =
      run_script(script_with("sleep 30 & echo done", [](auto& c) { c.timeout_seconds = 20; }));
  REQUIRE(result.ok());
  CHECK(output_of(result, "s")["output"] == "done");
}

TEST_CASE("fail_on_error: true fails with the stderr tail, false records the failure") {
  auto failed = run_script(script("s", "echo partial; echo oops >&2; exit 2"));
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code() == ErrorCode::kInternal);
  CHECK(failed.error().message() == "node \"s\" (Script) failed: exit code 2: oops");

  const auto recorded = output(
      script_with("echo partial; echo oops >&2; exit 2", [](auto& c) { c.fail_on_error = false; }));
  CHECK(recorded["exit_code"] == 2);
  CHECK(recorded["success"] == false);
  CHECK(recorded["stderr"] == "oops\n");
  CHECK(recorded["output"] == "partial");
  // A failed command's stdout need not parse.
  const auto unparsed = output(script_with("echo nope; exit 1", [](auto& c) {
    c.fail_on_error = false;
    c.parse = "json";
  }));
  CHECK(unparsed["output"].is_null());
}

TEST_CASE("a signal-killed script reports 128 + signal") {
  auto result = run_script(script("s", "kill -9 $$"));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().message() == "node \"s\" (Script) failed: exit code 137");
}

TEST_CASE("output beyond the cap is dropped and noted; the child is not blocked") {
  FlowRunOptions options;
  options.max_output_bytes = 1000;
  auto result = run_script(script("s",
                                  "head -c 300000 /dev/zero | tr '\\0' a; "
                                  "head -c 300000 /dev/zero | tr '\\0' b >&2; echo ok >&2"),
                           Json::object(), options);
  REQUIRE(result.ok());
  const auto out = output_of(result, "s");
  CHECK(out["stdout"].get<std::string>() == std::string(1000, 'a'));
  CHECK(out["stderr"].get<std::string>() == std::string(1000, 'b'));
  CHECK(out["stdout_truncated"] == true);
  CHECK(out["stderr_truncated"] == true);
}

TEST_CASE("both streams are drained concurrently (large stderr before stdout)") {
  const auto out = output(script("s", "head -c 200000 /dev/zero >&2; echo fine"));
  CHECK(out["output"] == "fine");
  CHECK(out["stderr"].get<std::string>().size() == 200000);
  CHECK_FALSE(out.contains("stderr_truncated"));
}

TEST_CASE("stdin is /dev/null") { CHECK(output(script("s", "cat; echo end"))["output"] == "end"); }

TEST_CASE("invalid UTF-8 output becomes U+FFFD so the result serialises") {
  auto result = run_script(script("s", "printf 'a\\377b'"));
  REQUIRE(result.ok());
  CHECK(output_of(result, "s")["output"] ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK_NOTHROW((void)result->dump());
}

TEST_CASE("a Script node with neither a command nor a tool is a permanent error") {
  auto bare = testing::node("s", config::NodeType::kScript);
  auto missing = run_script(bare);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code() == ErrorCode::kInvalidArgument);
  CHECK(missing.error().message() ==
        "node \"s\" (Script): scriptConfig needs a command or a tool (one of them)");
}

TEST_CASE("concurrent runs keep their own env and working directories") {
  const aof::testing::TempDir dir;
  std::vector<std::thread> threads;
  std::atomic<int> good = 0;
  for (int i = 0; i < 4; ++i) {
    std::filesystem::create_directory(dir.path() / std::to_string(i));
    threads.emplace_back([&, i] {
      auto node = script_with("printf '%s ' \"$N\"; pwd -P", [&](auto& c) {
        c.env["N"] = std::to_string(i);
        c.working_dir = (dir.path() / std::to_string(i)).string();
      });
      for (int round = 0; round < 5; ++round) {
        auto result = run_script(node);
        const auto expected = std::to_string(i) + " " +
                              std::filesystem::canonical(dir.path() / std::to_string(i)).string();
        if (result.ok() && output_of(result, "s")["output"] == expected) ++good;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(good == 20);
}

}  // namespace
}  // namespace aof::runtime
