#pragma once
// What every broker-facing operator command (dlq, events, stats, drain, resume) shares:
// --config / --queue-url and --json, opening the broker the config names, and turning an
// error into the message and exit code of DESIGN §8 (one line on stderr that says what to do
// next, exit 2 / 3 / 4 / 1).

#include <string>

#include "common/base/result.h"
#include "common/queue/broker.h"
#include "sidecar/startup.h"

namespace CLI {
class App;
}

namespace aof::cli {

struct BrokerFlags {
  sidecar::StartupFlags startup;  // only config_path and queue_url are bound
  bool json = false;              // --json / -o json
};

// Binds -c/--config, --queue-url and --json (with -o json as its synonym) onto `command`.
void add_broker_flags(CLI::App& command, BrokerFlags& flags);

// Loads the config (flags > AOF_* environment > file; no resource directories) and connects.
// kInvalidArgument when the queue is the process-local memory queue (nothing to operate from
// outside) or the config is invalid; kUnavailable / kUnauthenticated from the broker.
Result<queue::Broker> open_operator_broker(const BrokerFlags& flags);

// Prints "aof <command>: <message>" on stderr and returns the error's exit code.
int report_error(const std::string& command, const Error& error);

// Who runs this command, for the records a change leaves (replays, the pause): user@host.
std::string operator_identity();

}  // namespace aof::cli
