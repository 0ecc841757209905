// The shipped agent examples run as written (issue 7 item 10, issue 8): examples/oncall/
// served by `aof serve`, its agents' and fleet's model calls answered by a loopback server
// speaking OpenAI's chat completions (OPENAI_BASE_URL, as a user points it at Ollama or
// vLLM), reached by real signed PagerDuty and Slack webhooks.
#include <doctest/doctest.h>

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/ingest/signature.h"
#include "tests/e2e/standalone_fixture.h"
#include "tests/support/process.h"
#include "tests/support/openai_replies.h"
#include "tests/support/scripted_http_server.h"
#include "tests/support/temp_dir.h"

namespace aof::testing {
namespace {

using nlohmann::json;

const std::string kOncall = std::string(AOF_SOURCE_DIR) + "/examples/oncall";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string fixture(const std::string& name) {
  return read_file(std::string(AOF_SOURCE_DIR) + "/tests/testdata/ingest/" + name);
}

std::string hmac_hex(const std::string& secret, const std::string& message) {
  return ingest::hex_encode(ingest::hmac_sha256(secret, message));
}

// examples/oncall/daemon.yaml as shipped, but with the directories made absolute and the
// platforms' API URLs pointed at `api` (there is no Slack or PagerDuty in CI).
std::string config_for(const std::string& api_url) {
  std::ifstream in(kOncall + "/daemon.yaml");
  std::stringstream text;
  text << in.rdbuf();
  std::string yaml = text.str();
  const auto replace = [&yaml](const std::string& from, const std::string& to) {
    const auto at = yaml.find(from);
    REQUIRE(at != std::string::npos);
    yaml.replace(at, from.size(), to);
  };
  replace("directory: triggers", "directory: " + kOncall + "/triggers");
  replace("directory: agents", "directory: " + kOncall + "/agents");
  replace("directory: flows", "directory: " + kOncall + "/flows");
  replace("      signing_secret_env: SLACK_SIGNING_SECRET\n",
          "      signing_secret_env: SLACK_SIGNING_SECRET\n      api_url: " + api_url + "\n");
  replace("      webhook_secret_env: PAGERDUTY_WEBHOOK_SECRET\n",
          "      webhook_secret_env: PAGERDUTY_WEBHOOK_SECRET\n      api_url: " + api_url + "\n");
  return yaml;
}

struct OncallExample {
  ScriptedHttpServer llm;
  ScriptedHttpServer api;  // Slack's and PagerDuty's APIs, for the report-backs
  TempDir dir;
  std::unique_ptr<ChildProcess> server;
  int port = 0;

  // `env` is added to the server's environment.
  explicit OncallExample(std::map<std::string, std::string> env = {}) {
    api.reply_json(R"({"ok":true,"ts":"1700000001.000200","note":{"id":"PN1"}})");
    const std::string config = dir.write("daemon.yaml", config_for(api.base_url()));
    env.insert({{"OPENAI_BASE_URL", llm.base_url() + "/v1"},
                {"OPENAI_API_KEY", "sk-test"},
                {"SLACK_SIGNING_SECRET", "slack-secret"},
                {"SLACK_BOT_TOKEN", "xoxb-test"},
                {"PAGERDUTY_WEBHOOK_SECRET", "pd-secret"},
                {"PAGERDUTY_API_TOKEN", "pd-token"}});
    server = std::make_unique<ChildProcess>(
        binary_path("aof"), std::vector<std::string>{"serve", "-c", config, "--port", "0"},
        env, dir.path().string(), kOncall);
    port = wait_for_port(*server, "listening on http://127.0.0.1:");
  }
  ~OncallExample() {
    server->signal(SIGKILL);
    server->wait(std::chrono::seconds(10));
  }

  json post(const std::string& platform, const std::string& body, httplib::Headers headers) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(30, 0);
    auto res = client.Post("/webhook/" + platform, headers, body, "application/json");
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status / 100 == 2);
    return json::parse(res->body);
  }
  // A Slack slash command, signed; Slack wants an empty 200 at once.
  void slash_command(const std::string& form) {
    const auto ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    httplib::Client client("127.0.0.1", port);
    auto res = client.Post(
        "/webhook/slack",
        {{"X-Slack-Request-Timestamp", ts},
         {"X-Slack-Signature", "v0=" + hmac_hex("slack-secret", "v0:" + ts + ":" + form)}},
        form, "application/x-www-form-urlencoded");
    REQUIRE(res);
    REQUIRE(res->status == 200);
  }
  // The platform API's requests once there are `count` of them (up to 30 s).
  std::vector<RecordedRequest> wait_for_api_requests(std::size_t count) {
    for (int i = 0; i < 300 && api.requests().size() < count; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return api.requests();
  }
  json wait_done(const std::string& event_id) {
    const auto reply = http_get(port, "/v1/events/" + event_id + "?wait=20");
    return reply.json();
  }
};

}  // namespace

TEST_CASE("examples/oncall: a PagerDuty incident is triaged by its agent through the model") {
  OncallExample example;
  example.llm.reply_json(openai_answer("Likely cause: a bad deploy of checkout."));
  const std::string body = fixture("pagerduty/incident_triggered.json");
  const json accepted = example.post("pagerduty", body,
                                     {{"X-PagerDuty-Signature", "v1=" + hmac_hex("pd-secret", body)}});
  const json event = example.wait_done(accepted["event_id"]);
  INFO(event.dump());
  CHECK(event["state"] == "done");
  CHECK(event["result"]["output"] == "Likely cause: a bad deploy of checkout.");
  const auto requests = example.llm.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].target == "/v1/chat/completions");
  CHECK(requests[0].headers.at("authorization") == "Bearer sk-test");
  const json sent = json::parse(requests[0].body);
  CHECK(sent["model"] == "gpt-4o-mini");
  CHECK(sent["messages"][0]["role"] == "system");
  CHECK(sent["messages"][1]["content"].get<std::string>().find("A little bump in the road") !=
        std::string::npos);
  std::vector<std::string> tools;
  for (const auto& tool : sent["tools"]) tools.push_back(tool["function"]["name"]);
  CHECK(std::find(tools.begin(), tools.end(), "http_request") != tools.end());
  // The triage is posted back as an incident note.
  const auto notes = example.api.requests();
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].target == "/incidents/PGR0VU2/notes");
  CHECK(notes[0].headers.at("from") == "oncall-bot@example.com");
  CHECK(json::parse(notes[0].body)["note"]["content"].get<std::string>().find(
            "Likely cause: a bad deploy of checkout.") != std::string::npos);
}

TEST_CASE("examples/oncall: /rollback waits for a ✅ in the channel, then rolls back") {
  OncallExample example;
  example.slash_command(
      "team_id=T1&channel_id=C1&user_id=U7&user_name=ana&command=%2Frollback&text=checkout"
      "&trigger_id=tr-rollback");
  // The approval request, in the channel the command came from.
  auto posts = example.wait_for_api_requests(1);
  REQUIRE(posts.size() == 1);
  const json request = json::parse(posts[0].body);
  CHECK(request["channel"] == "C1");
  CHECK(request["text"].get<std::string>().find("Roll back checkout? (asked by <@U7>)") == 0);
  // A ✅ on it (the API answered ts 1700000001.000200) resumes the flow.
  const auto ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  const std::string reaction =
      json{{"type", "event_callback"},
           {"team_id", "T1"},
           {"event_id", "EvRollback"},
           {"event",
            {{"type", "reaction_added"},
             {"user", "U8"},
             {"reaction", "white_check_mark"},
             {"item", {{"type", "message"}, {"channel", "C1"}, {"ts", "1700000001.000200"}}}}}}
          .dump();
  const json accepted = example.post(
      "slack", reaction,
      {{"X-Slack-Request-Timestamp", ts},
       {"X-Slack-Signature", "v0=" + hmac_hex("slack-secret", "v0:" + ts + ":" + reaction)}});
  const json decided = example.wait_done(accepted["event_id"]);
  INFO(decided.dump());
  CHECK(decided["state"] == "done");
  CHECK(decided["result"]["output"]["output"] == "Rolled back checkout (approved by slack:U8)");
  posts = example.wait_for_api_requests(2);
  REQUIRE(posts.size() == 2);
  CHECK(json::parse(posts[1].body)["text"].get<std::string>().find("Rolled back checkout") !=
        std::string::npos);
}

TEST_CASE("examples/oncall: /status reads pods with kubectl and the status page, then sums up") {
  // A stand-in kubectl first in the worker's PATH: it records its arguments and prints a
  // pod list as `kubectl get pods -o json` does.
  TempDir bin;
  const auto kubectl = bin.write("kubectl", R"sh(#!/bin/sh
echo "$@" >> "$(dirname "$0")/args.log"
printf '%s' '{"apiVersion":"v1","kind":"List","items":[{"metadata":{"name":"pay-7f9c"},"status":{"phase":"CrashLoopBackOff"}}]}'
)sh");
  std::filesystem::permissions(kubectl, std::filesystem::perms::owner_all);
  ScriptedHttpServer status_page;
  status_page.reply_json(R"({"status":{"indicator":"minor","description":"Payments degraded"}})");
  OncallExample example({{"PATH", bin.path().string() + ":" + std::getenv("PATH")},
                         {"STATUS_URL", status_page.base_url() + "/api/v2/status.json"}});
  example.llm.reply_json(openai_answer("pay-7f9c is crash-looping; status page: degraded."));
  example.slash_command(
      "team_id=T1&channel_id=C1&user_id=U7&user_name=ana&command=%2Fstatus&text=payments"
      "&trigger_id=tr-status");
  const auto posts = example.wait_for_api_requests(1);
  REQUIRE(posts.size() == 1);
  CHECK(json::parse(posts[0].body)["text"].get<std::string>().find(
            "pay-7f9c is crash-looping") != std::string::npos);
  CHECK(read_file(bin.path() / "args.log") == "get pods --output json --namespace payments\n");
  REQUIRE(status_page.requests().size() == 1);
  CHECK(status_page.requests()[0].target == "/api/v2/status.json");
  // The model saw both readings, from the nodes' outputs.
  const std::string asked =
      json::parse(example.llm.requests().at(0).body)["messages"][1]["content"];
  CHECK(asked.find("namespace payments") != std::string::npos);
  CHECK(asked.find("CrashLoopBackOff") != std::string::npos);
  CHECK(asked.find("Payments degraded") != std::string::npos);
}

TEST_CASE("examples/oncall: a Slack mention reaches the on-call agent") {
  OncallExample example;
  example.llm.reply_json(openai_answer("All pods in payments are Running."));
  const auto ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  const json mention = {{"type", "event_callback"},
                        {"team_id", "T1"},
                        {"event_id", "Ev42"},
                        {"event",
                         {{"type", "app_mention"},
                          {"user", "U1"},
                          {"text", "<@U0BOT> are the payments pods healthy?"},
                          {"ts", "1700000000.000100"},
                          {"channel", "C1"}}}};
  const std::string body = mention.dump();
  const json accepted = example.post(
      "slack", body,
      {{"X-Slack-Request-Timestamp", ts},
       {"X-Slack-Signature", "v0=" + hmac_hex("slack-secret", "v0:" + ts + ":" + body)}});
  const json event = example.wait_done(accepted["event_id"]);
  INFO(event.dump());
  CHECK(event["state"] == "done");
  CHECK(event["result"]["output"] == "All pods in payments are Running.");
  const json sent = json::parse(example.llm.requests().at(0).body);
  // AOF's input cleaning: the mention is gone.
  CHECK(sent["messages"][1]["content"] == "are the payments pods healthy?");
  // The answer is posted in the thread it came from.
  const auto posts = example.api.requests();
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].target == "/chat.postMessage");
  CHECK(posts[0].headers.at("authorization") == "Bearer xoxb-test");
  const json post = json::parse(posts[0].body);
  CHECK(post["channel"] == "C1");
  CHECK(post["thread_ts"] == "1700000000.000100");
}

TEST_CASE("examples/oncall: /incident runs the hierarchical fleet and posts to #incidents") {
  OncallExample example;
  example.llm.reply_json(openai_answer(R"({"assignments": [
      {"agent": "logs", "task": "What changed in checkout's errors?"},
      {"agent": "deploys", "task": "What shipped before checkout broke?"}]})"));
  example.llm.reply_json(openai_answer("A finding."));  // both workers
  example.llm.reply_json(openai_answer("A finding."));
  example.llm.reply_json(openai_answer("Cause: the 14:02 payments deploy. Roll it back."));
  example.slash_command(
      "team_id=T1&channel_id=C1&user_id=U1&user_name=ana&command=%2Fincident"
      "&text=checkout+returns+500s&trigger_id=tr-incident-1");
  const auto posts = example.wait_for_api_requests(2);
  INFO(example.server->stderr_text());
  REQUIRE(posts.size() == 2);
  // The flow's Slack node, then the reply to the command's channel.
  CHECK(posts[0].target == "/chat.postMessage");
  CHECK(posts[0].headers.at("authorization") == "Bearer xoxb-test");
  const json brief = json::parse(posts[0].body);
  CHECK(brief["channel"] == "#incidents");
  CHECK(brief["text"] ==
        "Incident reported: checkout returns 500s\n"
        "Cause: the 14:02 payments deploy. Roll it back.\n");
  // The command's reply is the flow's last message.
  const json reply = json::parse(posts[1].body);
  CHECK(reply["channel"] == "C1");
  CHECK(reply["text"] == "✅ " + brief["text"].get<std::string>());
  // Plan, two delegated workers, synthesis; each worker got its own subtask.
  const auto calls = example.llm.requests();
  REQUIRE(calls.size() == 4);
  std::vector<std::string> subtasks;
  for (std::size_t i = 1; i <= 2; ++i) {
    subtasks.push_back(json::parse(calls[i].body)["messages"].back()["content"]);
  }
  std::sort(subtasks.begin(), subtasks.end());
  CHECK(subtasks == std::vector<std::string>{"What changed in checkout's errors?",
                                             "What shipped before checkout broke?"});
  CHECK(json::parse(calls[3].body)["messages"].back()["content"].get<std::string>().find(
            "A finding.") != std::string::npos);
}

}  // namespace aof::testing

namespace aof::testing {

// examples/config/standalone.yaml, served as the README's main job serves it: its two flows
// (examples/flows) run on the sample webhooks of examples/requests.
TEST_CASE("examples/config/standalone.yaml: pr-summary and push-audit run on the sample "
          "webhooks") {
  const std::string examples = std::string(AOF_SOURCE_DIR) + "/examples";
  const auto read = [](const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  const TempDir dir;
  int port = 0;
  auto server = std::make_unique<ChildProcess>(
      binary_path("aof"),
      std::vector<std::string>{"serve", "-c", examples + "/config/standalone.yaml", "--port", "0"},
      std::map<std::string, std::string>{{"GITHUB_WEBHOOK_SECRET", kSecret}},
      dir.path().string(), dir.path().string());
  port = wait_for_port(*server, "listening on http://127.0.0.1:");
  INFO(server->stderr_text());
  const auto result_of = [&](const std::string& event, const std::string& file,
                             const std::string& delivery) {
    const auto reply =
        post_github(port, event, read(examples + "/requests/" + file), delivery);
    REQUIRE(reply.status == 202);
    const std::string id = reply.json()["event_id"];
    const auto record = http_get(port, "/v1/events/" + id + "?wait=20").json();
    REQUIRE(record["state"] == "done");
    return record["result"];
  };
  const json summary = result_of("pull_request", "pull_request.opened.json", "ex-pr-1");
  CHECK(summary["flow_name"] == "pr-summary");
  CHECK(summary["status"] == "completed");
  const std::string text = summary["output"]["output"];
  CHECK(text.find("change") != std::string::npos);
  CHECK(text.find("PR #") == 0);
  const json audit = result_of("push", "push.json", "ex-push-1");
  CHECK(audit["flow_name"] == "push-audit");
  CHECK(audit["output"]["output"]["commits"].is_number());
  server->signal(SIGKILL);
  server->wait(std::chrono::seconds(10));
}

}  // namespace aof::testing
