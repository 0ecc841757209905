#include <doctest/doctest.h>

#include <filesystem>

#include "common/config/loader.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/config/test_util.h"

namespace aof::config {
namespace {

using test::errors;
using test::testdata;
using test::warnings;

const std::string kDaemon = "apiVersion: aof.dev/v1\nkind: DaemonConfig\nmetadata: {name: d}\n";

DaemonConfig load_config(const std::string& path) {
  const auto load = load_daemon_config(path);
  REQUIRE_MESSAGE(load.config, errors(load.diagnostics).front());
  return *load.config;
}

}  // namespace

TEST_CASE("a deployment loads every kind from directories relative to the config file") {
  const DaemonConfig config = load_config(testdata("deploy/daemon.yaml"));
  const auto load = load_resources(config);
  CHECK(errors(load.diagnostics).empty());
  CHECK(warnings(load.diagnostics) == std::vector<std::string>{testdata("deploy/agents/more.yml") +
                                                               ":8: kind: kind Workflow is "
                                                               "not loaded by aof-scale; skipped"});
  const ResourceSet& r = load.resources;
  CHECK(r.agents.size() == 2);
  CHECK(r.agents.at("pr-helper").max_iterations == 6);
  CHECK(r.agents.at("triager").model == "google:gemini-2.5-flash");
  CHECK(r.flows.size() == 1);
  CHECK(r.triggers.at("gh-prs").commands.size() == 4);
  CHECK(r.contexts.count("staging") == 1);
  const AgentFleet& fleet = r.fleets.at("triage-pair");
  REQUIRE(fleet.agents[1].agent);
  CHECK(fleet.agents[1].agent->name == "pr-helper");
  CHECK(fleet.agents[1].config_file == testdata("deploy/agents/pr-helper.yaml"));
}

TEST_CASE("relative directories resolve against the working directory first, as in AOF") {
  testing::TempDir dir;
  const std::string config =
      dir.write("conf/daemon.yaml", kDaemon + "spec:\n  flows: {directory: flows}\n");
  dir.write(
      "conf/flows/beside.yaml",
      "kind: AgentFlow\nmetadata: {name: beside-config}\nspec: {nodes: [{id: x, type: End}]}\n");
  dir.write("flows/cwd.yaml",
            "kind: AgentFlow\nmetadata: {name: in-cwd}\nspec: {nodes: [{id: x, type: End}]}\n");
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  const auto from_cwd = load_resources(load_config(config));
  std::filesystem::current_path(dir.path() / "conf" / "flows");
  const auto beside = load_resources(load_config(config));
  std::filesystem::current_path(previous);
  CHECK(from_cwd.resources.flows.count("in-cwd") == 1);
  CHECK(from_cwd.resources.flows.count("beside-config") == 0);
  CHECK(beside.resources.flows.count("beside-config") == 1);
}

TEST_CASE("one directory may hold every kind; shared directories are read once") {
  testing::TempDir dir;
  const std::string config = dir.write("daemon.yaml", kDaemon + R"(spec:
  agents: {directory: all}
  flows: {directory: ./all/}
  triggers: {directory: all}
)");
  dir.write("all/everything.yaml", R"(kind: Trigger
metadata: {name: t}
spec: {type: Manual, commands: {go: {flow: f}}}
---
kind: AgentFlow
metadata: {name: f}
spec: {nodes: [{id: x, type: End}]}
)");
  const auto load = load_resources(load_config(config));
  CHECK(load.diagnostics.empty());
  CHECK(load.resources.triggers.count("t") == 1);
  CHECK(load.resources.flows.count("f") == 1);
}

TEST_CASE("a file with errors is skipped and reported; the others still load") {
  testing::TempDir dir;
  const std::string config =
      dir.write("conf/daemon.yaml", kDaemon + "spec:\n  agents: {directory: ../a}\n");
  dir.write("a/good.yaml", "kind: Agent\nmetadata: {name: good}\nspec: {model: m}\n");
  dir.write("a/bad.yaml",
            "kind: Agent\nmetadata: {name: ok-too}\nspec: {model: m}\n"
            "---\nkind: Fleet\nmetadata: {name: x}\n");
  dir.write("a/broken.yml", "kind: Agent\nspec: {model: [\n");
  const auto load = load_resources(load_config(config));
  const auto e = errors(load.diagnostics);
  REQUIRE(e.size() == 2);
  CHECK(e[0] == dir.path().string() + "/a/bad.yaml:5: kind: unknown kind Fleet");
  CHECK(e[1].rfind(dir.path().string() + "/a/broken.yml:3: invalid YAML: ", 0) == 0);
  CHECK(load.resources.agents.size() == 1);
  CHECK(load.resources.agents.count("good") == 1);
}

TEST_CASE("cross-references are checked across directories") {
  testing::TempDir dir;
  const std::string config = dir.write("daemon.yaml", kDaemon + R"(spec:
  triggers: {directory: triggers}
  flows: {directory: flows, enabled: false}
)");
  dir.write("flows/f.yaml",
            "kind: AgentFlow\nmetadata: {name: github-pr-review}\n"
            "spec: {nodes: [{id: x, type: End}]}\n");
  dir.write("triggers/gh.yaml", R"(apiVersion: aof.dev/v1
kind: Trigger
metadata: {name: gh}
spec:
  type: GitHub
  config: {webhook_secret: "${GITHUB_WEBHOOK_SECRET}"}
  commands:
    pull_request.opened:
      flow: github-pr-review
)");
  // flows.enabled: false → the flows directory is not read, so the flow is unknown.
  const auto load = load_resources(load_config(config));
  CHECK(errors(load.diagnostics) ==
        std::vector<std::string>{dir.path().string() +
                                 "/triggers/gh.yaml:9: "
                                 "spec.commands.pull_request.opened.flow: unknown flow "
                                 "github-pr-review"});
}

TEST_CASE("duplicate names, missing directories and skipped kinds") {
  testing::TempDir dir;
  const std::string config = dir.write("daemon.yaml", kDaemon + R"(spec:
  agents: {directory: agents}
  contexts: {directory: /nonexistent/aof-contexts}
)");
  dir.write("agents/a.yaml", "kind: Agent\nmetadata: {name: dup}\nspec: {model: m}\n");
  dir.write("agents/b.yaml", "kind: Agent\nmetadata: {name: dup}\nspec: {model: n}\n");
  dir.write("agents/c.yaml", kDaemon + "spec: {}\n");
  const auto load = load_resources(load_config(config));
  CHECK(errors(load.diagnostics) ==
        std::vector<std::string>{
            dir.path().string() +
                "/agents/b.yaml:1: metadata.name: duplicate Agent name dup (also "
                "at " +
                dir.path().string() + "/agents/a.yaml:1)",
            dir.path().string() + "/daemon.yaml: spec.contexts.directory: cannot read directory "
                                  "/nonexistent/aof-contexts: No such file or directory"});
  CHECK(warnings(load.diagnostics) ==
        std::vector<std::string>{dir.path().string() + "/agents/c.yaml:2: kind: kind DaemonConfig "
                                                       "is not a resource; skipped"});
  CHECK(load.resources.agents.at("dup").model == "m");
}

TEST_CASE("without a config file, directories are relative to the working directory") {
  DaemonConfig config;
  config.agents.directory = testdata("deploy/agents");
  const auto load = load_resources(config);
  CHECK(errors(load.diagnostics).empty());
  CHECK(load.resources.agents.size() == 2);
  CHECK(load_resources(DaemonConfig{}).diagnostics.empty());
}

}  // namespace aof::config
