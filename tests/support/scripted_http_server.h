#pragma once
// A loopback HTTP server that plays an external API (an LLM provider, a SaaS) in tests: it
// answers every request from a script, in order, and records what it received, so a test
// asserts the exact wire format on both sides (DESIGN §10: base URLs are configuration, the
// fake speaks the real format). Header-only: tests link cpp-httplib, the support library
// does not.

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace aof::testing {

struct ScriptedReply {
  int status = 200;
  std::string body;
  std::map<std::string, std::string> headers;  // Content-Type: application/json is added
  // Runs before the reply is sent, without the server's lock: a test holds a request in
  // flight (to kill its sender) until it returns. Empty = none.
  std::function<void()> before;
};

struct RecordedRequest {
  std::string method;
  std::string target;                          // path and query, as received
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class ScriptedHttpServer {
 public:
  // Listens on 127.0.0.1 on a free port at once.
  ScriptedHttpServer() {
    const auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      answer(req, res);
    };
    server_.Get(".*", handler);
    server_.Post(".*", handler);
    server_.Patch(".*", handler);  // Discord edits the deferred interaction response
    server_.Put(".*", handler);
    server_.Delete(".*", handler);
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("cannot bind a loopback port");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() does nothing before the listen loop runs: wait for it, or ~ would hang.
    for (int i = 0; i < 10000 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~ScriptedHttpServer() {
    server_.stop();
    thread_.join();
  }
  ScriptedHttpServer(const ScriptedHttpServer&) = delete;
  ScriptedHttpServer& operator=(const ScriptedHttpServer&) = delete;

  // "http://127.0.0.1:<port>"
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Queues a reply; replies go out in order. When the queue is empty, the last reply sent
  // repeats ("429 forever").
  void reply(ScriptedReply next) {
    std::lock_guard lock(mu_);
    script_.push_back(std::move(next));
  }
  void reply_json(const std::string& body, int status = 200) {
    ScriptedReply next;
    next.status = status;
    next.body = body;
    reply(std::move(next));
  }

  std::vector<RecordedRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  void answer(const httplib::Request& req, httplib::Response& res) {
    std::unique_lock lock(mu_);
    RecordedRequest recorded{req.method, req.target, {}, req.body};
    for (const auto& [name, value] : req.headers) {
      std::string lower = name;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      recorded.headers[lower] = value;
    }
    requests_.push_back(std::move(recorded));
    if (!script_.empty()) {
      last_ = script_.front();
      script_.pop_front();
    } else if (!last_) {
      res.status = 500;
      res.set_content(R"({"error":{"message":"the test scripted no reply"}})", "application/json");
      return;
    }
    const ScriptedReply current = *last_;
    lock.unlock();
    if (current.before) current.before();
    res.status = current.status;
    for (const auto& [name, value] : current.headers) res.set_header(name, value);
    res.set_content(current.body, "application/json");
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::deque<ScriptedReply> script_;       // guarded by mu_
  std::optional<ScriptedReply> last_;      // guarded by mu_; repeats once script_ is empty
  std::vector<RecordedRequest> requests_;  // guarded by mu_
};

}  // namespace aof::testing
