// aof dlq list|show|replay|purge: the dead letters on the broker, addressed by event id.
// list and show live here; replay and purge in dlq_replay.cc and dlq_purge.cc.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>

#include "cli/commands/broker_command.h"
#include "cli/commands/commands.h"
#include "cli/commands/dlq_commands.h"
#include "cli/commands/dlq_select.h"
#include "cli/commands/event_view.h"
#include "cli/commands/text_format.h"
#include "sidecar/exit_codes.h"

namespace aof::cli {
namespace {

struct ListArgs {
  BrokerFlags broker;
  std::size_t limit = 100;
  std::optional<std::string> platform;
  std::optional<std::string> since;
};

nlohmann::json list_entry(const event::Envelope& e) {
  return {{"event_id", e.id},
          {"platform", e.platform},
          {"event", e.event},
          {"action", e.action},
          {"attempts", e.attempt},
          {"last_error", last_error(e)},
          {"failed_at", failed_at(e)}};
}

std::string shorten(const std::string& text, std::size_t max) {
  return text.size() <= max ? text : text.substr(0, max - 3) + "...";
}

int run_list(const ListArgs& args) {
  DeadLetterFilter filter;
  filter.platform = args.platform;
  if (args.since) {
    auto since = parse_duration_flag("--since", *args.since);
    if (!since) return report_error("dlq list", since.error());
    filter.since = *since;
  }
  auto broker = open_operator_broker(args.broker);
  if (!broker) return report_error("dlq list", broker.error());
  auto dead = select_dead_letters(*broker->queue, filter, args.limit, SystemClock::instance().now());
  if (!dead) return report_error("dlq list", dead.error());
  if (args.broker.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : *dead) list.push_back(list_entry(e));
    std::cout << list.dump(2) << "\n";
    return kExitOk;
  }
  if (dead->empty()) {
    std::cout << "no dead letters" << (filter.empty() ? "" : " match") << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : *dead) {
    const std::string kind = e.action.empty() ? e.event : e.event + "." + e.action;
    rows.push_back({e.id, e.platform, kind, std::to_string(e.attempt), failed_at(e),
                    shorten(last_error(e), 60)});
  }
  print_table(std::cout, {"EVENT_ID", "PLATFORM", "EVENT", "ATTEMPTS", "FAILED_AT", "LAST_ERROR"},
              rows);
  std::cout << dead->size() << " dead letter(s); `aof dlq show ID` for one, `aof dlq replay "
            << "ID` to run it again\n";
  return kExitOk;
}

struct ShowArgs {
  BrokerFlags broker;
  std::string id;
};

int run_show(const ShowArgs& args) {
  auto broker = open_operator_broker(args.broker);
  if (!broker) return report_error("dlq show", broker.error());
  auto record = broker->queue->find_event(args.id);
  if (!record) return report_error("dlq show", record.error());
  if (record->state != queue::EventState::kDead) {
    return report_error(
        "dlq show", Error(ErrorCode::kNotFound,
                          "event " + record->envelope.id + " is not a dead letter (it is " +
                              queue::to_string(record->state) + "); see `aof events show " +
                              args.id + "`"));
  }
  print_event(std::cout, *record, args.broker.json, true);
  return kExitOk;
}

void add_list(CLI::App& dlq, int& exit_code) {
  auto args = std::make_shared<ListArgs>();
  auto* cmd = dlq.add_subcommand("list", "List dead letters, oldest first (newest N kept)");
  add_broker_flags(*cmd, args->broker);
  cmd->add_option("--limit", args->limit, "Show the newest N (default 100; 0 = all)");
  cmd->add_option("--platform", args->platform, "Only this platform (github, slack, ...)");
  cmd->add_option("--since", args->since, "Only those that failed within DUR (30m, 2h, 7d)");
  cmd->callback([args, &exit_code] { exit_code = run_list(*args); });
}

void add_show(CLI::App& dlq, int& exit_code) {
  auto args = std::make_shared<ShowArgs>();
  auto* cmd = dlq.add_subcommand("show", "Show one dead letter: envelope, history, replays");
  add_broker_flags(*cmd, args->broker);
  cmd->add_option("event_id", args->id, "Event id (or provider delivery id)")->required();
  cmd->callback([args, &exit_code] { exit_code = run_show(*args); });
}

}  // namespace

void add_dlq_command(CLI::App& app, int& exit_code) {
  auto* dlq = app.add_subcommand("dlq", "Dead letters: list, show, replay, purge");
  dlq->require_subcommand(1);
  add_list(*dlq, exit_code);
  add_show(*dlq, exit_code);
  add_dlq_replay(*dlq, exit_code);
  add_dlq_purge(*dlq, exit_code);
}

}  // namespace aof::cli
