#include "common/runtime/tools/http_tool.h"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "common/event/body_codec.h"
#include "common/ingest/bounded_json.h"
#include "common/runtime/tools/checked_tool.h"

namespace aof::runtime::tools {
namespace {

constexpr int kDefaultTimeoutSecs = 30;
constexpr std::size_t kMaxResponseBytes = 1 << 20;

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

ToolSpec http_spec() {
  return {"http_request",
          "Send an HTTP request. Returns status, headers and body (parsed when it is JSON).",
          {{"type", "object"},
           {"properties",
            {{"url", {{"type", "string"}, {"description", "Absolute http:// or https:// URL"}}},
             {"method",
              {{"type", "string"},
               {"enum", {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}},
               {"description", "Default GET"}}},
             {"headers",
              {{"type", "object"},
               {"additionalProperties", {{"type", "string"}}},
               {"description", "Request headers"}}},
             {"body", {{"type", "string"}, {"description", "Request body as text"}}},
             {"json", {{"description", "Request body as JSON (instead of body)"}}},
             {"timeout_secs",
              {{"type", "integer"},
               {"minimum", 1},
               {"maximum", 300},
               {"description", "Seconds to wait (default 30)"}}},
             {"follow_redirects",
              {{"type", "boolean"}, {"description", "Follow redirects (default true)"}}}}},
           {"required", {"url"}}}};
}

const char* status_text(int status) {
  static const std::map<int, const char*> kTexts = {{200, "OK"},
                                                    {201, "Created"},
                                                    {202, "Accepted"},
                                                    {204, "No Content"},
                                                    {301, "Moved Permanently"},
                                                    {302, "Found"},
                                                    {304, "Not Modified"},
                                                    {307, "Temporary Redirect"},
                                                    {308, "Permanent Redirect"},
                                                    {400, "Bad Request"},
                                                    {401, "Unauthorized"},
                                                    {403, "Forbidden"},
                                                    {404, "Not Found"},
                                                    {405, "Method Not Allowed"},
                                                    {409, "Conflict"},
                                                    {422, "Unprocessable Entity"},
                                                    {429, "Too Many Requests"},
                                                    {500, "Internal Server Error"},
                                                    {502, "Bad Gateway"},
                                                    {503, "Service Unavailable"},
                                                    {504, "Gateway Timeout"}};
  const auto it = kTexts.find(status);
  return it == kTexts.end() ? "" : it->second;
}

// Why the request may not be sent as asked, or "".
std::string request_problem(const Json& arguments, const std::vector<std::string>& allowed) {
  const std::string url = lower(arguments["url"].get<std::string>().substr(0, 8));
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return "only http:// and https:// URLs are allowed";
  }
  const std::string method = arguments.value("method", std::string("GET"));
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), method) == allowed.end()) {
    std::string list;
    for (const auto& m : allowed) list += (list.empty() ? "" : ", ") + m;
    return "this agent's http_request allows only " + list;
  }
  if (arguments.contains("body") && arguments.contains("json")) {
    return "give body or json, not both";
  }
  const Json headers = arguments.value("headers", Json::object());
  for (const auto& [name, value] : headers.items()) {
    if (!value.is_string()) return "header \"" + name + "\" must be a string";
  }
  return "";
}

HttpRequest request_of(const Json& arguments) {
  HttpRequest request;
  request.url = arguments["url"].get<std::string>();
  request.method = arguments.value("method", std::string("GET"));
  const Json headers = arguments.value("headers", Json::object());
  for (const auto& [name, value] : headers.items()) {
    request.headers[name] = value.get<std::string>();
  }
  request.body = arguments.value("body", std::string());
  if (arguments.contains("json")) {
    request.body = arguments["json"].dump(-1, ' ', false, Json::error_handler_t::replace);
    const bool typed = std::any_of(request.headers.begin(), request.headers.end(),
                                   [](const auto& h) { return lower(h.first) == "content-type"; });
    if (!typed) request.headers["Content-Type"] = "application/json";
  }
  request.follow_redirects = arguments.value("follow_redirects", true);
  request.max_response_bytes = kMaxResponseBytes;
  return request;
}

Json body_value(std::string body) {
  if (!body.empty() && ingest::json_nesting_depth(body) <= ingest::kMaxJsonDepth) {
    Json parsed = Json::parse(body, nullptr, false);
    if (!parsed.is_discarded()) return parsed;
  }
  return event::replace_invalid_utf8(std::move(body));
}

std::string transport_failure(const HttpRequest& request, const Error& error) {
  if (error.code() == ErrorCode::kResourceExhausted) {
    return "the response body is larger than 1 MiB; ask for less (a filter, a page, a range)";
  }
  return request.method + " " + request.url + " failed (" + to_string(error.code()) +
         "): " + error.message();
}

// Every method but GET and HEAD may change something at the far end.
bool method_changes(const std::string& method) { return method != "GET" && method != "HEAD"; }

ToolResult send(const HttpClient& client, const HttpToolOptions& options, const Json& arguments,
                const ToolCallContext& context) {
  if (const auto problem = request_problem(arguments, options.allowed_methods); !problem.empty()) {
    return failure(problem);
  }
  HttpRequest request = request_of(arguments);
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      context.deadline - std::chrono::system_clock::now());
  if (left <= std::chrono::milliseconds(0)) {
    return failure("the run's deadline has passed; the request was not sent");
  }
  if (context.cancelled != nullptr && context.cancelled->load()) {
    return failure("the run was cancelled (the worker is shutting down); not sent");
  }
  request.timeout = std::min<std::chrono::milliseconds>(
      std::chrono::seconds(arguments.value("timeout_secs", kDefaultTimeoutSecs)), left);
  const bool changes = method_changes(request.method);
  const auto start = std::chrono::steady_clock::now();
  auto response = client.send(request);
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  if (!response.ok()) return failure(transport_failure(request, response.error()), changes);
  ToolResult result;
  result.success = true;
  result.changed_something = changes;
  result.data = {{"status", response->status},    {"status_text", status_text(response->status)},
                 {"headers", response->headers},  {"body", body_value(std::move(response->body))},
                 {"elapsed_ms", elapsed.count()}, {"url", request.url}};
  return result;
}

}  // namespace

std::shared_ptr<const Tool> make_http_request_tool(const HttpClient& client,
                                                   HttpToolOptions options) {
  for (auto& method : options.allowed_methods) method = upper(method);
  return make_tool(
      http_spec(),
      [&client, options = std::move(options)](const Json& arguments,
                                              const ToolCallContext& context) {
        return send(client, options, arguments, context);
      },
      [](const Json& arguments) {
        return method_changes(arguments.value("method", std::string("GET")));
      });
}

}  // namespace aof::runtime::tools
