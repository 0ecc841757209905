// PagerDuty v3 through the ingress (issue 6 items 2, 5, 7): X-PagerDuty-Signature (a list of
// v1 signatures, any one of which may match) before anything is parsed, incident.triggered
// bound as AOF's examples write it, the incident's title as the text, the service_ids filter,
// event.id as the dedup key, pagey.ping answered.
#include <doctest/doctest.h>

#include "common/ingest/ingress.h"
#include "common/ingest/signature.h"
#include "tests/unit/ingest/ingest_test_support.h"

namespace aof::ingest {
namespace {

using nlohmann::json;
using testing::agent;
using testing::answer_reason;
using testing::answer_status;
using testing::fixture;
using testing::flow;
using testing::platform_trigger;
using testing::secret;

constexpr const char* kSecret = "pd-v3-signing-secret-8c1d";

std::string v1(const std::string& signing_secret, const std::string& body) {
  return "v1=" + hex_encode(hmac_sha256(signing_secret, body));
}

IngressRequest pagerduty_request(const std::string& body,
                                 const std::string& signing_secret = kSecret) {
  IngressRequest r = testing::webhook_request("pagerduty", body, "application/json");
  r.headers["user-agent"] = "PagerDuty-Webhook/V3.0";
  r.headers["x-webhook-id"] = "6a8d4f0a-9f3a-4a1c-8b8e-7d2f1e0c3b55";
  r.headers["x-webhook-subscription"] = "PY1OOZJ";
  if (!signing_secret.empty()) r.headers["x-pagerduty-signature"] = v1(signing_secret, body);
  return r;
}

// AOF's pagerduty.yaml: incident.triggered to a flow, service_ids as given.
TriggerSettings incidents(json service_ids = nullptr) {
  json config = json::object();
  if (!service_ids.is_null()) config["service_ids"] = std::move(service_ids);
  return platform_trigger("PagerDuty", "pagerduty-incidents",
                          {{"incident.triggered", flow("incident-flow")},
                           {"incident.acknowledged", agent("devops")},
                           {"diagnose", agent("diagnoser")}},
                          std::move(config));
}

IngressSettings pagerduty_settings(json service_ids = nullptr) {
  std::vector<TriggerSettings> triggers;
  triggers.push_back(incidents(std::move(service_ids)));
  return testing::platform_settings("pagerduty", {secret(kSecret)}, std::move(triggers));
}

using Harness = testing::IngressHarness;

}  // namespace

TEST_CASE("pagerduty: any v1 signature of the list verifies; tampered, missing or wrong refused") {
  Harness h(pagerduty_settings());
  const std::string body = fixture("pagerduty/incident_triggered.json");
  h.envelope(pagerduty_request(body));
  SUBCASE("a rotation: two signatures, only the second made with our secret") {
    IngressRequest r = pagerduty_request(body);
    r.headers["x-pagerduty-signature"] = v1("the-old-secret", body) + "," + v1(kSecret, body);
    h.envelope(r);
    r.headers["x-pagerduty-signature"] = v1("the-old-secret", body) + ", " + v1("older", body);
    CHECK(h.answer(r).status == 401);
  }
  SUBCASE("refusals") {
    IngressRequest tampered = pagerduty_request(body);
    tampered.body.replace(tampered.body.find("PF9KMXH"), 7, "PXXXXXX");
    CHECK(h.answer(tampered).status == 401);
    CHECK(h.answer(pagerduty_request(body, "")).status == 401);
    CHECK(h.answer(pagerduty_request(body, "pd-v3-signing-secret-8c1e")).status == 401);
  }
}

TEST_CASE("pagerduty: incident.triggered binds; the incident's title is the text") {
  Harness h(pagerduty_settings());
  const auto e = h.envelope(pagerduty_request(fixture("pagerduty/incident_triggered.json")));
  CHECK(e.platform == "pagerduty");
  CHECK(e.event == "incident");
  CHECK(e.action == "triggered");
  CHECK(e.trigger == "pagerduty-incidents");
  CHECK(e.target.kind == event::TargetKind::kAgentFlow);
  CHECK(e.target.name == "incident-flow");
  CHECK(e.text == "A little bump in the road");
  CHECK(e.channel_id == "PGR0VU2");
  CHECK(e.tenant == "PF9KMXH");
  CHECK(e.user == json{{"id", "PLH1HKV"}, {"username", "Tenex Engineer"}});
  CHECK(e.metadata["service_id"] == "PF9KMXH");
  CHECK(e.metadata["service_name"] == "API Service");
  CHECK(e.metadata["incident_id"] == "PGR0VU2");
  CHECK(e.metadata["incident_number"] == 2);
  CHECK(e.metadata["urgency"] == "high");
  CHECK(e.metadata["priority"] == "P1");
  CHECK(e.metadata["status"] == "triggered");
  CHECK(e.metadata["html_url"] == "https://acme.pagerduty.com/incidents/PGR0VU2");
  CHECK(e.headers.at("x-pagerduty-signature").starts_with("v1="));
}

TEST_CASE("pagerduty: \"<event>.<action>\" first, then the bare event; unbound is ignored") {
  json resolved = json::parse(fixture("pagerduty/incident_triggered.json"));
  resolved["event"]["event_type"] = "incident.resolved";
  Harness h(pagerduty_settings());
  CHECK(answer_reason(h.answer(pagerduty_request(resolved.dump()))) ==
        "no binding for incident.resolved");
  std::vector<TriggerSettings> triggers;
  triggers.push_back(
      platform_trigger("PagerDuty", "all",
                       {{"incident", agent("any")}, {"incident.resolved", agent("postmortem")}}));
  Harness any(testing::platform_settings("pagerduty", {secret(kSecret)}, std::move(triggers)));
  CHECK(any.envelope(pagerduty_request(resolved.dump())).target.name == "postmortem");
  CHECK(any.envelope(pagerduty_request(fixture("pagerduty/incident_triggered.json"))).target.name ==
        "any");
}

TEST_CASE("pagerduty: a trigger's service_ids filter metadata.service_id") {
  const std::string body = fixture("pagerduty/incident_triggered.json");
  Harness listed(pagerduty_settings(json{"PF9KMXH"}));
  CHECK(listed.envelope(pagerduty_request(body)).trigger == "pagerduty-incidents");
  Harness other(pagerduty_settings(json{"PXXXXXX", "PYYYYYY"}));
  const auto answer = other.answer(pagerduty_request(body));
  CHECK(answer_status(answer) == "ignored");
  CHECK(answer_reason(answer) == "trigger pagerduty-incidents: service_ids does not list PF9KMXH");
}

TEST_CASE("pagerduty: event.id is the dedup key: a redelivery is the same key") {
  Harness h(pagerduty_settings());
  const IngressRequest r = pagerduty_request(fixture("pagerduty/incident_triggered.json"));
  const auto first = h.envelope(r);
  CHECK(first.delivery_id == "01DEN3LMS8D2MRTVBMLVD2E8PC");
  CHECK(first.dedup_key == "pagerduty:01DEN3LMS8D2MRTVBMLVD2E8PC");
  CHECK(h.envelope(r).dedup_key == first.dedup_key);
}

TEST_CASE("pagerduty: pagey.ping is answered 200 once verified, and never queued") {
  Harness h(pagerduty_settings());
  const std::string ping = fixture("pagerduty/pagey_ping.json");
  const auto answer = h.answer(pagerduty_request(ping));
  CHECK(answer.status == 200);
  CHECK(answer_status(answer) == "pong");
  CHECK(h.answer(pagerduty_request(ping, "")).status == 401);
}

TEST_CASE("pagerduty: an incident note starting with /diagnose binds /diagnose") {
  Harness h(pagerduty_settings(json{"PF9KMXH"}));
  const json annotated = {
      {"event",
       {{"id", "01DEN3SE2E4SF8WBNQMAXVW0XB"},
        {"event_type", "incident.annotated"},
        {"resource_type", "incident"},
        {"occurred_at", "2020-04-09T15:20:01.000Z"},
        {"agent", {{"id", "PLH1HKV"}, {"summary", "Tenex Engineer"}, {"type", "user_reference"}}},
        {"data",
         {{"incident",
           {{"id", "PGR0VU2"},
            {"summary", "A little bump in the road"},
            {"type", "incident_reference"}}},
          {"id", "PWL7QXS"},
          {"content", "/diagnose api latency"},
          {"trimmed", false},
          {"type", "incident_note"}}}}}};
  const auto answer = h.answer(pagerduty_request(annotated.dump()));
  // An annotation names no service: service_ids cannot admit it.
  CHECK(answer_reason(answer) == "trigger pagerduty-incidents: service_ids does not list ");
  Harness open(pagerduty_settings());
  const auto e = open.envelope(pagerduty_request(annotated.dump()));
  CHECK(e.target.name == "diagnoser");
  CHECK(e.text == "api latency");
  CHECK(e.channel_id == "PGR0VU2");
}

TEST_CASE("pagerduty: malformed bodies are 400 once the signature verified") {
  Harness h(pagerduty_settings());
  CHECK(answer_reason(h.answer(pagerduty_request(R"({"messages":[]})"))) ==
        "pagerduty payload without an event object");
  CHECK(answer_reason(
            h.answer(pagerduty_request(R"({"event":{"event_type":"incident.triggered"}})"))) ==
        "pagerduty event without an id");
  CHECK(answer_reason(
            h.answer(pagerduty_request(R"({"event":{"id":"X","event_type":"incident"}})"))) ==
        "pagerduty event_type is not <resource>.<action>");
  CHECK(h.answer(pagerduty_request("not json")).status == 400);
}

}  // namespace aof::ingest
