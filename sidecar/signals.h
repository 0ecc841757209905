#pragma once
// Process signals without async handlers: block SIGTERM, SIGINT and SIGHUP in every thread
// (call before starting any), then wait for them synchronously on the main thread.

namespace aof::sidecar {

// Blocks the signals in the calling thread; threads created afterwards inherit the mask.
void block_shutdown_signals();

// Waits for SIGTERM, SIGINT or SIGHUP and returns its number.
int wait_for_signal();

}  // namespace aof::sidecar
