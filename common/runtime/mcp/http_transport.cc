#include "common/runtime/mcp/http_transport.h"

#include <algorithm>
#include <mutex>
#include <sstream>

namespace aof::runtime::mcp {
namespace {

using Json = nlohmann::json;

Millis remaining(TimePoint deadline, Millis cap) {
  if (deadline == TimePoint::max()) return cap;
  const auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::system_clock::now());
  return std::clamp(left, Millis(1), cap);
}

// The message answering `id` among `messages` (a JSON body may be a batch).
std::optional<Json> answer_with_id(const std::vector<Json>& messages, const Json& id) {
  for (const auto& message : messages) {
    if (message.is_array()) {
      if (auto found = answer_with_id(message.get<std::vector<Json>>(), id)) return found;
    } else if (message.is_object() && message.contains("id") && message["id"] == id &&
               !message.contains("method")) {
      return message;
    }
  }
  return std::nullopt;
}

class HttpChannel final : public Channel {
 public:
  HttpChannel(std::string server, std::string endpoint, const HttpClient& http, Millis timeout)
      : server_(std::move(server)),
        endpoint_(std::move(endpoint)),
        http_(http),
        timeout_(timeout) {}

  Result<Json> request(const Json& message, TimePoint deadline,
                       const std::atomic<bool>* cancelled) override {
    if (cancelled != nullptr && cancelled->load()) {
      return Error(ErrorCode::kUnavailable, "cancelled");
    }
    if (message.value("method", "") == "initialize") remember_initialize(message);
    std::string sent_session;
    auto response = post(message, deadline, &sent_session);
    if (response.ok() && response->status == 404 && !sent_session.empty()) {
      if (auto renewed = renew_session(sent_session, deadline); !renewed.ok()) {
        return renewed.error();
      }
      response = post(message, deadline, nullptr);
    }
    if (!response.ok()) return response.error();
    if (response->status != 200) return status_error(*response);
    return answer_of(*response, message.at("id"));
  }

  Status notify(const Json& message, TimePoint deadline) override {
    auto response = post(message, deadline, nullptr);
    if (!response.ok()) return response.error();
    if (response->status != 200 && response->status != 202) return status_error(*response);
    return ok_status();
  }

 private:
  Result<Json> answer_of(const HttpResponse& response, const Json& id) const {
    const auto type = header(response, "content-type");
    std::vector<Json> messages;
    if (type.rfind("text/event-stream", 0) == 0) {
      messages = sse_messages(response.body);
    } else {
      messages.push_back(Json::parse(response.body, nullptr, false));
    }
    if (auto answer = answer_with_id(messages, id)) return *answer;
    return Error(ErrorCode::kInvalidArgument,
                 "MCP server " + server_ + " answered without a JSON-RPC response");
  }

  void remember_initialize(const Json& message) {
    std::lock_guard lock(mu_);
    initialize_ = message;
  }

  // The server answered 404 to our session: it expired or the server restarted. The spec
  // says to start a new session: initialize again (without the id) and notify initialized.
  // Concurrent calls that all saw the old session renew it once.
  Status renew_session(const std::string& expired, TimePoint deadline) {
    std::lock_guard renewing(renew_mu_);
    Json initialize;
    {
      std::lock_guard lock(mu_);
      if (session_ != expired) return ok_status();  // another call renewed it already
      session_.clear();
      initialize = initialize_;
    }
    if (initialize.is_null()) return ok_status();
    auto response = post(initialize, deadline, nullptr);
    if (!response.ok()) return response.error().with_context("renewing the session");
    if (response->status != 200) return status_error(*response);
    const Json initialized = {{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}};
    return notify(initialized, deadline);
  }

  // POSTs `message` with the current session id (stored in *sent_session when asked).
  Result<HttpResponse> post(const Json& message, TimePoint deadline, std::string* sent_session) {
    HttpRequest request;
    request.method = "POST";
    request.url = endpoint_;
    request.headers = {{"Content-Type", "application/json"},
                       {"Accept", "application/json, text/event-stream"}};
    {
      std::lock_guard lock(mu_);
      if (!session_.empty()) request.headers["Mcp-Session-Id"] = session_;
      if (sent_session != nullptr) *sent_session = session_;
    }
    request.body = message.dump(-1, ' ', false, Json::error_handler_t::replace);
    request.timeout = remaining(deadline, timeout_);
    auto response = http_.send(request);
    if (!response.ok()) return response.error().with_context("MCP server " + server_);
    if (auto session = header(*response, "mcp-session-id"); !session.empty()) {
      std::lock_guard lock(mu_);
      session_ = session;
    }
    return response;
  }

  Error status_error(const HttpResponse& response) const {
    const auto code = response.status >= 500 || response.status == 429
                          ? ErrorCode::kUnavailable
                          : ErrorCode::kInvalidArgument;
    return Error(code, "MCP server " + server_ + " answered HTTP " +
                           std::to_string(response.status) + ": " + response.body.substr(0, 200));
  }

  static std::string header(const HttpResponse& response, const std::string& name) {
    const auto it = response.headers.find(name);
    return it == response.headers.end() ? "" : it->second;
  }

  const std::string server_;
  const std::string endpoint_;
  const HttpClient& http_;
  const Millis timeout_;
  std::mutex renew_mu_;  // one session renewal at a time
  std::mutex mu_;
  std::string session_;  // Mcp-Session-Id; guarded by mu_
  Json initialize_;      // the initialize request, replayed to renew; guarded by mu_
};

}  // namespace

std::vector<Json> sse_messages(const std::string& body) {
  std::vector<Json> messages;
  std::istringstream in(body);
  std::string data;
  bool has_data = false;
  const auto flush = [&] {
    if (has_data) {
      Json message = Json::parse(data, nullptr, false);
      if (!message.is_discarded()) messages.push_back(std::move(message));
    }
    data.clear();
    has_data = false;
  };
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      flush();
    } else if (line.rfind("data:", 0) == 0) {
      std::string value = line.substr(5);
      if (!value.empty() && value.front() == ' ') value.erase(0, 1);
      data += (has_data ? "\n" : "") + value;
      has_data = true;
    }
  }
  flush();
  return messages;
}

std::unique_ptr<Channel> make_http_channel(const std::string& server, std::string endpoint,
                                           const HttpClient& http, Millis timeout) {
  return std::make_unique<HttpChannel>(server, std::move(endpoint), http, timeout);
}

}  // namespace aof::runtime::mcp
