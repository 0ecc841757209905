// aof stats [--json] [--watch [--interval DUR]]: depth (waiting), pending (in flight),
// delayed (waiting to retry), dead letters, results, the oldest waiting event's age, every
// consumer with its leases and idle time, the pause, and the broker names they are read from.
// --json: one object per sample (--watch: one per line).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <thread>

#include "cli/commands/broker_command.h"
#include "cli/commands/commands.h"
#include "cli/commands/text_format.h"
#include "common/queue/pause.h"
#include "sidecar/exit_codes.h"

namespace aof::cli {
namespace {

struct StatsArgs {
  BrokerFlags broker;
  bool watch = false;
  std::string interval = "2s";
};

nlohmann::json pause_json(const queue::PauseState& pause) {
  if (pause.empty()) return nullptr;
  return {{"all", pause.all}, {"consumers", pause.consumers}, {"by", pause.by}, {"at", pause.at}};
}

nlohmann::json stats_json(const char* backend, const queue::QueueStats& s,
                          const queue::PauseState& pause) {
  nlohmann::json consumers = nlohmann::json::array();
  for (const auto& c : s.consumers) {
    consumers.push_back({{"name", c.name}, {"pending", c.pending}, {"idle_ms", c.idle_ms}});
  }
  const nlohmann::json oldest =
      s.oldest_waiting_ms ? nlohmann::json(*s.oldest_waiting_ms) : nlohmann::json(nullptr);
  // One class ("default") exists until priority classes arrive: its figures are the totals.
  return {{"backend", backend},
          {"depth", s.depth},
          {"pending", s.pending},
          {"delayed", s.delayed},
          {"dlq", s.dlq},
          {"results", s.results},
          {"oldest_waiting_ms", oldest},
          {"classes",
           {{"default", {{"depth", s.depth}, {"pending", s.pending}, {"oldest_waiting_ms", oldest}}}}},
          {"consumers", consumers},
          {"consumers_known", s.consumers_known},
          {"paused", pause_json(pause)},
          {"names", s.names}};
}

std::string pause_text(const queue::PauseState& pause) {
  if (pause.empty()) return "no";
  std::string who = pause.all ? "all consumers" : "";
  for (const auto& name : pause.consumers) who += (who.empty() ? "" : ", ") + name;
  return who + " (by " + pause.by + " at " + pause.at + "; `aof resume` lifts it)";
}

void print_people(const char* backend, const queue::QueueStats& s, const queue::PauseState& pause) {
  std::cout << "backend:   " << backend << "\n"
            << "depth:     " << s.depth << " waiting"
            << (s.oldest_waiting_ms ? ", oldest " + format_age(*s.oldest_waiting_ms) : "") << "\n"
            << "pending:   " << s.pending << " in flight\n"
            << "delayed:   " << s.delayed << " waiting to retry\n"
            << "dlq:       " << s.dlq << " dead letters\n"
            << "results:   " << s.results << " kept\n"
            << "paused:    " << pause_text(pause) << "\n";
  if (!s.consumers_known) {
    std::cout << "consumers: not reported by " << backend
              << " (one durable consumer serves every worker)\n";
  } else if (s.consumers.empty()) {
    std::cout << "consumers: none yet\n";
  } else {
    std::cout << "consumers:\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : s.consumers) {
      rows.push_back({"  " + c.name, std::to_string(c.pending), format_age(c.idle_ms),
                      pause.pauses(c.name) ? "paused" : ""});
    }
    print_table(std::cout, {"  NAME", "PENDING", "IDLE", ""}, rows);
  }
  if (!s.names.empty()) {
    std::cout << "names:\n";
    for (const auto& [what, name] : s.names) std::cout << "  " << what << ": " << name << "\n";
  }
}

// One sample: stats plus the pause. Errors end the command (also under --watch).
Status print_sample(const queue::Broker& broker, const StatsArgs& args) {
  auto stats = broker.queue->stats();
  if (!stats) return stats.error();
  auto pause = queue::read_pause(*broker.state);
  if (!pause) return pause.error();
  if (args.broker.json) {
    std::cout << stats_json(broker.queue->backend(), *stats, *pause).dump(args.watch ? -1 : 2)
              << std::endl;
  } else {
    if (args.watch) std::cout << "\033[H\033[2J" << to_rfc3339(SystemClock::instance().now()) << "\n";
    print_people(broker.queue->backend(), *stats, *pause);
    std::cout << std::flush;
  }
  return ok_status();
}

int run_stats(const StatsArgs& args) {
  auto interval = parse_duration_flag("--interval", args.interval);
  if (!interval) return report_error("stats", interval.error());
  auto broker = open_operator_broker(args.broker);
  if (!broker) return report_error("stats", broker.error());
  while (true) {
    if (auto printed = print_sample(*broker, args); !printed) {
      return report_error("stats", printed.error());
    }
    if (!args.watch) return kExitOk;
    std::this_thread::sleep_for(std::max(*interval, Millis(100)));
  }
}

}  // namespace

void add_stats_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<StatsArgs>();
  auto* cmd = app.add_subcommand("stats", "Queue depth, in flight, retries, dead letters, consumers");
  add_broker_flags(*cmd, args->broker);
  cmd->add_flag("--watch", args->watch, "Refresh until interrupted (--json: one object a line)");
  cmd->add_option("--interval", args->interval, "With --watch: time between samples (default 2s)");
  cmd->callback([args, &exit_code] { exit_code = run_stats(*args); });
}

}  // namespace aof::cli
