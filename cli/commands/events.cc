// aof events show ID: one event by event id or provider delivery id — status (waiting,
// running, retrying, done, dead), attempts with their history, replays, the result.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands/broker_command.h"
#include "cli/commands/commands.h"
#include "cli/commands/event_view.h"
#include "sidecar/exit_codes.h"

namespace aof::cli {
namespace {

struct ShowArgs {
  BrokerFlags broker;
  std::string id;
};

int run_show(const ShowArgs& args) {
  auto broker = open_operator_broker(args.broker);
  if (!broker) return report_error("events show", broker.error());
  auto record = broker->queue->find_event(args.id);
  if (!record) {
    Error error = record.error();
    if (error.code() == ErrorCode::kNotFound) {
      error = Error(error.code(), error.message() +
                                      " (unknown, or older than what queue.retention keeps; "
                                      "delivery ids are remembered for dedup_window_secs)");
    }
    return report_error("events show", error);
  }
  print_event(std::cout, *record, args.broker.json, false);
  return kExitOk;
}

}  // namespace

void add_events_command(CLI::App& app, int& exit_code) {
  auto* events = app.add_subcommand("events", "Events on the broker");
  events->require_subcommand(1);
  auto args = std::make_shared<ShowArgs>();
  auto* show = events->add_subcommand(
      "show", "Status, attempts with their history, and the result of one event");
  add_broker_flags(*show, args->broker);
  show->add_option("id", args->id, "Event id or provider delivery id (X-GitHub-Delivery, ...)")
      ->required();
  show->callback([args, &exit_code] { exit_code = run_show(*args); });
}

}  // namespace aof::cli
