// aof dlq purge EVENT_ID...|--all|--older-than DUR: deletes dead letters for good (queue.h
// purge_dead_letter(), atomic per event). Progress on stderr when there are several; exit 5
// when some were purged and some not.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>

#include "cli/commands/broker_command.h"
#include "cli/commands/bulk.h"
#include "cli/commands/dlq_commands.h"
#include "cli/commands/dlq_select.h"
#include "cli/commands/text_format.h"
#include "sidecar/exit_codes.h"

namespace aof::cli {
namespace {

struct PurgeArgs {
  BrokerFlags broker;
  std::vector<std::string> ids;
  bool all = false;
  std::optional<std::string> older_than;
};

Result<DeadLetterFilter> selection(const PurgeArgs& args) {
  const int ways = (args.ids.empty() ? 0 : 1) + (args.all ? 1 : 0) + (args.older_than ? 1 : 0);
  if (ways != 1) {
    return Error(ErrorCode::kInvalidArgument, "give exactly one of EVENT_ID..., --all, --older-than DUR");
  }
  DeadLetterFilter filter;
  if (args.older_than) {
    auto older = parse_duration_flag("--older-than", *args.older_than);
    if (!older) return older.error();
    filter.older_than = *older;
  }
  return filter;
}

int run_purge(const PurgeArgs& args) {
  auto filter = selection(args);
  if (!filter) return report_error("dlq purge", filter.error());
  auto broker = open_operator_broker(args.broker);
  if (!broker) return report_error("dlq purge", broker.error());
  std::vector<std::string> ids = args.ids;
  if (ids.empty()) {
    auto dead = select_dead_letters(*broker->queue, *filter, 0, SystemClock::instance().now());
    if (!dead) return report_error("dlq purge", dead.error());
    for (const auto& e : *dead) ids.push_back(e.id);
  }
  const BulkOutcome outcome = run_bulk(ids, [&](const std::string& id) -> Result<std::string> {
    if (auto purged = broker->queue->purge_dead_letter(id); !purged) return purged.error();
    return "purged " + id;
  });
  if (args.broker.json) {
    std::cout << nlohmann::json{{"purged", outcome.done}, {"selected", outcome.total}}.dump()
              << "\n";
  } else {
    std::cout << "purged " << outcome.done << " of " << outcome.total << " dead letter(s)"
              << (outcome.first_error ? "; the others failed (see above)" : "") << "\n";
  }
  return outcome.exit_code();
}

}  // namespace

void add_dlq_purge(CLI::App& dlq, int& exit_code) {
  auto args = std::make_shared<PurgeArgs>();
  auto* cmd = dlq.add_subcommand("purge", "Delete dead letters for good");
  add_broker_flags(*cmd, args->broker);
  cmd->add_option("event_ids", args->ids, "Event ids of dead letters");
  cmd->add_flag("--all", args->all, "Every dead letter");
  cmd->add_option("--older-than", args->older_than, "Those that failed more than DUR ago (7d)");
  cmd->callback([args, &exit_code] { exit_code = run_purge(*args); });
}

}  // namespace aof::cli
