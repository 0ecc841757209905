#pragma once
// Helpers shared by the ingest tests: fixtures, secrets, signing, triggers, requests.

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "common/base/clock.h"
#include "common/config/resources.h"
#include "common/config/secrets.h"
#include "common/ingest/ingress.h"
#include "common/ingest/request.h"
#include "common/ingest/settings.h"
#include "common/ingest/signature.h"

namespace aof::ingest::testing {

inline std::string fixture(const std::string& name) {
  std::string path = AOF_SOURCE_DIR;  // appended, not `+`: GCC 12 -Warray-bounds noise
  path.append("/tests/testdata/ingest/").append(name);
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline config::Secret secret(std::string bytes, std::string label = "test",
                             std::optional<std::int64_t> not_before = std::nullopt,
                             std::optional<std::int64_t> not_after = std::nullopt) {
  config::Secret s;
  s.bytes = std::move(bytes);
  s.label = std::move(label);
  s.not_before = not_before;
  s.not_after = not_after;
  return s;
}

// The X-Hub-Signature-256 value GitHub would send.
inline std::string github_signature(const std::string& secret_bytes, const std::string& body) {
  return "sha256=" + hex_encode(hmac_sha256(secret_bytes, body));
}

inline config::Trigger github_trigger(const std::string& name,
                                      std::map<std::string, config::CommandBinding> commands,
                                      std::vector<std::string> repositories = {}) {
  config::Trigger t;
  t.name = name;
  t.type = "GitHub";
  t.commands = std::move(commands);
  t.repositories = std::move(repositories);
  return t;
}

inline config::CommandBinding flow(const std::string& name) {
  config::CommandBinding b;
  b.flow = name;
  return b;
}

inline config::CommandBinding agent(const std::string& name) {
  config::CommandBinding b;
  b.agent = name;
  return b;
}

// A trigger with its secrets and its filters compiled, as make_ingress_settings builds it.
inline TriggerSettings trigger_settings(config::Trigger trigger,
                                        std::vector<config::Secret> secrets = {}) {
  auto filters = TriggerFilters::compile(trigger);
  REQUIRE(filters.ok());
  return TriggerSettings{std::move(trigger), std::move(secrets), std::move(*filters)};
}

// A trigger of `type` ("GitLab", "Jira", ...) with its filters compiled, as
// make_ingress_settings builds it.
inline TriggerSettings platform_trigger(const std::string& type, const std::string& name,
                                        std::map<std::string, config::CommandBinding> commands,
                                        nlohmann::json config = nlohmann::json::object(),
                                        std::vector<std::string> repositories = {}) {
  config::Trigger t;
  t.name = name;
  t.type = type;
  t.commands = std::move(commands);
  t.config = std::move(config);
  t.repositories = std::move(repositories);
  auto filters = TriggerFilters::compile(t);
  REQUIRE(filters.ok());
  return {std::move(t), {}, std::move(*filters)};
}

// Settings where only the adapter platform `name` is enabled, with `secrets` and `triggers`.
inline IngressSettings platform_settings(const std::string& name,
                                         std::vector<config::Secret> secrets,
                                         std::vector<TriggerSettings> triggers) {
  IngressSettings s;
  PlatformSettings& p = s.platforms[name];
  p.name = name;
  p.enabled = true;
  p.secrets = std::move(secrets);
  p.triggers = std::move(triggers);
  return s;
}

// The "status" of a JSON answer ("ignored", "duplicate", "pong").
inline std::string answer_status(const IngressResponse& response) {
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  return body.is_object() ? body.value("status", "") : "";
}

// The "reason" of an `ignored` answer, or the "error" of a refusal.
inline std::string answer_reason(const IngressResponse& response) {
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object()) return "";
  return body.contains("reason") ? body.value("reason", "") : body.value("error", "");
}

inline config::CommandBinding fleet(const std::string& name) {
  config::CommandBinding b;
  b.fleet = name;
  return b;
}

// A POST /webhook/<platform> with `body`, from a documentation address.
inline IngressRequest webhook_request(const std::string& platform, const std::string& body,
                                      const std::string& content_type) {
  IngressRequest r;
  r.method = "POST";
  r.path = "/webhook/" + platform;
  r.platform = platform;
  r.body = body;
  r.remote_addr = "192.0.2.10";
  r.headers["content-type"] = content_type;
  return r;
}

inline IngressRequest github_request(
    const std::string& event, const std::string& body, const std::string& signing_secret,
    const std::string& delivery = "72d3162e-cc78-11e3-81ab-4c9367dc0958") {
  IngressRequest r = webhook_request("github", body, "application/json");
  r.headers["user-agent"] = "GitHub-Hookshot/044aadd";
  r.headers["x-github-event"] = event;
  r.headers["x-github-hook-id"] = "498765432";
  if (!delivery.empty()) r.headers["x-github-delivery"] = delivery;
  if (!signing_secret.empty()) {
    r.headers["x-hub-signature-256"] = github_signature(signing_secret, body);
  }
  return r;
}

// The decisions of one Ingress on a fake clock (starting at unix 1,700,000,000).
struct IngressHarness {
  FakeClock clock;
  Ingress ingress;
  explicit IngressHarness(IngressSettings settings) : ingress(std::move(settings), clock) {}

  Ingress::Decision decide(const IngressRequest& r) const { return ingress.decide(r); }
  // The immediate answer; fails the test when the request would be published instead.
  IngressResponse answer(const IngressRequest& r) const {
    Ingress::Decision d = ingress.decide(r);
    REQUIRE(d.answer.has_value());
    CHECK_FALSE(d.publish.has_value());
    return *d.answer;
  }
  // The envelope to publish; fails the test (with the answer) when it was answered instead.
  event::Envelope envelope(const IngressRequest& r) const {
    Ingress::Decision d = ingress.decide(r);
    if (d.answer) FAIL("answered ", d.answer->status, " ", d.answer->body);
    REQUIRE(d.publish.has_value());
    return *d.publish;
  }
};

}  // namespace aof::ingest::testing
