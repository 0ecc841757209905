// aof dlq replay EVENT_ID...|--all [--filter k=v] [--dry-run] [--set field=value] [--body FILE]:
// publishes dead letters again as a new generation (queue.h replay()). One line of progress
// per event on stderr when there are several; exit 5 when some failed and some did not.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands/broker_command.h"
#include "cli/commands/bulk.h"
#include "cli/commands/dlq_commands.h"
#include "cli/commands/dlq_select.h"
#include "common/queue/replay.h"
#include "sidecar/exit_codes.h"

namespace aof::cli {
namespace {

struct ReplayArgs {
  BrokerFlags broker;
  std::vector<std::string> ids;
  bool all = false;
  std::vector<std::string> filters;
  bool dry_run = false;
  std::vector<std::string> sets;
  std::optional<std::string> body_file;
};

// The request every selected event shares (its event_id is filled per event).
Result<queue::ReplayRequest> build_request(const ReplayArgs& args) {
  queue::ReplayRequest request;
  request.by = operator_identity();
  for (const auto& set : args.sets) {
    const auto eq = set.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Error(ErrorCode::kInvalidArgument, "--set " + set + ": expected field=value");
    }
    request.set[set.substr(0, eq)] = set.substr(eq + 1);
  }
  if (args.body_file) {
    std::ifstream in(*args.body_file, std::ios::binary);
    if (!in) {
      return Error(ErrorCode::kInvalidArgument,
                   "--body " + *args.body_file + ": cannot read the file");
    }
    std::ostringstream body;
    body << in.rdbuf();
    request.body = body.str();
  }
  // Checks the edits before anything is touched: a bad --set is a usage error (exit 2).
  event::Envelope probe;
  probe.id = "probe";
  if (auto checked = queue::replayed_envelope(probe, request, SystemClock::instance().now());
      !checked) {
    return checked.error();
  }
  return request;
}

Status check_selection(const ReplayArgs& args) {
  if (args.all == !args.ids.empty()) {
    return Error(ErrorCode::kInvalidArgument, "give EVENT_ID... or --all (not both)");
  }
  if (!args.filters.empty() && !args.all) {
    return Error(ErrorCode::kInvalidArgument, "--filter selects among --all; drop it or use --all");
  }
  return ok_status();
}

// The event ids to replay: those given, or every dead letter passing the filter.
Result<std::vector<std::string>> targets(const ReplayArgs& args, const DeadLetterFilter& filter,
                                         queue::Queue& queue) {
  if (!args.all) return args.ids;
  auto dead = select_dead_letters(queue, filter, 0, SystemClock::instance().now());
  if (!dead) return dead.error();
  std::vector<std::string> ids;
  for (const auto& e : *dead) ids.push_back(e.id);
  return ids;
}

// What --dry-run would do for one id, or why it cannot.
Result<std::string> describe(queue::Queue& queue, const queue::ReplayRequest& request) {
  auto record = queue.find_event(request.event_id);
  if (!record) return record.error();
  if (record->state != queue::EventState::kDead || record->envelope.id != request.event_id) {
    return Error(ErrorCode::kNotFound, "no dead letter with event id " + request.event_id);
  }
  auto next = queue::replayed_envelope(record->envelope, request, SystemClock::instance().now());
  if (!next) return next.error();
  const auto& changes = next->replays.back().changes;
  return "would replay " + request.event_id + " as generation " +
         std::to_string(next->generation) + (changes.empty() ? "" : " (" + changes + ")");
}

// Replays (or, dry, describes) each id; one JSON result per id for --json.
BulkOutcome replay_all(queue::Queue& queue, const ReplayArgs& args, queue::ReplayRequest request,
                       const std::vector<std::string>& ids, nlohmann::json& results) {
  return run_bulk(ids, [&](const std::string& id) -> Result<std::string> {
    request.event_id = id;
    nlohmann::json result = {{"event_id", id}};
    Result<std::string> line = Error(ErrorCode::kInternal, "not run");
    if (args.dry_run) {
      line = describe(queue, request);
    } else if (auto outcome = queue.replay(request); outcome) {
      result["generation"] = outcome->generation;
      line = "replayed " + id + " as generation " + std::to_string(outcome->generation);
    } else {
      line = outcome.error();
    }
    if (!line) result["error"] = line.error().message();
    results.push_back(std::move(result));
    return line;
  });
}

int run_replay(const ReplayArgs& args) {
  DeadLetterFilter filter;
  if (auto checked = check_selection(args); !checked) {
    return report_error("dlq replay", checked.error());
  }
  if (auto parsed = parse_match_flags(args.filters, filter); !parsed) {
    return report_error("dlq replay", parsed.error());
  }
  auto request = build_request(args);
  if (!request) return report_error("dlq replay", request.error());
  auto broker = open_operator_broker(args.broker);
  if (!broker) return report_error("dlq replay", broker.error());
  auto ids = targets(args, filter, *broker->queue);
  if (!ids) return report_error("dlq replay", ids.error());
  if (ids->empty()) {
    std::cout << "no dead letters match; nothing replayed\n";
    return kExitOk;
  }
  nlohmann::json results = nlohmann::json::array();
  const BulkOutcome outcome = replay_all(*broker->queue, args, *request, *ids, results);
  if (args.broker.json) {
    std::cout << results.dump(2) << "\n";
  } else {
    std::cout << (args.dry_run ? "dry run: would replay " : "replayed ") << outcome.done
              << " of " << outcome.total << " dead letter(s)"
              << (outcome.first_error ? "; the others failed (see above)" : "")
              << (args.dry_run || outcome.done == 0 ? "" : "; follow one with `aof events show ID`")
              << "\n";
  }
  return outcome.exit_code();
}

}  // namespace

void add_dlq_replay(CLI::App& dlq, int& exit_code) {
  auto args = std::make_shared<ReplayArgs>();
  auto* cmd = dlq.add_subcommand(
      "replay", "Publish dead letters again: new generation, attempts reset, history kept");
  add_broker_flags(*cmd, args->broker);
  cmd->add_option("event_ids", args->ids, "Event ids of dead letters");
  cmd->add_flag("--all", args->all, "Every dead letter (narrow it with --filter)");
  cmd->add_option("--filter", args->filters,
                  "With --all: key=value (platform, event, action, tenant, trigger, target, "
                  "delivery_id, error); repeatable, all must match")
      ->allow_extra_args(false);  // one value per --filter, so event ids are not swallowed
  cmd->add_flag("--dry-run", args->dry_run, "Say what would be replayed; change nothing");
  cmd->add_option("--set", args->sets,
                  "field=value edit before replaying (event, action, tenant, trigger, text, "
                  "priority, target.kind, target.name, metadata.KEY, headers.NAME); repeatable")
      ->allow_extra_args(false);
  cmd->add_option("--body", args->body_file, "Replace the raw body with this file's bytes");
  cmd->callback([args, &exit_code] { exit_code = run_replay(*args); });
}

}  // namespace aof::cli
