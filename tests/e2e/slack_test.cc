// Slack end to end through `aof serve` (issue 6 item 2): a signed slash command is answered
// 200 with an empty body at once and its flow runs; Slack's url_verification is answered
// with the challenge; a bad signature is 401 and nothing runs.
#include <doctest/doctest.h>
#include <httplib.h>

#include <csignal>
#include <ctime>

#include "common/ingest/signature.h"
#include "tests/e2e/standalone_fixture.h"

namespace aof::testing {
namespace {

constexpr const char* kSlackSecret = "e2e-slack-signing-secret";

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
    dir_.write("triggers/slack.yaml", R"(apiVersion: aof.dev/v1
kind: Trigger
metadata: {name: slack-ops}
spec:
  type: Slack
  config: {bot_token: xoxb-e2e}
  commands:
    /deploy: {flow: deploy}
)");
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
    const std::string ts = std::to_string(std::time(nullptr));
    const std::string signature =
        "v0=" + ingest::hex_encode(ingest::hmac_sha256(secret, "v0:" + ts + ":" + body));
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(10, 0);
    return client.Post("/webhook/slack",
                       {{"X-Slack-Request-Timestamp", ts}, {"X-Slack-Signature", signature}},
                       body, content_type.c_str());
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
