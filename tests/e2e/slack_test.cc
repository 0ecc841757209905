// Slack end to end through `aof serve` (issue 6 item 2): a signed slash command is answered
// 200 with an empty body at once and its flow runs; Slack's url_verification is answered
// with the challenge; a bad signature is 401 and nothing runs.
#include <doctest/doctest.h>
#include <httplib.h>

#include <csignal>
#include <ctime>
#include <filesystem>
#include <thread>

#include "common/ingest/signature.h"
#include "tests/e2e/standalone_fixture.h"
#include "tests/support/scripted_http_server.h"

namespace aof::testing {
namespace {

constexpr const char* kSlackSecret = "e2e-slack-signing-secret";

// The Slack trigger both servers load: /deploy runs the flow `deploy`.
constexpr const char* kDeployTrigger = R"(apiVersion: aof.dev/v1
kind: Trigger
metadata: {name: slack-ops}
spec:
  type: Slack
  config: {bot_token: xoxb-e2e}
  commands:
    /deploy: {flow: deploy}
)";

// POSTs `body` to /webhook/slack on `port`, signed as Slack signs it with `secret`.
httplib::Result post_slack(int port, const std::string& body, const std::string& content_type,
                           const std::string& secret = kSlackSecret) {
  const std::string ts = std::to_string(std::time(nullptr));
  const std::string signature =
      "v0=" + ingest::hex_encode(ingest::hmac_sha256(secret, "v0:" + ts + ":" + body));
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(10, 0);
  return client.Post("/webhook/slack",
                     {{"X-Slack-Request-Timestamp", ts}, {"X-Slack-Signature", signature}}, body,
                     content_type.c_str());
}

class SlackServer {
 public:
  SlackServer() {
    dir_.write("daemon.yaml", R"(apiVersion: aof.dev/v1
kind: DaemonConfig
metadata: {name: slack-e2e}
spec:
  server: {host: 127.0.0.1, port: 8080}
  platforms:
    slack:
      signing_secret_env: E2E_SLACK_SECRET
  triggers: {directory: triggers}
  flows: {directory: flows}
  queue: {type: memory}
)");
    dir_.write("triggers/slack.yaml", kDeployTrigger);
    dir_.write("flows/deploy.yaml",
               marker_flow("deploy", R"(printf "%s\n" "$TEXT" >> "$MARKER")", marker(),
                           {{"TEXT", "${event.text}"}}));
    server_ = start_serve(dir_, "daemon.yaml", {{"E2E_SLACK_SECRET", kSlackSecret}}, port_);
  }
  ~SlackServer() {
    server_->signal(SIGKILL);
    server_->wait(std::chrono::seconds(10));
  }

  httplib::Result post(const std::string& body, const std::string& content_type,
                       const std::string& secret = kSlackSecret) const {
    return post_slack(port_, body, content_type, secret);
  }

  std::string marker() const { return (dir_.path() / "marker.txt").string(); }
  bool wait_for_marker(const std::string& line) const {
    return wait_for_file_line(marker(), line);
  }
  ChildProcess& process() { return *server_; }

 private:
  TempDir dir_;
  std::unique_ptr<ChildProcess> server_;
  int port_ = 0;
};

const char* kForm = "application/x-www-form-urlencoded";

// A signed reaction_added event by `user` on message `ts` in channel C1.
std::string reaction_event(const std::string& event_id, const std::string& user,
                           const std::string& reaction, const std::string& ts) {
  return nlohmann::json{{"type", "event_callback"},
                        {"team_id", "T1"},
                        {"event_id", event_id},
                        {"event",
                         {{"type", "reaction_added"},
                          {"user", user},
                          {"reaction", reaction},
                          {"item", {{"type", "message"}, {"channel", "C1"}, {"ts", ts}}}}}}
      .dump();
}

bool wait_for_requests(const ScriptedHttpServer& api, std::size_t count) {
  for (int i = 0; i < 400 && api.requests().size() < count; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return api.requests().size() >= count;
}

}  // namespace

TEST_CASE("slack: a signed slash command gets an empty 200 and its flow runs") {
  SlackServer server;
  const auto answered = server.post(
      "team_id=T1&channel_id=C1&user_id=U1&user_name=ana&command=%2Fdeploy"
      "&text=payments+v2&trigger_id=tr-e2e-1",
      kForm);
  REQUIRE(answered);
  CHECK(answered->status == 200);
  CHECK(answered->body.empty());
  INFO(server.process().stderr_text());
  CHECK(server.wait_for_marker("payments v2"));

  const auto challenge =
      server.post(R"({"type":"url_verification","challenge":"e2e-challenge"})", "application/json");
  REQUIRE(challenge);
  CHECK(challenge->status == 200);
  CHECK(challenge->body.find("e2e-challenge") != std::string::npos);

  const auto forged = server.post(
      "team_id=T1&channel_id=C1&user_id=U1&command=%2Fdeploy&text=forged&trigger_id=tr-2", kForm,
      "not-the-secret");
  REQUIRE(forged);
  CHECK(forged->status == 401);
}

}  // namespace aof::testing

namespace aof::testing {

TEST_CASE("slack: an approval waits for an allowed user's reaction; others are refused") {
  ScriptedHttpServer slack_api;  // chat.postMessage: the request, the refusal, the result
  slack_api.reply_json(R"({"ok":true,"channel":"C1","ts":"1700000000.000100"})");
  slack_api.reply_json(R"({"ok":true,"channel":"C1","ts":"1700000000.000200"})");
  slack_api.reply_json(R"({"ok":true,"channel":"C1","ts":"1700000000.000300"})");
  TempDir dir;
  dir.write("daemon.yaml", R"(apiVersion: aof.dev/v1
kind: DaemonConfig
metadata: {name: slack-approval-e2e}
spec:
  server: {host: 127.0.0.1, port: 8080}
  platforms:
    slack:
      signing_secret_env: E2E_SLACK_SECRET
      bot_token_env: E2E_SLACK_TOKEN
      api_url: )" + slack_api.base_url() + R"(
      approval_allowed_users: [U-LEAD]
  triggers: {directory: triggers}
  flows: {directory: flows}
  queue: {type: memory}
)");
  dir.write("triggers/slack.yaml", kDeployTrigger);
  const std::string marker = (dir.path() / "marker.txt").string();
  dir.write("flows/deploy.yaml", R"(apiVersion: aof.dev/v1
kind: AgentFlow
metadata: {name: deploy}
spec:
  nodes:
    - id: ask
      type: Approval
      config: {message: "Deploy ${event.text}?"}
    - id: go
      type: Script
      conditions: [{from: ask, value: true}]
      config:
        scriptConfig:
          command: 'printf "deployed %s\n" "$TEXT" >> ")" + marker + R"("; echo shipped'
          env: {TEXT: "${event.text}"}
  connections:
    - {from: start, to: ask}
    - {from: ask, to: go}
)");
  int port = 0;
  auto server = start_serve(
      dir, "daemon.yaml", {{"E2E_SLACK_SECRET", kSlackSecret}, {"E2E_SLACK_TOKEN", "xoxb-e2e"}},
      port);
  INFO(server->stderr_text());

  const auto command = post_slack(port,
                                  "team_id=T1&channel_id=C1&user_id=U1&user_name=ana&command=%2F"
                                  "deploy&text=payments&trigger_id=tr-approval",
                                  kForm);
  REQUIRE(command);
  CHECK(command->status == 200);
  REQUIRE(wait_for_requests(slack_api, 1));
  const auto request = nlohmann::json::parse(slack_api.requests()[0].body);
  CHECK(request["channel"] == "C1");
  CHECK(request["text"].get<std::string>().find("Deploy payments?") == 0);
  CHECK(request["text"].get<std::string>().find("React with") != std::string::npos);

  // Not an approver: answered in the request's thread, nothing runs.
  const std::string approval_ts = "1700000000.000100";
  REQUIRE(post_slack(port, reaction_event("EvIntern", "U-INTERN", "white_check_mark", approval_ts),
                     "application/json")
              ->status == 200);
  REQUIRE(wait_for_requests(slack_api, 2));
  const auto refusal = nlohmann::json::parse(slack_api.requests()[1].body);
  CHECK(refusal["thread_ts"] == approval_ts);
  CHECK(refusal["text"].get<std::string>().find("not allowed") != std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK_FALSE(std::filesystem::exists(marker));

  // The approver: the flow resumes, runs its next node once and reports.
  REQUIRE(post_slack(port, reaction_event("EvLead", "U-LEAD", "white_check_mark", approval_ts),
                     "application/json")
              ->status == 200);
  CHECK(wait_for_file_line(marker, "deployed payments"));
  REQUIRE(wait_for_requests(slack_api, 3));
  CHECK(nlohmann::json::parse(slack_api.requests()[2].body)["text"].get<std::string>().find(
            "shipped") != std::string::npos);
  server->signal(SIGKILL);
  server->wait(std::chrono::seconds(10));
}

}  // namespace aof::testing
