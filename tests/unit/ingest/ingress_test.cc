#include <doctest/doctest.h>

#include "common/base/clock.h"
#include "common/base/ids.h"
#include "common/ingest/answers.h"
#include "common/ingest/ingress.h"
#include "tests/unit/ingest/ingest_test_support.h"

namespace aof::ingest {
namespace {

using nlohmann::json;
using testing::agent;
using testing::fixture;
using testing::flow;
using testing::github_request;
using testing::github_trigger;
using testing::secret;

constexpr const char* kPlatformSecret = "platform-secret";

using testing::trigger_settings;

// GitHub on, one platform secret, one trigger binding PRs, pushes and /summarize.
IngressSettings default_settings() {
  IngressSettings s;
  s.github.enabled = true;
  s.github.secrets = {secret(kPlatformSecret, "env GITHUB_WEBHOOK_SECRET")};
  s.github.triggers.push_back(
      trigger_settings(github_trigger("gh-prs", {{"pull_request.opened", flow("pr-summary")},
                                                 {"push", agent("deployer")},
                                                 {"summarize", agent("pr-helper")}})));
  return s;
}

json body_of(const IngressResponse& r) { return json::parse(r.body); }

struct Harness : testing::IngressHarness {
  explicit Harness(IngressSettings settings = default_settings())
      : IngressHarness(std::move(settings)) {}
};

IngressRequest pr_opened(const std::string& signing_secret = kPlatformSecret) {
  return github_request("pull_request", fixture("pull_request_opened.json"), signing_secret);
}

TEST_CASE("a signed pull_request.opened becomes an envelope with every field set") {
  Harness h;
  IngressRequest request = pr_opened();
  request.headers["traceparent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  request.headers["authorization"] = "Bearer not-for-the-queue";
  request.headers["x-forwarded-for"] = "198.51.100.7";
  const event::Envelope e = h.envelope(request);
  CHECK(is_ulid(e.id));
  CHECK(e.received_at == to_rfc3339(h.clock.now()));
  CHECK(e.platform == "github");
  CHECK(e.event == "pull_request");
  CHECK(e.action == "opened");
  CHECK(e.delivery_id == "72d3162e-cc78-11e3-81ab-4c9367dc0958");
  CHECK(e.dedup_key == "github:72d3162e-cc78-11e3-81ab-4c9367dc0958");
  CHECK(e.tenant == "acme-org");
  CHECK(e.trigger == "gh-prs");
  CHECK(e.target.kind == event::TargetKind::kAgentFlow);
  CHECK(e.target.name == "pr-summary");
  CHECK(e.text.starts_with("pr:opened:main:feature/capture-retry #42 "));
  CHECK(e.channel_id == "acme-org/payments#42");
  CHECK(e.thread_id == "pr-42");
  CHECK(e.user == json{{"id", "583231"}, {"username", "octocat"}});
  CHECK(e.metadata["pr_number"] == 42);
  CHECK(e.body == request.body);
  CHECK(e.traceparent == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  const std::map<std::string, std::string> kept = {
      {"content-type", "application/json"},
      {"user-agent", "GitHub-Hookshot/044aadd"},
      {"x-github-delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"},
      {"x-github-event", "pull_request"},
      {"x-github-hook-id", "498765432"},
      {"x-hub-signature-256", request.headers["x-hub-signature-256"]}};
  CHECK(e.headers == kept);
  CHECK(e.generation == 0);
  CHECK(e.attempt == 0);
}

TEST_CASE(
    "without a delivery id the dedup key is the body's SHA-256; bad traceparent is replaced") {
  Harness h;
  IngressRequest request = github_request("push", fixture("push.json"), kPlatformSecret, "");
  request.headers["traceparent"] = "00-nothex";
  const event::Envelope e = h.envelope(request);
  CHECK(e.delivery_id.empty());
  CHECK(e.dedup_key == "github:sha256:" + hex_encode(sha256(request.body)));
  CHECK(e.traceparent.size() == 55);
  CHECK(e.traceparent != "00-nothex");
  CHECK(e.text == "push:pushed 2 commits to refs/heads/main - Fix lint in retry loop");
  CHECK(e.target.name == "deployer");
}

TEST_CASE("a binding's report: review travels in the envelope; other bindings leave it unset") {
  IngressSettings settings = default_settings();
  config::CommandBinding review = flow("pr-summary");
  review.report = "review";
  settings.github.triggers[0] =
      trigger_settings(github_trigger("gh-prs", {{"pull_request.opened", review}}));
  Harness h(std::move(settings));
  const event::Envelope e = h.envelope(pr_opened());
  CHECK(e.report == "review");
  CHECK(event::parse_envelope(event::to_json(e))->report == "review");
  Harness plain;
  CHECK(plain.envelope(pr_opened()).report.empty());
}

TEST_CASE("answers after the broker replied") {
  Harness h;
  const event::Envelope e = h.envelope(pr_opened());
  const IngressResponse accepted = h.ingress.answer_published(e, PublishOutcome::kAccepted);
  CHECK(accepted.status == 202);
  CHECK(accepted.content_type == "application/json");
  CHECK(body_of(accepted) == json{{"status", "accepted"}, {"event_id", e.id}});
  const IngressResponse dup = h.ingress.answer_published(e, PublishOutcome::kDuplicate);
  CHECK(dup.status == 200);
  CHECK(body_of(dup) == json{{"status", "duplicate"}, {"event_id", e.id}});
  const IngressResponse first =
      h.ingress.answer_published(e, PublishOutcome::kDuplicate, "01HZZZZZZZZZZZZZZZZZZZZZZZ");
  CHECK(body_of(first)["event_id"] == "01HZZZZZZZZZZZZZZZZZZZZZZZ");
  for (const auto outcome : {PublishOutcome::kUnavailable, PublishOutcome::kFull}) {
    const IngressResponse r = h.ingress.answer_published(e, outcome);
    CHECK(r.status == 503);
    CHECK(r.headers.at("Retry-After") == "5");
    CHECK(body_of(r).contains("error"));
  }
  const IngressResponse invalid = h.ingress.answer_published(e, PublishOutcome::kInvalid);
  CHECK(invalid.status == 500);
  CHECK(body_of(invalid).contains("error"));
  const IngressCounters& c = h.ingress.counters();
  CHECK(c.accepted == 1);
  CHECK(c.duplicate == 2);
  CHECK(c.unavailable == 2);
  CHECK(c.failed == 1);
}

TEST_CASE("the accepted answer is byte for byte what json_answer gives") {
  // Written directly (one per accepted webhook); the bytes must not change.
  for (const std::string& id :
       {std::string("01HZZZZZZZZZZZZZZZZZZZZZZZ"), std::string(""), std::string("a\"b\\c\n"),
        std::string("caf\xc3\xa9"), std::string("bad \xff utf-8")}) {
    for (const int status : {200, 202}) {
      const IngressResponse direct = accepted_answer(status, id);
      const IngressResponse tree = json_answer(status, {{"status", "accepted"}, {"event_id", id}});
      CHECK(direct.status == tree.status);
      CHECK(direct.content_type == tree.content_type);
      CHECK(direct.body == tree.body);
    }
  }
}

TEST_CASE("signature failures are 401") {
  Harness h;
  const json invalid = {{"error", "invalid signature"}};
  SUBCASE("tampered body") {
    IngressRequest r = pr_opened();
    r.body[r.body.find("opened")] = 'O';
    CHECK(body_of(h.answer(r)) == invalid);
    CHECK(h.answer(r).status == 401);
  }
  SUBCASE("missing header while a secret is configured") {
    IngressRequest r = pr_opened();
    r.headers.erase("x-hub-signature-256");
    CHECK(h.answer(r).status == 401);
  }
  SUBCASE("wrong secret") { CHECK(h.answer(pr_opened("guess")).status == 401); }
  SUBCASE("digest without the sha256= prefix") {
    IngressRequest r = pr_opened();
    r.headers["x-hub-signature-256"] = r.headers["x-hub-signature-256"].substr(7);
    CHECK(h.answer(r).status == 401);
  }
  SUBCASE("upper-case prefix") {
    IngressRequest r = pr_opened();
    r.headers["x-hub-signature-256"].replace(0, 6, "SHA256");
    CHECK(h.answer(r).status == 401);
  }
  CHECK(h.ingress.counters().unauthorized >= 1);
}

TEST_CASE("upper-case hex digits after sha256= are accepted") {
  Harness h;
  IngressRequest r = pr_opened();
  std::string& sig = r.headers["x-hub-signature-256"];
  for (std::size_t i = 7; i < sig.size(); ++i) {
    sig[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(sig[i])));
  }
  CHECK(h.decide(r).publish.has_value());
}

TEST_CASE("a rotated secret: the new one verifies, the expired one no longer does") {
  const std::int64_t now = 1'700'000'000;  // FakeClock's default start
  IngressSettings s = default_settings();
  s.github.secrets = {secret("old", "old", std::nullopt, now - 1),
                      secret("new", "new", now - 100, std::nullopt)};
  Harness h(std::move(s));
  CHECK(h.decide(pr_opened("new")).publish.has_value());
  CHECK(h.answer(pr_opened("old")).status == 401);
}

TEST_CASE("missing or invalid X-GitHub-Event is 400") {
  Harness h;
  IngressRequest r = pr_opened();
  r.headers.erase("x-github-event");
  const IngressResponse missing = h.answer(r);
  CHECK(missing.status == 400);
  CHECK(body_of(missing) == json{{"error", "missing X-GitHub-Event header"}});
  r.headers["x-github-event"] = "pull request";
  CHECK(h.answer(r).status == 400);
  CHECK(h.ingress.counters().malformed == 2);
}

TEST_CASE("ping is answered pong, but only with a valid signature") {
  Harness h;
  const IngressResponse pong =
      h.answer(github_request("ping", fixture("ping.json"), kPlatformSecret));
  CHECK(pong.status == 200);
  CHECK(body_of(pong) == json{{"status", "pong"}, {"zen", "Keep it logically awesome."}});
  CHECK(h.answer(github_request("ping", fixture("ping.json"), "wrong")).status == 401);
  CHECK(h.ingress.counters().pong == 1);
}

TEST_CASE("malformed bodies are 400, a nesting bomb included") {
  Harness h;
  const auto status_for = [&](const std::string& body) {
    return h.answer(github_request("push", body, kPlatformSecret)).status;
  };
  CHECK(status_for("not json") == 400);
  CHECK(status_for("[1,2,3]") == 400);
  CHECK(status_for("{\"a\":" + std::string(200'000, '[')) == 400);
  const IngressResponse no_repo = h.answer(github_request(
      "member", R"({"action":"added","sender":{"login":"x","id":1}})", kPlatformSecret));
  CHECK(no_repo.status == 400);
  CHECK(body_of(no_repo) == json{{"error", "payload has no repository"}});
}

TEST_CASE("a body over gateway.max_body_bytes is 413") {
  IngressSettings s = default_settings();
  s.max_body_bytes = 1000;
  Harness h(std::move(s));
  const IngressResponse r = h.answer(pr_opened());
  CHECK(r.status == 413);
  CHECK(body_of(r) == json{{"error", "body exceeds 1000 bytes"}});
  CHECK(h.ingress.counters().too_large == 1);
}

TEST_CASE("other platforms and non-POST methods") {
  Harness h;
  IngressRequest slack = pr_opened();
  slack.platform = "slack";
  const IngressResponse unknown = h.answer(slack);
  CHECK(unknown.status == 404);
  CHECK(body_of(unknown) == json{{"error", "unknown platform: slack"}});
  slack.platform = "\xff\xfe";  // never throws while serialising
  CHECK(h.answer(slack).status == 404);
  IngressRequest get = pr_opened();
  get.method = "GET";
  CHECK(h.answer(get).status == 405);
  IngressSettings off = default_settings();
  off.github.enabled = false;
  Harness disabled(std::move(off));
  CHECK(disabled.answer(pr_opened()).status == 404);
}

TEST_CASE("an unbound event is ignored with a reason and not published") {
  Harness h;
  const IngressResponse r =
      h.answer(github_request("issues", fixture("issues_opened.json"), kPlatformSecret));
  CHECK(r.status == 200);
  CHECK(body_of(r) == json{{"status", "ignored"}, {"reason", "no binding for issues.opened"}});
  CHECK(h.ingress.counters().ignored == 1);
}

TEST_CASE("github_events, users and patterns filter GitHub triggers (AOF parses, never applies)") {
  const auto with_config = [](json config) {
    IngressSettings s = default_settings();
    s.github.triggers.clear();
    config::Trigger t = github_trigger("gh-prs", {{"pull_request.opened", flow("pr-summary")},
                                                  {"push", agent("deployer")}});
    t.github_events = config.value("github_events", std::vector<std::string>{});
    config.erase("github_events");
    t.config = std::move(config);
    s.github.triggers.push_back(trigger_settings(std::move(t)));
    return s;
  };
  const auto opened = [] {
    return github_request("pull_request", fixture("pull_request_opened.json"), kPlatformSecret);
  };
  SUBCASE("github_events lists the event") {
    Harness h(with_config({{"github_events", {"pull_request"}}}));
    CHECK(h.envelope(opened()).target.name == "pr-summary");
  }
  SUBCASE("github_events does not list it: ignored, saying which filter") {
    Harness h(with_config({{"github_events", {"push"}}}));
    CHECK(body_of(h.answer(opened()))["reason"] ==
          "trigger gh-prs: events does not list pull_request");
  }
  SUBCASE("users: the sender's login") {
    Harness other(with_config({{"users", {"someone"}}}));
    CHECK(body_of(other.answer(opened()))["reason"] ==
          "trigger gh-prs: users does not list 583231");
    const std::string login = json::parse(fixture("pull_request_opened.json"))["sender"]["login"];
    Harness sender(with_config({{"users", {login}}}));
    CHECK(sender.envelope(opened()).target.name == "pr-summary");
  }
  SUBCASE("patterns: a regex over AOF's text") {
    Harness miss(with_config({{"patterns", {"^push:"}}}));
    CHECK(body_of(miss.answer(opened()))["reason"] ==
          "trigger gh-prs: no pattern matches the text");
    Harness hit(with_config({{"patterns", {"^pr:opened:"}}}));
    CHECK(hit.envelope(opened()).target.name == "pr-summary");
  }
}

TEST_CASE("/summarize in an issue comment is published to its agent") {
  Harness h;
  const event::Envelope e = h.envelope(
      github_request("issue_comment", fixture("issue_comment_created.json"), kPlatformSecret));
  CHECK(e.target.name == "pr-helper");
  CHECK(e.channel_id == "acme-org/payments#42");
  CHECK(e.text.starts_with("Review the PR/issue at: https://github.com/acme-org/payments/pull/42"));
}

TEST_CASE("a huge one-line comment is cut at a character boundary so the envelope stays valid") {
  Harness h;
  json payload = json::parse(fixture("issue_comment_created.json"));
  // 65,536 three-byte characters after the command: GitHub's longest comment.
  std::string comment = "/summarize ";
  for (int i = 0; i < 65536; ++i) comment += "\xE2\x82\xAC";  // U+20AC
  payload["comment"]["body"] = comment;
  const event::Envelope e =
      h.envelope(github_request("issue_comment", payload.dump(), kPlatformSecret));
  CHECK(e.text.size() <= 16 * 1024);
  CHECK(e.text.size() > 16 * 1024 - 3);
  CHECK(event::validate_envelope(e).ok());
  CHECK(event::parse_envelope(event::to_json(e)).ok());
}

TEST_CASE("platforms.github.allowed_repos: exact, owner/* and denied") {
  const auto with_repos = [](std::vector<std::string> repos) {
    IngressSettings s = default_settings();
    s.github.allowed_repos = std::move(repos);
    return s;
  };
  CHECK(Harness(with_repos({"acme-org/payments"})).decide(pr_opened()).publish.has_value());
  CHECK(Harness(with_repos({"acme-org/*"})).decide(pr_opened()).publish.has_value());
  Harness denied(with_repos({"acme-org/ledger", "other/*"}));
  const IngressResponse r = denied.answer(pr_opened());
  CHECK(r.status == 200);
  CHECK(body_of(r) ==
        json{{"status", "ignored"},
             {"reason", "repository acme-org/payments is not in platforms.github.allowed_repos"}});
}

// Org B's trigger sorts first, so a leak would show as routing to it.
IngressSettings two_orgs(std::vector<config::Secret> platform_secrets = {}) {
  IngressSettings s;
  s.github.enabled = true;
  s.github.secrets = std::move(platform_secrets);
  s.github.triggers.push_back(
      trigger_settings(github_trigger("a-org-b", {{"pull_request.opened", flow("b-flow")}}),
                       {secret("secret-of-b", "b")}));
  s.github.triggers.push_back(
      trigger_settings(github_trigger("z-org-a", {{"pull_request.opened", flow("a-flow")}}),
                       {secret("secret-of-a", "a")}));
  return s;
}

TEST_CASE("per-trigger secrets: one org's secret never reaches another org's trigger") {
  Harness h(two_orgs());
  CHECK(h.envelope(pr_opened("secret-of-a")).trigger == "z-org-a");
  CHECK(h.envelope(pr_opened("secret-of-b")).trigger == "a-org-b");
  CHECK(h.answer(pr_opened("secret-of-c")).status == 401);
}

TEST_CASE("the platform secret reaches only triggers without secrets of their own") {
  IngressSettings s = two_orgs({secret(kPlatformSecret)});
  Harness only_own(two_orgs({secret(kPlatformSecret)}));
  const IngressResponse r = only_own.answer(pr_opened(kPlatformSecret));
  CHECK(r.status == 200);
  CHECK(body_of(r)["reason"] == "no GitHub trigger accepts this delivery");
  s.github.triggers.push_back(
      trigger_settings(github_trigger("shared", {{"pull_request.opened", flow("shared-flow")}})));
  Harness shared(std::move(s));
  CHECK(shared.envelope(pr_opened(kPlatformSecret)).trigger == "shared");
  CHECK(shared.envelope(pr_opened("secret-of-a")).trigger == "z-org-a");
}

TEST_CASE("no secret anywhere: insecure accepts unsigned requests, otherwise 401") {
  IngressSettings open = default_settings();
  open.github.secrets.clear();
  open.github.insecure = true;
  CHECK(Harness(open).decide(pr_opened("")).publish.has_value());
  IngressSettings closed = default_settings();
  closed.github.secrets.clear();
  CHECK(check_ingress_settings(closed).error().code() == ErrorCode::kInvalidArgument);
  CHECK(Harness(std::move(closed)).answer(pr_opened("")).status == 401);
  CHECK(check_ingress_settings(open).ok());
  CHECK(check_ingress_settings(default_settings()).ok());
}

TEST_CASE("settings are built from DaemonConfig and ResourceSet") {
  config::DaemonConfig daemon;
  daemon.gateway.max_body_bytes = 4096;
  config::ResourceSet resources;
  resources.triggers["z-github"] = github_trigger("z-github", {{"push", flow("p")}});
  resources.triggers["a-github"] = github_trigger("a-github", {{"push", flow("q")}});
  config::Trigger slack = github_trigger("slack", {});
  slack.type = "Slack";
  resources.triggers["slack"] = slack;
  config::Trigger off = github_trigger("off", {});
  off.enabled = false;
  resources.triggers["off"] = off;
  SUBCASE("without platforms.github, GitHub triggers enable it") {
    const IngressSettings s =
        make_ingress_settings(daemon, resources, {}, {{"z-github", {secret("z")}}}).value();
    CHECK(s.max_body_bytes == 4096);
    CHECK(s.github.enabled);
    REQUIRE(s.github.triggers.size() == 2);
    CHECK(s.github.triggers[0].trigger.name == "a-github");
    CHECK(s.github.triggers[0].secrets.empty());
    CHECK(s.github.triggers[1].secrets.size() == 1);
  }
  SUBCASE("platforms.github settings are carried over") {
    config::PlatformConfig github;
    github.name = "github";
    github.insecure = true;
    github.allowed_repos = {"acme-org/*"};
    daemon.platforms["github"] = github;
    const IngressSettings s =
        make_ingress_settings(daemon, resources, {{"github", {secret("p")}}}, {}).value();
    CHECK(s.github.enabled);
    CHECK(s.github.insecure);
    CHECK(s.github.allowed_repos == std::vector<std::string>{"acme-org/*"});
    CHECK(s.github.secrets.size() == 1);
  }
}

}  // namespace
}  // namespace aof::ingest
