#include "common/runtime/flow/service_nodes.h"

#include <algorithm>
#include <chrono>

#include "common/base/http_client.h"
#include "common/runtime/flow/template.h"

namespace aof::runtime::flow {
namespace {

using Json = nlohmann::json;

constexpr std::chrono::milliseconds kMaxHttpTimeout{60000};
const char* const kMethods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"};

Result<std::string> expand(const std::string& text, const NodeRun& run, const char* field) {
  auto expanded = expand_template(text, run.state);
  if (!expanded.ok()) return expanded.error().with_context(field);
  return expanded;
}

Error cannot(const std::string& why) { return Error(ErrorCode::kInvalidArgument, why); }

std::chrono::milliseconds time_left(const NodeRun& run) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      run.deadline - std::chrono::system_clock::now());
  return std::clamp(left, std::chrono::milliseconds(1), kMaxHttpTimeout);
}

Json response_body(const HttpResponse& response) {
  const auto type = response.headers.find("content-type");
  if (type != response.headers.end() && type->second.find("json") != std::string::npos) {
    Json parsed = Json::parse(response.body, nullptr, false);
    if (!parsed.is_discarded()) return parsed;
  }
  return response.body;
}

}  // namespace

Result<Json> run_agent_node(const NodeRun& run) {
  const auto& config = run.node.config;
  auto input = expand(config.input.value_or(""), run, "input");
  if (!input.ok()) return input.error();
  // The loader resolved the order (resources.h NodeConfig): inline, the name, agentConfig.
  const auto* defined = config.inline_agent                          ? &*config.inline_agent
                        : config.agent.empty() && config.legacy_agent ? &*config.legacy_agent
                                                                      : nullptr;
  std::string name = config.agent;
  Result<Json> result = cannot("config names no agent (agent, inline or agentConfig)");
  if (defined != nullptr) {
    if (!run.options.run_agent_definition) {
      return cannot("this executor runs no flow-defined agents");
    }
    name = defined->name;
    result = run.options.run_agent_definition(*defined, *input, run.deadline);
  } else if (!name.empty()) {
    if (!run.options.run_agent) return cannot("this executor runs no agents");
    result = run.options.run_agent(name, *input, run.deadline);
  }
  if (!result.ok()) return result.error();
  const Json usage = result->value("usage", Json::object());
  return Json{{"agent", name},
              {"input", *input},
              {"output", result->value("output", "")},
              {"input_tokens", usage.value("input_tokens", 0)},
              {"output_tokens", usage.value("output_tokens", 0)},
              {"iterations", result->value("iterations", 0)},
              {"requires_approval", false}};
}

Result<Json> run_fleet_node(const NodeRun& run) {
  const auto& config = run.node.config;
  if (!run.options.run_fleet) return cannot("this executor runs no fleets");
  if (config.fleet.empty()) return cannot("config.fleet names no fleet");
  auto input = expand(config.input.value_or(""), run, "input");
  if (!input.ok()) return input.error();
  auto result = run.options.run_fleet(config.fleet, *input, run.deadline);
  if (!result.ok()) return result.error();
  Json out = result->is_object() ? *result : Json{{"result", *result}};
  if (!out.contains("output") || !out["output"].is_string()) {
    const auto response = out.find("response");
    out["output"] = response != out.end() && response->is_string() ? response->get<std::string>()
                                                                   : result->dump();
  }
  out["fleet"] = config.fleet;
  out["input"] = *input;
  return out;
}

Result<Json> run_http_node(const NodeRun& run) {
  const auto& config = run.node.config;
  if (run.options.http == nullptr) return cannot("this executor has no HTTP client");
  HttpRequest request;
  request.method = config.method.empty() ? "GET" : config.method;
  std::transform(request.method.begin(), request.method.end(), request.method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (std::find(std::begin(kMethods), std::end(kMethods), request.method) == std::end(kMethods)) {
    return cannot("method " + request.method + " is not one of GET POST PUT PATCH DELETE HEAD");
  }
  auto url = expand(config.url, run, "url");
  if (!url.ok()) return url.error();
  if (!url->starts_with("http://") && !url->starts_with("https://")) {
    return cannot("url must start with http:// or https://");
  }
  request.url = *url;
  for (const auto& [name, value] : config.headers) {
    auto expanded = expand(value, run, "headers");
    if (!expanded.ok()) return expanded.error();
    request.headers[name] = *expanded;
  }
  if (config.body.is_string()) {
    auto body = expand(config.body.get<std::string>(), run, "body");
    if (!body.ok()) return body.error();
    request.body = std::move(*body);
  } else if (!config.body.is_null()) {
    // Structured: each string expanded in place, so inserted text is JSON-escaped.
    auto body = expand_json(config.body, run.state);
    if (!body.ok()) return body.error().with_context("body");
    request.body = body->dump();
    if (!request.headers.count("Content-Type")) {
      request.headers["Content-Type"] = "application/json";
    }
  }
  request.timeout = time_left(run);
  auto response = run.options.http->send(request);
  if (!response.ok()) return response.error().with_context(request.method + " " + request.url);
  return Json{{"status", response->status},
              {"headers", response->headers},
              {"body", response_body(*response)},
              {"url", request.url},
              {"method", request.method}};
}

}  // namespace aof::runtime::flow
