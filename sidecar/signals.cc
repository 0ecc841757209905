#include "sidecar/signals.h"

#include <csignal>

#include <pthread.h>

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

std::optional<int> wait_for_signal_for(std::chrono::milliseconds timeout) {
  const sigset_t set = shutdown_set();
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  const timespec limit{static_cast<time_t>(secs.count()),
                       static_cast<long>((timeout - secs).count() * 1000000)};
  const int sig = sigtimedwait(&set, nullptr, &limit);
  if (sig < 0) return std::nullopt;  // EAGAIN: timed out; EINTR: woken by something else
  return sig;
}

}  // namespace aof::sidecar
