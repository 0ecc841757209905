// aof trigger test --platform P --file BODY [--header K:V]...: which trigger and target a
// webhook would run, and why, decided by the sidecar's own ingress over the configured
// triggers. Without --verify no secret is needed (signatures are taken as valid); with it
// the configured secrets check the request's signature headers as the sidecar would.
// Exit 0 when an event would be queued, 1 when it would be answered without one (ignored,
// refused, malformed), 2 for usage or config errors.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands/commands.h"
#include "cli/commands/flags.h"
#include "common/base/clock.h"
#include "common/ingest/ingress.h"
#include "sidecar/exit_codes.h"
#include "sidecar/ingress_settings.h"

namespace aof::cli {
namespace {

struct TriggerTestArgs {
  sidecar::StartupFlags flags;
  std::string platform;
  std::string file;
  std::vector<std::string> headers;  // "Name: value"
  bool verify = false;
  bool json = false;
};

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

Result<ingest::IngressRequest> read_request(const TriggerTestArgs& args) {
  ingest::IngressRequest request;
  request.method = "POST";
  request.platform = args.platform;
  request.path = "/webhook/" + args.platform;
  request.remote_addr = "aof trigger test";
  request.headers["content-type"] = "application/json";
  for (const std::string& header : args.headers) {
    const auto colon = header.find(':');
    if (colon == std::string::npos || colon == 0) {
      return Error(ErrorCode::kInvalidArgument, "--header " + header + ": expected Name: value");
    }
    const auto value_start = header.find_first_not_of(' ', colon + 1);
    request.headers[lower(header.substr(0, colon))] =
        value_start == std::string::npos ? "" : header.substr(value_start);
  }
  std::ifstream in(args.file, std::ios::binary);
  if (!in) return Error(ErrorCode::kInvalidArgument, "--file: cannot read " + args.file);
  std::stringstream body;
  body << in.rdbuf();
  request.body = body.str();
  return request;
}

void print_routed(const ingest::Ingress::Decision& decision, bool as_json) {
  const event::Envelope& e = *decision.publish;
  const std::string event_key = e.action.empty() ? e.event : e.event + "." + e.action;
  if (as_json) {
    nlohmann::json out = {
        {"queued", true},
        {"trigger", e.trigger},
        {"target", {{"kind", event::to_string(e.target.kind)}, {"name", e.target.name}}},
        {"why", decision.why},
        {"event", event_key},
        {"tenant", e.tenant},
        {"dedup_key", e.dedup_key},
        {"text", e.text}};
    if (!e.report.empty()) out["report"] = e.report;  // the binding's report: review
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::cout << "would run   " << event::to_string(e.target.kind) << " " << e.target.name << "\n"
            << "trigger     " << e.trigger << "\n"
            << "why         " << decision.why << "\n"
            << "event       " << event_key << "\n"
            << "tenant      " << e.tenant << "\n"
            << "dedup key   " << e.dedup_key << "\n"
            << "text        " << e.text << "\n";
  if (!e.report.empty()) std::cout << "report as   " << e.report << "\n";
}

void print_answered(const ingest::IngressResponse& answer, bool as_json) {
  if (as_json) {
    std::cout << nlohmann::json{{"queued", false}, {"status", answer.status}, {"answer", answer.body}}
                     .dump(2)
              << "\n";
    return;
  }
  std::cout << "nothing would run: the sidecar would answer " << answer.status << " "
            << answer.body << "\n";
}

int run_trigger_test(const TriggerTestArgs& args) {
  auto daemon = sidecar::load_daemon(args.flags, config::process_env());
  if (!daemon.ok()) {
    std::cerr << "aof trigger test: " << daemon.error().message() << "\n";
    return kExitUsage;
  }
  auto settings = args.verify ? sidecar::ingress_settings(*daemon, config::process_env())
                              : sidecar::unverified_ingress_settings(*daemon);
  if (!settings.ok()) {
    std::cerr << "aof trigger test: " << settings.error().message() << "\n";
    return kExitUsage;
  }
  auto request = read_request(args);
  if (!request.ok()) {
    std::cerr << "aof trigger test: " << request.error().message() << "\n";
    return kExitUsage;
  }
  const ingest::Ingress ingress(std::move(*settings), SystemClock::instance());
  const ingest::Ingress::Decision decision = ingress.decide(*request);
  if (!args.verify && !args.json) {
    std::cout << "(signatures not checked; --verify checks them with the configured secrets)\n";
  }
  if (decision.publish) {
    print_routed(decision, args.json);
    return kExitOk;
  }
  print_answered(*decision.answer, args.json);
  return kExitFailed;
}

}  // namespace

void add_trigger_command(CLI::App& app, int& exit_code) {
  auto* trigger = app.add_subcommand("trigger", "Try triggers against a webhook body");
  trigger->require_subcommand(1);
  auto args = std::make_shared<TriggerTestArgs>();
  auto* cmd = trigger->add_subcommand(
      "test", "Print which trigger and target a webhook would run, and why");
  add_config_flags(*cmd, args->flags);
  cmd->add_option("--triggers-dir", args->flags.triggers_dir, "Trigger files (overrides config)");
  cmd->add_option("--platform", args->platform, "github, slack, gitlab, discord, ...")->required();
  cmd->add_option("--file", args->file, "The webhook body, as the provider sends it")->required();
  cmd->add_option("--header", args->headers, "A request header, 'Name: value' (repeatable)");
  cmd->add_flag("--verify", args->verify, "Check the signature headers with the configured secrets");
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([args, &exit_code] { exit_code = run_trigger_test(*args); });
}

}  // namespace aof::cli
