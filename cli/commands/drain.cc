// aof drain [--consumer NAME] [--wait [--timeout DUR]] and aof resume [--consumer NAME]: the
// broker-wide pause of queue/pause.h. Workers honour it within a second (they read it every
// 250 ms and a fetch blocks at most 500 ms), including workers started while it lasts.
//
// --wait measures "in-flight work is done" on the broker itself: after that second no worker
// takes a new lease, so the leases still held (the consumer group's pending entries, or the
// named consumer's) are exactly the running jobs; it returns when they are 0. No heartbeat
// is needed, and a worker that died holding leases does not block forever: its leases expire
// after lease_ms and the paused workers' maintain() gives them back.
#include <CLI/CLI.hpp>

#include <iostream>
#include <thread>

#include "cli/commands/broker_command.h"
#include "cli/commands/commands.h"
#include "cli/commands/text_format.h"
#include "common/queue/pause.h"
#include "sidecar/exit_codes.h"

namespace aof::cli {
namespace {

// How long after the pause is written a worker may still take a lease (pause read period
// 250 ms + one fetch of at most 500 ms, rounded up).
constexpr Millis kHonourTime{1000};
constexpr Millis kPoll{250};
constexpr Millis kProgressEvery{2000};

struct DrainArgs {
  BrokerFlags broker;
  std::optional<std::string> consumer;
  bool wait = false;
  std::optional<std::string> timeout;
};

std::string scope(const std::optional<std::string>& consumer) {
  return consumer ? "consumer " + *consumer : "all consumers";
}

// Leases held by `consumer` (or by everyone), and who holds them for progress lines:
// " (worker-a 2 (idle 3s))", or "" where the broker cannot say (NATS).
Result<std::pair<std::int64_t, std::string>> in_flight(queue::Queue& queue,
                                                       const std::optional<std::string>& consumer) {
  auto stats = queue.stats();
  if (!stats) return stats.error();
  std::int64_t count = consumer ? 0 : stats->pending;
  std::string holders;
  for (const auto& c : stats->consumers) {
    if (c.pending == 0 || (consumer && c.name != *consumer)) continue;
    if (consumer) count = c.pending;
    holders += (holders.empty() ? "" : ", ") + c.name + " " + std::to_string(c.pending) +
               " (idle " + format_age(c.idle_ms) + ")";
  }
  return std::make_pair(count, holders.empty() ? "" : " (" + holders + ")");
}

int wait_drained(queue::Queue& queue, const DrainArgs& args, std::optional<Millis> timeout) {
  using Steady = std::chrono::steady_clock;
  const auto start = Steady::now();
  std::this_thread::sleep_for(timeout ? std::min(kHonourTime, *timeout) : kHonourTime);
  auto last_progress = Steady::now();
  while (true) {
    auto flight = in_flight(queue, args.consumer);
    if (!flight) return report_error("drain", flight.error());
    if (flight->first == 0) {
      std::cout << "drained: no events in flight on " << scope(args.consumer) << "\n";
      return kExitOk;
    }
    if (timeout && Steady::now() - start >= *timeout) {
      std::cerr << "aof drain: timed out after " << args.timeout.value_or("") << " with "
                << flight->first << " event(s) still in flight" << flight->second
                << "; the pause stays in force: wait again, or `aof resume`\n";
      return kExitTimedOut;
    }
    if (Steady::now() - last_progress >= kProgressEvery) {
      last_progress = Steady::now();
      std::cerr << "waiting: " << flight->first << " event(s) in flight" << flight->second << "\n";
    }
    std::this_thread::sleep_for(kPoll);
  }
}

// A typo in --consumer would pause nobody and "drain" at once: say so (the pause is still
// set, for a worker that starts later under that name).
void warn_if_unknown(queue::Queue& queue, const std::optional<std::string>& consumer) {
  if (!consumer) return;
  auto stats = queue.stats();
  if (!stats || !stats->consumers_known) return;
  for (const auto& c : stats->consumers) {
    if (c.name == *consumer) return;
  }
  std::cerr << "aof drain: note: the broker knows no consumer named " << *consumer
            << " yet (see `aof stats`); it will start paused\n";
}

// --wait --consumer needs the broker to say which worker holds which lease; refused before
// anything is paused where it cannot (NATS).
Status check_waitable(queue::Queue& queue, const DrainArgs& args) {
  if (!args.wait || !args.consumer) return ok_status();
  auto stats = queue.stats();
  if (!stats) return stats.error();
  if (stats->consumers_known) return ok_status();
  return Error(ErrorCode::kInvalidArgument,
               std::string("--wait with --consumer: the ") + queue.backend() +
                   " backend cannot tell which worker holds a lease; drain all with `aof drain "
                   "--wait`, or pause this one without --wait and watch its "
                   "aof_worker_busy_slots metric");
}

int run_drain(const DrainArgs& args) {
  if (args.timeout && !args.wait) {
    return report_error("drain", Error(ErrorCode::kInvalidArgument, "--timeout needs --wait"));
  }
  std::optional<Millis> timeout;
  if (args.timeout) {
    auto parsed = parse_duration_flag("--timeout", *args.timeout);
    if (!parsed) return report_error("drain", parsed.error());
    timeout = *parsed;
  }
  auto broker = open_operator_broker(args.broker);
  if (!broker) return report_error("drain", broker.error());
  if (auto waitable = check_waitable(*broker->queue, args); !waitable) {
    return report_error("drain", waitable.error());
  }
  auto pause = queue::set_pause(*broker->state, args.consumer, operator_identity(),
                                SystemClock::instance().now());
  if (!pause) return report_error("drain", pause.error());
  std::cout << "paused " << scope(args.consumer)
            << ": workers stop fetching within a second, running jobs finish; `aof resume"
            << (args.consumer ? " --consumer " + *args.consumer : "") << "` undoes it\n"
            << std::flush;
  warn_if_unknown(*broker->queue, args.consumer);
  if (!args.wait) return kExitOk;
  return wait_drained(*broker->queue, args, timeout);
}

struct ResumeArgs {
  BrokerFlags broker;
  std::optional<std::string> consumer;
};

int run_resume(const ResumeArgs& args) {
  auto broker = open_operator_broker(args.broker);
  if (!broker) return report_error("resume", broker.error());
  auto left = queue::clear_pause(*broker->state, args.consumer);
  if (!left) return report_error("resume", left.error());
  std::cout << "resumed " << scope(args.consumer);
  if (left->all) std::cout << "; all consumers are still paused (`aof resume` lifts that)";
  if (!left->all && !left->consumers.empty()) {
    std::string names;
    for (const auto& name : left->consumers) names += (names.empty() ? "" : ", ") + name;
    std::cout << "; still paused: " << names;
  }
  std::cout << "\n";
  return kExitOk;
}

}  // namespace

void add_drain_commands(CLI::App& app, int& exit_code) {
  auto drain = std::make_shared<DrainArgs>();
  auto* cmd = app.add_subcommand("drain", "Pause consumption on the broker (all or one worker)");
  add_broker_flags(*cmd, drain->broker);
  cmd->add_option("--consumer", drain->consumer, "Only this worker (aof-work --consumer NAME)");
  cmd->add_flag("--wait", drain->wait, "Return when the paused workers have nothing in flight");
  cmd->add_option("--timeout", drain->timeout, "With --wait: give up after DUR, exit 124");
  cmd->callback([drain, &exit_code] { exit_code = run_drain(*drain); });

  auto resume = std::make_shared<ResumeArgs>();
  auto* res = app.add_subcommand("resume", "Lift the pause of `aof drain`");
  add_broker_flags(*res, resume->broker);
  res->add_option("--consumer", resume->consumer, "Only this worker's pause");
  res->callback([resume, &exit_code] { exit_code = run_resume(*resume); });
}

}  // namespace aof::cli
