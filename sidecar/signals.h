#pragma once

#include <chrono>
#include <optional>
// Process signals without async handlers: block SIGTERM, SIGINT and SIGHUP in every thread
// (call before starting any), then wait for them synchronously on the main thread.

namespace aof::sidecar {

// Blocks the signals in the calling thread; threads created afterwards inherit the mask.
void block_shutdown_signals();

// Waits for SIGTERM, SIGINT or SIGHUP and returns its number.
int wait_for_signal();

// Waits at most `timeout` for SIGTERM, SIGINT or SIGHUP; nullopt when none came.
std::optional<int> wait_for_signal_for(std::chrono::milliseconds timeout);

}  // namespace aof::sidecar
