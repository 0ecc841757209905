#include "tests/support/redis_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/support/test_certificates.h"

namespace aof::testing {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kReadyTimeout{10000};
constexpr milliseconds kPollEvery{20};

std::string trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  const auto end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

std::string required_program(const std::string& name) {
  const std::string path = find_on_path(name);
  if (path.empty()) {
    throw std::runtime_error(name + " not found on PATH (install it with scripts/setup.sh)");
  }
  return path;
}

// A socket fd closed when the holder dies.
struct Socket {
  int fd = -1;
  explicit Socket(int f) : fd(f) {}
  ~Socket() {
    if (fd >= 0) ::close(fd);
  }
};

sockaddr_in loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// Sends `request` over plain TCP and reads until `replies` CRLF-terminated lines arrived or
// the socket times out; returns what was read ("" when nothing listens).
std::string round_trip(int port, const std::string& request, int replies) {
  Socket s(::socket(AF_INET, SOCK_STREAM, 0));
  if (s.fd < 0) return "";
  timeval timeout{0, 500000};
  setsockopt(s.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(s.fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  const sockaddr_in addr = loopback(port);
  if (::connect(s.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) return "";
  if (::send(s.fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    return "";
  }
  std::string reply;
  char buffer[512];
  while (true) {
    std::size_t lines = 0;
    for (std::size_t at = reply.find("\r\n"); at != std::string::npos;
         at = reply.find("\r\n", at + 2)) {
      ++lines;
    }
    if (static_cast<int>(lines) >= replies) break;
    const ssize_t n = ::recv(s.fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    reply.append(buffer, static_cast<std::size_t>(n));
  }
  return reply;
}

}  // namespace

int free_loopback_port() {
  Socket s(::socket(AF_INET, SOCK_STREAM, 0));
  if (s.fd < 0) throw std::runtime_error("free_loopback_port: socket() failed");
  sockaddr_in addr = loopback(0);
  if (::bind(s.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    throw std::runtime_error("free_loopback_port: bind(127.0.0.1:0) failed");
  }
  socklen_t len = sizeof addr;
  if (::getsockname(s.fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("free_loopback_port: getsockname() failed");
  }
  return ntohs(addr.sin_port);
}

std::string find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

RedisServer::RedisServer(RedisServerOptions options)
    : options_(std::move(options)), port_(free_loopback_port()) {
  if (options_.tls) make_test_certificates(dir_);
  start();
}

RedisServer::~RedisServer() { kill9(); }

std::string RedisServer::url() const {
  const std::string host_port = "127.0.0.1:" + std::to_string(port_);
  if (options_.tls) return "rediss://" + host_port + "?ca_file=" + dir() + "/ca.crt";
  if (!options_.password.empty()) return "redis://:" + options_.password + "@" + host_port;
  return "redis://" + host_port;
}

void RedisServer::kill9() {
  if (!process_) return;
  // A server that already exited has been reaped: its pid may belong to someone else now.
  if (!process_->wait(milliseconds(0))) process_->signal(SIGKILL);
  process_->wait(milliseconds(10000));
  process_.reset();
}

void RedisServer::restart() {
  kill9();
  start();
}

std::string RedisServer::command(const std::vector<std::string>& args) {
  std::vector<std::string> argv = cli_args();
  argv.insert(argv.end(), args.begin(), args.end());
  const RunResult run = run_to_completion(required_program("redis-cli"), argv, {});
  if (run.exit_code != 0) {
    throw std::runtime_error("redis-cli exited " + std::to_string(run.exit_code) + ": " +
                             trim(run.out + "\n" + run.err));
  }
  return trim(run.out);
}

std::string RedisServer::log_tail(int lines) const {
  std::ifstream in(dir() + "/redis.log");
  std::deque<std::string> tail;
  for (std::string line; std::getline(in, line);) {
    tail.push_back(line);
    if (static_cast<int>(tail.size()) > lines) tail.pop_front();
  }
  std::string out;
  for (const auto& line : tail) out += line + "\n";
  // Option errors are printed to stderr before the log file is opened.
  if (process_) out += process_->stderr_text();
  return out;
}

std::vector<std::string> RedisServer::server_args() const {
  const std::string port = std::to_string(port_);
  std::vector<std::string> args = {"--bind",        "127.0.0.1",
                                   "--dir",         dir(),
                                   "--save",        "",
                                   "--appendonly",  options_.appendonly ? "yes" : "no",
                                   "--appendfsync", options_.appendfsync,
                                   "--daemonize",   "no",
                                   "--logfile",     dir() + "/redis.log"};
  if (options_.tls) {
    const std::string d = dir() + "/";
    args.insert(args.end(), {"--port", "0", "--tls-port", port, "--tls-cert-file", d + "server.crt",
                             "--tls-key-file", d + "server.key", "--tls-ca-cert-file", d + "ca.crt",
                             "--tls-auth-clients", "no"});
  } else {
    args.insert(args.end(), {"--port", port});
  }
  if (options_.maxmemory_bytes > 0) {
    args.insert(args.end(), {"--maxmemory", std::to_string(options_.maxmemory_bytes),
                             "--maxmemory-policy", "noeviction"});
  }
  if (!options_.password.empty()) args.insert(args.end(), {"--requirepass", options_.password});
  return args;
}

std::vector<std::string> RedisServer::cli_args() const {
  std::vector<std::string> args = {"-h", "127.0.0.1", "-p", std::to_string(port_)};
  if (options_.tls) args.insert(args.end(), {"--tls", "--cacert", dir() + "/ca.crt"});
  if (!options_.password.empty()) {
    args.insert(args.end(), {"--no-auth-warning", "-a", options_.password});
  }
  return args;
}

void RedisServer::start() {
  process_ = std::make_unique<ChildProcess>(required_program("redis-server"), server_args(),
                                            std::map<std::string, std::string>{}, dir());
  wait_until_ready();
}

void RedisServer::wait_until_ready() {
  const auto deadline = std::chrono::steady_clock::now() + kReadyTimeout;
  const std::string where = "redis-server on 127.0.0.1:" + std::to_string(port_);
  while (std::chrono::steady_clock::now() < deadline) {
    if (process_->wait(milliseconds(0))) {
      throw std::runtime_error(where + " exited during start-up (port taken?); log:\n" +
                               log_tail());
    }
    if (answers_ping()) return;
    std::this_thread::sleep_for(kPollEvery);
  }
  throw std::runtime_error(where + " did not answer PING within 10 s; log:\n" + log_tail());
}

// PING answers +PONG only once the data set is loaded (while the AOF loads it answers
// -LOADING), so a restarted server is ready when this is true.
bool RedisServer::answers_ping() const {
  if (options_.tls) {
    std::vector<std::string> argv = cli_args();
    argv.push_back("ping");
    const RunResult run =
        run_to_completion(required_program("redis-cli"), argv, {}, milliseconds(5000));
    return run.exit_code == 0 && trim(run.out) == "PONG";
  }
  if (options_.password.empty()) return round_trip(port_, "PING\r\n", 1).find("+PONG") == 0;
  // Inline commands: the test passwords contain no spaces or CR/LF.
  const std::string reply = round_trip(port_, "AUTH " + options_.password + "\r\nPING\r\n", 2);
  return reply.find("+PONG") != std::string::npos;
}

}  // namespace aof::testing
