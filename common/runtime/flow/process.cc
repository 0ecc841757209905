#include "common/runtime/flow/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <optional>
#include <system_error>
#include <vector>

#include "common/runtime/child_env.h"

namespace aof::runtime::flow {
namespace {

using SteadyClock = std::chrono::steady_clock;

// How long captured pipes may stay open after the shell exited (a background job holding
// them) before the rest of the group is killed.
constexpr auto kDrainGrace = Millis(100);
constexpr int kPollSliceMs = 20;
constexpr std::size_t kReadChunk = 64 * 1024;

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    reset();
    fd_ = std::exchange(other.fd_, -1);
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// posix_spawn's two attribute objects, destroyed on every path.
struct SpawnAttributes {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnAttributes() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnAttributes() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnAttributes(const SpawnAttributes&) = delete;
  SpawnAttributes& operator=(const SpawnAttributes&) = delete;
};

struct Stream {
  Fd fd;
  std::string* text;
  bool* truncated;
};

std::string errno_text(int err) { return std::system_category().message(err); }

// A pipe whose ends close on exec (so concurrently spawned children never inherit them) and
// whose read end does not block.
Status make_pipe(Fd* read_end, Fd* write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return Error(ErrorCode::kInternal, "pipe: " + errno_text(errno));
  }
  *read_end = Fd(fds[0]);
  *write_end = Fd(fds[1]);
  ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  return ok_status();
}

Result<pid_t> spawn(const ProcessSpec& spec, int out_fd, int err_fd) {
  SpawnAttributes sa;
  posix_spawn_file_actions_addopen(&sa.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&sa.actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&sa.actions, err_fd, 2);
  if (!spec.working_dir.empty()) {
    posix_spawn_file_actions_addchdir_np(&sa.actions, spec.working_dir.c_str());
  }
  // Own process group (to kill it whole); default signal dispositions and an empty mask, so
  // a worker that ignores SIGPIPE or blocks signals does not pass that on.
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setpgroup(&sa.attr, 0);
  posix_spawnattr_setsigmask(&sa.attr, &none);
  posix_spawnattr_setsigdefault(&sa.attr, &all);
  posix_spawnattr_setflags(&sa.attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<std::string> args =
      spec.argv.empty() ? std::vector<std::string>{"sh", "-c", spec.command} : spec.argv;
  const std::string program = spec.argv.empty() ? "/bin/sh" : spec.argv[0];
  auto env = child_environment(spec.extra_env);
  auto argv = spawn_pointers(args);
  auto envp = spawn_pointers(env);
  pid_t pid = 0;
  const int err =
      ::posix_spawn(&pid, program.c_str(), &sa.actions, &sa.attr, argv.data(), envp.data());
  if (err == 0) return pid;
  std::string where = spec.working_dir.empty() ? "" : " in \"" + spec.working_dir + "\"";
  return Error(ErrorCode::kInternal, "cannot start " + program + where + ": " + errno_text(err));
}

// Whether the shell has exited, without reaping it: while it is a zombie its pid (= the
// group id) cannot be reused, so killing the group stays safe.
bool leader_exited(pid_t pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
         info.si_pid == pid;
}

int kill_group_and_reap(pid_t pid) {
  ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

void append_capped(const Stream& stream, const char* data, std::size_t size, std::size_t cap) {
  const std::size_t room = cap > stream.text->size() ? cap - stream.text->size() : 0;
  if (size > room) *stream.truncated = true;
  stream.text->append(data, std::min(size, room));
}

// Waits up to one poll slice and reads at most one chunk per stream (a fast writer must not
// keep us from checking the clock).
void pump(std::array<Stream, 2>& streams, std::size_t cap) {
  std::array<pollfd, 2> fds{};
  nfds_t count = 0;
  for (const auto& stream : streams) {
    if (stream.fd.get() >= 0) fds[count++] = {stream.fd.get(), POLLIN, 0};
  }
  if (::poll(count == 0 ? nullptr : fds.data(), count, count == 0 ? 5 : kPollSliceMs) <= 0) {
    return;
  }
  char buffer[kReadChunk];
  for (auto& stream : streams) {
    if (stream.fd.get() < 0) continue;
    const ssize_t n = ::read(stream.fd.get(), buffer, sizeof buffer);
    if (n > 0) append_capped(stream, buffer, static_cast<std::size_t>(n), cap);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) stream.fd.reset();
  }
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Why the process must be stopped now, or nullopt.
std::optional<Error> stop_reason(const ProcessSpec& spec, SteadyClock::time_point timeout_at) {
  if (spec.cancelled != nullptr && spec.cancelled->load()) {
    return Error(ErrorCode::kUnavailable, "cancelled");
  }
  if (SteadyClock::now() >= timeout_at) {
    const auto ms = spec.timeout.count();
    return Error(ErrorCode::kTimeout,
                 "timed out after " + (ms % 1000 == 0 ? std::to_string(ms / 1000) + "s"
                                                      : std::to_string(ms) + "ms"));
  }
  if (std::chrono::system_clock::now() >= spec.deadline) {
    return Error(ErrorCode::kTimeout, "deadline passed");
  }
  return std::nullopt;
}

}  // namespace

Result<ProcessResult> run_process(const ProcessSpec& spec) {
  Fd out_read, out_write, err_read, err_write;
  if (auto s = make_pipe(&out_read, &out_write); !s.ok()) return s.error();
  if (auto s = make_pipe(&err_read, &err_write); !s.ok()) return s.error();
  const auto pid = spawn(spec, out_write.get(), err_write.get());
  if (!pid.ok()) return pid.error();
  out_write.reset();  // only the child holds the write ends now, so its exit means EOF
  err_write.reset();

  ProcessResult result;
  std::array<Stream, 2> streams = {
      Stream{std::move(out_read), &result.stdout_text, &result.stdout_truncated},
      Stream{std::move(err_read), &result.stderr_text, &result.stderr_truncated}};
  const auto timeout_at = SteadyClock::now() + spec.timeout;
  std::optional<SteadyClock::time_point> exited_at;
  while (true) {
    if (!exited_at && leader_exited(*pid)) exited_at = SteadyClock::now();
    const bool drained = streams[0].fd.get() < 0 && streams[1].fd.get() < 0;
    if (exited_at && (drained || SteadyClock::now() - *exited_at > kDrainGrace)) break;
    if (auto stop = stop_reason(spec, timeout_at)) {
      kill_group_and_reap(*pid);
      return *stop;
    }
    pump(streams, spec.max_output_bytes);
  }
  result.exit_code = exit_code_of(kill_group_and_reap(*pid));
  return result;
}

}  // namespace aof::runtime::flow
