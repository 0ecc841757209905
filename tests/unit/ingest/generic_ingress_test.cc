// The generic signed source through the ingress (issue 6 items 2, 5, 7): verify_generic's
// HMAC before anything is read, the event from the header platforms.generic.event_header
// names (else "webhook"), the delivery id from delivery_header (else the body's hash), any
// body accepted, a JSON body's "text" routed like a chat message's, and the settings that
// read both header names.
#include <doctest/doctest.h>

#include "common/base/digest.h"
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
using testing::platform_trigger;
using testing::secret;

constexpr const char* kSecret = "generic-hmac-secret-61f0";

// verify::GenericConfig's defaults: X-Signature: sha256=<hex HMAC-SHA256 of the body>.
IngressRequest generic_request(const std::string& body, const std::string& event = "",
                               const std::string& signing_secret = kSecret) {
  IngressRequest r = testing::webhook_request("generic", body, "application/json");
  r.headers["user-agent"] = "deployer/3.2";
  if (!event.empty()) r.headers["x-event-type"] = event;
  r.headers["x-delivery-id"] = "dlv-000731";
  if (!signing_secret.empty()) {
    r.headers["x-signature"] = "sha256=" + hex_encode(hmac_sha256(signing_secret, body));
  }
  return r;
}

IngressSettings generic_settings(std::string event_header = "x-event-type",
                                 std::string delivery_header = "x-delivery-id") {
  std::vector<TriggerSettings> triggers;
  triggers.push_back(platform_trigger("Generic", "deploys",
                                      {{"deploy_finished", agent("release-notes")},
                                       {"webhook", agent("catch-all")},
                                       {"verify", agent("verifier")}}));
  IngressSettings s = testing::platform_settings("generic", {secret(kSecret)}, std::move(triggers));
  s.platforms["generic"].event_header = std::move(event_header);
  s.platforms["generic"].delivery_header = std::move(delivery_header);
  return s;
}

using Harness = testing::IngressHarness;

}  // namespace

TEST_CASE("generic: the configured HMAC over the raw body; tampered, missing or wrong refused") {
  Harness h(generic_settings());
  const std::string body = fixture("generic/deploy_finished.json");
  h.envelope(generic_request(body, "deploy_finished"));
  IngressRequest tampered = generic_request(body, "deploy_finished");
  tampered.body.replace(tampered.body.find("production"), 10, "staging123");
  CHECK(h.answer(tampered).status == 401);
  CHECK(h.answer(generic_request(body, "deploy_finished", "")).status == 401);
  CHECK(h.answer(generic_request(body, "deploy_finished", "generic-hmac-secret-61f1")).status ==
        401);
}

TEST_CASE("generic: the event header binds before the text; the text is a JSON body's \"text\"") {
  Harness h(generic_settings());
  const auto e =
      h.envelope(generic_request(fixture("generic/deploy_finished.json"), "deploy_finished"));
  CHECK(e.platform == "generic");
  CHECK(e.event == "deploy_finished");
  CHECK(e.action == "");
  CHECK(e.target.name == "release-notes");
  CHECK(e.text == "/verify checkout-api 2.14.1");
  CHECK(e.metadata == json{{"event_type", "deploy_finished"}});
  CHECK(e.headers.count("x-signature") == 0);  // the operator's header names are not kept
  CHECK(h.ingress.answer_published(e, PublishOutcome::kAccepted).status == 202);
}

TEST_CASE("generic: without the event header the event is \"webhook\"; a /word text binds") {
  SUBCASE("no header sent: webhook binds first") {
    Harness h(generic_settings());
    CHECK(h.envelope(generic_request(fixture("generic/deploy_finished.json"))).target.name ==
          "catch-all");
  }
  SUBCASE("an unbound event: the text's /verify binds, with the rest as its text") {
    Harness h(generic_settings());
    const auto e = h.envelope(generic_request(fixture("generic/deploy_finished.json"), "other"));
    CHECK(e.target.name == "verifier");
    CHECK(e.text == "checkout-api 2.14.1");
  }
  SUBCASE("no event_header configured: the header is not read") {
    Harness h(generic_settings(""));
    const auto e =
        h.envelope(generic_request(fixture("generic/deploy_finished.json"), "deploy_finished"));
    CHECK(e.event == "webhook");
  }
}

TEST_CASE("generic: any body is accepted; only a JSON object's text is read") {
  Harness h(generic_settings());
  const std::string form = "status=succeeded&service=checkout-api";
  const auto e = h.envelope(generic_request(form, "deploy_finished"));
  CHECK(e.text == "Execute deploy_finished command");  // AOF's text for a blank one
  CHECK(e.body == form);
  const std::string binary("\x00\xff\xfe binary", 10);
  CHECK(h.envelope(generic_request(binary, "deploy_finished")).body == binary);
  const auto nothing = h.answer(generic_request(R"({"text":"hello"})", "other"));
  CHECK(answer_status(nothing) == "ignored");
  CHECK(answer_reason(nothing) == "no binding for other");
}

TEST_CASE("generic: the delivery header is the dedup key, else the body's hash") {
  const std::string body = fixture("generic/deploy_finished.json");
  Harness h(generic_settings());
  const IngressRequest r = generic_request(body, "deploy_finished");
  const auto first = h.envelope(r);
  CHECK(first.dedup_key == "generic:dlv-000731");
  CHECK(h.envelope(r).dedup_key == first.dedup_key);
  Harness no_header(generic_settings("x-event-type", ""));
  CHECK(no_header.envelope(r).dedup_key == "generic:sha256:" + sha256_hex(body));
}

TEST_CASE("generic: a configured header with an invalid value is 400") {
  Harness h(generic_settings());
  const std::string body = fixture("generic/deploy_finished.json");
  CHECK(answer_reason(h.answer(generic_request(body, "deploy finished"))) ==
        "invalid x-event-type header");
  IngressRequest r = generic_request(body, "deploy_finished");
  r.headers["x-delivery-id"] = std::string(129, 'a');
  CHECK(answer_reason(h.answer(r)) == "invalid x-delivery-id header");
}

TEST_CASE("generic: settings read platforms.generic.event_header and delivery_header") {
  config::DaemonConfig daemon;
  config::PlatformConfig generic;
  generic.name = "generic";
  generic.settings = {{"event_header", "x-event-type"}, {"delivery_header", "x-delivery-id"}};
  daemon.platforms["generic"] = generic;
  const config::ResourceSet resources;
  const auto built = make_ingress_settings(daemon, resources, {{"generic", {secret("s")}}}, {});
  REQUIRE(built.ok());
  const PlatformSettings& p = built->platforms.at("generic");
  CHECK(p.enabled);
  CHECK(p.event_header == "x-event-type");
  CHECK(p.delivery_header == "x-delivery-id");
  daemon.platforms["generic"].settings["event_header"] = "X-Event-Type";
  const auto refused = make_ingress_settings(daemon, resources, {}, {});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message() ==
        "spec.platforms.generic.event_header: must be 1-64 characters of a-z 0-9 -");
}

}  // namespace aof::ingest
