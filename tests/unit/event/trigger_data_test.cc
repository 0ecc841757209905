#include <doctest/doctest.h>

#include "common/event/envelope.h"

namespace aof::event {
namespace {

using nlohmann::json;

Envelope slack_message() {
  Envelope e;
  e.id = "01JDQ3Z6Y1M0000000000000AB";
  e.received_at = "2026-11-26T21:00:00.123Z";
  e.platform = "slack";
  e.delivery_id = "Ev123";
  e.target = {TargetKind::kAgentFlow, "deploy-flow"};
  e.text = "<@U0123ABC> deploy api to prod ";
  e.channel_id = "C42";
  e.thread_id = "1732654800.000100";
  e.user = {{"id", "U777"}, {"username", "ada"}, {"display_name", "Ada"}};
  e.metadata = {{"event_type", "app_mention"}, {"team_id", "T1"}};
  return e;
}

TEST_CASE("trigger data has AOF's shape plus event and delivery ids") {
  const json expected = {{"event",
                          {{"type", "message"},
                           {"text", "deploy api to prod"},
                           {"user", {{"id", "U777"}, {"username", "ada"}}},
                           {"channel_id", "C42"},
                           {"thread_id", "1732654800.000100"},
                           {"timestamp", "2026-11-26T21:00:00.123Z"},
                           {"metadata", {{"event_type", "app_mention"}, {"team_id", "T1"}}}}},
                         {"platform", "slack"},
                         {"flow_name", "deploy-flow"},
                         {"match_reason", "ExplicitDefault"},
                         {"match_score", 100},
                         {"event_id", "01JDQ3Z6Y1M0000000000000AB"},
                         {"delivery_id", "Ev123"}};
  CHECK(trigger_data(slack_message()) == expected);
}

TEST_CASE("text is cleaned as AOF cleans it: mentions out, trimmed") {
  Envelope e = slack_message();
  e.text = "  hi <@U1> and <@W2B>!  <@lower> <@> <@U9";
  CHECK(trigger_data(e)["event"]["text"] == "hi  and !  <@lower> <@> <@U9");
}

TEST_CASE("non-flow targets have an empty flow_name; an absent thread is null") {
  Envelope e = slack_message();
  e.target = {TargetKind::kAgent, "devops"};
  e.thread_id.clear();
  e.user = json::object();
  const json data = trigger_data(e);
  CHECK(data["flow_name"] == "");
  CHECK(data["event"]["thread_id"].is_null());
  CHECK(data["event"]["user"] == json{{"id", ""}, {"username", ""}});
}

TEST_CASE("target kinds have AOF's names") {
  CHECK(std::string(to_string(TargetKind::kAgent)) == "Agent");
  CHECK(std::string(to_string(TargetKind::kAgentFleet)) == "AgentFleet");
  CHECK(std::string(to_string(TargetKind::kAgentFlow)) == "AgentFlow");
}

}  // namespace
}  // namespace aof::event
