// aof sign: signs a body as a provider would and prints a ready curl command, so operators
// can test a deployed sidecar end to end without the provider.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands/commands.h"
#include "cli/commands/sign_headers.h"
#include "common/base/clock.h"
#include "common/base/ids.h"
#include "common/ingest/signature.h"
#include "sidecar/exit_codes.h"

namespace aof::cli {
namespace {

struct SignArgs {
  std::string platform = "github";
  std::string secret_env;
  std::string secret_file;
  std::string event;
  std::string file;
  std::string url = "http://127.0.0.1:8080";
  std::string delivery;
};

// Single-quotes a word for POSIX shells.
std::string shell_quote(const std::string& word) {
  std::string out = "'";
  for (char c : word) out += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

Result<std::string> read_secret(const SignArgs& args) {
  if (!args.secret_env.empty()) {
    const char* value = std::getenv(args.secret_env.c_str());
    if (value == nullptr || *value == '\0') {
      return Error(ErrorCode::kInvalidArgument,
                   "--secret-env: environment variable " + args.secret_env + " is not set");
    }
    return std::string(value);
  }
  std::ifstream in(args.secret_file, std::ios::binary);
  if (!in)
    return Error(ErrorCode::kInvalidArgument, "--secret-file: cannot read " + args.secret_file);
  std::stringstream content;
  content << in.rdbuf();
  std::string secret = content.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  return secret;
}

int run_sign(const SignArgs& args) {
  auto secret = read_secret(args);
  if (!secret.ok()) {
    std::cerr << "aof sign: " << secret.error().message() << "\n";
    return exit_code_for(secret.error());
  }
  std::ifstream in(args.file, std::ios::binary);
  if (!in) {
    std::cerr << "aof sign: cannot read " << args.file << "\n";
    return kExitUsage;
  }
  std::stringstream body;
  body << in.rdbuf();
  const TimePoint now = SystemClock::instance().now();
  SignRequest request{args.platform, *secret,  args.event,
                      args.delivery.empty() ? new_ulid(now) : args.delivery, body.str(),
                      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count()};
  auto headers = signed_headers(request);
  if (!headers.ok()) {
    std::cerr << "aof sign: " << headers.error().message() << "\n";
    return kExitUsage;
  }
  const bool form = args.platform == "slack" && !body.str().empty() && body.str().front() != '{';
  std::cout << "curl -sS -X POST " << shell_quote(args.url + "/webhook/" + args.platform) << " -H "
            << shell_quote(form ? "Content-Type: application/x-www-form-urlencoded"
                                : "Content-Type: application/json");
  for (const auto& [name, value] : *headers) std::cout << " -H " << shell_quote(name + ": " + value);
  std::cout << " --data-binary @" << shell_quote(args.file) << "\n";
  return kExitOk;
}

}  // namespace

void add_sign_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SignArgs>();
  auto* cmd = app.add_subcommand("sign", "Sign a webhook body and print a ready curl command");
  cmd->add_option("--platform", args->platform, "github, slack, gitlab, bitbucket, jira, pagerduty, whatsapp, telegram, opsgenie, generic")
      ->capture_default_str();
  auto* env = cmd->add_option("--secret-env", args->secret_env,
                              "Environment variable holding the webhook secret");
  auto* file = cmd->add_option("--secret-file", args->secret_file, "File holding the secret");
  env->excludes(file);
  cmd->add_option("--event", args->event,
                  "Event header: github pull_request, gitlab 'Merge Request Hook', bitbucket "
                  "pullrequest:created");
  cmd->add_option("--file", args->file, "The body to send")->required();
  cmd->add_option("--url", args->url, "Base URL of the sidecar")->capture_default_str();
  cmd->add_option("--delivery", args->delivery, "Delivery id (default: a fresh one)");
  cmd->callback([args, &exit_code, env, file] {
    if (env->count() + file->count() == 0) {
      std::cerr << "aof sign: one of --secret-env or --secret-file is required\n";
      exit_code = kExitUsage;
      return;
    }
    exit_code = run_sign(*args);
  });
}

}  // namespace aof::cli
