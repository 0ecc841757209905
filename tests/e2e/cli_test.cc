// The binaries' command lines: validate, sign, and the clear refusals of this build.
#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/config/secrets.h"
#include "common/ingest/verify/hub_signature.h"
#include "common/ingest/verify/pagerduty.h"
#include "common/ingest/verify/slack.h"
#include "common/ingest/verify/token.h"
#include "tests/e2e/standalone_fixture.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace aof::testing {
namespace {

const std::string kExamples = std::string(AOF_SOURCE_DIR) + "/examples";

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

TEST_CASE("aof validate accepts the shipped examples") {
  const auto result = run_to_completion(binary_path("aof"),
                                        {"validate", "-r", kExamples + "/config",
                                         kExamples + "/triggers", kExamples + "/flows",
                                         kExamples + "/agents", kExamples + "/oncall"},
                                        {});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(contains(result.out, "valid: 0 error(s)"));
}

TEST_CASE("aof validate rejects a broken file with file:line: path and exit 2") {
  TempDir dir;
  const auto path = dir.write("daemon.yaml",
                              "apiVersion: aof.dev/v1\n"
                              "kind: DaemonConfig\n"
                              "spec:\n"
                              "  queue:\n"
                              "    max_retries: -1\n");
  const auto result = run_to_completion(binary_path("aof"), {"validate", path}, {});
  CHECK(result.exit_code == 2);
  CHECK(contains(result.err, path + ":5: spec.queue.max_retries: must be >= 0"));
}

TEST_CASE("aof sign prints a curl command carrying GitHub's signature of the file") {
  TempDir dir;
  const std::string body = R"({"zen":"hello"})";
  const auto file = dir.write("body.json", body);
  const auto result = run_to_completion(
      binary_path("aof"),
      {"sign", "--platform", "github", "--secret-env", "SIGN_SECRET", "--event", "ping", "--file",
       file, "--delivery", "d-1", "--url", "http://127.0.0.1:9"},
      {{"SIGN_SECRET", "s3cret"}});
  CHECK(result.exit_code == 0);
  CHECK(contains(result.out, "curl -sS -X POST 'http://127.0.0.1:9/webhook/github'"));
  CHECK(contains(result.out, "'X-Hub-Signature-256: " + github_signature("s3cret", body) + "'"));
  CHECK(contains(result.out, "'X-GitHub-Event: ping'"));
  CHECK(contains(result.out, "'X-GitHub-Delivery: d-1'"));
  CHECK_FALSE(contains(result.out + result.err, "s3cret"));

  const auto unset = run_to_completion(
      binary_path("aof"),
      {"sign", "--secret-env", "NOT_SET_ANYWHERE", "--event", "ping", "--file", file}, {});
  CHECK(unset.exit_code == 2);
  CHECK(contains(unset.err, "NOT_SET_ANYWHERE is not set"));
}

TEST_CASE("modes that need a broker say so and exit 2") {
  const std::string config = kExamples + "/config/standalone.yaml";
  const std::map<std::string, std::string> env = {{"GITHUB_WEBHOOK_SECRET", "x"}};
  const auto gateway =
      run_to_completion(binary_path("aof"), {"serve", "-c", config, "--mode", "gateway"}, env);
  CHECK(gateway.exit_code == 2);
  CHECK(contains(gateway.err, "the gateway role alone needs a broker"));
  const auto worker = run_to_completion(binary_path("aof-work"), {"run", "-c", config}, env);
  CHECK(worker.exit_code == 2);
  CHECK(contains(worker.err, "the worker role alone needs a broker"));
}

TEST_CASE("a secret env var that is not set stops start-up with exit 2 and names it") {
  const std::string config = kExamples + "/config/standalone.yaml";
  const auto result = run_to_completion(binary_path("aof"), {"serve", "-c", config, "-p", "0"},
                                        {{"GITHUB_WEBHOOK_SECRET", ""}});
  CHECK(result.exit_code == 2);
  CHECK(contains(result.err, "GITHUB_WEBHOOK_SECRET"));
}

// The -H 'Name: value' pairs of a printed curl command, names lower-cased as the sidecar
// sees them.
std::map<std::string, std::string> curl_headers(const std::string& command) {
  std::map<std::string, std::string> out;
  std::size_t at = 0;
  while ((at = command.find(" -H '", at)) != std::string::npos) {
    at += 5;
    const auto end = command.find('\'', at);
    const std::string header = command.substr(at, end - at);
    const auto colon = header.find(": ");
    std::string name = header.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out[name] = header.substr(colon + 2);
  }
  return out;
}

TEST_CASE("aof sign signs as each provider does: the sidecar's verifiers accept it") {
  TempDir dir;
  const std::string body = R"({"object_kind":"push","text":"hi"})";
  const auto file = dir.write("body.json", body);
  const std::vector<config::Secret> secrets = {{"s3cret", std::nullopt, std::nullopt, "test"}};
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  using Verify = ingest::verify::VerifyResult (*)(const ingest::verify::Headers&, std::string_view,
                                                 const ingest::verify::Secrets&, std::int64_t);
  const std::vector<std::pair<std::string, Verify>> schemes = {
      {"github", ingest::verify::verify_github},
      {"slack",
       [](const ingest::verify::Headers& h, std::string_view b, const ingest::verify::Secrets& s,
          std::int64_t n) { return ingest::verify::verify_slack(h, b, s, n); }},
      {"gitlab", ingest::verify::verify_gitlab},
      {"bitbucket", ingest::verify::verify_bitbucket},
      {"jira", ingest::verify::verify_jira},
      {"whatsapp", ingest::verify::verify_whatsapp},
      {"pagerduty", ingest::verify::verify_pagerduty},
      {"telegram", ingest::verify::verify_telegram},
  };
  for (const auto& [platform, verify] : schemes) {
    INFO(platform);
    const auto result = run_to_completion(
        binary_path("aof"),
        {"sign", "--platform", platform, "--secret-env", "SIGN_SECRET", "--event", "push",
         "--file", file},
        {{"SIGN_SECRET", "s3cret"}});
    REQUIRE(result.exit_code == 0);
    CHECK(contains(result.out, "/webhook/" + platform + "'"));
    const auto headers = curl_headers(result.out);
    CHECK(verify(headers, body, secrets, now).ok());
    const bool signs_body = platform != "gitlab" && platform != "telegram";  // tokens sign nothing
    if (signs_body) CHECK_FALSE(verify(headers, body + " ", secrets, now).ok());
  }
  const auto discord = run_to_completion(
      binary_path("aof"), {"sign", "--platform", "discord", "--secret-env", "SIGN_SECRET",
                           "--file", file}, {{"SIGN_SECRET", "s3cret"}});
  CHECK(discord.exit_code == 2);
  CHECK(contains(discord.err, "private key"));
}

TEST_CASE("aof trigger test says which trigger and target a webhook runs, and why") {
  const std::vector<std::string> base = {"trigger", "test", "-c",
                                         kExamples + "/config/standalone.yaml", "--platform",
                                         "github"};
  auto args = base;
  args.insert(args.end(), {"--file", kExamples + "/requests/pull_request.opened.json", "--header",
                           "X-GitHub-Event: pull_request", "--header", "X-GitHub-Delivery: d-7"});
  const auto routed = run_to_completion(binary_path("aof"), args, {});
  INFO(routed.err);
  CHECK(routed.exit_code == 0);
  CHECK(contains(routed.out, "would run   AgentFlow pr-summary"));
  CHECK(contains(routed.out, "why         binding pull_request.opened of trigger github-prs"));
  CHECK(contains(routed.out, "dedup key   github:d-7"));
  CHECK(contains(routed.out, "signatures not checked"));

  // The example trigger's github_events does not list issues: nothing runs, and it says why.
  TempDir dir;
  const auto issue = dir.write("issue.json", R"({"action":"opened","issue":{"number":1,"title":"t",)"
                                             R"("html_url":"u"},"repository":{"full_name":"a/b",)"
                                             R"("owner":{"login":"a"}},"sender":{"login":"x","id":1}})");
  args = base;
  args.insert(args.end(), {"--file", issue, "--header", "X-GitHub-Event: issues"});
  const auto ignored = run_to_completion(binary_path("aof"), args, {});
  CHECK(ignored.exit_code == 1);
  CHECK(contains(ignored.out, "nothing would run: the sidecar would answer 200"));
  CHECK(contains(ignored.out, "events does not list issues"));

  // --verify checks the signature with the configured secret.
  args = base;
  args.insert(args.end(), {"--verify", "--file", kExamples + "/requests/push.json", "--header",
                           "X-GitHub-Event: push"});
  const auto unsigned_push = run_to_completion(binary_path("aof"), args, {{"GITHUB_WEBHOOK_SECRET", "s"}});
  CHECK(unsigned_push.exit_code == 1);
  CHECK(contains(unsigned_push.out, "401"));
  const std::string push = read_file(kExamples + "/requests/push.json");
  args.insert(args.end(), {"--header", "X-Hub-Signature-256: " + github_signature("s", push)});
  const auto signed_push = run_to_completion(binary_path("aof"), args, {{"GITHUB_WEBHOOK_SECRET", "s"}});
  CHECK(signed_push.exit_code == 0);
  CHECK(contains(signed_push.out, "would run   AgentFlow push-audit"));
}

TEST_CASE("AOF's own daemon.yaml serves unchanged from its repository root") {
  // AOF resolves ./agents, ./flows, ./config against the working directory and skips the
  // files it cannot load (this directory holds some); so do we.
  TempDir logs;
  const std::string root =
      (std::filesystem::path(AOF_SOURCE_DIR) / "tests/testdata/config/aof-examples").string();
  ChildProcess server(binary_path("aof"), {"serve", "-c", "config/aof/daemon.yaml", "-p", "0"},
                      {{"GITHUB_WEBHOOK_SECRET", "s"}}, logs.path().string(), root);
  const auto ready = server.wait_for_stderr("ready: ", std::chrono::seconds(30));
  INFO(server.stderr_text());
  REQUIRE(ready);
  CHECK(contains(server.stderr_text(), "listening on http://0.0.0.0:"));
  CHECK(contains(*ready, " 2 agents"));
  server.signal(SIGTERM);
  CHECK(server.wait(std::chrono::seconds(20)) == std::optional<int>(0));
}

}  // namespace aof::testing
