// aof-bench-verify: what signature verification costs per provider scheme (issue 6 item 9).
// For each scheme and body size (4,096 and 25,600 bytes, as bench/ingest/run.sh sends), a
// correctly signed request is verified `--iterations` times per run with one active secret;
// the median ns per verify over `--runs` runs is printed (and the min and max run), after
// one uncounted warm-up run. Every
// verify must succeed, or the bench exits 1 (so a failure path is never what is timed).
// Signing uses the library's own HMAC and a throwaway Ed25519 key; it is not timed.
//
//   build/bin/aof-bench-verify [--iterations N] [--runs R]

#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/ingest/verify/discord.h"
#include "common/ingest/verify/generic.h"
#include "common/ingest/verify/hub_signature.h"
#include "common/ingest/verify/pagerduty.h"
#include "common/ingest/verify/slack.h"
#include "common/ingest/verify/token.h"

namespace {

using namespace aof::ingest;          // NOLINT(google-build-using-namespace): a bench main
using namespace aof::ingest::verify;  // NOLINT(google-build-using-namespace)

constexpr std::int64_t kNow = 1'700'000'000;
constexpr std::string_view kTs = "1700000000";  // kNow
constexpr std::string_view kSecret = "bench-secret-0123456789abcdef";

using HubFn = VerifyResult (*)(const Headers&, std::string_view, const Secrets&, std::int64_t);

struct Case {
  std::string name;
  Headers headers;
  std::function<VerifyResult(const Headers&, const std::string&)> verify;
};

aof::config::Secret make_secret(std::string_view bytes) {
  aof::config::Secret s;
  s.bytes = std::string(bytes);
  s.label = "bench";
  return s;
}

std::string hex_hmac(DigestAlgorithm a, std::initializer_list<std::string_view> parts) {
  return hex_encode(hmac(a, kSecret, parts));
}

// A throwaway Ed25519 key pair for the Discord case.
struct Ed25519 {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{nullptr, &EVP_PKEY_free};
  Ed25519() {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
    EVP_PKEY* k = nullptr;
    EVP_PKEY_keygen_init(ctx);
    EVP_PKEY_keygen(ctx, &k);
    EVP_PKEY_CTX_free(ctx);
    key.reset(k);
  }
  std::string public_hex() const {
    unsigned char raw[32];
    std::size_t len = sizeof raw;
    EVP_PKEY_get_raw_public_key(key.get(), raw, &len);
    return hex_encode(std::string(reinterpret_cast<const char*>(raw), len));
  }
  std::string sign_hex(const std::string& msg) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    unsigned char sig[64];
    std::size_t len = sizeof sig;
    EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key.get());
    EVP_DigestSign(ctx, sig, &len, reinterpret_cast<const unsigned char*>(msg.data()), msg.size());
    EVP_MD_CTX_free(ctx);
    return hex_encode(std::string(reinterpret_cast<const char*>(sig), len));
  }
};

std::vector<Case> cases(const std::string& body, const Ed25519& discord_key) {
  const Secrets secrets = {make_secret(kSecret)};
  const Secrets keys = {make_secret(discord_key.public_hex())};
  const std::string hub = "sha256=" + hex_hmac(DigestAlgorithm::kSha256, {body});
  GenericConfig generic;  // signs "{timestamp}.{body}"
  generic.header = "webhook-signature";
  generic.algorithm = DigestAlgorithm::kSha512;
  generic.encoding = DigestEncoding::kBase64;
  generic.prefix = "";
  generic.timestamp_header = "webhook-timestamp";
  const std::string generic_sig =
      base64_encode(hmac(DigestAlgorithm::kSha512, kSecret, {kTs, ".", body}));
  const OpsgenieConfig opsgenie;
  auto hub_case = [&](std::string name, std::string header, HubFn fn) {
    return Case{std::move(name),
                {{std::move(header), hub}},
                [=](const Headers& h, const std::string& b) { return fn(h, b, secrets, kNow); }};
  };
  return {
      hub_case("github", "x-hub-signature-256", verify_github),
      hub_case("whatsapp", "x-hub-signature-256", verify_whatsapp),
      hub_case("bitbucket", "x-hub-signature", verify_bitbucket),
      hub_case("jira", "x-hub-signature", verify_jira),
      {"gitlab",
       {{"x-gitlab-token", std::string(kSecret)}},
       [=](const Headers& h, const std::string& b) { return verify_gitlab(h, b, secrets, kNow); }},
      {"telegram",
       {{"x-telegram-bot-api-secret-token", std::string(kSecret)}},
       [=](const Headers& h, const std::string& b) {
         return verify_telegram(h, b, secrets, kNow);
       }},
      {"opsgenie",
       {{"authorization", "Bearer " + std::string(kSecret)}},
       [=](const Headers& h, const std::string& b) {
         return verify_opsgenie(opsgenie, h, b, secrets, kNow);
       }},
      {"slack",
       {{"x-slack-signature", "v0=" + hex_hmac(DigestAlgorithm::kSha256, {"v0:", kTs, ":", body})},
        {"x-slack-request-timestamp", std::string(kTs)}},
       [=](const Headers& h, const std::string& b) { return verify_slack(h, b, secrets, kNow); }},
      {"pagerduty (1 of 2 sigs)",
       {{"x-pagerduty-signature", "v1=" + std::string(64, '0') + ",v1=" + hub.substr(7)}},
       [=](const Headers& h, const std::string& b) {
         return verify_pagerduty(h, b, secrets, kNow);
       }},
      {"generic sha512 b64 +ts",
       {{"webhook-signature", generic_sig}, {"webhook-timestamp", std::string(kTs)}},
       [=](const Headers& h, const std::string& b) {
         return verify_generic(generic, h, b, secrets, kNow);
       }},
      {"discord (ed25519)",
       {{"x-signature-ed25519", discord_key.sign_hex(std::string(kTs) + body)},
        {"x-signature-timestamp", std::string(kTs)}},
       [=](const Headers& h, const std::string& b) { return verify_discord(h, b, keys, kNow); }},
  };
}

// A JSON body of exactly `size` bytes.
std::string make_body(std::size_t size) {
  std::string body = R"({"action":"opened","pull_request":{"body":")";
  const std::string tail = "\"}}";
  while (body.size() + tail.size() < size)
    body.push_back(static_cast<char>('a' + body.size() % 26));
  return body + tail;
}

// Median, min and max ns per verify over `runs` runs of `iterations` verifies.
struct Timing {
  double median = 0;
  double min = 0;
  double max = 0;
};

Timing measure(const Case& c, const std::string& body, int iterations, int runs) {
  std::vector<double> per_verify;
  for (int r = -1; r < runs; ++r) {  // run -1 warms caches and is not counted
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; ++i) {
      if (!c.verify(c.headers, body).ok()) {
        std::fprintf(stderr, "%s: verification failed\n", c.name.c_str());
        std::exit(1);
      }
    }
    const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
    if (r >= 0) per_verify.push_back(took.count() / iterations);
  }
  std::sort(per_verify.begin(), per_verify.end());
  return {per_verify[per_verify.size() / 2], per_verify.front(), per_verify.back()};
}

int int_arg(int argc, char** argv, const std::string& name, int fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (argv[i] == name) return std::max(1, std::atoi(argv[i + 1]));
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = int_arg(argc, argv, "--iterations", 2000);
  const int runs = int_arg(argc, argv, "--runs", 7);
  const Ed25519 discord_key;
  std::printf("%d runs x %d verifies, one active secret; ns per verify: median (min-max)\n", runs,
              iterations);
  std::printf("| scheme | 4 KB | 25 KB |\n|---|---|---|\n");
  const std::string small = make_body(4096);
  const std::string large = make_body(25600);
  const std::vector<Case> small_cases = cases(small, discord_key);
  const std::vector<Case> large_cases = cases(large, discord_key);
  for (std::size_t i = 0; i < small_cases.size(); ++i) {
    const Timing s = measure(small_cases[i], small, iterations, runs);
    const Timing l = measure(large_cases[i], large, iterations, runs);
    std::printf("| %s | %.0f (%.0f-%.0f) | %.0f (%.0f-%.0f) |\n", small_cases[i].name.c_str(),
                s.median, s.min, s.max, l.median, l.min, l.max);
  }
  return 0;
}
