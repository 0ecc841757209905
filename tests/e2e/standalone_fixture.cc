#include "tests/e2e/standalone_fixture.h"

#include <httplib.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "common/ingest/signature.h"

namespace aof::testing {
namespace {

const std::string kMemoryQueue = R"(  queue:
    type: memory
    max_retries: 1
    retry_delay_ms: 10
    retry_max_delay_ms: 20
  worker:
    concurrency: 2
    drain_grace_secs: 5
)";

const char* kBrokenFlow = R"(apiVersion: aof.dev/v1
kind: AgentFlow
metadata: {name: broken}
spec:
  nodes:
    - id: explode
      type: Script
      config:
        scriptConfig:
          command: 'echo boom >&2; exit 3'
)";

}  // namespace

std::string e2e_daemon_yaml(const std::string& spec_tail, int port) {
  return R"(apiVersion: aof.dev/v1
kind: DaemonConfig
metadata: {name: e2e}
spec:
  server: {host: 127.0.0.1, port: )" +
         std::to_string(port) + R"(}
  platforms:
    github:
      webhook_secret_env: E2E_GITHUB_SECRET
  triggers: {directory: triggers}
  flows: {directory: flows}
)" + spec_tail;
}

std::string github_trigger_yaml(const std::map<std::string, std::string>& bindings) {
  std::string yaml =
      "apiVersion: aof.dev/v1\nkind: Trigger\nmetadata: {name: e2e-github}\nspec:\n"
      "  type: GitHub\n  commands:\n";
  for (const auto& [binding, flow] : bindings) {
    yaml += "    " + binding + ": {flow: " + flow + "}\n";
  }
  return yaml;
}

std::string marker_flow(const std::string& name, const std::string& command,
                        const std::string& marker,
                        const std::map<std::string, std::string>& env) {
  std::string yaml = "apiVersion: aof.dev/v1\nkind: AgentFlow\nmetadata: {name: " + name + R"(}
spec:
  nodes:
    - id: run
      type: Script
      config:
        scriptConfig:
          command: ')" + command + R"('
          env:
            PR: "${event.metadata.pr_number}"
            MARKER: ")" + marker + "\"\n";
  for (const auto& [variable, value] : env) {
    yaml += "            " + variable + ": \"" + value + "\"\n";
  }
  return yaml;
}

std::unique_ptr<ChildProcess> start_serve(const TempDir& dir, const std::string& config,
                                          const std::map<std::string, std::string>& env,
                                          int& port) {
  auto server = std::make_unique<ChildProcess>(
      binary_path("aof"), std::vector<std::string>{"serve", "-c", config, "--port", "0"}, env,
      dir.path().string(), dir.path().string());
  port = wait_for_port(*server, "listening on http://127.0.0.1:");
  return server;
}

int wait_for_port(const ChildProcess& process, const std::string& needle) {
  const auto line = process.wait_for_stderr(needle, std::chrono::seconds(30));
  if (!line) {
    throw std::runtime_error("no '" + needle + "' line:\n" + process.stderr_text());
  }
  return std::stoi(line->substr(line->rfind(':') + 1));
}

HttpReply post_github(int port, const std::string& event, const std::string& body,
                      const std::string& delivery, const char* secret) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(30, 0);
  httplib::Headers headers = {{"X-GitHub-Delivery", delivery}};
  if (!event.empty()) headers.emplace("X-GitHub-Event", event);
  if (secret != nullptr) headers.emplace("X-Hub-Signature-256", github_signature(secret, body));
  auto res = client.Post("/webhook/github", headers, body, "application/json");
  if (!res) return HttpReply{};
  return HttpReply{res->status, res->body, res->get_header_value("Retry-After")};
}

HttpReply http_get(int port, const std::string& path) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(70, 0);
  auto res = client.Get(path.c_str());
  if (!res) return HttpReply{};
  return HttpReply{res->status, res->body, res->get_header_value("Retry-After")};
}

std::string github_signature(const std::string& secret, const std::string& body) {
  return "sha256=" + ingest::hex_encode(ingest::hmac_sha256(secret, body));
}

std::string pull_request_body(int number, const std::string& action) {
  nlohmann::json body = {
      {"action", action},
      {"number", number},
      {"pull_request",
       {{"id", 1000 + number},
        {"number", number},
        {"title", "Change " + std::to_string(number)},
        {"state", "open"},
        {"body", "Body line"},
        {"draft", false},
        {"merged", false},
        {"html_url", "https://github.com/acme/payments/pull/" + std::to_string(number)},
        {"base", {{"ref", "main"}}},
        {"head", {{"ref", "feature"}, {"sha", "abc123"}}},
        {"additions", 3},
        {"deletions", 1},
        {"changed_files", 2}}},
      {"repository",
       {{"id", 77},
        {"name", "payments"},
        {"full_name", "acme/payments"},
        {"private", true},
        {"owner", {{"login", "acme"}}}}},
      {"sender", {{"id", 5}, {"login", "octocat"}, {"type", "User"}}}};
  return body.dump();
}

std::string issue_body(int number) {
  nlohmann::json body = {
      {"action", "opened"},
      {"issue",
       {{"id", 2000 + number},
        {"number", number},
        {"title", "Bug"},
        {"state", "open"},
        {"body", "It broke"},
        {"html_url", "https://github.com/acme/payments/issues/" + std::to_string(number)}}},
      {"repository",
       {{"id", 77},
        {"name", "payments"},
        {"full_name", "acme/payments"},
        {"private", true},
        {"owner", {{"login", "acme"}}}}},
      {"sender", {{"id", 5}, {"login", "octocat"}, {"type", "User"}}}};
  return body.dump();
}

Standalone::Standalone(const std::string& extra_spec) {
  const std::string config =
      dir_.write("config/daemon.yaml", e2e_daemon_yaml(kMemoryQueue + extra_spec));
  dir_.write("config/triggers/github.yaml",
             github_trigger_yaml({{"pull_request.opened", "record"},
                                  {"issues.opened", "broken"},
                                  {"pull_request.synchronize", "slow"}}));
  dir_.write("config/flows/record.yaml",
             marker_flow("record", R"(printf "%s\n" "$PR" >> "$MARKER"; printf "ran PR #%s" "$PR")",
                         marker_path()));
  dir_.write("config/flows/broken.yaml", kBrokenFlow);
  dir_.write(
      "config/flows/slow.yaml",
      marker_flow("slow", R"(sleep 1; printf "slow %s\n" "$PR" >> "$MARKER")", marker_path()));
  server_ = start_serve(dir_, config, {{"E2E_GITHUB_SECRET", kSecret}}, port_);
}

Standalone::~Standalone() {
  server_->signal(SIGKILL);
  server_->wait(std::chrono::seconds(10));
}

std::string Standalone::marker_path() const { return (dir_.path() / "marker.txt").string(); }

HttpReply Standalone::send_github(const std::string& event, const std::string& body,
                                  const std::string& delivery, const char* secret) const {
  return post_github(port_, event, body, delivery, secret);
}

HttpReply Standalone::send_with_signature(const std::string& event, const std::string& body,
                                          const std::string& delivery,
                                          const std::string& signature) const {
  httplib::Client client("127.0.0.1", port_);
  httplib::Headers headers = {{"X-GitHub-Delivery", delivery},
                              {"X-GitHub-Event", event},
                              {"X-Hub-Signature-256", signature}};
  auto res = client.Post("/webhook/github", headers, body, "application/json");
  if (!res) return HttpReply{};
  return HttpReply{res->status, res->body, res->get_header_value("Retry-After")};
}

HttpReply Standalone::get(const std::string& path) const { return http_get(port_, path); }

nlohmann::json Standalone::wait_for_event(const std::string& event_id) const {
  return get("/v1/events/" + event_id + "?wait=20").json();
}

bool wait_for_file_line(const std::string& path, const std::string& line) {
  for (int i = 0; i < 400; ++i) {
    std::ifstream in(path);
    for (std::string got; std::getline(in, got);) {
      if (got == line) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace aof::testing
