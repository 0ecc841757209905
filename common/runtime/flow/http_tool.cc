// The http native tool (native_tools.h): one request through the worker's HTTP client.
#include <algorithm>
#include <cctype>
#include <chrono>

#include "common/event/body_codec.h"
#include "common/runtime/flow/native_tool_call.h"

namespace aof::runtime::flow {
namespace {

using Json = nlohmann::json;

Error bad(const std::string& why) { return Error(ErrorCode::kInvalidArgument, why); }

std::chrono::milliseconds time_left(const ProcessSpec& limits) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      limits.deadline - std::chrono::system_clock::now());
  return std::clamp(left, std::chrono::milliseconds(1),
                    std::chrono::duration_cast<std::chrono::milliseconds>(limits.timeout));
}

bool has_header(const HttpRequest& request, std::string_view name) {
  return std::any_of(request.headers.begin(), request.headers.end(), [&](const auto& header) {
    return std::equal(header.first.begin(), header.first.end(), name.begin(), name.end(),
                      [](char a, char b) { return std::tolower(a) == std::tolower(b); });
  });
}

Result<HttpRequest> build_request(const ToolCall& call) {
  HttpRequest request;
  request.method = call.action;
  std::transform(request.method.begin(), request.method.end(), request.method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  auto url = text_arg(call, "url", true);
  if (!url.ok()) return url.error();
  if (!url->starts_with("http://") && !url->starts_with("https://")) {
    return bad("args.url must start with http:// or https://: \"" + *url + "\"");
  }
  request.url = std::move(*url);
  if (const auto headers = call.args.find("headers");
      headers != call.args.end() && !headers->is_null()) {
    if (!headers->is_object()) return bad("args.headers must be a map of names to values");
    for (const auto& [name, value] : headers->items()) {
      if (!value.is_string() && !value.is_number()) {
        return bad("args.headers." + name + " must be a string");
      }
      std::string text = value.is_string() ? value.get<std::string>() : value.dump();
      if (text.find_first_of("\r\n") != std::string::npos) {
        return bad("args.headers." + name + " must not contain a line break");
      }
      request.headers[name] = std::move(text);
    }
  }
  if (const auto body = call.args.find("body"); body != call.args.end() && !body->is_null()) {
    request.body = body->is_string() ? body->get<std::string>() : body->dump();
    if (!body->is_string() && !has_header(request, "Content-Type")) {
      request.headers["Content-Type"] = "application/json";
    }
  }
  request.timeout = time_left(call.process);
  request.max_response_bytes = call.max_output_bytes;
  return request;
}

}  // namespace

Result<ToolOutcome> run_http_tool(const ToolCall& call) {
  static const std::vector<std::string> kActions = {"get", "post", "put",
                                                    "patch", "delete", "head"};
  if (std::find(kActions.begin(), kActions.end(), call.action) == kActions.end()) {
    return bad("http has no action \"" + call.action + "\"; it has get, post, put, patch, "
               "delete, head");
  }
  if (call.http == nullptr) return bad("this executor has no HTTP client");
  auto request = build_request(call);
  if (!request.ok()) return request.error();
  Json output = {{"url", request->url}, {"method", request->method}};
  auto response = call.http->send(*request);
  if (!response.ok()) {
    if (response.error().code() == ErrorCode::kInvalidArgument) return response.error();
    output["status"] = 0;
    return ToolOutcome{std::move(output), request->method + " " + request->url + ": " +
                                              response.error().message()};
  }
  std::string raw = event::replace_invalid_utf8(std::move(response->body));
  Json parsed = Json::parse(raw, nullptr, false);
  output["status"] = response->status;
  output["body"] = parsed.is_discarded() ? Json(raw) : std::move(parsed);
  output["raw"] = std::move(raw);
  if (response->status >= 400) {
    return ToolOutcome{std::move(output), request->method + " " + request->url + " answered " +
                                              std::to_string(response->status)};
  }
  output["success"] = true;
  return ToolOutcome{std::move(output), ""};
}

}  // namespace aof::runtime::flow
