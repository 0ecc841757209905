#include "common/runtime/flow/template.h"

#include <doctest/doctest.h>

#include <cstdlib>

namespace aof::runtime::flow {
namespace {

using Json = nlohmann::json;

FlowState make_state() {
  FlowState state(Json{{"event",
                        {{"text", "hi there"},
                         {"metadata", {{"pr_number", 42}, {"draft", false}, {"none", nullptr}}},
                         {"labels", {"bug", "ui"}}}},
                       {"platform", "github"},
                       {"text", "top-level text"}});
  state.set_node_output(
      "clip", Json{{"exit_code", 0},
                   {"stdout", "raw"},
                   {"output", {{"version", "1.2"}, {"items", {10, 20}}, {"stdout", "parsed"}}}});
  state.set_node_output("plain", Json{{"output", "just text"}});
  state.set_result("check", true);
  state.set_export("TAG", "v1");
  return state;
}

std::string expand(const std::string& text, const FlowState& state = make_state()) {
  auto result = expand_template(text, state);
  REQUIRE(result.ok());
  return *result;
}

TEST_CASE("event paths look inside the event member first, then the top level") {
  CHECK(expand("${event.text}") == "hi there");
  CHECK(expand("PR #${event.metadata.pr_number}!") == "PR #42!");
  CHECK(expand("${event.platform}") == "github");
  CHECK(expand("${trigger.text}") == "top-level text");
  CHECK(expand("${trigger.event.text}") == "hi there");
}

TEST_CASE("whole variables insert compact JSON, strings insert raw") {
  const auto state = make_state();
  CHECK(expand("${event}", state) == state.trigger_data().dump());
  CHECK(expand("${trigger}", state) == state.trigger_data().dump());
  CHECK(expand("${event.metadata}") == R"({"draft":false,"none":null,"pr_number":42})");
  CHECK(expand("${event.labels}") == R"(["bug","ui"])");
  CHECK(expand("${event.metadata.draft}/${event.metadata.none}") == "false/null");
  CHECK(expand("${check.result}") == "true");
  CHECK(expand("${TAG}") == "v1");
}

TEST_CASE("node output paths: the object first, then its parsed output") {
  CHECK(expand("${clip.output.stdout}") == "raw");
  CHECK(expand("${clip.output.exit_code}") == "0");
  CHECK(expand("${clip.output.version}") == "1.2");
  CHECK(expand("${clip.output.output.stdout}") == "parsed");
  CHECK(expand("${clip.output.items.1}") == "20");
  CHECK(expand("${clip.output.output.items.0}") == "10");
  CHECK(expand("${plain.output.output}") == "just text");
  CHECK(expand("${clip.output}") == make_state().node_output("clip")->dump());
}

TEST_CASE("unresolved references stay literally") {
  for (const char* text :
       {"${nope}", "${event.missing}", "${clip.output.items.9}", "${clip.output.items.x}",
        "${clip.output.version.deeper}", "${other.output}", "${event..text}", "${ event.text }",
        "${}", "${lower_case_env_path}", "${AOF_FLOW_TEST_SURELY_UNSET_9}"}) {
    CAPTURE(text);
    CHECK(expand(text) == text);
  }
}

TEST_CASE("upper-case names fall back to the process environment") {
  const char* path = std::getenv("PATH");
  REQUIRE(path != nullptr);
  CHECK(expand("${PATH}") == path);
  FlowState state(Json::object());
  state.set_export("PATH", "shadowed");
  CHECK(expand("${PATH}", state) == "shadowed");
}

TEST_CASE("malformed openers stay text and later references still expand") {
  CHECK(expand("${event.text") == "${event.text");
  CHECK(expand("${a ${event.text}") == "${a hi there");
  CHECK(expand("$event.text and $${TAG}") == "$event.text and $v1");
  CHECK(expand("") == "");
}

TEST_CASE("expansion is one pass: inserted text is not expanded again") {
  FlowState state(Json{{"event", {{"text", "${PATH} and ${event.text}"}}}});
  CHECK(expand("${event.text}", state) == "${PATH} and ${event.text}");
}

TEST_CASE("an exported name with dots resolves exactly before path walking") {
  FlowState state(Json{{"event", {{"x", "from event"}}}});
  state.set_export("event.x", "exported");
  CHECK(expand("${event.x}", state) == "exported");
}

TEST_CASE("invalid UTF-8 in trigger data does not throw when inserted as JSON") {
  FlowState state(Json{{"event", {{"text", std::string("bad \xff byte")}}}});
  CHECK(expand("${event.text}", state) == "bad \xff byte");
  CHECK(expand("${event}", state).find("bad") != std::string::npos);
}

TEST_CASE("expansion beyond the cap is an error") {
  const auto state = make_state();
  auto result = expand_template("${event.text}${event.text}", state, 10);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == ErrorCode::kInvalidArgument);
  CHECK(expand_template("0123456789", state, 10).ok());
  CHECK_FALSE(expand_template("0123456789A", state, 10).ok());
}

TEST_CASE("${context.*} is the flow's spec.context as written; without one it stays literal") {
  auto state = make_state();
  CHECK(expand("-n ${context.namespace}", state) == "-n ${context.namespace}");
  state.set_context(Json{{"namespace", "shop"}, {"env", {{"REGION", "eu"}}}});
  CHECK(expand("-n ${context.namespace} in ${context.env.REGION}", state) == "-n shop in eu");
}

TEST_CASE("expand_json expands every string in place and keeps a lone reference's type") {
  const auto state = make_state();
  const Json args = {{"pr", "${event.metadata.pr_number}"},
                     {"labels", "${event.labels}"},
                     {"title", "PR ${event.metadata.pr_number}: ${event.text}"},
                     {"nested", {{"list", {"${check.result}", "${nope}", 3}}}},
                     {"${event.text}", "keys stay"}};
  auto expanded = expand_json(args, state);
  REQUIRE(expanded.ok());
  CHECK(*expanded == Json{{"pr", 42},
                          {"labels", {"bug", "ui"}},
                          {"title", "PR 42: hi there"},
                          {"nested", {{"list", {true, "${nope}", 3}}}},
                          {"${event.text}", "keys stay"}});
  // Inserted text with quotes stays inside its JSON string.
  FlowState quoting(Json{{"text", "say \"hi\""}});
  auto body = expand_json(Json{{"msg", "<${event.text}>"}}, quoting);
  REQUIRE(body.ok());
  CHECK(Json::parse(body->dump())["msg"] == "<say \"hi\">");
  auto too_big = expand_json(Json{{"a", {{"b", "${event.text}${event.text}"}}}}, state, 10);
  REQUIRE_FALSE(too_big.ok());
  CHECK(too_big.error().message() == "a: b: expanded template exceeds 10 bytes");
}

}  // namespace
}  // namespace aof::runtime::flow
