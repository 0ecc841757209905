#pragma once
// The stdio transport: the server is a child process speaking newline-delimited JSON-RPC on
// its stdin/stdout. One reader thread matches responses to waiting requests by id, so the
// concurrent calls of one turn are multiplexed on the one pipe rather than serialized; the
// server's stderr goes to the runtime log at debug, line by line. Lines are bounded
// (kMaxLineBytes): a longer one is dropped with a warning and the request it answered times
// out. The child runs in its own process group, which is killed when the channel is
// destroyed (when the agent's tools are: the executor is replaced or the worker ends).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/runtime/mcp/transport.h"

namespace aof::runtime::mcp {

inline constexpr std::size_t kMaxLineBytes = 4u << 20;

// Starts `argv` (argv[0] searched on $PATH) with `env` added to the worker's environment.
// `server` names it in logs. Errors: kInternal when it cannot be spawned.
Result<std::unique_ptr<Channel>> start_stdio_channel(const std::string& server,
                                                     const std::vector<std::string>& argv,
                                                     const std::map<std::string, std::string>& env);

}  // namespace aof::runtime::mcp
