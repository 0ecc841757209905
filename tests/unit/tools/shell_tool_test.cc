// The shell tool with real /bin/sh children: output, working directory, the allow-list and
// its refusals, blocked patterns, timeout, deadline, cancellation and the output cap.
#include "common/runtime/tools/shell_tool.h"

#include <atomic>
#include <thread>

#include "tests/unit/tools/tools_test_util.h"

namespace aof::runtime::tools {
namespace {

using testing::error_of;
using testing::RunDirFixture;

std::shared_ptr<const Tool> shell(std::vector<std::string> allowed = {"*"}) {
  return make_shell_tool({CommandAllowList(allowed)});
}

TEST_CASE("a command's streams, exit code and success come back; a failing command is a result") {
  RunDirFixture f;
  const ToolResult result = f.call(*shell(), {{"command", "echo out; echo err >&2; exit 3"}});
  REQUIRE(result.success);
  CHECK(result.data == Json{{"stdout", "out\n"},
                            {"stderr", "err\n"},
                            {"exit_code", 3},
                            {"success", false},
                            {"command", "echo out; echo err >&2; exit 3"}});
  CHECK(result.changed_something);
  CHECK(result.error.empty());
}

TEST_CASE("the command runs in the run directory or a working_dir inside it") {
  RunDirFixture f;
  f.dir.write("sub/file", "");
  const auto root = std::filesystem::canonical(f.dir.path()).string();
  CHECK(f.call(*shell(), {{"command", "pwd"}}).data["stdout"] == root + "\n");
  CHECK(f.call(*shell(), {{"command", "pwd"}, {"working_dir", "sub"}}).data["stdout"] ==
        root + "/sub\n");
  CHECK(error_of(f.call(*shell(), {{"command", "pwd"}, {"working_dir", "../"}}))
            .find("working_dir: path \"../\" leads outside the run directory") == 0);
  CHECK(error_of(f.call(*shell(), {{"command", "pwd"}, {"working_dir", "/tmp"}}))
            .find("working_dir: path \"/tmp\" is absolute") == 0);
  CHECK(error_of(f.call(*shell(), {{"command", "pwd"}, {"working_dir", "sub/file"}})) ==
        "working_dir \"sub/file\" is not a directory in the run directory");
}

TEST_CASE("with an allow-list, a second command hidden behind shell syntax is refused, not run") {
  RunDirFixture f;
  const auto tool = shell({"echo", "printf"});
  for (const char* command :
       {"echo hi; touch pwned", "echo hi && touch pwned", "echo hi || touch pwned",
        "echo hi | touch pwned", "echo hi & touch pwned", "echo $(touch pwned)",
        "echo `touch pwned`", "echo \"$(touch pwned)\"", "echo hi > pwned", "echo hi\ntouch pwned",
        "(touch pwned)"}) {
    CAPTURE(command);
    const std::string error = error_of(f.call(*tool, {{"command", command}}));
    CHECK(error.find("shell syntax") == 0);
    CHECK(error.find("; this agent's shell allows only: echo, printf, one command per call") !=
          std::string::npos);
    CHECK_FALSE(f.exists("pwned"));
  }
}

TEST_CASE("with an allow-list, only the listed programs run, and quoted syntax stays literal") {
  RunDirFixture f;
  const auto tool = shell({"echo", "printf"});
  const ToolResult quoted = f.call(*tool, {{"command", "echo 'a;b|c$(x)' \"d>e\""}});
  REQUIRE(quoted.success);
  CHECK(quoted.data["stdout"] == "a;b|c$(x) d>e\n");
  CHECK(error_of(f.call(*tool, {{"command", "touch pwned"}})) ==
        "\"touch pwned\" is not allowed; this agent's shell allows only: echo, printf");
  CHECK(error_of(f.call(*tool, {{"command", "/bin/echo hi"}})) ==
        "\"/bin/echo hi\" is not allowed; this agent's shell allows only: echo, printf");
  CHECK(error_of(f.call(*tool, {{"command", "PATH=/tmp echo hi"}})) ==
        "\"PATH=/tmp echo hi\" is not allowed; this agent's shell allows only: echo, printf");
  CHECK(error_of(f.call(*tool, {{"command", "  "}})) == "the command is empty");
  CHECK_FALSE(f.exists("pwned"));
}

TEST_CASE("kubectl allowed alone: `kubectl get pods; rm -rf /` is refused") {
  RunDirFixture f;
  const auto tool = shell({"kubectl"});
  CHECK(error_of(f.call(*tool, {{"command", "kubectl get pods; rm -rf /"}})) ==
        "the command contains the blocked pattern \"rm -rf /\"; it was not run");
  CHECK(error_of(f.call(*tool, {{"command", "kubectl get pods; touch pwned"}}))
            .find("shell syntax ';' at position 17 is not allowed") == 0);
  CHECK_FALSE(f.exists("pwned"));
}

TEST_CASE("without an allow-list sh gets the command as written, AOF's blocked patterns aside") {
  RunDirFixture f;
  CHECK(f.call(*shell(), {{"command", "echo a; echo b | tr b c"}}).data["stdout"] == "a\nc\n");
  CHECK(error_of(f.call(*shell(), {{"command", "sudo rm  -rf /"}})) ==
        "the command contains the blocked pattern \"rm -rf /\"; it was not run");
  CHECK(error_of(f.call(*shell(), {{"command", ":(){ :|:& };:"}})).find("blocked pattern") !=
        std::string::npos);
  CHECK(error_of(f.call(*shell(), Json::object())) == "missing required argument \"command\"");
}

TEST_CASE("a timeout kills the command and whatever it started") {
  RunDirFixture f;
  const ToolResult result = f.call(
      *shell(),
      {{"command", "sleep 30 & echo $! > bg; echo $$ > fg; exec sleep 30"}, {"timeout_secs", 1}});
  CHECK(error_of(result) ==
        "the command timed out after 1s and was killed; ask for a larger timeout_secs or a "
        "smaller command");
  CHECK(result.changed_something);
  for (const char* file : {"bg", "fg"}) {
    const int pid = testing::read_pid(f.dir.path() / file);
    CAPTURE(file);
    REQUIRE(pid > 0);
    CHECK(testing::process_gone(pid));
  }
}

TEST_CASE("the run's deadline ends a call before its own timeout, or keeps it from starting") {
  RunDirFixture f;
  f.context.deadline = std::chrono::system_clock::now() + std::chrono::milliseconds(300);
  CHECK(error_of(f.call(*shell(), {{"command", "sleep 30"}})) ==
        "the run's deadline passed before the command finished; it was killed");
  CHECK(error_of(f.call(*shell(), {{"command", "touch late"}})) ==
        "the run's deadline has passed; the command was not started");
  CHECK_FALSE(f.exists("late"));
}

TEST_CASE("cancellation kills the running command") {
  RunDirFixture f;
  std::atomic<bool> cancelled{false};
  f.context.cancelled = &cancelled;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancelled = true;
  });
  const ToolResult result = f.call(*shell(), {{"command", "echo $$ > pid; exec sleep 30"}});
  canceller.join();
  CHECK(error_of(result) ==
        "the run was cancelled (the worker is shutting down); the command was killed");
  CHECK(testing::process_gone(testing::read_pid(f.dir.path() / "pid")));
}

TEST_CASE("each stream keeps its first 256 KiB and says it was cut") {
  RunDirFixture f;
  const ToolResult result =
      f.call(*shell(), {{"command", "head -c 300000 /dev/zero | tr '\\0' a; printf '\\377' >&2"}});
  REQUIRE(result.success);
  const std::string out = result.data["stdout"];
  CHECK(out.substr(0, 256 * 1024) == std::string(256 * 1024, 'a'));
  CHECK(out.substr(256 * 1024) == "\n[output truncated: only the first 256 KiB are shown]");
  CHECK(result.data["stdout_truncated"] == true);
  CHECK_FALSE(result.data.contains("stderr_truncated"));
  CHECK(result.data["stderr"] == "\xEF\xBF\xBD");  // invalid UTF-8 becomes U+FFFD
}

}  // namespace
TEST_CASE("journal: every shell call has an outside effect; bad arguments never run") {
  CHECK(shell()->has_outside_effect({{"command", "echo hi"}}));
  CHECK(shell()->has_outside_effect({{"command", "ls"}}));  // sh can do anything: no guessing
  CHECK_FALSE(shell()->has_outside_effect({{"commmand", "echo hi"}}));
  CHECK_FALSE(shell()->has_outside_effect(Json::array()));
}

}  // namespace aof::runtime::tools
