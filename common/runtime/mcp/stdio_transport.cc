#include "common/runtime/mcp/stdio_transport.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include "common/base/log.h"
#include "common/runtime/child_env.h"

namespace aof::runtime::mcp {
namespace {

using Json = nlohmann::json;

constexpr auto kWaitSlice = Millis(50);  // how often a waiting request looks at `cancelled`
constexpr auto kServerReplyTimeout = Millis(5000);  // our answer to a server's own request

std::string errno_text(int err) { return std::system_category().message(err); }

// Reads `fd` line by line until EOF or `stop`, handing each complete line (without '\n') to
// `on_line`; a line over kMaxLineBytes is dropped whole and reported to `on_overflow`.
// Polls so `stop` ends it even when a process that left the group still holds the pipe.
template <typename OnLine, typename OnOverflow>
void read_lines(int fd, const std::atomic<bool>& stop, OnLine on_line, OnOverflow on_overflow) {
  std::string line;
  bool overflowing = false;
  char buffer[64 * 1024];
  for (;;) {
    pollfd ready{fd, POLLIN, 0};
    const int polled = ::poll(&ready, 1, static_cast<int>(kWaitSlice.count()));
    if (stop.load()) return;
    if (polled == 0 || (polled < 0 && errno == EINTR)) continue;
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    for (ssize_t i = 0; i < n; ++i) {
      if (buffer[i] == '\n') {
        if (!overflowing) on_line(line);
        line.clear();
        overflowing = false;
      } else if (!overflowing) {
        line.push_back(buffer[i]);
        if (line.size() > kMaxLineBytes) {
          on_overflow();
          line.clear();
          overflowing = true;
        }
      }
    }
  }
}

class StdioChannel final : public Channel {
 public:
  StdioChannel(std::string server, pid_t pid, int in_fd, int out_fd, int err_fd)
      : server_(std::move(server)), pid_(pid), in_fd_(in_fd), out_fd_(out_fd), err_fd_(err_fd) {
    reader_ = std::thread([this] { read_stdout(); });
    stderr_reader_ = std::thread([this] { read_stderr(); });
  }

  ~StdioChannel() override {
    ::shutdown(in_fd_, SHUT_RDWR);
    ::kill(-pid_, SIGKILL);  // the whole group: a server's own children go with it
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    stopping_ = true;
    reader_.join();
    stderr_reader_.join();
    for (int fd : {in_fd_, out_fd_, err_fd_}) ::close(fd);
  }

  Result<Json> request(const Json& message, TimePoint deadline,
                       const std::atomic<bool>* cancelled) override {
    const Json id = message.at("id");
    {
      std::lock_guard lock(mu_);
      if (closed_) return gone();
      pending_[id.dump()] = std::nullopt;
    }
    if (auto sent = write_line(message, deadline); !sent.ok()) {
      forget(id);
      return sent.error();
    }
    return wait_for(id, deadline, cancelled);
  }

  Status notify(const Json& message, TimePoint deadline) override {
    return write_line(message, deadline);
  }

  bool alive() const override {
    std::lock_guard lock(mu_);
    return !closed_;
  }

 private:
  Result<Json> wait_for(const Json& id, TimePoint deadline, const std::atomic<bool>* cancelled) {
    const std::string key = id.dump();
    std::unique_lock lock(mu_);
    for (;;) {
      auto it = pending_.find(key);
      if (it->second) {
        Json response = std::move(*it->second);
        pending_.erase(it);
        return response;
      }
      if (closed_) {
        pending_.erase(it);
        return gone();
      }
      if (cancelled != nullptr && cancelled->load()) {
        pending_.erase(it);
        return Error(ErrorCode::kUnavailable, "cancelled");
      }
      if (std::chrono::system_clock::now() >= deadline) {
        pending_.erase(it);
        return Error(ErrorCode::kTimeout, "no answer from MCP server " + server_ + " in time");
      }
      answered_.wait_for(lock, kWaitSlice);
    }
  }

  void forget(const Json& id) {
    std::lock_guard lock(mu_);
    pending_.erase(id.dump());
  }

  Error gone() const { return Error(ErrorCode::kUnavailable, "MCP server " + server_ + " exited"); }

  // Writes under write_mu_ so concurrent requests never interleave their lines. MSG_NOSIGNAL:
  // a dead server is an error here, not a SIGPIPE for the worker.
  Status write_line(const Json& message, TimePoint deadline) {
    const std::string line = message.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
    std::lock_guard lock(write_mu_);
    std::size_t sent = 0;
    while (sent < line.size()) {
      const ssize_t n =
          ::send(in_fd_, line.data() + sent, line.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        sent += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) return gone();
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        return Error(ErrorCode::kUnavailable,
                     "writing to MCP server " + server_ + ": " + errno_text(errno));
      }
      if (std::chrono::system_clock::now() >= deadline) return stalled(sent);
      pollfd writable{in_fd_, POLLOUT, 0};
      ::poll(&writable, 1, static_cast<int>(kWaitSlice.count()));
    }
    return ok_status();
  }

  // The server stopped reading its stdin. Half a line would corrupt the stream for every
  // later message, so a partly written one ends the server (auto_reconnect starts another).
  Error stalled(std::size_t sent) {
    if (sent > 0) ::kill(-pid_, SIGKILL);
    return Error(ErrorCode::kTimeout, "MCP server " + server_ + " is not reading its input");
  }

  void read_stdout() {
    const auto logger = log::get(log::Component::kRuntime);
    read_lines(
        out_fd_, stopping_, [this](const std::string& line) { on_message(line); },
        [&] {
          logger->warn("MCP server {}: a line over {} bytes was dropped", server_, kMaxLineBytes);
        });
    std::lock_guard lock(mu_);
    closed_ = true;
    answered_.notify_all();
  }

  void read_stderr() {
    const auto logger = log::get(log::Component::kRuntime);
    read_lines(
        err_fd_, stopping_,
        [&](const std::string& line) { logger->debug("mcp {} stderr: {}", server_, line); }, [] {});
  }

  void on_message(const std::string& line) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) return;
    Json message = Json::parse(line, nullptr, false);
    const auto logger = log::get(log::Component::kRuntime);
    if (!message.is_object()) {
      logger->debug("mcp {}: ignored a line that is not a JSON-RPC message", server_);
      return;
    }
    if (message.contains("method")) return on_server_message(message);
    if (!message.contains("id")) return;
    std::lock_guard lock(mu_);
    auto it = pending_.find(message["id"].dump());
    if (it == pending_.end()) return;  // timed out already
    it->second = std::move(message);
    answered_.notify_all();
  }

  // A request or notification from the server. We declare no client capabilities, so only
  // ping gets a result; other requests get "method not found" rather than silence.
  void on_server_message(const Json& message) {
    if (!message.contains("id")) return;
    Json reply = {{"jsonrpc", "2.0"}, {"id", message["id"]}};
    if (message["method"] == "ping") {
      reply["result"] = Json::object();
    } else {
      reply["error"] = {{"code", -32601}, {"message", "method not supported by aof-scale"}};
    }
    (void)write_line(reply, std::chrono::system_clock::now() + kServerReplyTimeout);
  }

  const std::string server_;
  const pid_t pid_;
  const int in_fd_;   // our end of the child's stdin (a socket: see write_line)
  const int out_fd_;  // the child's stdout
  const int err_fd_;  // the child's stderr
  std::mutex write_mu_;
  mutable std::mutex mu_;
  std::condition_variable answered_;
  std::map<std::string, std::optional<Json>> pending_;  // by id's JSON text; guarded by mu_
  bool closed_ = false;                                 // stdout ended; guarded by mu_
  std::atomic<bool> stopping_{false};                   // the destructor asks the readers to end
  std::thread reader_;
  std::thread stderr_reader_;
};

struct Fds {
  int ours[3] = {-1, -1, -1};    // stdin (socket), stdout, stderr: the parent's ends
  int theirs[3] = {-1, -1, -1};  // the child's ends
  ~Fds() {
    for (int fd : theirs) {
      if (fd >= 0) ::close(fd);
    }
  }
  void close_ours() {
    for (int& fd : ours) {
      if (fd >= 0) ::close(fd);
      fd = -1;
    }
  }
};

Status make_fds(Fds& fds) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    return Error(ErrorCode::kInternal, "socketpair: " + errno_text(errno));
  }
  fds.ours[0] = pair[0];
  fds.theirs[0] = pair[1];
  for (int i = 1; i < 3; ++i) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) {
      return Error(ErrorCode::kInternal, "pipe: " + errno_text(errno));
    }
    fds.ours[i] = p[0];
    fds.theirs[i] = p[1];
  }
  return ok_status();
}

Result<pid_t> spawn(const std::vector<std::string>& argv,
                    const std::map<std::string, std::string>& env, const Fds& fds) {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  for (int i = 0; i < 3; ++i) posix_spawn_file_actions_adddup2(&actions, fds.theirs[i], i);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<std::string> args = argv;
  auto environment = child_environment(env);
  auto arg_ptrs = spawn_pointers(args);
  auto env_ptrs = spawn_pointers(environment);
  pid_t pid = 0;
  const int err =
      ::posix_spawnp(&pid, args[0].c_str(), &actions, &attr, arg_ptrs.data(), env_ptrs.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (err != 0)
    return Error(ErrorCode::kInternal, "cannot start " + argv[0] + ": " + errno_text(err));
  return pid;
}

}  // namespace

Result<std::unique_ptr<Channel>> start_stdio_channel(
    const std::string& server, const std::vector<std::string>& argv,
    const std::map<std::string, std::string>& env) {
  if (argv.empty()) return Error(ErrorCode::kInvalidArgument, "no command");
  Fds fds;
  if (auto made = make_fds(fds); !made.ok()) {
    fds.close_ours();
    return made.error();
  }
  auto pid = spawn(argv, env, fds);
  if (!pid.ok()) {
    fds.close_ours();
    return pid.error();
  }
  return std::unique_ptr<Channel>(
      std::make_unique<StdioChannel>(server, *pid, fds.ours[0], fds.ours[1], fds.ours[2]));
}

}  // namespace aof::runtime::mcp
