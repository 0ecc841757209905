#include <doctest/doctest.h>

#include "common/ingest/bounded_json.h"
#include "common/ingest/routing.h"
#include "tests/unit/ingest/ingest_test_support.h"

namespace aof::ingest {
namespace {

using event::TargetKind;
using nlohmann::json;
using testing::agent;
using testing::flow;
using testing::github_trigger;

GithubMessage message(const std::string& event, const std::string& fixture_name,
                      const std::string& action = "", const std::string& comment = "") {
  json payload = json::parse(testing::fixture(fixture_name));
  if (!action.empty()) payload["action"] = action;
  if (!comment.empty()) payload["comment"]["body"] = comment;
  Result<GithubMessage> m = normalize_github(event, payload);
  REQUIRE(m.ok());
  return std::move(m).value();
}

std::vector<const config::Trigger*> pointers(const std::vector<config::Trigger>& triggers) {
  std::vector<const config::Trigger*> out;
  for (const auto& t : triggers) out.push_back(&t);
  return out;
}

RouteResult route(const std::vector<config::Trigger>& triggers, const GithubMessage& m) {
  return route_github(pointers(triggers), m);
}

TEST_CASE("pull_request.opened binding routes to its flow with the message text") {
  const std::vector<config::Trigger> triggers = {
      github_trigger("gh-prs", {{"pull_request.opened", flow("pr-summary")}})};
  const GithubMessage m = message("pull_request", "pull_request_opened.json");
  const RouteResult r = route(triggers, m);
  REQUIRE(r.route.has_value());
  CHECK(r.route->trigger == "gh-prs");
  CHECK(r.route->binding == "pull_request.opened");
  CHECK(r.route->target.kind == TargetKind::kAgentFlow);
  CHECK(r.route->target.name == "pr-summary");
  CHECK(r.route->text == m.text);
}

TEST_CASE("a bare event binding catches every action") {
  const std::vector<config::Trigger> triggers = {
      github_trigger("gh", {{"push", agent("deployer")}, {"pull_request", flow("pr-any")}})};
  const RouteResult push = route(triggers, message("push", "push.json"));
  REQUIRE(push.route.has_value());
  CHECK(push.route->binding == "push");
  CHECK(push.route->target.kind == TargetKind::kAgent);
  const RouteResult sync =
      route(triggers, message("pull_request", "pull_request_opened.json", "synchronize"));
  REQUIRE(sync.route.has_value());
  CHECK(sync.route->binding == "pull_request");
  CHECK(sync.route->target.name == "pr-any");
}

TEST_CASE("event.action beats the bare event, across triggers") {
  const std::vector<config::Trigger> triggers = {
      github_trigger("a-broad", {{"pull_request", flow("pr-any")}}),
      github_trigger("b-narrow", {{"pull_request.opened", flow("pr-opened")}})};
  const RouteResult opened = route(triggers, message("pull_request", "pull_request_opened.json"));
  REQUIRE(opened.route.has_value());
  CHECK(opened.route->trigger == "b-narrow");
  const RouteResult closed =
      route(triggers, message("pull_request", "pull_request_opened.json", "closed"));
  REQUIRE(closed.route.has_value());
  CHECK(closed.route->trigger == "a-broad");
}

TEST_CASE("two triggers binding the same key: the first in name order wins") {
  const std::vector<config::Trigger> triggers = {
      github_trigger("alpha", {{"push", flow("first")}}),
      github_trigger("beta", {{"push", flow("second")}})};
  const RouteResult r = route(triggers, message("push", "push.json"));
  REQUIRE(r.route.has_value());
  CHECK(r.route->trigger == "alpha");
}

TEST_CASE("/summarize in an issue comment routes to the command with synthesised text") {
  const std::vector<config::Trigger> triggers = {
      github_trigger("gh", {{"summarize", agent("pr-helper")}})};
  const RouteResult r = route(triggers, message("issue_comment", "issue_comment_created.json"));
  REQUIRE(r.route.has_value());
  CHECK(r.route->binding == "summarize");
  CHECK(r.route->target.kind == TargetKind::kAgent);
  CHECK(r.route->target.name == "pr-helper");
  // No pr_html_url on an issue_comment: AOF falls back to the issue URL; the comment is a
  // command, so it is not "additional context".
  CHECK(r.route->text ==
        "Review the PR/issue at: https://github.com/acme-org/payments/pull/42\n"
        "Title: Retry card captures on gateway timeouts");
}

TEST_CASE("/summarize with arguments passes them as the command text") {
  const std::vector<config::Trigger> triggers = {
      github_trigger("gh", {{"summarize", agent("pr-helper")}})};
  const RouteResult r = route(triggers, message("issue_comment", "issue_comment_created.json", "",
                                                "/summarize  in French "));
  REQUIRE(r.route.has_value());
  CHECK(r.route->text == "in French");
}

TEST_CASE("issue_comment.created binding is looked up before the /command") {
  const std::vector<config::Trigger> triggers = {github_trigger(
      "gh", {{"summarize", agent("pr-helper")}, {"issue_comment.created", flow("comments")}})};
  const RouteResult r = route(triggers, message("issue_comment", "issue_comment_created.json"));
  REQUIRE(r.route.has_value());
  CHECK(r.route->binding == "issue_comment.created");
  CHECK(r.route->text == "/summarize");
}

TEST_CASE("an unknown /command and an unbound event are ignored, not sent to devops") {
  const std::vector<config::Trigger> triggers = {
      github_trigger("gh", {{"pull_request.opened", flow("pr-summary")}})};
  const RouteResult issue = route(triggers, message("issues", "issues_opened.json"));
  CHECK_FALSE(issue.route.has_value());
  CHECK(issue.ignored_reason == "no binding for issues.opened");
  const RouteResult push = route(triggers, message("push", "push.json"));
  CHECK(push.ignored_reason == "no binding for push");
  const RouteResult command =
      route(triggers, message("issue_comment", "issue_comment_created.json", "", "/deploy now"));
  CHECK(command.ignored_reason == "no binding for issue_comment.created");
}

TEST_CASE("a default binding with an agent catches what nothing else binds") {
  const std::vector<config::Trigger> triggers = {github_trigger(
      "gh", {{"pull_request.opened", flow("pr-summary")}, {"default", agent("triage")}})};
  const GithubMessage m = message("issues", "issues_opened.json");
  const RouteResult r = route(triggers, m);
  REQUIRE(r.route.has_value());
  CHECK(r.route->binding == "default");
  CHECK(r.route->target.kind == TargetKind::kAgent);
  CHECK(r.route->target.name == "triage");
  CHECK(r.route->text == m.text);
  const std::vector<config::Trigger> flow_default = {
      github_trigger("gh", {{"default", flow("not-an-agent")}})};
  CHECK_FALSE(route(flow_default, m).route.has_value());
}

TEST_CASE("target priority is flow, then fleet, then agent") {
  config::CommandBinding all;
  all.flow = "f";
  all.fleet = "fl";
  all.agent = "a";
  config::CommandBinding fleet_agent;
  fleet_agent.fleet = "fl";
  fleet_agent.agent = "a";
  const std::vector<config::Trigger> triggers = {
      github_trigger("gh", {{"push", all}, {"pull_request", fleet_agent}})};
  CHECK(route(triggers, message("push", "push.json")).route->target.kind == TargetKind::kAgentFlow);
  const RouteResult pr = route(triggers, message("pull_request", "pull_request_opened.json"));
  CHECK(pr.route->target.kind == TargetKind::kAgentFleet);
  CHECK(pr.route->target.name == "fl");
}

TEST_CASE("agent: builtin and bindings without a target are ignored with a reason") {
  config::CommandBinding empty;
  empty.description = "nothing to run";
  const std::vector<config::Trigger> triggers = {
      github_trigger("gh", {{"push", agent("builtin")}, {"pull_request", empty}})};
  CHECK(route(triggers, message("push", "push.json")).ignored_reason ==
        "builtin commands are not run by workers yet");
  CHECK(route(triggers, message("pull_request", "pull_request_opened.json")).ignored_reason ==
        "binding pull_request of trigger gh has no agent, fleet or flow");
}

TEST_CASE("a trigger's repositories limit what it receives") {
  const GithubMessage m = message("push", "push.json");
  const std::vector<config::Trigger> other_org = {
      github_trigger("other", {{"push", flow("x")}}, {"other-org/*"})};
  const RouteResult denied = route(other_org, m);
  CHECK_FALSE(denied.route.has_value());
  CHECK(denied.ignored_reason ==
        "repository acme-org/payments is not in trigger other's repositories");
  const std::vector<config::Trigger> both = {
      github_trigger("a-other", {{"push", flow("x")}}, {"other-org/*"}),
      github_trigger("b-acme", {{"push", flow("y")}}, {"acme-org/payments"})};
  REQUIRE(route(both, m).route.has_value());
  CHECK(route(both, m).route->trigger == "b-acme");
}

TEST_CASE("no candidate trigger is ignored") {
  CHECK(route({}, message("push", "push.json")).ignored_reason ==
        "no GitHub trigger accepts this delivery");
}

TEST_CASE("repository patterns: exact, owner/*, * and empty") {
  CHECK(repo_allowed({}, "acme-org/payments"));
  CHECK(repo_allowed({"*"}, "acme-org/payments"));
  CHECK(repo_allowed({"acme-org/payments"}, "acme-org/payments"));
  CHECK(repo_allowed({"x/y", "acme-org/*"}, "acme-org/payments"));
  CHECK_FALSE(repo_allowed({"acme-org/pay"}, "acme-org/payments"));
  CHECK_FALSE(repo_allowed({"acme/*"}, "acme-org/payments"));
  CHECK_FALSE(repo_allowed({"acme-org/*"}, "acme-org-evil/payments"));
  CHECK_FALSE(repo_allowed({"other/*"}, "acme-org/payments"));
}

TEST_CASE("synthesised command text follows AOF's lines") {
  CHECK(synthesize_command_text(json::object(), "deploy") == "Execute deploy command");
  const json pr = {{"pr_html_url", "https://github.com/o/r/pull/1"},
                   {"pr_title", "T"},
                   {"comment_body", "please look at the retry loop"}};
  CHECK(synthesize_command_text(pr, "review") ==
        "Review the PR at: https://github.com/o/r/pull/1\nTitle: T\n"
        "Additional context: please look at the retry loop");
}

}  // namespace
}  // namespace aof::ingest
