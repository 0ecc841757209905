#include "tests/support/nats_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "tests/support/redis_server.h"  // free_loopback_port, find_on_path
#include "tests/support/test_certificates.h"

namespace aof::testing {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kReadyTimeout{10000};
constexpr milliseconds kPollEvery{5};

// Whether a server on 127.0.0.1:port accepts a connection and greets with INFO.
bool sends_info(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  timeval timeout{0, 500000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) {
    char buffer[5] = {};
    ok = ::recv(fd, buffer, sizeof buffer, MSG_WAITALL) == 5 && std::string(buffer, 5) == "INFO ";
  }
  ::close(fd);
  return ok;
}

}  // namespace

NatsServer::NatsServer(NatsServerOptions options)
    : options_(std::move(options)), port_(free_loopback_port()) {
  if (options_.tls) make_test_certificates(dir_);
  start();
}

NatsServer::~NatsServer() { kill9(); }

std::string NatsServer::url() const {
  const std::string host_port = "127.0.0.1:" + std::to_string(port_);
  if (options_.tls) return "tls://" + host_port + "?ca_file=" + dir() + "/ca.crt";
  if (!options_.password.empty()) {
    return "nats://" + options_.user + ":" + options_.password + "@" + host_port;
  }
  return "nats://" + host_port;
}

void NatsServer::kill9() {
  if (!process_) return;
  // A server that already exited has been reaped: its pid may belong to someone else now.
  if (!process_->wait(milliseconds(0))) process_->signal(SIGKILL);
  process_->wait(milliseconds(10000));
  process_.reset();
}

void NatsServer::restart() {
  kill9();
  start();
}

std::string NatsServer::log_tail(int lines) const {
  std::ifstream in(dir() + "/nats.log");
  std::deque<std::string> tail;
  for (std::string line; std::getline(in, line);) {
    tail.push_back(line);
    if (static_cast<int>(tail.size()) > lines) tail.pop_front();
  }
  std::string out;
  for (const auto& line : tail) out += line + "\n";
  if (process_) out += process_->stderr_text();  // option errors come before the log opens
  return out;
}

std::vector<std::string> NatsServer::server_args() const {
  std::vector<std::string> args = {"-a", "127.0.0.1", "-p", std::to_string(port_),
                                   "-l", dir() + "/nats.log"};
  if (options_.jetstream) args.insert(args.end(), {"-js", "-sd", dir() + "/store"});
  if (!options_.password.empty()) {
    args.insert(args.end(), {"--user", options_.user, "--pass", options_.password});
  }
  if (options_.tls) {
    args.insert(args.end(), {"--tls", "--tlscert", dir() + "/server.crt", "--tlskey",
                             dir() + "/server.key"});
  }
  if (options_.max_payload > 0) {
    const std::string conf =
        dir_.write("nats.conf", "max_payload: " + std::to_string(options_.max_payload) + "\n");
    args.insert(args.end(), {"-c", conf});
  }
  return args;
}

void NatsServer::start() {
  const std::string program = find_on_path("nats-server");
  if (program.empty()) {
    throw std::runtime_error("nats-server not found on PATH (install it with scripts/setup.sh)");
  }
  process_ = std::make_unique<ChildProcess>(program, server_args(),
                                            std::map<std::string, std::string>{}, dir());
  wait_until_ready();
}

void NatsServer::wait_until_ready() {
  const auto deadline = std::chrono::steady_clock::now() + kReadyTimeout;
  const std::string where = "nats-server on 127.0.0.1:" + std::to_string(port_);
  while (std::chrono::steady_clock::now() < deadline) {
    if (process_->wait(milliseconds(0))) {
      throw std::runtime_error(where + " exited during start-up (port taken?); log:\n" +
                               log_tail());
    }
    if (sends_info(port_)) return;
    std::this_thread::sleep_for(kPollEvery);
  }
  throw std::runtime_error(where + " did not greet within 10 s; log:\n" + log_tail());
}

}  // namespace aof::testing
