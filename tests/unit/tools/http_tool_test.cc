// http_request through a fake HttpClient: what is sent, what the model reads back, refusals,
// transport errors, the deadline.
#include "common/runtime/tools/http_tool.h"

#include <mutex>

#include "tests/unit/tools/tools_test_util.h"

namespace aof::runtime::tools {
namespace {

using testing::error_of;

// Records each request and answers with `response` (or `error` when set).
class FakeHttpClient final : public HttpClient {
 public:
  HttpResponse response{200, {{"content-type", "application/json"}}, R"({"ok":true})"};
  std::optional<Error> error;

  Result<HttpResponse> send(const HttpRequest& request) const override {
    std::lock_guard lock(mu_);
    sent_.push_back(request);
    if (error) return *error;
    return response;
  }
  std::vector<HttpRequest> sent() const {
    std::lock_guard lock(mu_);
    return sent_;
  }

 private:
  mutable std::mutex mu_;
  mutable std::vector<HttpRequest> sent_;  // guarded by mu_
};

ToolResult call(const Tool& tool, const Json& arguments, ToolCallContext context = {}) {
  return tool.call(arguments, context);
}

TEST_CASE("a GET returns status, headers, parsed JSON body and changes nothing") {
  FakeHttpClient client;
  const auto tool = make_http_request_tool(client);
  const ToolResult result = call(*tool, {{"url", "https://api.example.com/v1/x"}});
  REQUIRE(result.success);
  CHECK_FALSE(result.changed_something);
  CHECK(result.data["status"] == 200);
  CHECK(result.data["status_text"] == "OK");
  CHECK(result.data["headers"] == Json{{"content-type", "application/json"}});
  CHECK(result.data["body"] == Json{{"ok", true}});
  CHECK(result.data["url"] == "https://api.example.com/v1/x");
  CHECK(result.data["elapsed_ms"].is_number_integer());
  REQUIRE(client.sent().size() == 1);
  const HttpRequest sent = client.sent().at(0);
  CHECK(sent.method == "GET");
  CHECK(sent.timeout == std::chrono::seconds(30));
  CHECK(sent.follow_redirects);
  CHECK(sent.max_response_bytes == 1u << 20);
}

TEST_CASE("json is sent as JSON with its content type; any status is a result; POST changes") {
  FakeHttpClient client;
  client.response = {503, {}, "upstream down"};
  const auto tool = make_http_request_tool(client);
  const ToolResult result = call(*tool, {{"url", "http://svc/hook"},
                                         {"method", "POST"},
                                         {"json", {{"a", 1}}},
                                         {"headers", {{"X-Token", "t"}}},
                                         {"timeout_secs", 5},
                                         {"follow_redirects", false}});
  REQUIRE(result.success);
  CHECK(result.changed_something);
  CHECK(result.data["status"] == 503);
  CHECK(result.data["status_text"] == "Service Unavailable");
  CHECK(result.data["body"] == "upstream down");
  const HttpRequest sent = client.sent().at(0);
  CHECK(sent.body == R"({"a":1})");
  CHECK(sent.headers ==
        std::map<std::string, std::string>{{"Content-Type", "application/json"}, {"X-Token", "t"}});
  CHECK(sent.timeout == std::chrono::seconds(5));
  CHECK_FALSE(sent.follow_redirects);
}

TEST_CASE("requests that must not be sent are refused before the client sees them") {
  FakeHttpClient client;
  const auto tool = make_http_request_tool(client, {{"get", "head"}});
  CHECK(error_of(call(*tool, {{"url", "file:///etc/passwd"}})) ==
        "only http:// and https:// URLs are allowed");
  CHECK(error_of(call(*tool, {{"url", "ftp://x"}})) ==
        "only http:// and https:// URLs are allowed");
  CHECK(error_of(call(*tool, {{"url", "http://x"}, {"method", "DELETE"}})) ==
        "this agent's http_request allows only GET, HEAD");
  CHECK(error_of(call(*tool, {{"url", "http://x"}, {"body", "a"}, {"json", 1}})) ==
        "give body or json, not both");
  CHECK(error_of(call(*tool, {{"url", "http://x"}, {"headers", {{"X-N", 1}}}})) ==
        "header \"X-N\" must be a string");
  CHECK(error_of(call(*tool, {{"url", "http://x"}, {"method", "FETCH"}}))
            .find("argument \"method\" must be one of") == 0);
  CHECK(error_of(call(*tool, Json::object())) == "missing required argument \"url\"");
  CHECK(client.sent().empty());
  CHECK(call(*tool, {{"url", "HTTPS://x"}, {"method", "HEAD"}}).success);
}

TEST_CASE("transport errors are failed calls in words; a big body says to ask for less") {
  FakeHttpClient client;
  const auto tool = make_http_request_tool(client);
  client.error = Error(ErrorCode::kUnavailable, "connection refused");
  const ToolResult refused = call(*tool, {{"url", "http://127.0.0.1:1/"}, {"method", "PUT"}});
  CHECK(error_of(refused) == "PUT http://127.0.0.1:1/ failed (unavailable): connection refused");
  CHECK(refused.changed_something);  // a PUT that failed midway may have been done
  client.error = Error(ErrorCode::kResourceExhausted, "body over limit");
  CHECK(error_of(call(*tool, {{"url", "http://x/big"}})) ==
        "the response body is larger than 1 MiB; ask for less (a filter, a page, a range)");
}

TEST_CASE("the run's deadline shortens the timeout, or keeps the request from being sent") {
  FakeHttpClient client;
  const auto tool = make_http_request_tool(client);
  ToolCallContext context;
  context.deadline = std::chrono::system_clock::now() + std::chrono::seconds(2);
  CHECK(call(*tool, {{"url", "http://x"}}, context).success);
  CHECK(client.sent().at(0).timeout <= std::chrono::seconds(2));
  context.deadline = std::chrono::system_clock::now() - std::chrono::seconds(1);
  CHECK(error_of(call(*tool, {{"url", "http://x"}}, context)) ==
        "the run's deadline has passed; the request was not sent");
  CHECK(client.sent().size() == 1);
}

TEST_CASE("a body that is not JSON, or too deeply nested to parse safely, comes back as text") {
  FakeHttpClient client;
  const auto tool = make_http_request_tool(client);
  client.response.body = "plain \xff";
  CHECK(call(*tool, {{"url", "http://x"}}).data["body"] == "plain \xEF\xBF\xBD");
  client.response.body = std::string(100, '[') + std::string(100, ']');
  CHECK(call(*tool, {{"url", "http://x"}}).data["body"] == client.response.body);
}

}  // namespace
TEST_CASE("journal: GET and HEAD have no outside effect; every other method has") {
  FakeHttpClient client;
  const auto tool = make_http_request_tool(client);
  CHECK_FALSE(tool->has_outside_effect({{"url", "https://api.example.com/x"}}));
  CHECK_FALSE(tool->has_outside_effect({{"url", "https://api.example.com/x"}, {"method", "HEAD"}}));
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
    CHECK(tool->has_outside_effect({{"url", "https://api.example.com/x"}, {"method", method}}));
  }
  CHECK_FALSE(tool->has_outside_effect({{"url", "https://x"}, {"method", "BREW"}}));  // refused
  CHECK(client.sent().empty());
}

}  // namespace aof::runtime::tools
