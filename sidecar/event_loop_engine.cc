// The event-loop HTTP server (http_engine.h): one thread, epoll in edge-triggered mode, every
// connection a small state machine. Answers come back from other threads (the broker's, the
// gateway's pool) through a mailbox and an eventfd, so a webhook costs no thread of its own
// and no wake-up of its own: one wake-up of this thread carries every answer that is ready.
//
// Per connection, one request at a time: the next pipelined request is parsed only after the
// answer to the previous one is queued, so answers leave in request order (RFC 9112 §9.3.2).
// Limits: max_connections (503 and close beyond), the parser's (line, header, body bytes),
// max_inflight_bytes over all bodies being received (503), read_timeout_secs for a whole
// request to arrive (408), keep_alive_timeout_secs idle between requests, write_timeout_secs
// for an answer to leave.

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/base/log.h"
#include "sidecar/blocking_pool.h"
#include "sidecar/fixed_routes.h"
#include "sidecar/http1/request_parser.h"
#include "sidecar/http_engine.h"
#include "sidecar/http_wire.h"

namespace aof::sidecar {
namespace {

using Steady = std::chrono::steady_clock;

constexpr std::size_t kReadChunk = 64 * 1024;
constexpr int kMaxEvents = 256;
// A body this large is verified and routed on a pool thread: hashing and scanning 25 MiB on
// the loop would stall every other connection for tens of milliseconds.
constexpr std::size_t kLargeBody = 256 * 1024;
// Bytes a client may send ahead while its previous request is being answered.
constexpr std::size_t kMaxAheadBytes = 64 * 1024;
// /metrics, admin routes and large webhooks: threads and queued requests at most.
constexpr std::size_t kSlowThreads = 4;
constexpr std::size_t kSlowQueued = 256;

// Answers coming back to the loop. Owned jointly by the engine and every Responder still out,
// so an answer arriving after the server stopped (or was destroyed) is dropped safely; the
// eventfd is closed only when the last of them is gone, so it is never a reused number.
class Mailbox {
 public:
  struct Letter {
    std::uint64_t connection;
    std::string bytes;
    bool keep_alive;
  };

  Mailbox() : fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}
  ~Mailbox() {
    if (fd_ >= 0) close(fd_);
  }
  Mailbox(const Mailbox&) = delete;
  Mailbox& operator=(const Mailbox&) = delete;

  int fd() const { return fd_; }
  void set_loop_thread(std::thread::id id) { loop_thread_ = id; }

  // On the loop's own thread (an answer known at once) the letter goes to a list the loop
  // reads after the connection it is working on; from any other thread, through the lock
  // and at most one eventfd write per batch.
  void post(Letter letter) {
    if (std::this_thread::get_id() == loop_thread_) {
      local_.push_back(std::move(letter));
      return;
    }
    bool wake = false;
    {
      std::lock_guard lock(mu_);
      if (closed_) return;
      letters_.push_back(std::move(letter));
      wake = !signalled_;
      signalled_ = true;
    }
    if (wake) ring();
  }

  void ring() const {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto written = write(fd_, &one, sizeof(one));
  }

  // The loop takes everything posted so far.
  void take(std::vector<Letter>& into) {
    std::uint64_t count = 0;
    [[maybe_unused]] auto drained = read(fd_, &count, sizeof(count));
    into.swap(local_);
    std::lock_guard lock(mu_);
    signalled_ = false;
    for (auto& letter : letters_) into.push_back(std::move(letter));
    letters_.clear();
  }

  bool has_local() const { return !local_.empty(); }

  // Set when the server stops: answers serialized from then on say "Connection: close".
  void set_draining() { draining_ = true; }
  bool draining() const { return draining_.load(std::memory_order_relaxed); }

  void close_box() {
    std::lock_guard lock(mu_);
    closed_ = true;
    letters_.clear();
  }

 private:
  const int fd_;
  std::thread::id loop_thread_;
  std::vector<Letter> local_;  // the loop thread's own
  std::mutex mu_;
  std::vector<Letter> letters_;  // guarded by mu_
  bool signalled_ = false;       // guarded by mu_: the eventfd has been written since take()
  bool closed_ = false;          // guarded by mu_
  std::atomic<bool> draining_{false};
};

struct Connection {
  Connection(int fd, std::uint64_t id, std::string peer, http1::Limits limits)
      : fd(fd), id(id), peer(std::move(peer)), parser(limits) {}

  int fd;
  std::uint64_t id;
  std::string peer;
  std::string in;  // bytes read and not yet given to the parser (sent ahead of an answer)
  http1::RequestParser parser;
  std::string out;  // answer bytes not yet sent
  std::size_t sent = 0;
  bool request_started = false;  // bytes of a request arrived; it is not yet dispatched
  bool awaiting = false;         // a handler has this connection's request
  bool close_after_send = false;
  bool peer_closed = false;  // the peer shut its side: answer what is pending, then close
  bool continue_sent = false;
  bool read_paused = false;  // stopped reading ahead (kMaxAheadBytes) until answered
  std::int64_t counted_bytes = 0;  // this connection's share of the in-flight body bytes
  Steady::time_point deadline;
};

bool is_webhook_platform(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string peer_address(const sockaddr_storage& addr) {
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(addr).sin_addr, text, sizeof(text));
  } else if (addr.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(addr).sin6_addr, text,
              sizeof(text));
  }
  return text;
}

ingest::IngressResponse json_answer(int status, std::string body) {
  ingest::IngressResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

class EventLoopEngine final : public HttpEngine {
 public:
  EventLoopEngine(HttpOptions options, HttpHandlers handlers)
      : options_(std::move(options)),
        handlers_(std::move(handlers)),
        mailbox_(std::make_shared<Mailbox>()),
        slow_(kSlowThreads, kSlowQueued),
        log_(log::get(log::Component::kSidecar)) {
    limits_.max_body_bytes = options_.max_body_bytes;
  }

  ~EventLoopEngine() override {
    stop();
    if (listen_fd_ >= 0) close(listen_fd_);
    if (epoll_fd_ >= 0) close(epoll_fd_);
  }

  Status bind() override {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(options_.port);
    if (getaddrinfo(options_.host.c_str(), port.c_str(), &hints, &found) != 0) return unusable();
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, &freeaddrinfo);
    for (const addrinfo* at = found; at != nullptr && listen_fd_ < 0; at = at->ai_next) {
      listen_fd_ = listen_on(*at);
    }
    if (listen_fd_ < 0) return unusable();
    sockaddr_storage bound{};
    socklen_t length = sizeof(bound);
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &length);
    bound_port_ = ntohs(bound.ss_family == AF_INET6
                            ? reinterpret_cast<sockaddr_in6&>(bound).sin6_port
                            : reinterpret_cast<sockaddr_in&>(bound).sin_port);
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0 || mailbox_->fd() < 0) {
      return Error(ErrorCode::kUnavailable,
                   std::string("cannot create the event loop: ") + std::strerror(errno));
    }
    watch(listen_fd_, EPOLLIN, kListenTag);
    watch(mailbox_->fd(), EPOLLIN | EPOLLET, kMailboxTag);
    return ok_status();
  }

  int port() const override { return bound_port_; }

  void start() override {
    if (epoll_fd_ < 0 || thread_.joinable()) return;
    thread_ = std::thread([this] { run(); });
  }

  void stop() override {
    if (!thread_.joinable()) return;
    stopping_ = true;
    mailbox_->set_draining();
    mailbox_->ring();
    thread_.join();
  }

 private:
  static constexpr std::uint64_t kListenTag = 0;
  static constexpr std::uint64_t kMailboxTag = 1;

  Status unusable() const {
    return Error(ErrorCode::kUnavailable, "cannot listen on " + options_.host + ":" +
                                              std::to_string(options_.port) +
                                              " (address in use or not available)");
  }

  int listen_on(const addrinfo& at) const {
    const int fd = socket(at.ai_family, at.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    const int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    if (::bind(fd, at.ai_addr, at.ai_addrlen) != 0 || listen(fd, options_.backlog) != 0) {
      close(fd);
      return -1;
    }
    return fd;
  }

  void watch(int fd, std::uint32_t events, std::uint64_t tag) const {
    epoll_event event{};
    event.events = events;
    event.data.u64 = tag;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
  }

  // ---- the loop ----------------------------------------------------------------------------

  void run() {
    mailbox_->set_loop_thread(std::this_thread::get_id());
    std::vector<epoll_event> events(kMaxEvents);
    auto next_sweep = Steady::now() + std::chrono::seconds(1);
    Steady::time_point stop_by{};
    while (true) {
      const int timeout_ms = accept_paused_ ? 100 : 1000;
      const int n = epoll_wait(epoll_fd_, events.data(), kMaxEvents, timeout_ms);
      for (int i = 0; i < n; ++i) on_event(events[i]);
      deliver_letters();
      const auto now = Steady::now();
      if (now >= next_sweep || accept_paused_) {
        sweep(now);
        next_sweep = now + std::chrono::seconds(1);
      }
      bury_dropped();
      if (stopping_ && stop_by == Steady::time_point{}) {
        stop_by = now + std::chrono::seconds(std::max(1, options_.write_timeout_secs));
        begin_stop();
      }
      if (stopping_ && (busy_connections() == 0 || now >= stop_by)) break;
    }
    for (auto& [id, connection] : connections_) drop(*connection);
    connections_.clear();
    dropped_.clear();
    mailbox_->close_box();
  }

  void on_event(const epoll_event& event) {
    if (event.data.u64 == kListenTag) return accept_all();
    if (event.data.u64 == kMailboxTag) return;  // deliver_letters() runs after every batch
    auto found = connections_.find(event.data.u64);
    if (found == connections_.end() || found->second->fd < 0) return;  // dropped meanwhile
    Connection& c = *found->second;
    if (event.events & EPOLLERR) return drop(c);
    if (event.events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) {
      if (!read_from(c)) return;
    }
    if ((event.events & EPOLLOUT) && c.sent < c.out.size()) flush(c);
  }

  // ---- connections -------------------------------------------------------------------------

  void accept_all() {
    while (!stopping_) {
      sockaddr_storage addr{};
      socklen_t length = sizeof(addr);
      const int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &length,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          pause_accepting();
        }
        return;
      }
      if (connections_.size() >= static_cast<std::size_t>(options_.max_connections)) {
        refuse(fd);
        continue;
      }
      const int yes = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
      const std::uint64_t id = next_id_++;
      auto connection = std::make_unique<Connection>(fd, id, peer_address(addr), limits_);
      connection->deadline = Steady::now() + std::chrono::seconds(options_.keep_alive_timeout_secs);
      watch(fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, id);
      connections_.emplace(id, std::move(connection));
    }
  }

  // Out of descriptors: the listening socket would stay readable and spin the loop, so it is
  // left alone for 100 ms (sweep() takes it back).
  void pause_accepting() {
    if (accept_paused_) return;
    accept_paused_ = true;
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
    log_->warn("cannot accept connections ({}): {} open; retrying in 100 ms", std::strerror(errno),
               connections_.size());
  }

  void refuse(int fd) const {
    static const std::string kFull = http_wire::serialize(
        json_answer(503, R"({"error":"too many connections; retry later"})"), false,
        {{"Retry-After", "5"}});
    [[maybe_unused]] auto sent = send(fd, kFull.data(), kFull.size(), MSG_NOSIGNAL);
    close(fd);
  }

  // Closes at once; the record goes at the end of this turn of the loop, so references to it
  // held up the stack stay valid (a dropped connection has fd -1).
  void drop(Connection& c) {
    if (c.fd < 0) return;
    inflight_bytes_ -= c.counted_bytes;
    c.counted_bytes = 0;
    close(c.fd);  // also leaves the epoll set
    c.fd = -1;
    dropped_.push_back(c.id);
  }

  void bury_dropped() {
    for (std::uint64_t id : dropped_) connections_.erase(id);
    dropped_.clear();
  }

  // Reads what the socket has; false when the connection was dropped.
  bool read_from(Connection& c) {
    while (true) {
      if (c.awaiting && c.in.size() >= kMaxAheadBytes) {
        c.read_paused = true;
        return true;
      }
      const ssize_t n = recv(c.fd, buffer_, sizeof(buffer_), 0);
      if (n > 0) {
        if (!take_bytes(c, std::string_view(buffer_, static_cast<std::size_t>(n)))) return false;
        if (static_cast<std::size_t>(n) < sizeof(buffer_)) break;  // drained: the next data
        continue;                                                  // brings a new edge
      }
      if (n == 0) {
        c.peer_closed = true;
        break;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      drop(c);
      return false;
    }
    if (c.peer_closed && !c.awaiting && c.sent >= c.out.size()) {
      drop(c);  // nothing more can arrive, nothing is owed
      return false;
    }
    return true;
  }

  // Gives `bytes` to the parser (or keeps them while a request is being answered); false when
  // the connection was dropped.
  bool take_bytes(Connection& c, std::string_view bytes) {
    if (c.awaiting || !c.in.empty()) {
      c.in.append(bytes);
      return c.awaiting ? true : parse(c);
    }
    return parse_from(c, bytes);
  }

  bool parse(Connection& c) {
    std::string ahead;
    ahead.swap(c.in);
    return parse_from(c, ahead);
  }

  // Parses requests from `bytes` until one is being answered or the bytes run out; the rest
  // is kept in c.in. False when the connection was dropped.
  bool parse_from(Connection& c, std::string_view bytes) {
    while (!bytes.empty() && !c.awaiting && !c.close_after_send && c.fd >= 0) {
      if (!c.request_started) {
        c.request_started = true;
        c.deadline = Steady::now() + std::chrono::seconds(options_.read_timeout_secs);
      }
      bytes.remove_prefix(c.parser.feed(bytes));
      if (!check_progress(c)) break;
    }
    if (c.fd < 0) return false;
    if (!bytes.empty() && !c.close_after_send) c.in.append(bytes);
    return true;
  }

  // After a feed: answers a refused request, enforces the in-flight budget, sends 100
  // Continue, dispatches a complete request. False when no more parsing should happen now.
  bool check_progress(Connection& c) {
    const http1::Phase phase = c.parser.phase();
    if (phase == http1::Phase::kError) {
      log_->debug("peer={} refused request: {} ({})", c.peer, c.parser.error(),
                  c.parser.error_status());
      answer_now(c, refusal(c.parser.error_status(), c.parser.error()), false);
      return false;
    }
    if (!c.parser.head_complete()) return true;
    const auto& request = c.parser.request();
    const auto received = static_cast<std::int64_t>(request.body.size());
    const std::int64_t want = std::max(request.content_length, received);
    if (want > c.counted_bytes) {
      if (inflight_bytes_ + want - c.counted_bytes > options_.max_inflight_bytes) {
        answer_now(c, json_answer(503, R"({"error":"too many bytes in flight; retry later"})"),
                   false, {{"Retry-After", "5"}});
        return false;
      }
      inflight_bytes_ += want - c.counted_bytes;
      c.counted_bytes = want;
    }
    if (phase == http1::Phase::kComplete) {
      dispatch(c);
      return true;
    }
    if (request.expect_continue && !c.continue_sent && request.minor_version == 1) {
      c.continue_sent = true;
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      c.out += kContinue;
      flush(c);
    }
    return true;
  }

  // The answer to a request the parser refused; 413 reads as the httplib engine's does.
  ingest::IngressResponse refusal(int status, const std::string& why) const {
    if (status == 413) {
      return json_answer(413, R"({"error":"body exceeds )" +
                                  std::to_string(options_.max_body_bytes) + R"( bytes"})");
    }
    std::string text;  // the parser's messages are plain ASCII; quotes and controls go anyway
    for (char ch : why) {
      if (ch != '"' && ch != '\\' && static_cast<unsigned char>(ch) >= 0x20) text += ch;
    }
    return json_answer(status, R"({"error":")" + text + R"("})");
  }

  // Answers from the loop itself (a refused request): queued, sent, then maybe closed.
  void answer_now(Connection& c, const ingest::IngressResponse& response, bool keep_alive,
                  const http_wire::Headers& extra = {}) {
    c.out += http_wire::serialize(response, keep_alive, extra);
    c.close_after_send = !keep_alive;
    c.request_started = false;
    flush(c);
  }

  // ---- requests ----------------------------------------------------------------------------

  void dispatch(Connection& c) {
    http1::Request parsed = c.parser.take();
    c.parser.reset();
    inflight_bytes_ -= c.counted_bytes;
    c.counted_bytes = 0;
    c.request_started = false;
    c.continue_sent = false;
    c.awaiting = true;
    const bool keep_alive = parsed.keep_alive && !stopping_;
    Responder respond = [mailbox = mailbox_, id = c.id, keep_alive](ingest::IngressResponse r) {
      const bool keep = keep_alive && !mailbox->draining();
      mailbox->post({id, http_wire::serialize(r, keep), keep});
    };
    route(c, std::move(parsed), std::move(respond));
  }

  ingest::IngressRequest to_ingress(const Connection& c, http1::Request& parsed) const {
    ingest::IngressRequest request;
    request.method = std::move(parsed.method);
    request.path = std::move(parsed.path);
    request.remote_addr = c.peer;
    // The first of each name, as the httplib engine does.
    for (auto& [name, value] : parsed.headers) request.headers.emplace(name, std::move(value));
    for (auto& [name, value] : http1::parse_query(parsed.query, ingest::kMaxQueryParams)) {
      request.headers.emplace("query." + name, value);
      if (value.size() > ingest::kMaxQueryValueBytes) value.resize(ingest::kMaxQueryValueBytes);
      request.query.emplace(std::move(name), std::move(value));
    }
    request.body = std::move(parsed.body);
    return request;
  }

  void route(const Connection& c, http1::Request parsed, Responder respond) {
    const std::string& path = parsed.path;
    const bool get = parsed.method == "GET";
    constexpr std::string_view kWebhook = "/webhook/";
    if ((get || parsed.method == "POST") && path.rfind(kWebhook, 0) == 0 &&
        is_webhook_platform(std::string_view(path).substr(kWebhook.size()))) {
      auto request = to_ingress(c, parsed);
      request.platform = request.path.substr(kWebhook.size());
      return webhook(std::move(request), std::move(respond));
    }
    if (get && path == "/healthz") return respond(json_answer(200, fixed_routes::healthz_body()));
    if (get && path == "/health") return respond(json_answer(200, fixed_routes::health_body()));
    if (get && path == "/readyz") {
      const bool ready = !handlers_.ready || handlers_.ready();
      return respond(json_answer(ready ? 200 : 503, fixed_routes::readyz_body(ready)));
    }
    if (get && path == "/metrics") {
      return on_slow(std::move(respond), [this] {
        ingest::IngressResponse r;
        r.status = 200;
        r.content_type = "text/plain; version=0.0.4";
        r.body = handlers_.metrics ? handlers_.metrics() : "";
        return r;
      });
    }
    if (get && path.rfind("/v1/", 0) == 0) return admin(to_ingress(c, parsed), std::move(respond));
    if (get && path == "/") return respond(json_answer(200, fixed_routes::root_body()));
    respond(json_answer(404, R"({"error":"not found"})"));
  }

  void webhook(ingest::IngressRequest request, Responder respond) {
    if (handlers_.webhook_async && request.body.size() < kLargeBody) {
      return handlers_.webhook_async(request, std::move(respond));
    }
    auto task = [this, request = std::move(request), respond]() mutable {
      if (handlers_.webhook_async) return handlers_.webhook_async(request, respond);
      respond(handlers_.webhook ? handlers_.webhook(request)
                                : json_answer(404, R"({"error":"not found"})"));
    };
    if (!slow_.run(std::move(task))) respond(busy());
  }

  void admin(ingest::IngressRequest request, Responder respond) {
    if (!handlers_.admin) return respond(json_answer(404, R"({"error":"not found"})"));
    if (!fixed_routes::is_loopback(request.remote_addr)) {
      return respond(json_answer(403, R"({"error":"admin routes answer loopback peers only"})"));
    }
    on_slow(std::move(respond),
            [this, request = std::move(request)] { return handlers_.admin(request); });
  }

  // Runs `answer` (which may ask the broker) on a pool thread.
  template <typename Answer>
  void on_slow(Responder respond, Answer answer) {
    auto task = [respond, answer = std::move(answer)]() mutable { respond(answer()); };
    if (!slow_.run(std::move(task))) respond(busy());
  }

  static ingest::IngressResponse busy() {
    auto response = json_answer(503, R"({"error":"server busy; retry later"})");
    response.headers["Retry-After"] = "5";
    return response;
  }

  // ---- answers -----------------------------------------------------------------------------

  void deliver_letters() {
    // An answer may make a connection parse its next request, whose answer may be known at
    // once and land in the mailbox again: loop until nothing is left.
    do {
      mailbox_->take(letters_);
      for (auto& letter : letters_) deliver(letter);
      letters_.clear();
    } while (mailbox_->has_local());
  }

  void deliver(Mailbox::Letter& letter) {
    auto found = connections_.find(letter.connection);
    if (found == connections_.end() || found->second->fd < 0) return;  // the client went away
    Connection& c = *found->second;
    c.awaiting = false;
    c.out += letter.bytes;
    c.close_after_send = !letter.keep_alive || stopping_;
    if (!flush(c)) return;
    if (c.close_after_send) return;
    if (!c.in.empty() && !parse(c)) return;
    if (c.read_paused) {
      c.read_paused = false;
      read_from(c);
    } else if (c.peer_closed && !c.awaiting && c.sent >= c.out.size()) {
      drop(c);
    }
  }

  // Sends what is owed; false when the connection was dropped (closed after its last answer,
  // or broken).
  bool flush(Connection& c) {
    while (c.sent < c.out.size()) {
      const ssize_t n = send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
      if (n > 0) {
        c.sent += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        c.deadline = Steady::now() + std::chrono::seconds(options_.write_timeout_secs);
        return true;  // EPOLLOUT brings the rest
      }
      drop(c);
      return false;
    }
    c.out.clear();
    c.sent = 0;
    if (c.close_after_send) {
      drop(c);
      return false;
    }
    if (!c.request_started) {
      c.deadline = Steady::now() + std::chrono::seconds(options_.keep_alive_timeout_secs);
    }
    return true;
  }

  // ---- time and stopping -------------------------------------------------------------------

  void sweep(Steady::time_point now) {
    if (accept_paused_ && !stopping_) {
      accept_paused_ = false;
      watch(listen_fd_, EPOLLIN, kListenTag);
    }
    std::vector<Connection*> late;
    for (auto& [id, connection] : connections_) {
      if (connection->fd >= 0 && !connection->awaiting && now >= connection->deadline) {
        late.push_back(connection.get());
      }
    }
    for (Connection* c : late) {
      if (c->request_started && c->sent >= c->out.size()) {
        answer_now(*c, json_answer(408, R"({"error":"request not received in time"})"), false);
      } else {
        drop(*c);
      }
    }
  }

  // No new connections; idle ones are closed now, the others once answered.
  void begin_stop() {
    if (!accept_paused_) epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
    accept_paused_ = false;
    std::vector<Connection*> idle;
    for (auto& [id, connection] : connections_) {
      if (!connection->awaiting && connection->sent >= connection->out.size()) {
        idle.push_back(connection.get());
      }
    }
    for (Connection* c : idle) drop(*c);
    bury_dropped();
  }

  std::size_t busy_connections() const {
    std::size_t busy = 0;
    for (const auto& [id, connection] : connections_) {
      if (connection->awaiting || connection->sent < connection->out.size()) ++busy;
    }
    return busy;
  }

  const HttpOptions options_;
  const HttpHandlers handlers_;
  http1::Limits limits_;
  std::shared_ptr<Mailbox> mailbox_;
  BlockingPool slow_;
  std::shared_ptr<spdlog::logger> log_;
  int listen_fd_ = -1;
  int epoll_fd_ = -1;
  int bound_port_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  // The loop thread's own:
  std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections_;
  std::uint64_t next_id_ = 2;  // 0 and 1 tag the listening socket and the mailbox
  std::int64_t inflight_bytes_ = 0;
  bool accept_paused_ = false;
  std::vector<std::uint64_t> dropped_;  // closed this turn, erased at its end
  std::vector<Mailbox::Letter> letters_;
  char buffer_[kReadChunk];
};

}  // namespace

std::unique_ptr<HttpEngine> make_event_loop_engine(HttpOptions options, HttpHandlers handlers) {
  return std::make_unique<EventLoopEngine>(std::move(options), std::move(handlers));
}

}  // namespace aof::sidecar
