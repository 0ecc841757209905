// The CLI wrappers against fake programs in a temporary PATH directory: argv exactly as
// quoted, no shell, allow-lists, the missing-program message, timeouts, read-only verbs.
#include "common/runtime/tools/cli_tools.h"

#include <sys/stat.h>

#include "tests/unit/tools/tools_test_util.h"

namespace aof::runtime::tools {
namespace {

using testing::error_of;
using testing::RunDirFixture;

// Prints each argument in brackets on its own line (so spaces and empty arguments show) and
// the working directory on stderr.
constexpr const char* kShowArguments =
    "for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done\npwd >&2\n";

// A directory holding one fake program, to be searched instead of PATH.
struct FakePath {
  aof::testing::TempDir bin;
  explicit FakePath(const std::string& program, const std::string& body = kShowArguments) {
    const std::string path = bin.write(program, "#!/bin/sh\n" + body);
    ::chmod(path.c_str(), 0755);
  }
  std::shared_ptr<const Tool> tool(const std::string& program,
                                   std::vector<std::string> allowed = {}) const {
    auto made = make_cli_tool(program, {CommandAllowList(allowed), bin.path().string()});
    REQUIRE(made != nullptr);
    return made;
  }
};

TEST_CASE("command is split as sh would split it and reaches the program as argv, no shell") {
  RunDirFixture f;
  FakePath path("kubectl");
  const ToolResult result = f.call(
      *path.tool("kubectl"),
      {{"command",
        R"(get pods -l 'app in (web,api)' --field-selector "status.phase!=Running" a\ b '' '*')"}});
  REQUIRE(result.success);
  CHECK(result.data["stdout"] ==
        "[get]\n[pods]\n[-l]\n[app in (web,api)]\n[--field-selector]\n[status.phase!=Running]\n"
        "[a b]\n[]\n[*]\n");
  CHECK(result.data["command"] ==
        R"(kubectl get pods -l 'app in (web,api)' --field-selector status.phase!=Running )"
        R"('a b' '' '*')");
  CHECK(result.data["stderr"] == std::filesystem::canonical(f.dir.path()).string() + "\n");
  CHECK(result.data["exit_code"] == 0);
  CHECK_FALSE(result.changed_something);  // get only reads
}

TEST_CASE("a leading program name is dropped; a working_dir inside the run directory is used") {
  RunDirFixture f;
  f.dir.write("repo/README", "");
  FakePath path("git");
  const ToolResult result =
      f.call(*path.tool("git"), {{"command", "git commit -m 'fix: x'"}, {"working_dir", "repo"}});
  REQUIRE(result.success);
  CHECK(result.data["stdout"] == "[commit]\n[-m]\n[fix: x]\n");
  CHECK(result.data["stderr"] ==
        (std::filesystem::canonical(f.dir.path()) / "repo").string() + "\n");
  CHECK(result.changed_something);  // commit writes
}

TEST_CASE("shell syntax is refused: there is no shell to give it meaning") {
  RunDirFixture f;
  FakePath path("kubectl");
  CHECK(error_of(f.call(*path.tool("kubectl"), {{"command", "get pods | grep Crash"}})) ==
        "kubectl runs without a shell: shell syntax '|' at position 10 is not allowed (pipes, "
        "command lists, redirections, $ expansions, command substitution, subshells and "
        "comments are refused); quote it if it is meant literally");
  CHECK(error_of(f.call(*path.tool("kubectl"), {{"command", "get pods 'x"}})) ==
        "kubectl runs without a shell: unterminated single quote at position 10");
}

TEST_CASE("an allow-list on the wrapper checks the program and its arguments") {
  RunDirFixture f;
  FakePath path("kubectl");
  const auto tool = path.tool("kubectl", {"kubectl get pods", "kubectl logs"});
  CHECK(f.call(*tool, {{"command", "get pods -n web"}}).success);
  CHECK(f.call(*tool, {{"command", "kubectl logs web-0"}}).success);
  CHECK(error_of(f.call(*tool, {{"command", "delete pod web-0"}})) ==
        "\"kubectl delete pod web-0\" is not allowed; this agent's kubectl allows only: kubectl "
        "get pods, kubectl logs");
  CHECK(tool->spec().description.find("Allowed: kubectl get pods, kubectl logs.") !=
        std::string::npos);
}

TEST_CASE("a program missing from PATH fails with a message saying so") {
  RunDirFixture f;
  FakePath path("not-helm");
  path.bin.write("helm", "#!/bin/sh\n");  // present but not executable: skipped
  CHECK(error_of(f.call(*path.tool("helm"), {{"command", "list"}})) ==
        "helm is not installed on this worker (not found in PATH)");
  CHECK(make_cli_tool("ls") == nullptr);
}

TEST_CASE("a non-zero exit is a result with the program's own words") {
  RunDirFixture f;
  FakePath path("terraform", "echo 'Error: no configuration files' >&2\nexit 1\n");
  const ToolResult result = f.call(*path.tool("terraform"), {{"command", "plan"}});
  REQUIRE(result.success);
  CHECK(result.data["exit_code"] == 1);
  CHECK(result.data["success"] == false);
  CHECK(result.data["stderr"] == "Error: no configuration files\n");
  CHECK_FALSE(result.changed_something);
}

TEST_CASE("timeout_secs kills a program that runs too long") {
  RunDirFixture f;
  FakePath path("docker", "exec sleep 30\n");
  const ToolResult result =
      f.call(*path.tool("docker"), {{"command", "pull x"}, {"timeout_secs", 1}});
  CHECK(error_of(result).find("the command timed out after 1s and was killed") == 0);
  CHECK(result.changed_something);  // pull may have written part of an image
}

TEST_CASE("default timeouts are AOF's: 120 s, helm and docker 300, terraform 600") {
  const auto described = [](const std::string& program) -> std::string {
    return make_cli_tool(program)->spec().parameters["properties"]["timeout_secs"]["description"];
  };
  CHECK(described("kubectl").find("(default 120)") != std::string::npos);
  CHECK(described("git").find("(default 120)") != std::string::npos);
  CHECK(described("aws").find("(default 120)") != std::string::npos);
  CHECK(described("helm").find("(default 300)") != std::string::npos);
  CHECK(described("docker").find("(default 300)") != std::string::npos);
  CHECK(described("terraform").find("(default 600)") != std::string::npos);
  CHECK(cli_tool_names() ==
        std::vector<std::string>{"kubectl", "helm", "git", "terraform", "aws", "docker"});
}

TEST_CASE("only obviously read-only verbs count as changing nothing") {
  using Args = std::vector<std::string>;
  CHECK_FALSE(cli_command_changes_something("kubectl", Args{"get", "pods"}));
  CHECK_FALSE(cli_command_changes_something("kubectl", Args{"--context=prod", "logs", "web-0"}));
  CHECK(cli_command_changes_something("kubectl", Args{"-n", "web", "get", "pods"}));  // "web"
  CHECK(cli_command_changes_something("kubectl", Args{"apply", "-f", "x.yaml"}));
  CHECK(cli_command_changes_something("kubectl", Args{"exec", "web-0", "--", "ls"}));
  CHECK_FALSE(cli_command_changes_something("helm", Args{"list", "-A"}));
  CHECK(cli_command_changes_something("helm", Args{"upgrade", "web", "chart"}));
  CHECK_FALSE(cli_command_changes_something("git", Args{"log", "--oneline"}));
  CHECK(cli_command_changes_something("git", Args{"push"}));
  CHECK_FALSE(cli_command_changes_something("terraform", Args{"plan"}));
  CHECK(cli_command_changes_something("terraform", Args{"apply", "-auto-approve"}));
  CHECK_FALSE(cli_command_changes_something("aws", Args{"ec2", "describe-instances"}));
  CHECK_FALSE(cli_command_changes_something("aws", Args{"s3", "ls"}));
  CHECK_FALSE(cli_command_changes_something("aws", Args{"sts", "get-caller-identity"}));
  CHECK(cli_command_changes_something("aws", Args{"s3", "rm", "s3://b/k"}));
  CHECK(cli_command_changes_something("aws", Args{"ec2"}));
  CHECK_FALSE(cli_command_changes_something("docker", Args{"ps", "-a"}));
  CHECK(cli_command_changes_something("docker", Args{"rm", "-f", "web"}));
  CHECK_FALSE(cli_command_changes_something("docker", Args{"--version"}));
}

}  // namespace
TEST_CASE("journal: reads and git's local verbs have no outside effect; the rest do") {
  const auto effect = [](const std::string& program, const std::string& command) {
    return make_cli_tool(program)->has_outside_effect({{"command", command}});
  };
  CHECK_FALSE(effect("kubectl", "get pods -n web"));
  CHECK_FALSE(effect("kubectl", "kubectl describe pod web-1"));
  CHECK(effect("kubectl", "apply -f deploy.yaml"));
  CHECK(effect("kubectl", "-n web get pods"));  // the verb seen is "web": any doubt counts
  CHECK_FALSE(effect("git", "clone https://github.com/acme/api"));  // the clone is the run's
  CHECK_FALSE(effect("git", "commit -m 'fix: x'"));
  CHECK(effect("git", "push origin main"));
  CHECK(effect("git", "config --global user.name bot"));  // ~/.gitconfig outlives the run
  CHECK_FALSE(effect("aws", "s3api list-buckets"));
  CHECK(effect("aws", "s3 rm s3://bucket/key"));
  CHECK(effect("terraform", "apply -auto-approve"));
  CHECK_FALSE(effect("terraform", "plan"));
  CHECK(effect("helm", "upgrade web ./chart"));
  CHECK(effect("docker", "rm -f web"));
  CHECK_FALSE(effect("kubectl", "get pods | sh"));      // refused before it runs
  CHECK_FALSE(effect("kubectl", "get 'unterminated"));  // does not split: refused too
  CHECK_FALSE(make_cli_tool("git")->has_outside_effect({{"cmd", "push"}}));  // bad arguments
}

}  // namespace aof::runtime::tools
