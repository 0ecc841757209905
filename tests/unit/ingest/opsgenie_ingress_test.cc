// Opsgenie through the ingress (issue 6 items 2, 5, 7): the configured token header before
// anything is parsed (and never kept), the action bound as Opsgenie spells it ("Create") and
// as alert.<action>, AOF's alert: texts, "/command" notes, and a dedup key that makes a
// retry a duplicate but keeps two actions on one alert apart.
#include <doctest/doctest.h>

#include "common/base/digest.h"
#include "common/ingest/ingress.h"
#include "tests/unit/ingest/ingest_test_support.h"

namespace aof::ingest {
namespace {

using nlohmann::json;
using testing::agent;
using testing::answer_reason;
using testing::answer_status;
using testing::fixture;
using testing::platform_trigger;
using testing::secret;

constexpr const char* kToken = "og-outgoing-token-5d2a";
constexpr const char* kAlertId = "8418d193-2dab-4490-b331-8c02cdd196b7-1617283624018";

IngressRequest opsgenie_request(const std::string& body,
                                const std::string& authorization = std::string("Bearer ") +
                                                                   kToken) {
  IngressRequest r = testing::webhook_request("opsgenie", body, "application/json");
  r.headers["user-agent"] = "Apache-HttpClient/4.5.13 (Java/11.0.14)";
  if (!authorization.empty()) r.headers["authorization"] = authorization;
  return r;
}

// AOF's opsgenie-alert.yaml: Create and AddNote, the notes' commands.
IngressSettings opsgenie_settings() {
  std::vector<TriggerSettings> triggers;
  triggers.push_back(platform_trigger(
      "Opsgenie", "opsgenie-production-alerts",
      {{"Create", agent("alert-analyzer")}, {"diagnose", agent("alert-analyzer")}}));
  return testing::platform_settings("opsgenie", {secret(kToken)}, std::move(triggers));
}

using Harness = testing::IngressHarness;

}  // namespace

TEST_CASE("opsgenie: the token header is required and compared exactly; it is never kept") {
  Harness h(opsgenie_settings());
  const std::string body = fixture("opsgenie/alert_create.json");
  const auto e = h.envelope(opsgenie_request(body));
  CHECK_FALSE(e.headers.count("authorization"));
  CHECK(h.answer(opsgenie_request(body, "")).status == 401);
  CHECK(h.answer(opsgenie_request(body, "Bearer og-outgoing-token-5d2b")).status == 401);
  CHECK(h.answer(opsgenie_request(body, kToken)).status == 401);  // without the prefix
  SUBCASE("the header and prefix platforms.opsgenie configures") {
    IngressSettings s = opsgenie_settings();
    s.platforms["opsgenie"].opsgenie = {"x-opsgenie-token", ""};
    Harness custom(s);
    IngressRequest r = opsgenie_request(body, "");
    r.headers["x-opsgenie-token"] = kToken;
    CHECK_FALSE(custom.envelope(r).headers.count("x-opsgenie-token"));
    CHECK(custom.answer(opsgenie_request(body)).status == 401);
  }
  SUBCASE("nothing is signed: a changed body with the right token passes (TLS protects it)") {
    json changed = json::parse(body);
    changed["alert"]["priority"] = "P5";
    CHECK(h.envelope(opsgenie_request(changed.dump())).metadata["priority"] == "P5");
  }
}

TEST_CASE("opsgenie: Create binds as Opsgenie spells it, with AOF's text") {
  Harness h(opsgenie_settings());
  const auto e = h.envelope(opsgenie_request(fixture("opsgenie/alert_create.json")));
  CHECK(e.platform == "opsgenie");
  CHECK(e.event == "alert");
  CHECK(e.action == "create");
  CHECK(e.trigger == "opsgenie-production-alerts");
  CHECK(e.target.name == "alert-analyzer");
  CHECK(e.text ==
        "alert:created:1791 db-prod-01: replication lag over 30s - Replica db-prod-02 is 42s "
        "behind its primary.");
  CHECK(e.channel_id == kAlertId);
  CHECK(e.tenant == "37c8f316-17c6-49d7-899b-9c7e540c048d");
  CHECK(e.user == json{{"id", "daed2b8f-9d5c-4e2e-a5a1-2b1d6e7c9f10"},
                       {"username", "prometheus@acme.example"}});
  CHECK(e.metadata["priority"] == "P1");
  CHECK(e.metadata["tags"] == json{"production", "database"});
  CHECK(e.metadata["tiny_id"] == "1791");
  CHECK(e.metadata["alert_id"] == kAlertId);
  CHECK(e.metadata["action"] == "Create");
}

TEST_CASE("opsgenie: the action as sent, then alert.<action>, then alert") {
  json close = json::parse(fixture("opsgenie/alert_create.json"));
  close["action"] = "Close";
  for (const char* key : {"Close", "alert.close", "alert"}) {
    CAPTURE(key);
    std::vector<TriggerSettings> triggers;
    triggers.push_back(platform_trigger("Opsgenie", "t", {{key, agent("closer")}}));
    Harness h(testing::platform_settings("opsgenie", {secret(kToken)}, std::move(triggers)));
    const auto e = h.envelope(opsgenie_request(close.dump()));
    CHECK(e.target.name == "closer");
    CHECK(e.text == "alert:closed:1791 db-prod-01: replication lag over 30s");
  }
  Harness h(opsgenie_settings());
  const auto answer = h.answer(opsgenie_request(close.dump()));
  CHECK(answer_status(answer) == "ignored");
  CHECK(answer_reason(answer) == "no binding for Close");
}

TEST_CASE("opsgenie: an AddNote starting with /diagnose binds /diagnose") {
  Harness h(opsgenie_settings());
  const auto e = h.envelope(opsgenie_request(fixture("opsgenie/alert_add_note.json")));
  CHECK(e.action == "addnote");
  CHECK(e.target.name == "alert-analyzer");
  CHECK(e.text == "replication");
  CHECK(e.metadata["note"] == "/diagnose replication");
  json plain = json::parse(fixture("opsgenie/alert_add_note.json"));
  plain["alert"]["note"] = "Failover started";
  CHECK(answer_reason(h.answer(opsgenie_request(plain.dump()))) == "no binding for AddNote");
}

TEST_CASE("opsgenie: the dedup key: a retry repeats it, two actions on one alert differ") {
  Harness h(opsgenie_settings());
  const std::string create = fixture("opsgenie/alert_create.json");
  const auto first = h.envelope(opsgenie_request(create));
  CHECK(first.delivery_id == std::string(kAlertId) + ":Create:1617283624018000000");
  CHECK(first.dedup_key == "opsgenie:" + first.delivery_id);
  CHECK(h.envelope(opsgenie_request(create)).dedup_key == first.dedup_key);  // a retry
  const auto note = h.envelope(opsgenie_request(fixture("opsgenie/alert_add_note.json")));
  CHECK(note.dedup_key != first.dedup_key);
  json second_note = json::parse(fixture("opsgenie/alert_add_note.json"));
  second_note["alert"]["updatedAt"] = 1617283799001000000;
  CHECK(h.envelope(opsgenie_request(second_note.dump())).dedup_key != note.dedup_key);
  json undated = json::parse(create);
  undated["alert"].erase("updatedAt");
  CHECK(h.envelope(opsgenie_request(undated.dump())).delivery_id ==
        std::string(kAlertId) + ":Create:sha256:" + sha256_hex(undated.dump()));
}

TEST_CASE("opsgenie: malformed bodies are 400 once the token verified") {
  Harness h(opsgenie_settings());
  json no_action = json::parse(fixture("opsgenie/alert_create.json"));
  no_action.erase("action");
  CHECK(answer_reason(h.answer(opsgenie_request(no_action.dump()))) ==
        "opsgenie payload without an action");
  CHECK(answer_reason(h.answer(opsgenie_request(R"({"action":"Create"})"))) ==
        "opsgenie payload without an alert object");
  json no_id = json::parse(fixture("opsgenie/alert_create.json"));
  no_id["alert"].erase("alertId");
  CHECK(answer_reason(h.answer(opsgenie_request(no_id.dump()))) ==
        "opsgenie alert without an alertId");
  CHECK(h.answer(opsgenie_request("action=Create")).status == 400);
}

}  // namespace aof::ingest
