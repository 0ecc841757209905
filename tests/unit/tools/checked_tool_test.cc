// make_tool's boundary: arguments checked against the spec's schema, exceptions caught, time
// measured.
#include <stdexcept>

#include "tests/unit/tools/tools_test_util.h"

namespace aof::runtime::tools {
namespace {

ToolSpec spec() {
  return {"probe",
          "",
          {{"type", "object"},
           {"properties",
            {{"command", {{"type", "string"}}},
             {"timeout_secs", {{"type", "integer"}, {"minimum", 1}, {"maximum", 3600}}},
             {"recursive", {{"type", "boolean"}}},
             {"method", {{"type", "string"}, {"enum", {"GET", "POST"}}}},
             {"headers", {{"type", "object"}}},
             {"json", Json::object()}}},
           {"required", {"command"}}}};
}

std::string refusal(const Json& arguments) {
  auto checked = check_arguments(spec(), arguments);
  REQUIRE_FALSE(checked.ok());
  return checked.error().message();
}

TEST_CASE("arguments that fit the schema pass, nulls dropped and 30.0 made an integer") {
  auto checked = check_arguments(
      spec(), {{"command", "ls"}, {"timeout_secs", 30.0}, {"recursive", nullptr}, {"json", {1}}});
  REQUIRE(checked.ok());
  CHECK(*checked == Json{{"command", "ls"}, {"timeout_secs", 30}, {"json", {1}}});
  CHECK((*checked)["timeout_secs"].is_number_integer());
}

TEST_CASE("each broken rule is named with the argument") {
  CHECK(refusal(Json::object()) == "missing required argument \"command\"");
  CHECK(refusal(nullptr) == "missing required argument \"command\"");
  CHECK(refusal({{"command", nullptr}}) == "missing required argument \"command\"");
  CHECK(refusal(Json::array()) == "arguments must be a JSON object, got []");
  CHECK(refusal({{"command", "ls"}, {"timeout", 5}}) ==
        "unknown argument \"timeout\"; probe takes command, headers, json, method, recursive, "
        "timeout_secs");
  CHECK(refusal({{"command", 5}}) == "argument \"command\" must be a string, got 5");
  CHECK(refusal({{"command", "ls"}, {"timeout_secs", "30"}}) ==
        "argument \"timeout_secs\" must be an integer, got \"30\"");
  CHECK(refusal({{"command", "ls"}, {"timeout_secs", 2.5}}) ==
        "argument \"timeout_secs\" must be an integer, got 2.5");
  CHECK(refusal({{"command", "ls"}, {"timeout_secs", 0}}) ==
        "argument \"timeout_secs\" must be >= 1, got 0");
  CHECK(refusal({{"command", "ls"}, {"timeout_secs", 3601}}) ==
        "argument \"timeout_secs\" must be <= 3600, got 3601");
  CHECK(refusal({{"command", "ls"}, {"recursive", "yes"}}) ==
        "argument \"recursive\" must be a boolean, got \"yes\"");
  CHECK(refusal({{"command", "ls"}, {"method", "get"}}) ==
        "argument \"method\" must be one of \"GET\", \"POST\", got \"get\"");
  CHECK(refusal({{"command", "ls"}, {"headers", "x"}}) ==
        "argument \"headers\" must be an object, got \"x\"");
  CHECK(refusal({{"command", std::string(100, 'x')}, {"timeout_secs", "y"}}) ==
        "argument \"timeout_secs\" must be an integer, got \"y\"");
}

TEST_CASE("a call with bad arguments fails without running; one that throws becomes an error") {
  bool ran = false;
  auto tool = make_tool(spec(), [&](const Json&, const ToolCallContext&) -> ToolResult {
    ran = true;
    throw std::runtime_error("boom");
  });
  CHECK(tool->call({{"nope", 1}}, {}).error.find("unknown argument") == 0);
  CHECK_FALSE(ran);
  const ToolResult thrown = tool->call({{"command", "x"}}, {});
  CHECK(ran);
  CHECK_FALSE(thrown.success);
  CHECK(thrown.error == "probe failed unexpectedly: boom");
  CHECK(thrown.execution_time_ms >= 0);
}

}  // namespace
}  // namespace aof::runtime::tools
