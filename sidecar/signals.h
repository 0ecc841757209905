#pragma once
// Process signals without async handlers: block SIGTERM, SIGINT and SIGHUP in every thread
// (call before starting any), then wait for them synchronously on the main thread.

namespace aof::sidecar {

// Blocks the signals in the calling thread; threads created afterwards inherit the mask.
void block_shutdown_signals();

// Waits for SIGTERM, SIGINT or SIGHUP and returns its number.
int wait_for_signal();

// Waits for SIGTERM or SIGINT and returns its number; a SIGHUP in between is logged as not
// supported yet (reload arrives with issue 6) and does not stop the process.
int wait_for_shutdown();

}  // namespace aof::sidecar
