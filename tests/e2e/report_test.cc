// Report-back end to end (issue 7 items 8, 4): a signed pull_request.opened → aof-sidecar →
// Redis → aof-work → an agent whose model (a fake OpenAI API) makes two tool calls and then
// answers → exactly one comment on a fake GitHub API; and a worker killed while its comment
// is in flight → the event is reclaimed by another worker, which neither re-runs the agent
// nor comments again (the effect journal, runtime/report/journal.h). Tool calls: a worker
// killed after (or during) a shell call that appends to a file → the redelivery gives the
// model the recorded result (or says the outcome is unknown) and the file has one line
// (agent/tool_journal.h). A binding with `report: review` gets a PR review.
#include <doctest/doctest.h>

#include <condition_variable>
#include <csignal>
#include <fstream>
#include <mutex>
#include <thread>

#include "tests/e2e/deployment_fixture.h"
#include "tests/support/openai_replies.h"
#include "tests/support/scripted_http_server.h"

namespace aof::testing {
namespace {

using nlohmann::json;

const char* kAnswer = R"({"choices": [{"finish_reason": "stop", "message": {"role": "assistant",
    "content": "Reviewed: the notes say ship it."}}],
    "usage": {"prompt_tokens": 20, "completion_tokens": 7}})";

struct DeploymentOptions {
  std::string tools = "[write_file, read_file]";  // the agent's
  std::string binding = "{agent: reviewer}";      // pull_request.opened's
  bool review_script = true;  // the model writes notes, reads them back and answers
};

// A deployment on Redis whose PR events go to the agent `reviewer`; GitHub and OpenAI are
// loopback fakes.
class ReportDeployment {
 public:
  explicit ReportDeployment(const DeploymentOptions& options = {}) : redis_() {
    if (options.review_script) {
      llm.reply_json(
          openai_tool_call("call_1", "write_file", {{"path", "notes.txt"}, {"content", "ship it"}}));
      llm.reply_json(openai_tool_call("call_2", "read_file", {{"path", "notes.txt"}}));
      llm.reply_json(kAnswer);
    }
    dir_.write("config/triggers/github.yaml",
               "apiVersion: aof.dev/v1\nkind: Trigger\nmetadata: {name: e2e-github}\nspec:\n"
               "  type: GitHub\n  commands:\n    pull_request.opened: " +
                   options.binding + "\n");
    dir_.write("config/agents/reviewer.yaml", R"(apiVersion: aof.dev/v1
kind: Agent
metadata: {name: reviewer}
spec:
  model: openai:gpt-4o-mini
  system_prompt: Review the pull request.
  tools: )" + options.tools + R"(
  max_iterations: 5
)");
  }

  const std::filesystem::path& path() const { return dir_.path(); }

  std::string config(int port, const std::string& worker_yaml = "") {
    return dir_.write("config/daemon-" + std::to_string(port) + ".yaml",
                      R"(apiVersion: aof.dev/v1
kind: DaemonConfig
metadata: {name: e2e-report}
spec:
  server: {host: 127.0.0.1, port: )" +
                          std::to_string(port) + R"(}
  platforms:
    github:
      webhook_secret_env: E2E_GITHUB_SECRET
      token_env: E2E_GITHUB_TOKEN
      api_url: )" + github.base_url() +
                          R"(
  triggers: {directory: triggers}
  agents: {directory: agents}
  queue:
    type: redis
    url: )" + redis_.url() +
                          R"(
    max_retries: 3
    retry_delay_ms: 50
    retry_max_delay_ms: 100
    lease_ms: 1500
  gateway:
    spool: {path: )" + (dir_.path() / "spool").string() +
                          R"(}
)" + worker_yaml);
  }

  std::map<std::string, std::string> env() const {
    return {{"E2E_GITHUB_SECRET", kSecret},
            {"E2E_GITHUB_TOKEN", "ghp_e2e"},
            {"OPENAI_API_KEY", "sk-e2e"},
            {"OPENAI_BASE_URL", llm.base_url() + "/v1"}};
  }

  void start_sidecar() {
    sidecar_ = std::make_unique<ChildProcess>(
        binary_path("aof-sidecar"),
        std::vector<std::string>{"--config", config(free_loopback_port())}, env(),
        dir_.path().string(), dir_.path().string());
    sidecar_port_ = wait_for_port(*sidecar_, "listening on http://127.0.0.1:");
  }

  // Starts `aof-work run --consumer NAME`; *metrics_port is its listener.
  std::unique_ptr<ChildProcess> start_worker(const std::string& name, int* metrics_port) {
    const int port = free_loopback_port();
    *metrics_port = port;
    auto worker = std::make_unique<ChildProcess>(
        binary_path("aof-work"),
        std::vector<std::string>{"run", "--config",
                                 config(port, "  worker: {port: " + std::to_string(port) + "}\n"),
                                 "--consumer", name, "--concurrency", "1"},
        env(), dir_.path().string(), dir_.path().string());
    wait_for_port(*worker, "worker listening on http://127.0.0.1:");
    return worker;
  }

  std::string send_pr(int number) {
    const auto reply = post_github(sidecar_port_, "pull_request", pull_request_body(number),
                                   "d-report-" + std::to_string(number));
    REQUIRE(reply.status == 202);
    return reply.json()["event_id"];
  }

  json wait_for_event(const std::string& id) const {
    return http_get(sidecar_port_, "/v1/events/" + id + "?wait=20").json();
  }

  ScriptedHttpServer llm;
  ScriptedHttpServer github;

 private:
  TempDir dir_;
  RedisServer redis_;
  std::unique_ptr<ChildProcess> sidecar_;
  int sidecar_port_ = 0;
};

TEST_CASE("report e2e: a PR reviewed by an agent gets exactly one comment <redis>") {
  ReportDeployment d;
  d.github.reply_json(R"({"id": 1})", 201);
  d.start_sidecar();
  int port = 0;
  auto worker = d.start_worker("w1", &port);
  const std::string id = d.send_pr(42);
  auto record = d.wait_for_event(id);
  INFO(worker->stderr_text());
  CHECK(record["state"] == "done");
  CHECK(record["result"]["output"] == "Reviewed: the notes say ship it.");

  const auto llm_requests = d.llm.requests();
  REQUIRE(llm_requests.size() == 3);  // two tool calls, then the answer
  const auto last = json::parse(llm_requests[2].body);
  CHECK(last["messages"].back()["role"] == "tool");
  CHECK(last["messages"].back()["content"].get<std::string>().find("ship it") != std::string::npos);

  const auto comments = d.github.requests();
  REQUIRE(comments.size() == 1);
  CHECK(comments[0].method == "POST");
  CHECK(comments[0].target == "/repos/acme/payments/issues/42/comments");
  CHECK(comments[0].headers.at("authorization") == "Bearer ghp_e2e");
  CHECK(json::parse(comments[0].body) == json{{"body", "✅ Reviewed: the notes say ship it."}});
  CHECK(
      http_get(port, "/metrics").body.find("\naof_worker_reports_total{outcome=\"posted\"} 1\n") !=
      std::string::npos);
}

TEST_CASE("report e2e: a worker killed while commenting is not followed by a 2nd comment <redis>") {
  ReportDeployment d;
  // The comment reaches GitHub, but its answer is held until the test has killed the worker.
  std::mutex mu;
  std::condition_variable cv;
  bool received = false, release = false;
  ScriptedReply held;
  held.status = 201;
  held.body = R"({"id": 1})";
  held.before = [&] {
    std::unique_lock lock(mu);
    received = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
  };
  d.github.reply(held);
  d.start_sidecar();
  int port = 0;
  auto doomed = d.start_worker("doomed", &port);
  const std::string id = d.send_pr(7);
  {
    std::unique_lock lock(mu);
    REQUIRE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return received; }));
  }
  doomed->signal(SIGKILL);
  REQUIRE(doomed->wait(std::chrono::seconds(10)) == 128 + SIGKILL);
  {
    std::lock_guard lock(mu);
    release = true;
    cv.notify_all();
  }

  auto survivor = d.start_worker("survivor", &port);
  auto record = d.wait_for_event(id);
  INFO(survivor->stderr_text());
  CHECK(record["state"] == "done");
  CHECK(record["attempts"] == 2);
  CHECK(record["result"]["output"] == "Reviewed: the notes say ship it.");
  CHECK(d.llm.requests().size() == 3);     // the agent ran once
  CHECK(d.github.requests().size() == 1);  // and commented once
  CHECK(survivor->stderr_text().find("it is not posted twice") != std::string::npos);
  CHECK(http_get(port, "/metrics")
            .body.find("\naof_worker_reports_total{outcome=\"unconfirmed\"} 1\n") !=
        std::string::npos);
}

// Holds a scripted reply until the test has killed its requester. Declared after the
// deployment, so it is destroyed (and releases) before the fake server stops.
class Gate {
 public:
  ~Gate() { release(); }
  ScriptedReply hold(ScriptedReply reply) {
    reply.before = [this] {
      std::unique_lock lock(mu_);
      received_ = true;
      cv_.notify_all();
      cv_.wait(lock, [&] { return released_; });
    };
    return reply;
  }
  bool wait_received() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(30), [&] { return received_; });
  }
  void release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool received_ = false;  // guarded by mu_
  bool released_ = false;  // guarded by mu_
};

int lines_of(const std::string& path) {
  std::ifstream in(path);
  int lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  return lines;
}

// The content of the last message (the tool's answer) of model request `n`.
std::string last_message(const ScriptedHttpServer& llm, std::size_t n) {
  const auto requests = llm.requests();
  REQUIRE(requests.size() > n);
  return json::parse(requests[n].body)["messages"].back()["content"].get<std::string>();
}

DeploymentOptions shell_agent() {
  DeploymentOptions options;
  options.tools = "[shell]";
  options.review_script = false;
  return options;
}

TEST_CASE(
    "tool e2e: a worker killed after a shell call; the redelivery reuses its result <redis>") {
  ReportDeployment d(shell_agent());
  Gate gate;
  const std::string marker = (d.path() / "applied.log").string();
  const json apply = {{"command", "echo applied >> " + marker + " && wc -l < " + marker}};
  d.llm.reply_json(openai_tool_call("call_1", "shell", apply));
  ScriptedReply held;
  held.body = kAnswer;
  d.llm.reply(gate.hold(held));  // the doomed worker's model call after the shell call
  d.llm.reply_json(openai_tool_call("call_1", "shell", apply));  // the survivor's model asks again
  d.llm.reply_json(kAnswer);
  d.github.reply_json(R"({"id": 1})", 201);
  d.start_sidecar();
  int port = 0;
  auto doomed = d.start_worker("doomed", &port);
  const std::string id = d.send_pr(9);
  REQUIRE(gate.wait_received());
  doomed->signal(SIGKILL);
  REQUIRE(doomed->wait(std::chrono::seconds(10)) == 128 + SIGKILL);
  gate.release();

  auto survivor = d.start_worker("survivor", &port);
  auto record = d.wait_for_event(id);
  INFO(survivor->stderr_text());
  CHECK(record["state"] == "done");
  CHECK(record["result"]["output"] == "Reviewed: the notes say ship it.");
  CHECK(lines_of(marker) == 1);  // the shell command ran once
  REQUIRE(d.llm.requests().size() == 4);
  CHECK(last_message(d.llm, 3) == last_message(d.llm, 1));  // the recorded result
  CHECK(last_message(d.llm, 3).find(R"("stdout":"1\n")") != std::string::npos);
  CHECK(survivor->stderr_text().find("its result is reused") != std::string::npos);
  CHECK(d.github.requests().size() == 1);
}

TEST_CASE(
    "tool e2e: a worker killed during a shell call; the redelivery does not repeat it <redis>") {
  ReportDeployment d(shell_agent());
  const std::string marker = (d.path() / "started.log").string();
  const json apply = {{"command", "echo started >> " + marker + "; sleep 2"}};
  d.llm.reply_json(openai_tool_call("call_1", "shell", apply));
  d.llm.reply_json(openai_tool_call("call_1", "shell", apply));  // the survivor's model asks again
  d.llm.reply_json(kAnswer);
  d.github.reply_json(R"({"id": 1})", 201);
  d.start_sidecar();
  int port = 0;
  auto doomed = d.start_worker("doomed", &port);
  const std::string id = d.send_pr(10);
  for (int i = 0; i < 3000 && lines_of(marker) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(lines_of(marker) == 1);
  doomed->signal(SIGKILL);
  REQUIRE(doomed->wait(std::chrono::seconds(10)) == 128 + SIGKILL);

  auto survivor = d.start_worker("survivor", &port);
  auto record = d.wait_for_event(id);
  INFO(survivor->stderr_text());
  CHECK(record["state"] == "done");
  CHECK(lines_of(marker) == 1);
  REQUIRE(d.llm.requests().size() == 3);
  const json answer = json::parse(last_message(d.llm, 2));
  CHECK(answer["success"] == false);
  CHECK(answer["error"].get<std::string>().find("not run again") != std::string::npos);
  CHECK(survivor->stderr_text().find("its outcome is unknown") != std::string::npos);
}

TEST_CASE("report e2e: a binding with report: review gets a PR review, not a comment <redis>") {
  DeploymentOptions options;
  options.binding = "{agent: reviewer, report: review}";
  ReportDeployment d(options);
  d.github.reply_json(R"({"id": 80, "state": "COMMENTED"})", 200);
  d.start_sidecar();
  int port = 0;
  auto worker = d.start_worker("w1", &port);
  const std::string id = d.send_pr(42);
  auto record = d.wait_for_event(id);
  INFO(worker->stderr_text());
  CHECK(record["state"] == "done");
  const auto posts = d.github.requests();
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].target == "/repos/acme/payments/pulls/42/reviews");
  CHECK(json::parse(posts[0].body) ==
        json{{"body", "✅ Reviewed: the notes say ship it."}, {"event", "COMMENT"}});
}

}  // namespace
}  // namespace aof::testing
