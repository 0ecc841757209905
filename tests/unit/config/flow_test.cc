#include <doctest/doctest.h>

#include "common/config/loader.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/config/test_util.h"

namespace aof::config {
namespace {

using test::errors;
using test::warnings;

const std::string kFlowHeader = "apiVersion: aof.dev/v1\nkind: AgentFlow\nmetadata: {name: f}\n";

}  // namespace

TEST_CASE("the reference AgentFlow loads with AOF's defaults") {
  testing::TempDir dir;
  const std::string file = dir.write("flows/pr.yaml", kFlowHeader + R"(spec:
  nodes:
    - id: clip
      type: Script
      config:
        scriptConfig:
          command: printf '%s' "$EVT" | head -c 4000
          env: {EVT: "${event}"}
    - id: summarize
      type: Agent
      config:
        agent: pr-helper
        input: "Summarize this webhook event: ${clip.output}"
  connections:
    - {from: start, to: clip}
    - {from: clip, to: summarize}
)");
  const auto d = validate_paths({file});
  CHECK(d.empty());
  // load_resource_paths also checks that pr-helper exists.
  const auto load = load_resource_paths({file});
  CHECK(
      errors(load.diagnostics) ==
      std::vector<std::string>{file + ":15: spec.nodes[1].config.agent: unknown agent pr-helper"});
  dir.write("flows/agent.yaml", "kind: Agent\nmetadata: {name: pr-helper}\nspec: {model: m}\n");
  const auto both = load_resource_paths({dir.path().string() + "/flows"});
  REQUIRE(errors(both.diagnostics).empty());
  const AgentFlow& flow = both.resources.flows.at("f");
  REQUIRE(flow.nodes.size() == 2);
  const FlowNode& clip = flow.nodes[0];
  CHECK(clip.id == "clip");
  CHECK(clip.type == NodeType::kScript);
  CHECK(clip.source == file + ":6");
  REQUIRE(clip.config.script_config);
  const ScriptConfig& script = *clip.config.script_config;
  CHECK(script.command == "printf '%s' \"$EVT\" | head -c 4000");
  CHECK(script.env == std::map<std::string, std::string>{{"EVT", "${event}"}});
  CHECK(script.action == "run");
  CHECK(script.timeout_seconds == 60);
  CHECK(script.parse == "text");
  CHECK(script.fail_on_error);
  CHECK_FALSE(clip.config.input.has_value());
  const FlowNode& summarize = flow.nodes[1];
  CHECK(summarize.type == NodeType::kAgent);
  CHECK(summarize.config.agent == "pr-helper");
  CHECK(summarize.config.input == "Summarize this webhook event: ${clip.output}");
  REQUIRE(flow.connections.size() == 2);
  CHECK(flow.connections[0].from == "start");
  CHECK(flow.connections[1].to == "summarize");
  CHECK(flow.connections[1].when.empty());
  CHECK_FALSE(flow.context.has_value());
}

TEST_CASE("every node type and NodeConfig key is read") {
  testing::TempDir dir;
  const std::string file = dir.write("all.yaml", kFlowHeader + R"(spec:
  description: all the things
  context: {kubeconfig: /k, namespace: ops, cluster: c1, workingDir: /w, env: {A: "1"}}
  config: {defaultTimeoutSeconds: 30, verbose: true}
  nodes:
    - id: ask
      type: Agent
      config:
        inline: {name: a, model: "google:gemini-2.5-flash", instructions: hi, temperature: 0.1}
        timeoutSeconds: 90
    - id: check
      type: Conditional
      config: {condition: "${ask.output} == yes"}
    - id: pause
      type: Wait
      config: {duration: 500ms}
    - id: tell
      type: Slack
      config: {channel: "#ops", message: done, threadTs: "1.2", waitForReaction: true,
               blocks: [{type: section}]}
    - id: call
      type: HTTP
      config: {url: "http://x", method: POST, headers: {A: b}, body: {k: 1}}
    - id: fan
      type: Parallel
      config: {branches: [tell, call]}
    - id: join
      type: Join
      config: {strategy: majority}
    - id: prep
      type: Transform
      config: {script: "export K=V"}
    - id: ok
      type: Approval
      conditions: [{from: check, value: true}, {from: tell, reaction: white_check_mark}]
    - id: run
      type: Script
      config:
        scriptConfig: {tool: kubectl, action: get, args: {resource: pods}, parse: regex,
                       pattern: '[a-z]+', timeout_seconds: 5, fail_on_error: false,
                       working_dir: /tmp}
    - id: crew
      type: Fleet
      config: {fleet: rca, input: "${event}"}
    - id: end
      type: End
  connections:
    - {from: start, to: ask}
    - {from: ask, to: check}
    - {from: check, to: pause, when: "${check.result} == true"}
    - {from: pause, to: tell}
    - {from: tell, to: call}
    - {from: call, to: fan}
    - {from: fan, to: join}
    - {from: join, to: prep}
    - {from: prep, to: ok}
    - {from: ok, to: run}
    - {from: run, to: crew}
    - {from: crew, to: end}
)");
  const auto d = validate_paths({file});
  CHECK(errors(d).empty());
  CHECK(warnings(d).empty());
  dir.write("rca.yaml",
            "apiVersion: aof.dev/v1\nkind: AgentFleet\nmetadata: {name: rca}\n"
            "spec:\n  agents: [{name: a, spec: {model: m}}]\n");
  const auto load = load_resource_paths({dir.path().string()});
  REQUIRE(errors(load.diagnostics).empty());
  const AgentFlow& flow = load.resources.flows.at("f");
  CHECK(flow.description == "all the things");
  REQUIRE(flow.context);
  CHECK(flow.context->namespace_ == "ops");
  CHECK(flow.context->working_dir == "/w");
  CHECK(flow.context->env.at("A") == "1");
  CHECK(flow.flow_config["defaultTimeoutSeconds"] == 30);
  const auto& n = flow.nodes;
  REQUIRE(n.size() == 12);
  REQUIRE(n[0].config.inline_agent);
  CHECK(n[0].config.inline_agent->model == "google:gemini-2.5-flash");
  CHECK(n[0].config.inline_agent->temperature == 0.1);
  CHECK(n[0].config.timeout_seconds == 90);
  CHECK(n[1].config.condition == "${ask.output} == yes");
  CHECK(n[2].config.duration == "500ms");
  CHECK(n[3].config.channel == "#ops");
  CHECK(n[3].config.thread_ts == "1.2");
  CHECK(n[3].config.wait_for_reaction);
  CHECK(n[3].config.blocks[0]["type"] == "section");
  CHECK(n[4].type == NodeType::kHttp);
  CHECK(n[4].config.headers.at("A") == "b");
  CHECK(n[4].config.body["k"] == 1);
  CHECK(n[5].config.branches == std::vector<std::string>{"tell", "call"});
  CHECK(n[6].config.strategy == "majority");
  CHECK(n[7].config.script == "export K=V");
  REQUIRE(n[8].conditions.size() == 2);
  CHECK(n[8].conditions[0].from == "check");
  CHECK(n[8].conditions[0].value == nlohmann::json(true));
  CHECK(n[8].conditions[1].reaction == "white_check_mark");
  const ScriptConfig& s = *n[9].config.script_config;
  CHECK(s.tool == "kubectl");
  CHECK(s.action == "get");
  CHECK(s.args["resource"] == "pods");
  CHECK(s.parse == "regex");
  CHECK(s.timeout_seconds == 5);
  CHECK_FALSE(s.fail_on_error);
  CHECK(s.working_dir == "/tmp");
  CHECK(n[10].config.fleet == "rca");
  CHECK(n[11].type == NodeType::kEnd);
  CHECK(flow.connections[2].when == "${check.result} == true");
  CHECK(std::string(to_string(NodeType::kConditional)) == "Conditional");
  CHECK(std::string(to_string(NodeType::kHttp)) == "HTTP");
}

TEST_CASE("node requirements are errors with the node's line and path") {
  testing::TempDir dir;
  const std::string file = dir.write("bad.yaml", kFlowHeader + R"(spec:
  nodes:
    - id: a
      type: Agent
      config: {input: hi}
    - id: s
      type: Script
    - id: s2
      type: Script
      config: {scriptConfig: {parse: regex, env: {}}}
    - id: f
      type: Fleet
    - id: c
      type: Conditional
    - id: r
      type: Response
    - id: w
      type: Wait
      config: {duration: soon, strategy: best}
    - id: a
      type: End
    - type: End
)");
  CHECK(errors(validate_paths({file})) ==
        std::vector<std::string>{
            file + ":6: spec.nodes[0].config: type Agent needs agent, inline or agentConfig",
            file + ":9: spec.nodes[1].config.scriptConfig: required for type Script",
            file + ":13: spec.nodes[2].config.scriptConfig: needs command or tool",
            file + ":13: spec.nodes[2].config.scriptConfig.pattern: required",
            file + ":14: spec.nodes[3].config.fleet: required for type Fleet",
            file + ":16: spec.nodes[4].config.condition: required for type Conditional",
            file + ":19: spec.nodes[5].type: must be one of: Transform, Agent, Script, Fleet, "
                   "Conditional, Slack, Discord, HTTP, Wait, Parallel, Join, Approval, End",
            file + ":22: spec.nodes[6].config.duration: must be a duration like 500ms, 30s, 5m, "
                   "1h or a number of seconds",
            file + ":22: spec.nodes[6].config.strategy: must be one of: all, any, majority",
            file + ":25: spec.nodes[8].id: required",
            file + ":23: spec.nodes[7].id: duplicate node id a"});
}

TEST_CASE("a native tool's action and required args are checked at load, with lines") {
  testing::TempDir dir;
  const std::string file = dir.write("tools.yaml", kFlowHeader + R"(spec:
  nodes:
    - id: ok
      type: Script
      config: {scriptConfig: {tool: file, action: write, args: {path: /tmp/x, content: hi}}}
    - id: no-action
      type: Script
      config: {scriptConfig: {tool: docker}}
    - id: bad-action
      type: Script
      config:
        scriptConfig: {tool: kubectl, action: apply, args: {resource: pods}}
    - id: no-args
      type: Script
      config: {scriptConfig: {tool: json, action: extract}}
    - id: missing-arg
      type: Script
      config:
        scriptConfig:
          tool: docker
          action: logs
          args: {tail: 10}
    - id: both
      type: Script
      config: {scriptConfig: {command: ls, tool: file, action: list, args: {path: .}}}
)");
  CHECK(errors(validate_paths({file})) ==
        std::vector<std::string>{
            file + ":11: spec.nodes[1].config.scriptConfig: tool docker needs an action: one of "
                   "ps, logs, inspect, stats",
            file + ":15: spec.nodes[2].config.scriptConfig.action: kubectl has no action "
                   "\"apply\"; it has get, logs, describe",
            file + ":18: spec.nodes[3].config.scriptConfig.args.from: required",
            file + ":18: spec.nodes[3].config.scriptConfig.args.path: required",
            file + ":25: spec.nodes[4].config.scriptConfig.args.container: required",
            file + ":28: spec.nodes[5].config.scriptConfig: has both command and tool; a Script "
                   "node runs one of them"});
}

TEST_CASE("spec.config's retry and default timeout are read; bad values are errors") {
  testing::TempDir dir;
  const std::string good = dir.write("good/f.yaml", kFlowHeader + R"(spec:
  config:
    defaultTimeoutSeconds: 20
    retry: {initialDelay: 250ms, backoffMultiplier: 1.5}
  nodes:
    - {id: a, type: End}
)");
  const auto load = load_resource_paths({good});
  REQUIRE(errors(load.diagnostics).empty());
  const FlowSettings& settings = load.resources.flows.at("f").settings;
  CHECK(settings.default_timeout_seconds == 20);
  CHECK(settings.retry_max_attempts == 3);  // AOF's default once retry is written
  CHECK(settings.retry_initial_delay == "250ms");
  CHECK(settings.retry_backoff_multiplier == 1.5);
  const std::string bad = dir.write("bad/f.yaml", kFlowHeader + R"(spec:
  config:
    defaultTimeoutSeconds: 0
    retry: {maxAttempts: 50, initialDelay: soon, backoffMultiplier: 0.5}
  nodes:
    - {id: a, type: End}
)");
  CHECK(errors(validate_paths({bad})) ==
        std::vector<std::string>{
            bad + ":6: spec.config.defaultTimeoutSeconds: must be >= 1",
            bad + ":7: spec.config.retry.maxAttempts: must be an integer from 1 to 10",
            bad + ":7: spec.config.retry.initialDelay: must be a duration like 500ms, 30s, 5m, "
                  "1h or a number of seconds",
            bad + ":7: spec.config.retry.backoffMultiplier: must be between 1 and 10"});
}

TEST_CASE("graph rules: unique ids, known endpoints, no cycles") {
  testing::TempDir dir;
  const std::string dup = dir.write("dup.yaml", kFlowHeader + R"(spec:
  nodes:
    - {id: a, type: End}
    - {id: a, type: End}
  connections:
    - {from: start, to: a}
    - {from: a, to: b}
    - {from: nowhere, to: a}
    - {from: a}
)");
  CHECK(errors(validate_paths({dup})) ==
        std::vector<std::string>{dup + ":12: spec.connections[3].to: required",
                                 dup + ":7: spec.nodes[1].id: duplicate node id a",
                                 dup + ":10: spec.connections[1].to: unknown node b",
                                 dup + ":11: spec.connections[2].from: unknown node nowhere"});
  const std::string cycle = dir.write("cycle.yaml", kFlowHeader + R"(spec:
  nodes:
    - {id: a, type: End}
    - {id: b, type: End}
    - {id: c, type: End}
  connections:
    - {from: start, to: a}
    - {from: a, to: b}
    - {from: b, to: c}
    - {from: c, to: a, when: "${x} == y"}
)");
  CHECK(errors(validate_paths({cycle})) ==
        std::vector<std::string>{cycle +
                                 ":13: spec.connections[3]: closes a cycle: a -> b -> c -> a"});
}

TEST_CASE("unreachable nodes, unknown keys and AOF's ignored keys warn") {
  testing::TempDir dir;
  const std::string file = dir.write("w.yaml", kFlowHeader + R"(spec:
  trigger: {type: webhook}
  nodes:
    - id: a
      type: End
      config: {tools: [x], colour: red}
    - id: b
      type: End
      conditions: [{from: ghost, value: 1}]
  connections:
    - {from: start, to: a}
)");
  const auto d = validate_paths({file});
  CHECK(errors(d).empty());
  CHECK(warnings(d) ==
        std::vector<std::string>{
            file + ":5: spec.trigger: ignored: triggers live in Trigger resources (as in AOF)",
            file + ":9: spec.nodes[0].config.tools: parsed for AOF compatibility; has no effect",
            file + ":9: spec.nodes[0].config.colour: unknown key; ignored",
            file + ":12: spec.nodes[1].conditions[0].from: unknown node ghost; the condition "
                   "always holds",
            file + ":10: spec.nodes[1]: not reachable from start; never runs"});
}

}  // namespace aof::config
