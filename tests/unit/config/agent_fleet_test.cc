#include <doctest/doctest.h>

#include "common/config/loader.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/config/test_util.h"

namespace aof::config {
namespace {

using test::errors;
using test::warnings;

}  // namespace

TEST_CASE("a K8s-shaped Agent with every field") {
  testing::TempDir dir;
  const std::string file = dir.write("a.yaml", R"(apiVersion: aof.dev/v1
kind: Agent
metadata: {name: pr-helper, labels: {team: ops}}
spec:
  model: gpt-4o-mini
  provider: openai
  system_prompt: Review the pull request.
  tools:
    - git
    - {type: Shell, config: {allowed_commands: [kubectl]}}
    - {name: read_file, source: builtin, enabled: true, timeout_secs: 5}
  mcp_servers:
    - {name: gh, transport: stdio, command: npx, args: [-y, srv], env: {T: x}, tools: [a]}
  memory: {type: File, config: {path: /tmp/m.json, max_messages: 20}}
  max_context_messages: 4
  max_iterations: 6
  temperature: 0.2
  max_tokens: 1000
  output_schema: {type: object}
)");
  const auto load = load_resource_paths({file});
  CHECK(load.diagnostics.empty());
  const Agent& a = load.resources.agents.at("pr-helper");
  CHECK(a.model == "gpt-4o-mini");
  CHECK(a.provider == "openai");
  CHECK(a.instructions == "Review the pull request.");
  CHECK(a.tools.size() == 3);
  CHECK(a.tools[0] == "git");
  CHECK(a.tools[1]["config"]["allowed_commands"][0] == "kubectl");
  CHECK(a.mcp_servers[0]["args"] == nlohmann::json::array({"-y", "srv"}));
  CHECK(a.memory["type"] == "File");
  CHECK(a.max_context_messages == 4);
  CHECK(a.max_iterations == 6);
  CHECK(a.temperature == doctest::Approx(0.2));
  CHECK(a.max_tokens == 1000);
  CHECK(a.output_schema["type"] == "object");
  CHECK(a.source == file + ":1");
}

TEST_CASE("agent defaults, and the flat shape: validated, but not loaded by the daemon") {
  testing::TempDir dir;
  const std::string k8s = dir.write(
      "k.yaml", "kind: Agent\nmetadata: {name: k}\nspec: {model: \"google:gemini-2.5-flash\"}\n");
  const auto load = load_resource_paths({k8s});
  const Agent& a = load.resources.agents.at("k");
  CHECK(a.max_context_messages == 10);
  CHECK(a.max_iterations == 10);
  CHECK(a.temperature == doctest::Approx(0.7));
  CHECK_FALSE(a.max_tokens.has_value());
  CHECK(a.memory.is_null());
  CHECK(a.tools.empty());
  const std::string flat =
      dir.write("f.yaml", "name: flat\nmodel: openai:gpt-4o\nsystem_prompt: hi\n");
  CHECK(validate_paths({flat}).empty());
  const auto skipped = load_resource_paths({flat});
  CHECK(skipped.resources.agents.empty());
  CHECK(warnings(skipped.diagnostics) ==
        std::vector<std::string>{flat + ":1: agent without kind: Agent is not loaded by the "
                                        "daemon; skipped"});
}

TEST_CASE("memory AOF refuses at load, and malformed tools, are errors") {
  testing::TempDir dir;
  const std::string file = dir.write("bad.yaml", R"(kind: Agent
metadata: {name: a}
spec:
  model: m
  memory:
    enabled: true
    persistence: redis
---
kind: Agent
metadata: {name: b}
spec:
  model: m
  memory: {type: conversation, max_messages: 30}
---
kind: Agent
metadata: {name: c}
spec:
  memory: redis
  tools: [{type: shell}, [x]]
  mcp_servers: [{transport: grpc}]
  max_iterations: 0
)");
  CHECK(errors(validate_paths({file})) ==
        std::vector<std::string>{
            file + ":6: spec.memory.type: required",
            file + ":13: spec.memory.type: unsupported memory type conversation; use InMemory or "
                   "File",
            file + ":18: spec.memory: unsupported memory redis; use InMemory or file:<path>",
            file + ":19: spec.tools[0]: must have a name, or type Shell, MCP or HTTP",
            file + ":19: spec.tools[1]: must be a tool name or a map",
            file + ":20: spec.mcp_servers[0].transport: must be one of: stdio, sse, http",
            file + ":20: spec.mcp_servers[0].name: required",
            file + ":21: spec.max_iterations: must be >= 1", file + ":18: spec.model: required"});
  const std::string ok = dir.write("ok.yaml",
                                   "kind: Agent\nmetadata: {name: o}\nspec:\n"
                                   "  model: m\n  memory: \"file:/var/lib/m.json\"\n");
  CHECK(validate_paths({ok}).empty());
}

TEST_CASE(
    "fleet members: inline specs become agents, config paths are relative to the fleet file") {
  testing::TempDir dir;
  dir.write("deploy/agents/reviewer.yaml",
            "apiVersion: aof.dev/v1\nkind: Agent\nmetadata: {name: reviewer}\n"
            "spec: {model: \"anthropic:claude-sonnet-4\", instructions: review}\n");
  const std::string fleet = dir.write("deploy/fleets/team.yaml", R"(apiVersion: aof.dev/v1
kind: AgentFleet
metadata: {name: team}
spec:
  agents:
    - name: lead
      role: manager
      spec: {model: "openai:gpt-4o", instructions: coordinate, system_prompt: lost}
    - name: reviewer
      config: ../agents/reviewer.yaml
      replicas: 3
      tier: 2
      weight: 1.5
  coordination: {mode: hierarchical, distribution: least-loaded}
)");
  const auto load = load_resource_paths({fleet});
  CHECK(errors(load.diagnostics).empty());
  CHECK(warnings(load.diagnostics) ==
        std::vector<std::string>{fleet + ":8: spec.agents[0].spec.system_prompt: ignored: inline "
                                         "fleet agents take instructions (AOF drops system_prompt "
                                         "too)"});
  const AgentFleet& f = load.resources.fleets.at("team");
  REQUIRE(f.agents.size() == 2);
  const FleetMember& lead = f.agents[0];
  CHECK(lead.role == "manager");
  CHECK(lead.replicas == 1);
  CHECK(lead.tier == 1);
  REQUIRE(lead.agent);
  CHECK(lead.agent->name == "lead");
  CHECK(lead.agent->instructions == "coordinate");
  CHECK(lead.inline_spec["model"] == "openai:gpt-4o");
  const FleetMember& reviewer = f.agents[1];
  CHECK(reviewer.config_path == "../agents/reviewer.yaml");
  CHECK(reviewer.config_file == (dir.path() / "deploy/agents/reviewer.yaml").string());
  CHECK(reviewer.replicas == 3);
  CHECK(reviewer.tier == 2);
  CHECK(reviewer.weight == 1.5);
  CHECK(reviewer.role == "worker");
  REQUIRE(reviewer.agent);
  CHECK(reviewer.agent->model == "anthropic:claude-sonnet-4");
  CHECK(f.coordination["distribution"] == "least-loaded");
  // validate checks structure only: it neither reads nor needs the member file.
  dir.write("other/team.yaml",
            "apiVersion: aof.dev/v1\nkind: AgentFleet\nmetadata: {name: t}\n"
            "spec:\n  agents: [{name: x, config: missing.yaml}]\n");
  CHECK(validate_paths({dir.path().string() + "/other"}).empty());
  const auto missing = load_resource_paths({dir.path().string() + "/other"});
  CHECK(errors(missing.diagnostics) ==
        std::vector<std::string>{dir.path().string() +
                                 "/other/team.yaml:5: spec.agents[0].config: "
                                 "cannot read agent file " +
                                 dir.path().string() + "/other/missing.yaml"});
}

TEST_CASE("fleet structure errors") {
  testing::TempDir dir;
  const std::string file = dir.write("bad.yaml", R"(kind: AgentFleet
metadata: {name: f}
spec:
  agents:
    - ref: library/aws-agent.yaml
      role: specialist
    - {name: a, spec: {model: m}, replicas: 0, role: boss}
    - {name: a, config: a.yaml}
  coordination:
    mode: hierarchical
    distribution: smart
    consensus: {algorithm: vote}
---
apiVersion: aof.dev/v1
kind: AgentFleet
metadata: {name: g}
spec:
  agents: [{name: a, spec: {model: m}}]
  coordination: {mode: peer, manager: nobody, aggregation: sum}
  shared: {memory: {type: in-memory}}
)");
  CHECK(
      errors(validate_paths({file})) ==
      std::vector<std::string>{
          file + ":1: apiVersion: required", file + ":5: spec.agents[0].name: required",
          file + ":5: spec.agents[0]: needs config or spec",
          file + ":7: spec.agents[1].replicas: must be >= 1",
          file + ":7: spec.agents[1].role: must be one of: worker, manager, specialist, validator",
          file + ":8: spec.agents[2].name: duplicate agent name a",
          file + ":11: spec.coordination.distribution: must be one of: round-robin, "
                 "least-loaded, random, skill-based, sticky",
          file + ":12: spec.coordination.consensus.algorithm: must be one of: majority, "
                 "unanimous, weighted, first_wins, human_review",
          file + ":10: spec.coordination.mode: hierarchical needs coordination.manager or an "
                 "agent with role manager",
          file + ":19: spec.coordination.aggregation: must be one of: consensus, merge, "
                 "manager_synthesis",
          file + ":20: spec.shared.memory.type: must be one of: inmemory, redis, sqlite, postgres",
          file + ":19: spec.coordination.manager: unknown agent nobody"});
}

TEST_CASE("contexts are type-checked and kept as written") {
  testing::TempDir dir;
  const std::string file = dir.write("ctx.yaml", R"(apiVersion: aof.dev/v1
kind: Context
metadata: {name: staging}
spec:
  namespace: staging
  cluster: stg-eu-1
  env: {LOG_LEVEL: debug}
  approval: {required: true, allowed_users: ["slack:U0ABC"], timeout_seconds: 600}
  audit: {enabled: true, events: [tool_call, everything]}
  limits: {max_concurrent: 0, max_cost_per_day: 12.5}
)");
  CHECK(errors(validate_paths({file})) ==
        std::vector<std::string>{
            file + ":9: spec.audit.events[1]: must be one of: agent_start, agent_complete, "
                   "tool_call, approval_requested, approval_granted, approval_denied, error, all",
            file + ":10: spec.limits.max_concurrent: must be >= 1"});
  const std::string good = dir.write("good.yaml",
                                     "kind: Context\nmetadata: {name: dev}\n"
                                     "spec: {namespace: dev, env: {A: b}}\n");
  const auto load = load_resource_paths({good});
  CHECK(load.diagnostics.empty());
  CHECK(load.resources.contexts.at("dev").spec["env"]["A"] == "b");
}

TEST_CASE("an alias that contains itself is an error, not an endless loop") {
  testing::TempDir dir;
  const std::string file = dir.write("loop.yaml",
                                     "kind: Agent\nmetadata: {name: a}\n"
                                     "spec: {model: m, output_schema: &s {x: *s}}\n");
  CHECK(errors(validate_paths({file})) ==
        std::vector<std::string>{file + ": nested deeper than 200 levels (a recursive alias?)"});
}

TEST_CASE("fleets: timeout_ms and allow_partial are read; manager_synthesis needs a manager") {
  testing::TempDir dir;
  const std::string file = dir.write("fleet.yaml", R"(apiVersion: aof.dev/v1
kind: AgentFleet
metadata: {name: g}
spec:
  agents: [{name: a, spec: {model: m}}]
  coordination:
    mode: peer
    aggregation: manager_synthesis
    consensus: {timeout_ms: 0, allow_partial: false}
)");
  CHECK(errors(validate_paths({file})) ==
        std::vector<std::string>{file + ":9: spec.coordination.consensus.timeout_ms: must be >= 1",
                                 file +
                                     ":8: spec.coordination.aggregation: manager_synthesis needs "
                                     "coordination.manager or an agent with role manager"});
}

}  // namespace aof::config
