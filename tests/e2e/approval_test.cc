// Approvals and checkpoints across worker processes on Redis (issue 8 items 2, 4): a flow
// paused by an Approval node resumes on another worker when the operator decides; a worker
// killed mid-flow is replaced by one that resumes after the last finished node, without
// repeating its HTTP request.
#include <doctest/doctest.h>

#include <csignal>
#include <fstream>
#include <thread>

#include "tests/e2e/deployment_fixture.h"
#include "tests/support/scripted_http_server.h"

namespace aof::testing {
namespace {

// A Script node appending "<label> <PR>" to the marker file.
std::string marker_node(const std::string& id, const std::string& label, const std::string& marker,
                        const std::string& conditions = "") {
  return "    - id: " + id + "\n      type: Script\n" + conditions +
         "      config:\n        scriptConfig:\n          command: 'printf \"" + label +
         " %s\\n\" \"$PR\" >> \"$MARKER\"'\n          env:\n"
         "            PR: \"${event.metadata.pr_number}\"\n            MARKER: \"" +
         marker + "\"\n";
}

std::string gate_flow(const std::string& marker) {
  return "apiVersion: aof.dev/v1\nkind: AgentFlow\nmetadata: {name: gate}\nspec:\n  nodes:\n" +
         marker_node("build", "build", marker) +
         "    - id: ask\n      type: Approval\n      config:\n"
         "        message: \"Deploy PR ${event.metadata.pr_number}?\"\n"
         "        timeoutSeconds: 600\n" +
         marker_node("deploy", "deploy", marker, "      conditions: [{from: ask, value: true}]\n") +
         marker_node("refuse", "denied", marker, "      conditions: [{from: ask, value: false}]\n") +
         "  connections:\n    - {from: start, to: build}\n    - {from: build, to: ask}\n"
         "    - {from: ask, to: deploy}\n    - {from: ask, to: refuse}\n";
}

// An HTTP call, then a Script that waits for the gate file (and writes its pid first).
std::string hooked_flow(const std::string& marker, const std::string& hook_url) {
  return "apiVersion: aof.dev/v1\nkind: AgentFlow\nmetadata: {name: hooked}\nspec:\n  nodes:\n"
         "    - id: call\n      type: HTTP\n      config:\n"
         "        url: " +
         hook_url +
         "/hook\n        method: POST\n        body: {pr: \"${event.metadata.pr_number}\"}\n"
         "    - id: slow\n      type: Script\n      config:\n        scriptConfig:\n"
         "          command: 'echo $$ > \"$MARKER.pid.$PR\"; i=0; while [ ! -e \"$MARKER.gate\" ] "
         "&& [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done; printf \"after %s\\n\" \"$PR\" >> "
         "\"$MARKER\"'\n          env:\n            PR: \"${event.metadata.pr_number}\"\n"
         "            MARKER: \"" +
         marker + "\"\n  connections:\n    - {from: start, to: call}\n    - {from: call, to: slow}\n";
}


}  // namespace

TEST_CASE("redis: an approval pauses the flow; the operator's decision resumes it on another "
          "worker") {
  Deployment deployment(Broker::kRedis);
  deployment.dir().write("config/triggers/github.yaml",
                         github_trigger_yaml({{"pull_request.opened", "gate"}}));
  deployment.dir().write("config/flows/gate.yaml", gate_flow(deployment.marker_path()));
  deployment.start_sidecar();
  auto first = deployment.start_worker("first", 2);

  const auto reply = deployment.send_pr(1);
  REQUIRE(reply.status == 202);
  const std::string paused = reply.json()["event_id"];
  auto record = deployment.wait_for_event(paused);
  INFO(first.process->stderr_text());
  REQUIRE(record["state"] == "done");
  CHECK(record["result"]["status"] == "waiting_approval");
  CHECK(record["result"]["waiting"] == "ask");
  CHECK(deployment.marker_lines() == std::vector<std::string>{"build 1"});

  // The worker that paused it is gone; another takes the decision.
  first.process->signal(SIGKILL);
  first.process->wait(std::chrono::seconds(10));
  auto second = deployment.start_worker("second", 2);
  const auto approved = deployment.aof({"flow", "approve", paused, "--by", "lead"});
  INFO(approved.err);
  REQUIRE(approved.exit_code == 0);
  CHECK(approved.out.find("approved node \"ask\" of flow gate") != std::string::npos);
  INFO(second.process->stderr_text());
  REQUIRE(deployment.wait_for_marker_lines(2, std::chrono::seconds(30)));
  CHECK(deployment.marker_lines() == std::vector<std::string>{"build 1", "deploy 1"});

  const auto again = deployment.aof({"flow", "approve", paused});
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("node ask of run " + paused + " was already approved by lead") !=
        std::string::npos);
  CHECK(deployment.aof({"flow", "approve", "01NOSUCHRUN"}).exit_code == 4);

  const auto second_pr = deployment.send_pr(2);
  const std::string denied_run = second_pr.json()["event_id"];
  REQUIRE(deployment.wait_for_event(denied_run)["state"] == "done");
  REQUIRE(deployment.aof({"flow", "approve", denied_run, "--deny"}).exit_code == 0);
  REQUIRE(deployment.wait_for_marker_lines(4, std::chrono::seconds(30)));
  CHECK(deployment.marker_lines() ==
        std::vector<std::string>{"build 1", "deploy 1", "build 2", "denied 2"});
}

TEST_CASE("redis: a flow whose worker was killed resumes after its HTTP node, not repeating it") {
  ScriptedHttpServer hook;
  hook.reply_json(R"({"ok":true})");
  hook.reply_json(R"({"ok":true})");  // a repeated request would be answered (and counted)
  Deployment deployment(Broker::kRedis, "    lease_ms: 1500\n");
  deployment.dir().write("config/triggers/github.yaml",
                         github_trigger_yaml({{"pull_request.opened", "hooked"}}));
  deployment.dir().write("config/flows/hooked.yaml",
                         hooked_flow(deployment.marker_path(), hook.base_url()));
  deployment.start_sidecar();
  auto doomed = deployment.start_worker("doomed", 1);
  const auto reply = deployment.send_pr(3);
  REQUIRE(reply.status == 202);
  const std::string event_id = reply.json()["event_id"];
  const int script = wait_for_pid(deployment.pid_path(3));
  REQUIRE(script > 0);
  CHECK(hook.requests().size() == 1);

  doomed.process->signal(SIGKILL);
  ::kill(script, SIGKILL);
  REQUIRE(doomed.process->wait(std::chrono::seconds(10)) == 128 + SIGKILL);
  { std::ofstream gate(deployment.gate_path()); }
  auto survivor = deployment.start_worker("survivor", 1);
  const auto record = deployment.wait_for_event(event_id);
  INFO(survivor.process->stderr_text());
  CHECK(record["state"] == "done");
  CHECK(record["attempts"] == 2);
  CHECK(hook.requests().size() == 1);  // the finished HTTP node was not sent again
  CHECK(record["result"]["node_results"]["call"]["status"] == 200);
  CHECK(deployment.marker_lines() == std::vector<std::string>{"after 3"});
}

}  // namespace aof::testing
