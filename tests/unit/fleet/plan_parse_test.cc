// Reading managers' and planners' answers: JSON in fences or prose, lenient key names, and
// what is left out said in notes.
#include <doctest/doctest.h>

#include "common/runtime/fleet/plan_parse.h"

namespace aof::runtime::fleet {

using Json = nlohmann::json;

TEST_CASE("extract_json: a json fence first, then any fence, then the first balanced value") {
  CHECK(extract_json("```\n{\"a\": 1}\n```\n```json\n{\"b\": 2}\n```") == Json{{"b", 2}});
  CHECK(extract_json("Sure:\n```\n[1, 2]\n```") == Json{1, 2});
  // Braces inside strings do not confuse the scan; a broken candidate is skipped.
  CHECK(extract_json(R"(I think {this} is it: {"task": "fix } and {", "n": [1]} done)") ==
        Json{{"task", "fix } and {"}, {"n", {1}}});
  CHECK_FALSE(extract_json("no JSON here").has_value());
  CHECK_FALSE(extract_json("{\"unterminated\": ").has_value());
  CHECK_FALSE(extract_json("42").has_value());  // a scalar is not a plan
}

TEST_CASE("parse_delegation: lenient keys, file order, unknown names noted, fallback") {
  const std::vector<std::string> workers = {"a", "b"};
  auto plan = parse_delegation(
      R"([{"worker": "b", "subtask": "two"}, {"name": "a", "input": "one"}, {"agent": "a"}])",
      workers, "original");
  CHECK_FALSE(plan.fallback);
  REQUIRE(plan.assignments.size() == 2);
  CHECK(plan.assignments[0].agent == "a");
  CHECK(plan.assignments[0].task == "one");
  CHECK(plan.assignments[1].agent == "b");
  CHECK(plan.notes ==
        std::vector<std::string>{"assignment 3 ignored: it needs an agent and a task"});

  auto twice =
      parse_delegation(R"({"plan": [{"agent": "b", "task": "x"}, {"agent": "b", "task": "y"}]})",
                       workers, "original");
  REQUIRE(twice.assignments.size() == 2);  // a worker may get several subtasks
  CHECK(twice.assignments[1].task == "y");

  auto none =
      parse_delegation(R"({"assignments": [{"agent": "zed", "task": "x"}]})", workers, "original");
  CHECK(none.fallback);
  CHECK(none.notes ==
        std::vector<std::string>{"assignment 1 ignored: \"zed\" is not one of the workers",
                                 "no usable delegation plan (no assignment names a worker): every "
                                 "worker got the original task"});
  REQUIRE(none.assignments.size() == 2);
  CHECK(none.assignments[1].task == "original");

  auto keyless = parse_delegation(R"({"thoughts": "hmm"})", workers, "original");
  CHECK(keyless.fallback);
  CHECK(keyless.notes.back().find("the JSON has no list of assignments") != std::string::npos);
}

TEST_CASE("parse_steps: strings or objects, flags, unknown agents lose their name") {
  auto plan = parse_steps(R"({"steps": ["look", {"step": "fix", "worker": "ghost"}, {"task": ""}],
                             "parallel": true})",
                          {"a"});
  CHECK(plan.parsed);
  CHECK(plan.parallel);
  CHECK_FALSE(plan.done);
  REQUIRE(plan.steps.size() == 2);
  CHECK(plan.steps[1].task == "fix");
  CHECK(plan.steps[1].agent.empty());
  CHECK(plan.notes == std::vector<std::string>{
                          "step 2: \"ghost\" is not a member; the next member in turn takes it",
                          "step 3 ignored: it has no task"});
  auto done = parse_steps("All good: {\"done\": true}", {"a"});
  CHECK(done.parsed);
  CHECK(done.done);
  CHECK_FALSE(parse_steps("nothing", {"a"}).parsed);
}

}  // namespace aof::runtime::fleet
