#include "common/queue/redis/redis_connection.h"

#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cctype>
#include <cstring>

#include "common/queue/url_text.h"

namespace aof::queue {
namespace {

using SteadyClock = std::chrono::steady_clock;

// The most bytes one reply may take. Envelopes carry bodies of up to 25 MiB and a fetch
// returns up to `prefetch` of them; anything beyond this is not a reply we asked for.
constexpr std::size_t kMaxReplyBytes = std::size_t{512} << 20;

// strerror's text, lower-cased at the start: it sits mid-sentence ("...: connection refused").
std::string errno_text(int error) {
  std::string text = std::strerror(error);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

std::string openssl_error_text() {
  const unsigned long code = ERR_get_error();
  if (code == 0) return "TLS error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return text;
}

int millis_left(SteadyClock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 1 << 30));
}

// Waits until `fd` is ready for `events`; false on timeout or poll error.
bool wait_fd(int fd, short events, SteadyClock::time_point deadline) {
  while (true) {
    pollfd p{fd, events, 0};
    const int ready = ::poll(&p, 1, millis_left(deadline));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return false;
  }
}

RedisReply convert(const redisReply* reply) {
  RedisReply out;
  switch (reply->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::kError;
      out.str.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = reply->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      out.elements.reserve(reply->elements);
      for (std::size_t i = 0; i < reply->elements; ++i) {
        out.elements.push_back(convert(reply->element[i]));
      }
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

redisReader* as_reader(void* reader) { return static_cast<redisReader*>(reader); }

}  // namespace

// A connected socket, optionally wrapped in TLS. Non-blocking underneath; every call takes a
// deadline.
class RedisConnection::Transport {
 public:
  Transport(int fd, SSL_CTX* ctx, SSL* ssl) : fd_(fd), ctx_(ctx), ssl_(ssl) {}
  ~Transport() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
    if (fd_ >= 0) ::close(fd_);
  }

  // Writes everything; an error text on failure.
  std::optional<std::string> write_all(std::string_view data, SteadyClock::time_point deadline) {
    while (!data.empty()) {
      const long wrote = ssl_ != nullptr ? tls_write(data) : plain_write(data);
      if (wrote > 0) {
        data.remove_prefix(static_cast<std::size_t>(wrote));
        continue;
      }
      if (wrote == kFailed) return last_error_;
      const short events = wrote == kWantRead ? POLLIN : POLLOUT;
      if (!wait_fd(fd_, events, deadline)) return std::string("timed out writing");
    }
    return std::nullopt;
  }

  // Reads what is available (waiting until something is); bytes read, or an error text.
  Result<std::size_t> read_some(char* buffer, std::size_t size, SteadyClock::time_point deadline) {
    while (true) {
      const long got = ssl_ != nullptr ? tls_read(buffer, size) : plain_read(buffer, size);
      if (got > 0) return static_cast<std::size_t>(got);
      if (got == 0) return Error(ErrorCode::kUnavailable, "connection closed by the server");
      if (got == kFailed) return Error(ErrorCode::kUnavailable, last_error_);
      const short events = got == kWantWrite ? POLLOUT : POLLIN;
      if (!wait_fd(fd_, events, deadline)) {
        return Error(ErrorCode::kTimeout, "no reply in time");
      }
    }
  }

 private:
  static constexpr long kWantRead = -1;
  static constexpr long kWantWrite = -2;
  static constexpr long kFailed = -3;

  long plain_write(std::string_view data) {
    const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n >= 0) return n;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return kWantWrite;
    last_error_ = errno_text(errno);
    return kFailed;
  }

  long plain_read(char* buffer, std::size_t size) {
    const ssize_t n = ::recv(fd_, buffer, size, 0);
    if (n >= 0) return n;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return kWantRead;
    last_error_ = errno_text(errno);
    return kFailed;
  }

  long tls_result(int n) {
    if (n > 0) return n;
    switch (SSL_get_error(ssl_, n)) {
      case SSL_ERROR_WANT_READ:
        return kWantRead;
      case SSL_ERROR_WANT_WRITE:
        return kWantWrite;
      case SSL_ERROR_ZERO_RETURN:
        return 0;
      default:
        last_error_ = openssl_error_text();
        return kFailed;
    }
  }

  long tls_write(std::string_view data) {
    ERR_clear_error();
    return tls_result(SSL_write(ssl_, data.data(), static_cast<int>(std::min<std::size_t>(
                                                       data.size(), 1 << 30))));
  }

  long tls_read(char* buffer, std::size_t size) {
    ERR_clear_error();
    return tls_result(SSL_read(ssl_, buffer, static_cast<int>(std::min<std::size_t>(size, 1 << 30))));
  }

  int fd_;
  SSL_CTX* ctx_;
  SSL* ssl_;
  std::string last_error_;
};

namespace {

Error unreachable(const RedisEndpoint& endpoint, const std::string& why) {
  return Error(ErrorCode::kUnavailable,
               "cannot reach redis at " + endpoint.address() + ": " + why + kUnreachableHint);
}

// Connects a non-blocking TCP socket to the first address that answers.
Result<int> connect_tcp(const RedisEndpoint& endpoint, SteadyClock::time_point deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(endpoint.port);
  if (const int rc = ::getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return unreachable(endpoint, std::string("cannot resolve host: ") + gai_strerror(rc));
  }
  std::string last = "no address";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                            a->ai_protocol);
    if (fd < 0) {
      last = errno_text(errno);
      continue;
    }
    int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      if (!wait_fd(fd, POLLOUT, deadline)) {
        last = "connect timed out";
        ::close(fd);
        continue;
      }
      int error = 0;
      socklen_t len = sizeof error;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
      rc = error == 0 ? 0 : -1;
      errno = error;
    }
    if (rc != 0) {
      last = errno_text(errno);
      ::close(fd);
      continue;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    ::freeaddrinfo(found);
    return fd;
  }
  ::freeaddrinfo(found);
  for (auto& c : last) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return unreachable(endpoint, last);
}

}  // namespace

RedisConnection::RedisConnection(RedisEndpoint endpoint)
    : endpoint_(std::move(endpoint)), reader_(redisReaderCreate()) {}

RedisConnection::~RedisConnection() {
  if (reader_ != nullptr) redisReaderFree(as_reader(reader_));
}

Result<std::unique_ptr<RedisConnection>> RedisConnection::open(const RedisEndpoint& endpoint) {
  const auto deadline = SteadyClock::now() + endpoint.connect_timeout;
  auto fd = connect_tcp(endpoint, deadline);
  if (!fd) return fd.error();
  std::unique_ptr<RedisConnection> connection(new RedisConnection(endpoint));
  if (!endpoint.tls) {
    connection->transport_ = std::make_unique<Transport>(*fd, nullptr, nullptr);
  } else {
    // The context is configured before SSL_new: an SSL copies its verify mode at creation.
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == nullptr) {
      ::close(*fd);
      return unreachable(endpoint, "TLS set-up failed: " + openssl_error_text());
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    const int loaded = endpoint.ca_file.empty()
                           ? SSL_CTX_set_default_verify_paths(ctx)
                           : SSL_CTX_load_verify_locations(ctx, endpoint.ca_file.c_str(), nullptr);
    SSL* ssl = loaded == 1 ? SSL_new(ctx) : nullptr;
    connection->transport_ = std::make_unique<Transport>(*fd, ctx, ssl);
    if (loaded != 1) {
      return Error(ErrorCode::kInvalidArgument,
                   "queue.url: cannot load the TLS CA file '" + endpoint.ca_file +
                       "': " + openssl_error_text());
    }
    if (ssl == nullptr) return unreachable(endpoint, "TLS set-up failed: " + openssl_error_text());
    const std::string& name = endpoint.server_name.empty() ? endpoint.host : endpoint.server_name;
    // SSL_set_tlsext_host_name() spelled out: the macro's C cast trips -Wold-style-cast.
    SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(name.c_str()));
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    if (X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str()) != 1) {
      X509_VERIFY_PARAM_set1_host(param, name.c_str(), 0);
    }
    SSL_set_fd(ssl, *fd);
    while (true) {
      ERR_clear_error();
      const int rc = SSL_connect(ssl);
      if (rc == 1) break;
      const int error = SSL_get_error(ssl, rc);
      const short events = error == SSL_ERROR_WANT_READ    ? POLLIN
                           : error == SSL_ERROR_WANT_WRITE ? POLLOUT
                                                           : 0;
      if (events == 0) {
        const long verify = SSL_get_verify_result(ssl);
        const std::string why = verify != X509_V_OK ? X509_verify_cert_error_string(verify)
                                                    : openssl_error_text();
        return unreachable(endpoint, "TLS handshake failed: " + why);
      }
      if (!wait_fd(*fd, events, deadline)) return unreachable(endpoint, "TLS handshake timed out");
    }
  }
  if (!endpoint.password.empty()) {
    std::vector<std::string_view> auth{"AUTH"};
    if (!endpoint.user.empty()) auth.push_back(endpoint.user);
    auth.push_back(endpoint.password);
    if (auto authed = connection->command(auth); !authed) return authed.error();
  }
  if (endpoint.db != 0) {
    const std::string db = std::to_string(endpoint.db);
    if (auto selected = connection->command({"SELECT", db}); !selected) {
      return selected.error().with_context("queue.url database " + db);
    }
  }
  return connection;
}

Error RedisConnection::transport_error(const std::string& what) {
  broken_ = true;
  return Error(ErrorCode::kUnavailable, "redis at " + endpoint_.address() + ": " + what +
                                            " (connection dropped; the next call reconnects)");
}

Result<std::vector<RedisReply>> RedisConnection::round_trip(std::string_view formatted,
                                                            std::size_t replies,
                                                            Millis extra_wait) {
  if (broken_) return transport_error("connection already broken");
  const auto deadline = SteadyClock::now() + endpoint_.io_timeout + extra_wait;
  if (auto failed = transport_->write_all(formatted, deadline)) return transport_error(*failed);
  std::vector<RedisReply> out;
  out.reserve(replies);
  std::size_t buffered = 0;  // bytes fed since the last complete reply
  char buffer[64 * 1024];
  while (out.size() < replies) {
    void* parsed = nullptr;
    if (redisReaderGetReply(as_reader(reader_), &parsed) != REDIS_OK) {
      return transport_error(std::string("unparseable reply: ") + as_reader(reader_)->errstr);
    }
    if (parsed != nullptr) {
      out.push_back(convert(static_cast<redisReply*>(parsed)));
      freeReplyObject(parsed);
      buffered = 0;
      continue;
    }
    auto got = transport_->read_some(buffer, sizeof buffer, deadline);
    if (!got) return transport_error(got.error().message());
    buffered += *got;
    if (buffered > kMaxReplyBytes) return transport_error("reply larger than 512 MiB");
    if (redisReaderFeed(as_reader(reader_), buffer, *got) != REDIS_OK) {
      return transport_error(std::string("unparseable reply: ") + as_reader(reader_)->errstr);
    }
  }
  return out;
}

Result<RedisReply> RedisConnection::command(const std::vector<std::string_view>& args,
                                            Millis extra_wait) {
  auto replies = round_trip(format_command(args), 1, extra_wait);
  if (!replies) return replies.error();
  return checked(std::move(replies->front()), args.empty() ? "" : args.front());
}

void append_command(std::string& out, const std::vector<std::string_view>& args) {
  std::size_t bytes = 16;
  for (const auto& arg : args) bytes += arg.size() + 16;
  out.reserve(out.size() + bytes);
  out += '*';
  out += std::to_string(args.size());
  out += "\r\n";
  for (const auto& arg : args) {
    out += '$';
    out += std::to_string(arg.size());
    out += "\r\n";
    out.append(arg);
    out += "\r\n";
  }
}

std::string format_command(const std::vector<std::string_view>& args) {
  std::string out;
  append_command(out, args);
  return out;
}

}  // namespace aof::queue
