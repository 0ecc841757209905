#include "sidecar/signals.h"

#include <csignal>

#include <pthread.h>
#include <spdlog/spdlog.h>

#include "common/base/log.h"

namespace aof::sidecar {
namespace {

sigset_t shutdown_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void block_shutdown_signals() {
  const sigset_t set = shutdown_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A client hanging up mid-response must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
}

int wait_for_signal() {
  const sigset_t set = shutdown_set();
  int signal_number = 0;
  while (sigwait(&set, &signal_number) != 0) {
  }
  return signal_number;
}

int wait_for_shutdown() {
  while (true) {
    const int sig = wait_for_signal();
    if (sig != SIGHUP) return sig;
    log::get(log::Component::kSidecar)
        ->warn(
            "SIGHUP received: reloading triggers, agents and flows is not available in this "
            "build yet (issue 6); restart the process to pick up changes");
  }
}

}  // namespace aof::sidecar
