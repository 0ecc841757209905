// Every provider's header parsing and verification on arbitrary header values and bodies:
// never a crash, and an HMAC scheme never verifies bytes the fuzzer made up (it cannot know
// the secret's digest; the token schemes can be guessed, so they are only run).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/ingest/verify/discord.h"
#include "common/ingest/verify/generic.h"
#include "common/ingest/verify/hub_signature.h"
#include "common/ingest/verify/pagerduty.h"
#include "common/ingest/verify/slack.h"
#include "common/ingest/verify/token.h"

namespace v = aof::ingest::verify;

namespace {

// The input as NUL-separated fields: header values first, then the body.
std::vector<std::string> fields(const std::uint8_t* data, std::size_t size, std::size_t count) {
  std::vector<std::string> out(count);
  std::size_t field = 0;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0 && field + 1 < count) {
      ++field;
    } else {
      out[field].push_back(static_cast<char>(data[i]));
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const v::Secrets secrets = {{"fuzz-secret", std::nullopt, std::nullopt, "literal"}};
  // RFC 8032 test 1's public key: Discord's "secret" is the application's public key.
  static const v::Secrets discord_keys = {
      {"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", std::nullopt,
       std::nullopt, "literal"}};
  constexpr std::int64_t kNow = 1700000000;
  const auto f = fields(data, size, 4);
  const std::string& body = f[3];
  v::Headers headers = {{"x-hub-signature-256", f[0]}, {"x-hub-signature", f[0]},
                        {"x-slack-signature", f[0]},   {"x-slack-request-timestamp", f[1]},
                        {"x-signature-ed25519", f[0]}, {"x-signature-timestamp", f[1]},
                        {"x-pagerduty-signature", f[0]}, {"x-signature", f[0]},
                        {"x-timestamp", f[1]},         {"x-gitlab-token", f[2]},
                        {"x-telegram-bot-api-secret-token", f[2]}, {"authorization", f[2]}};
  const bool forged = v::verify_github(headers, body, secrets, kNow).ok() ||
                      v::verify_bitbucket(headers, body, secrets, kNow).ok() ||
                      v::verify_slack(headers, body, secrets, kNow).ok() ||
                      v::verify_pagerduty(headers, body, secrets, kNow).ok() ||
                      v::verify_discord(headers, body, discord_keys, kNow).ok();
  if (forged) std::abort();
  v::GenericConfig generic;
  generic.timestamp_header = "x-timestamp";
  if (v::verify_generic(generic, headers, body, secrets, kNow).ok()) std::abort();
  (void)v::verify_gitlab(headers, body, secrets, kNow);
  (void)v::verify_telegram(headers, body, secrets, kNow);
  (void)v::verify_opsgenie(v::OpsgenieConfig{}, headers, body, secrets, kNow);
  return 0;
}
