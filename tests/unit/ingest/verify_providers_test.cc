// One section per provider scheme (common/ingest/verify/): the documented vector where the
// provider publishes one, then valid / tampered body / wrong secret / missing header /
// malformed header / stale timestamp (where signed) / rotation.
#include <doctest/doctest.h>

#include "common/ingest/verify/discord.h"
#include "common/ingest/verify/generic.h"
#include "common/ingest/verify/hub_signature.h"
#include "common/ingest/verify/pagerduty.h"
#include "common/ingest/verify/slack.h"
#include "common/ingest/verify/token.h"
#include "tests/unit/ingest/ingest_test_support.h"
#include "tests/unit/ingest/verify_test_support.h"

namespace aof::ingest::verify {
namespace {

using testing::reference_hmac_hex;
using testing::secret;

constexpr std::int64_t kNow = 1'700'000'000;

// Rotation fixtures: `rotated(s)` has an unrelated active secret first and `s` second;
// `expired(s)` has `s` only, past its not_after.
Secrets rotated(const std::string& s) {
  return {secret("an-unrelated-active-secret", "first"),
          secret(s, "second", kNow - 86400, std::nullopt)};
}
Secrets expired(const std::string& s) { return {secret(s, "expired", std::nullopt, kNow - 1)}; }

// ---------------------------------------------------------------------------------------
// X-Hub-Signature family: GitHub, WhatsApp, Bitbucket (Cloud and Data Center), Jira.

// docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries, "Testing the
// webhook payload validation".
const std::string kGithubSecret = "It's a Secret to Everybody";
const std::string kGithubBody = "Hello, World!";
const std::string kGithubSignature =
    "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

using HubScheme = VerifyResult (*)(const Headers&, std::string_view, const Secrets&, std::int64_t);
struct HubCase {
  const char* name;
  const char* header;
  HubScheme scheme;
};
constexpr HubCase kHubCases[] = {
    {"github", "x-hub-signature-256", verify_github},
    {"whatsapp", "x-hub-signature-256", verify_whatsapp},
    {"bitbucket", "x-hub-signature", verify_bitbucket},
    {"jira", "x-hub-signature", verify_jira},
};

TEST_CASE("X-Hub-Signature schemes verify GitHub's documented vector under their header") {
  for (const HubCase& c : kHubCases) {
    CAPTURE(c.name);
    const Headers headers = {{c.header, kGithubSignature}};
    const VerifyResult r = c.scheme(headers, kGithubBody, {secret(kGithubSecret, "doc")}, kNow);
    CHECK(r.ok());
    CHECK(r.secret_label == "doc");
  }
}

TEST_CASE("X-Hub-Signature schemes: every way to fail") {
  for (const HubCase& c : kHubCases) {
    CAPTURE(c.name);
    const Secrets secrets = {secret(kGithubSecret)};
    const Headers good = {{c.header, kGithubSignature}};
    CHECK(c.scheme(good, "Hello, World?", secrets, kNow).outcome == Outcome::kBadSignature);
    CHECK(c.scheme(good, kGithubBody, {secret("wrong")}, kNow).outcome == Outcome::kBadSignature);
    CHECK(c.scheme({}, kGithubBody, secrets, kNow).outcome == Outcome::kMissingHeader);
    // The other family member's header does not count.
    const std::string other =
        std::string(c.header) == "x-hub-signature" ? "x-hub-signature-256" : "x-hub-signature";
    CHECK(c.scheme({{other, kGithubSignature}}, kGithubBody, secrets, kNow).outcome ==
          Outcome::kMissingHeader);
    const std::string hex = kGithubSignature.substr(7);
    for (const std::string& bad :
         {hex, "SHA256=" + hex, "sha1=" + hex.substr(0, 40), "sha256=" + hex.substr(1),
          "sha256=" + hex + "0", "sha256=" + hex.substr(0, 63) + "g", std::string("sha256="),
          kGithubSignature + " ", std::string(2000, 'a')}) {
      CAPTURE(bad);
      CHECK(c.scheme({{c.header, bad}}, kGithubBody, secrets, kNow).outcome == Outcome::kMalformed);
    }
    const VerifyResult r = c.scheme(good, kGithubBody, rotated(kGithubSecret), kNow);
    CHECK(r.ok());
    CHECK(r.secret_index == 1);
    CHECK_FALSE(c.scheme(good, kGithubBody, expired(kGithubSecret), kNow).ok());
  }
}

TEST_CASE("X-Hub-Signature: upper-case hex digits verify (the value is decoded, not compared)") {
  std::string upper = "sha256=757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17";
  CHECK(verify_github({{"x-hub-signature-256", upper}}, kGithubBody, {secret(kGithubSecret)}, kNow)
            .ok());
}

TEST_CASE("Bitbucket: an independently computed signature over a push body verifies") {
  const std::string body = R"({"push":{"changes":[]},"repository":{"full_name":"acme/api"}})";
  const std::string sig = "sha256=" + reference_hmac_hex(DigestAlgorithm::kSha256, "bb", body);
  CHECK(verify_bitbucket({{"x-hub-signature", sig}}, body, {secret("bb")}, kNow).ok());
}

// ---------------------------------------------------------------------------------------
// Slack.

// api.slack.com/authentication/verifying-requests-from-slack, the worked example.
const std::string kSlackSecret = "8f742231b10e8888abcd99yyyzzz85a5";
const std::string kSlackTimestamp = "1531420618";
const std::int64_t kSlackNow = 1531420618;
const std::string kSlackBody =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id="
    "G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-"
    "collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F3977008"
    "85554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c44"
    "7fce8b6703c";
const std::string kSlackSignature =
    "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

Headers slack_headers(const std::string& sig = kSlackSignature,
                      const std::string& ts = kSlackTimestamp) {
  return {{"x-slack-signature", sig}, {"x-slack-request-timestamp", ts}};
}

TEST_CASE("Slack: the documented example verifies at its own time") {
  const VerifyResult r =
      verify_slack(slack_headers(), kSlackBody, {secret(kSlackSecret)}, kSlackNow);
  CHECK(r.ok());
}

TEST_CASE("Slack: every way to fail") {
  const Secrets secrets = {secret(kSlackSecret)};
  CHECK(verify_slack(slack_headers(), kSlackBody + "&x=1", secrets, kSlackNow).outcome ==
        Outcome::kBadSignature);
  CHECK(verify_slack(slack_headers(), kSlackBody, {secret("wrong")}, kSlackNow).outcome ==
        Outcome::kBadSignature);
  CHECK(
      verify_slack({{"x-slack-request-timestamp", kSlackTimestamp}}, kSlackBody, secrets, kSlackNow)
          .outcome == Outcome::kMissingHeader);
  CHECK(verify_slack({{"x-slack-signature", kSlackSignature}}, kSlackBody, secrets, kSlackNow)
            .outcome == Outcome::kMissingHeader);
  const std::string hex = kSlackSignature.substr(3);
  for (const std::string& bad :
       {hex, "v1=" + hex, "V0=" + hex, "v0=" + hex.substr(2), "v0=" + hex + ",v0=" + hex}) {
    CAPTURE(bad);
    CHECK(verify_slack(slack_headers(bad), kSlackBody, secrets, kSlackNow).outcome ==
          Outcome::kMalformed);
  }
  for (const char* bad : {"1531420618.0", "-1531420618", "", "now"}) {
    CAPTURE(bad);
    CHECK(
        verify_slack(slack_headers(kSlackSignature, bad), kSlackBody, secrets, kSlackNow).outcome ==
        Outcome::kMalformed);
  }
  // The signature is bound to the timestamp: another (fresh) timestamp does not verify.
  CHECK(verify_slack(slack_headers(kSlackSignature, "1531420619"), kSlackBody, secrets, kSlackNow)
            .outcome == Outcome::kBadSignature);
}

TEST_CASE("Slack: a timestamp outside 5 minutes is stale, even with a valid signature") {
  const Secrets secrets = {secret(kSlackSecret)};
  CHECK(verify_slack(slack_headers(), kSlackBody, secrets, kSlackNow + 300).ok());
  CHECK(verify_slack(slack_headers(), kSlackBody, secrets, kSlackNow - 300).ok());
  CHECK(verify_slack(slack_headers(), kSlackBody, secrets, kSlackNow + 301).outcome ==
        Outcome::kStaleTimestamp);
  CHECK(verify_slack(slack_headers(), kSlackBody, secrets, kSlackNow - 301).outcome ==
        Outcome::kStaleTimestamp);
  CHECK(verify_slack(slack_headers(), kSlackBody, secrets, kSlackNow + 600, 600).ok());
}

TEST_CASE("Slack: rotation") {
  // Secrets' windows are relative to kNow; sign a fresh request at kNow.
  const std::string ts = std::to_string(kNow);
  const std::string body = R"({"type":"event_callback","event":{"type":"app_mention"}})";
  const std::string sig =
      "v0=" + reference_hmac_hex(DigestAlgorithm::kSha256, "slack-new", "v0:" + ts + ":" + body);
  const VerifyResult r = verify_slack(slack_headers(sig, ts), body, rotated("slack-new"), kNow);
  REQUIRE(r.ok());
  CHECK(r.secret_index == 1);
  CHECK_FALSE(verify_slack(slack_headers(sig, ts), body, expired("slack-new"), kNow).ok());
}

// ---------------------------------------------------------------------------------------
// Discord.

// RFC 8032 §7.1 TEST 1 key pair; the signature of "1700000000" + {"type":1} was made with
// its secret key by `openssl pkeyutl -sign -rawin` (Ed25519 signatures are deterministic).
const std::string kRfcPublicKey =
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const std::string kDiscordBody = R"({"type":1})";
const std::string kDiscordSignature =
    "1695961a47c91a1ec033b819b7e87e3dbc583dd0cee6d1fd0216f58ac87b6228ae531ddbf91fb7bc28d7edf7f086"
    "04da16f54624f38a6bc0614e4dc13cd47f0f";

Headers discord_headers(const std::string& sig, const std::string& ts = "1700000000") {
  return {{"x-signature-ed25519", sig}, {"x-signature-timestamp", ts}};
}

TEST_CASE("Discord: a PING signed with the RFC 8032 test key verifies") {
  const VerifyResult r = verify_discord(discord_headers(kDiscordSignature), kDiscordBody,
                                        {secret(kRfcPublicKey, "app key")}, kNow);
  CHECK(r.ok());
  CHECK(r.secret_label == "app key");
}

TEST_CASE("Discord: a self-generated key pair signing an application command") {
  const testing::Ed25519KeyPair app;
  const testing::Ed25519KeyPair other;
  const std::string ts = std::to_string(kNow - 10);
  const std::string body = R"({"type":2,"data":{"name":"deploy","options":[]}})";
  const std::string sig = app.sign_hex(ts + body);
  const Secrets keys = {secret(app.public_hex())};

  CHECK(verify_discord(discord_headers(sig, ts), body, keys, kNow).ok());
  CHECK(verify_discord(discord_headers(sig, ts), body + " ", keys, kNow).outcome ==
        Outcome::kBadSignature);
  CHECK(
      verify_discord(discord_headers(sig, ts), body, {secret(other.public_hex())}, kNow).outcome ==
      Outcome::kBadSignature);
  CHECK(verify_discord(discord_headers(other.sign_hex(ts + body), ts), body, keys, kNow).outcome ==
        Outcome::kBadSignature);
  // The timestamp is signed: the same signature with another fresh timestamp fails.
  CHECK(verify_discord(discord_headers(sig, std::to_string(kNow - 11)), body, keys, kNow).outcome ==
        Outcome::kBadSignature);
  CHECK(verify_discord({{"x-signature-timestamp", ts}}, body, keys, kNow).outcome ==
        Outcome::kMissingHeader);
  CHECK(verify_discord({{"x-signature-ed25519", sig}}, body, keys, kNow).outcome ==
        Outcome::kMissingHeader);
  for (const std::string& bad :
       {sig.substr(2), sig + "00", "0x" + sig.substr(2), sig.substr(0, 127) + "z"}) {
    CAPTURE(bad);
    CHECK(verify_discord(discord_headers(bad, ts), body, keys, kNow).outcome ==
          Outcome::kMalformed);
  }
  CHECK(verify_discord(discord_headers(sig, "17e8"), body, keys, kNow).outcome ==
        Outcome::kMalformed);
  CHECK(verify_discord(discord_headers(sig, ts), body, keys, kNow + 311).outcome ==
        Outcome::kStaleTimestamp);
  CHECK(verify_discord(discord_headers(sig, ts), body, keys, kNow - 311).outcome ==
        Outcome::kStaleTimestamp);

  const Secrets rotation = {secret(other.public_hex(), "old key"),
                            secret(app.public_hex(), "new key", kNow - 60, std::nullopt)};
  const VerifyResult r = verify_discord(discord_headers(sig, ts), body, rotation, kNow);
  REQUIRE(r.ok());
  CHECK(r.secret_label == "new key");
  CHECK_FALSE(verify_discord(discord_headers(sig, ts), body, expired(app.public_hex()), kNow).ok());
}

TEST_CASE("Discord: a configured key that is not 64 hex digits never verifies") {
  CHECK(is_discord_public_key(kRfcPublicKey));
  CHECK_FALSE(is_discord_public_key(kRfcPublicKey.substr(2)));
  CHECK_FALSE(is_discord_public_key("not a key"));
  CHECK(verify_discord(discord_headers(kDiscordSignature), kDiscordBody,
                       {secret(kRfcPublicKey.substr(2)), secret("zz" + kRfcPublicKey.substr(2))},
                       kNow)
            .outcome == Outcome::kBadSignature);
}

// ---------------------------------------------------------------------------------------
// Shared tokens: GitLab, Telegram, Opsgenie.

TEST_CASE("GitLab: X-Gitlab-Token equals a secret") {
  const std::string token = "glpat-not-a-real-token";
  const Headers headers = {{"x-gitlab-token", token}, {"x-gitlab-event", "Push Hook"}};
  CHECK(verify_gitlab(headers, "{}", {secret(token)}, kNow).ok());
  // The body is not signed: any body passes with the right token.
  CHECK(verify_gitlab(headers, "{\"tampered\":true}", {secret(token)}, kNow).ok());
  CHECK(verify_gitlab(headers, "{}", {secret(token + "x")}, kNow).outcome ==
        Outcome::kBadSignature);
  CHECK(verify_gitlab(headers, "{}", {secret(token.substr(1))}, kNow).outcome ==
        Outcome::kBadSignature);
  CHECK(verify_gitlab({{"x-gitlab-event", "Push Hook"}}, "{}", {secret(token)}, kNow).outcome ==
        Outcome::kMissingHeader);
  CHECK(verify_gitlab({{"x-gitlab-token", ""}}, "{}", {secret(token)}, kNow).outcome ==
        Outcome::kMalformed);
  CHECK(verify_gitlab({{"x-gitlab-token", std::string(1025, 't')}}, "{}",
                      {secret(std::string(1025, 't'))}, kNow)
            .outcome == Outcome::kMalformed);
  const VerifyResult r = verify_gitlab(headers, "{}", rotated(token), kNow);
  REQUIRE(r.ok());
  CHECK(r.secret_index == 1);
  CHECK_FALSE(verify_gitlab(headers, "{}", expired(token), kNow).ok());
}

TEST_CASE("Telegram: X-Telegram-Bot-Api-Secret-Token equals a secret, in Telegram's alphabet") {
  const std::string token = "Sup3r_secret-Token";
  const Headers headers = {{"x-telegram-bot-api-secret-token", token}};
  CHECK(verify_telegram(headers, "{}", {secret(token)}, kNow).ok());
  CHECK(verify_telegram(headers, "{}", {secret("Sup3r_secret-Token2")}, kNow).outcome ==
        Outcome::kBadSignature);
  CHECK(verify_telegram({}, "{}", {secret(token)}, kNow).outcome == Outcome::kMissingHeader);
  for (const std::string& bad : {std::string("has space"), std::string("dot.ted"),
                                 std::string(257, 'a'), std::string("ümlaut")}) {
    CAPTURE(bad);
    CHECK(verify_telegram({{"x-telegram-bot-api-secret-token", bad}}, "{}", {secret(bad)}, kNow)
              .outcome == Outcome::kMalformed);
  }
  CHECK(verify_telegram({{"x-telegram-bot-api-secret-token", std::string(256, 'a')}}, "{}",
                        {secret(std::string(256, 'a'))}, kNow)
            .ok());
  CHECK(verify_telegram(headers, "{}", rotated(token), kNow).secret_index == 1);
  CHECK_FALSE(verify_telegram(headers, "{}", expired(token), kNow).ok());
}

TEST_CASE("Opsgenie: the configured header carries prefix + secret") {
  const std::string token = "opsgenie-hook-token";
  const OpsgenieConfig defaults;
  const Headers headers = {{"authorization", "Bearer " + token}};
  CHECK(verify_opsgenie(defaults, headers, "{}", {secret(token)}, kNow).ok());
  CHECK(verify_opsgenie(defaults, headers, "{}", {secret("other")}, kNow).outcome ==
        Outcome::kBadSignature);
  CHECK(verify_opsgenie(defaults, {}, "{}", {secret(token)}, kNow).outcome ==
        Outcome::kMissingHeader);
  for (const std::string& bad :
       {token, "bearer " + token, "Basic " + token, std::string("Bearer ")}) {
    CAPTURE(bad);
    CHECK(
        verify_opsgenie(defaults, {{"authorization", bad}}, "{}", {secret(token)}, kNow).outcome ==
        Outcome::kMalformed);
  }
  OpsgenieConfig custom;
  custom.header = "x-opsgenie-token";
  custom.prefix = "";
  CHECK(verify_opsgenie(custom, {{"x-opsgenie-token", token}}, "{}", {secret(token)}, kNow).ok());
  CHECK(verify_opsgenie(custom, headers, "{}", {secret(token)}, kNow).outcome ==
        Outcome::kMissingHeader);
  CHECK(verify_opsgenie(defaults, headers, "{}", rotated(token), kNow).secret_index == 1);
  CHECK_FALSE(verify_opsgenie(defaults, headers, "{}", expired(token), kNow).ok());
}

// ---------------------------------------------------------------------------------------
// PagerDuty v3.

// HMAC-SHA256 of kPagerdutyBody under "pd-secret" and "pd-secret-old", from
// `printf '%s' BODY | openssl dgst -sha256 -hmac KEY`.
const std::string kPagerdutyBody = R"({"event":{"id":"01DEN","event_type":"incident.triggered"}})";
const std::string kPdNew = "v1=7ca09bf331868d045693795a59f313e45a276ccf0ba4c5e31fb576a2e7afbd4a";
const std::string kPdOld = "v1=853130180fcb023aa946ad4c73e4959629ece4c96ae6688732321437c30accd0";

Headers pd(const std::string& value) { return {{"x-pagerduty-signature", value}}; }

TEST_CASE("PagerDuty: one v1 signature, or any one of several while PagerDuty rotates") {
  const Secrets secrets = {secret("pd-secret", "current")};
  CHECK(verify_pagerduty(pd(kPdNew), kPagerdutyBody, secrets, kNow).ok());
  CHECK(verify_pagerduty(pd(kPdOld + "," + kPdNew), kPagerdutyBody, secrets, kNow).ok());
  CHECK(verify_pagerduty(pd(kPdNew + ", " + kPdOld), kPagerdutyBody, secrets, kNow).ok());
  CHECK(verify_pagerduty(pd(kPdOld + ",v2=abc," + kPdNew), kPagerdutyBody, secrets, kNow).ok());
  const VerifyResult old =
      verify_pagerduty(pd(kPdOld), kPagerdutyBody,
                       {secret("pd-secret", "current"), secret("pd-secret-old", "old")}, kNow);
  REQUIRE(old.ok());
  CHECK(old.secret_label == "old");
}

TEST_CASE("PagerDuty: every way to fail") {
  const Secrets secrets = {secret("pd-secret")};
  CHECK(verify_pagerduty(pd(kPdNew), kPagerdutyBody + " ", secrets, kNow).outcome ==
        Outcome::kBadSignature);
  CHECK(verify_pagerduty(pd(kPdOld), kPagerdutyBody, secrets, kNow).outcome ==
        Outcome::kBadSignature);
  CHECK(verify_pagerduty(pd(kPdNew), kPagerdutyBody, {secret("wrong")}, kNow).outcome ==
        Outcome::kBadSignature);
  CHECK(verify_pagerduty({}, kPagerdutyBody, secrets, kNow).outcome == Outcome::kMissingHeader);
  std::string nine;
  for (int i = 0; i < 9; ++i) nine += (i ? "," : "") + kPdNew;
  for (const std::string& bad :
       {kPdNew.substr(3), "v1=" + kPdNew.substr(4), kPdNew + ",", "," + kPdNew,
        kPdNew + ",," + kPdOld, std::string("v2=abc"), "V1=" + kPdNew.substr(3), "v=abc," + kPdNew,
        "v1:" + kPdNew.substr(3), kPdNew + ";" + kPdOld, nine}) {
    CAPTURE(bad);
    CHECK(verify_pagerduty(pd(bad), kPagerdutyBody, secrets, kNow).outcome == Outcome::kMalformed);
  }
  CHECK(verify_pagerduty(pd(kPdNew), kPagerdutyBody, rotated("pd-secret"), kNow).secret_index == 1);
  CHECK_FALSE(verify_pagerduty(pd(kPdNew), kPagerdutyBody, expired("pd-secret"), kNow).ok());
}

// ---------------------------------------------------------------------------------------
// Generic source.

// From `printf '%s' MSG | openssl dgst -<alg> -hmac generic-secret [-binary | base64]`.
const std::string kGenericBody = R"({"id":"evt_1"})";
const std::string kGenericSha1Hex = "76f57b4fe4a025dbd8e4d17f6e2a737104f4b4a9";
const std::string kGenericSha512B64 =  // over "1700000000." + body
    "GG5w0uvhX3zoXhx9ZrblXaU5kGla+HM72bY1Zn14Z4LHC/m1QFRR+/nyNHQRXNJLDAbHmmrvzAc/yF9v6Gz6lg==";

GenericConfig generic_config(std::string header, DigestAlgorithm algorithm, DigestEncoding encoding,
                             std::string prefix, std::string timestamp_header = "") {
  GenericConfig c;
  c.header = std::move(header);
  c.algorithm = algorithm;
  c.encoding = encoding;
  c.prefix = std::move(prefix);
  c.timestamp_header = std::move(timestamp_header);
  return c;
}

const GenericConfig kSha1Hex =
    generic_config("x-signature", DigestAlgorithm::kSha1, DigestEncoding::kHex, "sha1=");
// Signs the default "{timestamp}.{body}".
const GenericConfig kSha512Base64Timestamped =
    generic_config("webhook-signature", DigestAlgorithm::kSha512, DigestEncoding::kBase64, "",
                   "webhook-timestamp");

TEST_CASE("generic: sha1 hex with a prefix, body only") {
  const GenericConfig& c = kSha1Hex;
  const Headers headers = {{"x-signature", "sha1=" + kGenericSha1Hex}};
  REQUIRE(validate_generic_config(c).ok());
  CHECK(verify_generic(c, headers, kGenericBody, {secret("generic-secret")}, kNow).ok());
  CHECK(verify_generic(c, headers, kGenericBody + " ", {secret("generic-secret")}, kNow).outcome ==
        Outcome::kBadSignature);
  CHECK(verify_generic(c, headers, kGenericBody, {secret("wrong")}, kNow).outcome ==
        Outcome::kBadSignature);
  CHECK(verify_generic(c, {}, kGenericBody, {secret("generic-secret")}, kNow).outcome ==
        Outcome::kMissingHeader);
  for (const std::string& bad :
       {kGenericSha1Hex, "sha256=" + kGenericSha1Hex, "sha1=" + kGenericSha1Hex + "00"}) {
    CAPTURE(bad);
    CHECK(verify_generic(c, {{"x-signature", bad}}, kGenericBody, {secret("generic-secret")}, kNow)
              .outcome == Outcome::kMalformed);
  }
  CHECK(verify_generic(c, headers, kGenericBody, rotated("generic-secret"), kNow).secret_index ==
        1);
  CHECK_FALSE(verify_generic(c, headers, kGenericBody, expired("generic-secret"), kNow).ok());
}

TEST_CASE("generic: sha512 base64 over {timestamp}.{body} with a replay window") {
  const GenericConfig& c = kSha512Base64Timestamped;
  REQUIRE(validate_generic_config(c).ok());
  const Headers headers = {{"webhook-signature", kGenericSha512B64},
                           {"webhook-timestamp", "1700000000"}};
  const Secrets secrets = {secret("generic-secret")};
  CHECK(verify_generic(c, headers, kGenericBody, secrets, kNow).ok());
  CHECK(verify_generic(c, headers, kGenericBody, secrets, kNow + 300).ok());
  CHECK(verify_generic(c, headers, kGenericBody, secrets, kNow + 301).outcome ==
        Outcome::kStaleTimestamp);
  CHECK(verify_generic(c, {{"webhook-signature", kGenericSha512B64}}, kGenericBody, secrets, kNow)
            .outcome == Outcome::kMissingHeader);
  CHECK(verify_generic(
            c, {{"webhook-signature", kGenericSha512B64}, {"webhook-timestamp", "1700000000x"}},
            kGenericBody, secrets, kNow)
            .outcome == Outcome::kMalformed);
  // Another template over the same parts does not verify: the separator is signed.
  GenericConfig colon = c;
  colon.signed_payload = "{timestamp}:{body}";
  CHECK(verify_generic(colon, headers, kGenericBody, secrets, kNow).outcome ==
        Outcome::kBadSignature);
  // Hex of the same digest where base64 is configured is malformed.
  const std::string hex = hex_encode(base64_decode(kGenericSha512B64).value());
  CHECK(verify_generic(c, {{"webhook-signature", hex}, {"webhook-timestamp", "1700000000"}},
                       kGenericBody, secrets, kNow)
            .outcome == Outcome::kMalformed);
  CHECK(verify_generic(c, headers, kGenericBody, rotated("generic-secret"), kNow).ok());
  CHECK_FALSE(verify_generic(c, headers, kGenericBody, expired("generic-secret"), kNow).ok());
}

TEST_CASE("generic: body before timestamp in the template") {
  GenericConfig c = kSha512Base64Timestamped;
  c.encoding = DigestEncoding::kHex;
  c.algorithm = DigestAlgorithm::kSha256;
  c.signed_payload = "v1|{body}|{timestamp}";
  const std::string ts = std::to_string(kNow);
  const std::string sig =
      reference_hmac_hex(DigestAlgorithm::kSha256, "k", "v1|" + kGenericBody + "|" + ts);
  CHECK(verify_generic(c, {{"webhook-signature", sig}, {"webhook-timestamp", ts}}, kGenericBody,
                       {secret("k")}, kNow)
            .ok());
}

TEST_CASE("generic config validation names the field") {
  const auto message = [](const GenericConfig& c) {
    const Status s = validate_generic_config(c);
    return s.ok() ? std::string("ok") : s.error().message();
  };
  GenericConfig c;
  CHECK(message(c) == "ok");
  c.header = "X-Signature";
  CHECK(message(c) == "header: must be 1-64 characters of a-z 0-9 -");
  c = GenericConfig{};
  c.prefix = std::string(65, 'p');
  CHECK(message(c) == "prefix: must be at most 64 bytes");
  c = kSha512Base64Timestamped;
  c.timestamp_header = c.header;
  CHECK(message(c) ==
        "timestamp_header: must be 1-64 characters of a-z 0-9 - and not the signature header");
  for (const char* tpl :
       {"{body}", "{timestamp}", "{timestamp}{timestamp}.{body}", "{timestamp}.{body}.{body}",
        "{timestamp}.{bod}", "{{timestamp}.{body}"}) {
    CAPTURE(tpl);
    c = kSha512Base64Timestamped;
    c.signed_payload = tpl;
    CHECK(message(c) == "signed_payload: must contain {timestamp} and {body} exactly once each");
  }
  c = kSha512Base64Timestamped;
  c.tolerance_secs = 0;
  CHECK(message(c) == "tolerance_secs: must be between 1 and 86400");
  c.tolerance_secs = 86401;
  CHECK(message(c) == "tolerance_secs: must be between 1 and 86400");
  // An invalid config refuses requests rather than verifying them.
  c.tolerance_secs = 0;
  CHECK(verify_generic(
            c, {{"webhook-signature", kGenericSha512B64}, {"webhook-timestamp", "1700000000"}},
            kGenericBody, {secret("generic-secret")}, kNow)
            .outcome == Outcome::kMalformed);
}

TEST_CASE("generic: algorithm and encoding names for the YAML loader") {
  CHECK(parse_digest_algorithm("sha1") == DigestAlgorithm::kSha1);
  CHECK(parse_digest_algorithm("sha256") == DigestAlgorithm::kSha256);
  CHECK(parse_digest_algorithm("sha512") == DigestAlgorithm::kSha512);
  CHECK_FALSE(parse_digest_algorithm("SHA256").has_value());
  CHECK_FALSE(parse_digest_algorithm("md5").has_value());
  CHECK(parse_digest_encoding("hex") == DigestEncoding::kHex);
  CHECK(parse_digest_encoding("base64") == DigestEncoding::kBase64);
  CHECK_FALSE(parse_digest_encoding("base64url").has_value());
}

}  // namespace
}  // namespace aof::ingest::verify
