#include "common/runtime/llm/http_call.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <thread>

#include "common/base/log.h"

namespace aof::runtime::llm {
namespace {

using nlohmann::json;

// What one HTTP exchange came to.
struct Attempt {
  Result<json> result = Error(ErrorCode::kInternal, "not sent");
  bool may_retry = false;             // worth another try within this call
  std::optional<Millis> retry_after;  // the provider's Retry-After, when it gave seconds
};

bool is_retried_status(int status) {
  // 529: Anthropic's "overloaded", a 503 in all but number.
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504 ||
         status == 529;
}

ErrorCode code_for_status(int status) {
  if (status == 429) return ErrorCode::kResourceExhausted;
  if (status == 401 || status == 403) return ErrorCode::kUnauthenticated;
  if (status == 408) return ErrorCode::kTimeout;
  if (status >= 500) return ErrorCode::kUnavailable;
  return ErrorCode::kInvalidArgument;  // 400, 404 (unknown model), 413, 422, ...
}

// Retry-After in seconds (the HTTP-date form is not used by these APIs and is ignored).
std::optional<Millis> retry_after(const HttpResponse& response) {
  const auto it = response.headers.find("retry-after");
  if (it == response.headers.end() || it->second.empty() || it->second.size() > 9 ||
      !std::all_of(it->second.begin(), it->second.end(),
                   [](unsigned char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return Millis(std::stoll(it->second) * 1000);
}

Attempt classify(const Result<HttpResponse>& sent, const std::string& label) {
  Attempt attempt;
  if (!sent.ok()) {
    attempt.result = sent.error().with_context(label);
    // A refused or reset connection may clear in a second; a timeout already took its time.
    attempt.may_retry = sent.error().code() == ErrorCode::kUnavailable;
    return attempt;
  }
  const int status = sent->status;
  if (status >= 200 && status < 300) {
    json body = json::parse(sent->body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      attempt.result = Error(ErrorCode::kUnavailable, label + ": the answer is not a JSON object");
    } else {
      attempt.result = std::move(body);
    }
    return attempt;
  }
  attempt.result = Error(code_for_status(status), label + ": HTTP " + std::to_string(status) +
                                                      ": " + provider_message(sent->body));
  attempt.may_retry = is_retried_status(status);
  attempt.retry_after = retry_after(*sent);
  return attempt;
}

Millis backoff(const LlmRetryPolicy& policy, int retry) {
  return policy.first_backoff * (1 << retry);
}

void wait(const LlmDeps& deps, Millis duration) {
  if (deps.sleep) {
    deps.sleep(duration);
  } else {
    std::this_thread::sleep_for(duration);
  }
}

Error gave_up(const Error& last, const std::string& why) {
  return Error(last.code(), last.message() + " (" + why + ")");
}

HttpRequest http_request(const ProviderCall& call) {
  HttpRequest request;
  request.method = "POST";
  request.url = call.url;
  request.headers = call.headers;
  request.headers["Content-Type"] = "application/json";
  request.body = call.body.dump(-1, ' ', false, json::error_handler_t::replace);
  return request;
}

}  // namespace

std::string provider_message(const std::string& body) {
  const json parsed = json::parse(body, nullptr, false);
  if (parsed.is_object()) {
    const auto error = parsed.find("error");
    if (error != parsed.end() && error->is_object()) {
      const auto message = error->find("message");
      if (message != error->end() && message->is_string()) return message->get<std::string>();
    }
    if (error != parsed.end() && error->is_string()) return error->get<std::string>();
  }
  if (body.empty()) return "(empty body)";
  return body.size() <= 300 ? body : body.substr(0, 300) + "...";
}

Result<json> post_json(const ProviderCall& call, const LlmDeps& deps, TimePoint deadline) {
  HttpRequest request = http_request(call);
  const LlmRetryPolicy& policy = deps.retry;
  auto log = log::get(log::Component::kRuntime);
  for (int retry = 0;; ++retry) {
    const TimePoint now = deps.clock->now();
    if (now >= deadline) {
      return Error(ErrorCode::kTimeout, call.label + ": the run's deadline passed");
    }
    request.timeout = std::min(policy.request_timeout, std::chrono::ceil<Millis>(deadline - now));
    Attempt attempt = classify(deps.http->send(request), call.label);
    log->debug("llm {}: attempt {} {}", call.label, retry + 1,
               attempt.result.ok() ? "answered" : attempt.result.error().message());
    if (attempt.result.ok() || !attempt.may_retry) return std::move(attempt.result);
    const Error& last = attempt.result.error();
    const int tries = retry + 1;
    if (retry >= policy.max_retries) {
      return gave_up(last, "after " + std::to_string(tries) + " attempts");
    }
    const Millis pause = attempt.retry_after.value_or(backoff(policy, retry));
    if (pause > policy.max_wait) {
      return gave_up(last, "Retry-After " + std::to_string(pause.count() / 1000) +
                               " s is longer than a call waits; the event is retried later");
    }
    if (deps.clock->now() + pause >= deadline) {
      return gave_up(last, "no time left before the run's deadline to retry");
    }
    wait(deps, pause);
  }
}

}  // namespace aof::runtime::llm
