// Reloading without a restart (issue 6 item 4): a secret file rewritten on disk is picked up
// by the running process; SIGHUP re-reads triggers, agents and flows; a reload that fails
// keeps the running configuration. On `aof serve` (standalone), which shares the reload loop
// with aof-sidecar (sidecar/reload.h).
#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "tests/e2e/standalone_fixture.h"

namespace aof::testing {
namespace {

// Replaces a file the way a Secret mount or an editor does: a new file renamed over it.
void replace_file(const TempDir& dir, const std::string& relative, const std::string& content) {
  const auto path = dir.path() / relative;
  const auto next = dir.path() / (relative + ".next");
  std::ofstream(next) << content;
  std::filesystem::rename(next, path);
}

class ReloadingServer {
 public:
  ReloadingServer() {
    dir_.write("secret", "old-secret\n");
    dir_.write("daemon.yaml", daemon_yaml());
    dir_.write("triggers/github.yaml", github_trigger_yaml({{"pull_request.opened", "record"}}));
    dir_.write("flows/record.yaml",
               marker_flow("record", R"(printf "%s\n" "$PR" >> "$MARKER")", marker()));
    server_ = start_serve(dir_, "daemon.yaml", {}, port_);
  }
  ~ReloadingServer() {
    server_->signal(SIGKILL);
    server_->wait(std::chrono::seconds(10));
  }

  static std::string daemon_yaml() {
    return R"(apiVersion: aof.dev/v1
kind: DaemonConfig
metadata: {name: reload}
spec:
  server: {host: 127.0.0.1, port: 8080}
  platforms:
    github:
      webhook_secrets: [{value_file: secret}]
  triggers: {directory: triggers}
  flows: {directory: flows}
  queue: {type: memory}
)";
  }

  HttpReply send(int number, const std::string& action, const char* secret) {
    return post_github(port_, "pull_request", pull_request_body(number, action),
                       "delivery-" + std::to_string(++deliveries_), secret);
  }
  std::string marker() const { return (dir_.path() / "marker.txt").string(); }
  bool wait_for_marker(const std::string& line) const {
    return wait_for_file_line(marker(), line);
  }

  const TempDir& dir() const { return dir_; }
  ChildProcess& process() { return *server_; }

 private:
  TempDir dir_;
  std::unique_ptr<ChildProcess> server_;
  int port_ = 0;
  int deliveries_ = 0;
};

}  // namespace

TEST_CASE("a rewritten secret file is used without a restart; the old secret stops working") {
  ReloadingServer server;
  REQUIRE(server.send(1, "opened", "old-secret").status == 202);
  replace_file(server.dir(), "secret", "new-secret\n");
  REQUIRE(server.process().wait_for_stderr("a secret file changed", std::chrono::seconds(20)));
  REQUIRE(server.process().wait_for_stderr("reloaded:", std::chrono::seconds(20)));
  INFO(server.process().stderr_text());
  CHECK(server.send(2, "opened", "new-secret").status == 202);
  CHECK(server.send(3, "opened", "old-secret").status == 401);
}

TEST_CASE("SIGHUP re-reads triggers and flows; a broken DaemonConfig on reload keeps the old") {
  ReloadingServer server;
  const auto before = server.send(7, "closed", "old-secret");
  CHECK(before.status == 200);
  CHECK(before.json().value("status", "") == "ignored");

  server.dir().write("triggers/closed.yaml",
                     R"(apiVersion: aof.dev/v1
kind: Trigger
metadata: {name: closed-prs}
spec:
  type: GitHub
  commands:
    pull_request.closed: {flow: closed}
)");
  server.dir().write("flows/closed.yaml", marker_flow("closed", R"(printf "closed %s\n" "$PR" >> "$MARKER")",
                                                      server.marker()));
  server.process().signal(SIGHUP);
  REQUIRE(server.process().wait_for_stderr("reloaded:", std::chrono::seconds(20)));
  const auto after = server.send(8, "closed", "old-secret");
  INFO(server.process().stderr_text());
  REQUIRE(after.status == 202);
  CHECK(server.wait_for_marker("closed 8"));  // the new flow ran

  replace_file(server.dir(), "daemon.yaml", "spec: [this is not a DaemonConfig\n");
  server.process().signal(SIGHUP);
  REQUIRE(server.process().wait_for_stderr("still running the previous configuration",
                                           std::chrono::seconds(20)));
  CHECK(server.send(9, "closed", "old-secret").status == 202);  // the reloaded trigger stays
  server.process().signal(SIGTERM);
  CHECK(server.process().wait(std::chrono::seconds(20)) == std::optional<int>(0));
}

}  // namespace aof::testing
