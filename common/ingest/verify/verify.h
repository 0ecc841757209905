#pragma once
// Webhook verification (DESIGN §6; issue 6 items 2 and 3): the one constant-time verifier
// every provider scheme goes through, and the pieces the schemes share (bounded header
// reads, strict digest parsing, the replay window). The schemes are one small function
// each: hub_signature.h (GitHub, WhatsApp, Bitbucket, Jira), token.h (GitLab, Telegram,
// Opsgenie), slack.h, discord.h, pagerduty.h, generic.h.
//
// Every scheme takes the request headers (names lower-cased, as IngressRequest has them),
// the raw body exactly as received, the secrets of the platform or trigger (rotation: every
// secret active at `now` is tried) and `now` in unix seconds, and returns a VerifyResult:
// which secret verified, or why not. The reason is for logs and metrics; the HTTP answer to
// any failure stays 401. Checks run in a fixed order — headers present and well-formed,
// then the timestamp window, then the secrets — so a malformed or stale request never costs
// a MAC. Pure functions: thread-safe, no I/O, never throw. OpenSSL stays inside the .cc.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/secrets.h"
#include "common/ingest/signature.h"

namespace aof::ingest::verify {

using Headers = std::map<std::string, std::string>;  // as IngressRequest::headers
using Secrets = std::vector<config::Secret>;

// Upper bound of any header value a scheme reads (signatures, tokens, timestamps). A longer
// value is refused as malformed before it is parsed.
inline constexpr std::size_t kMaxHeaderBytes = 1024;

// Replay window of the schemes that sign a timestamp (Slack, Discord, generic).
inline constexpr std::int64_t kDefaultToleranceSecs = 300;

enum class Outcome {
  kVerified,        // an active secret verified the request
  kMissingHeader,   // a header the scheme requires is absent
  kMalformed,       // a header is present but not in the scheme's exact shape, or too long
  kBadSignature,    // well-formed, but no active secret produced the presented signature
  kStaleTimestamp,  // the signed timestamp is more than the tolerance away from now
  kNoActiveSecret,  // no secret is active at now (all expired, not yet valid or empty)
};

// Stable snake_case names for metric labels and logs: "verified", "missing_header",
// "malformed", "bad_signature", "stale_timestamp", "no_active_secret".
std::string_view to_string(Outcome outcome);

struct VerifyResult {
  Outcome outcome = Outcome::kBadSignature;
  std::size_t secret_index = 0;  // position in the secrets vector of the one that verified
  std::string secret_label;      // its Secret::label ("env GITHUB_WEBHOOK_SECRET"), never it
  std::string detail;            // for debug logs: which header and what was wrong; never
                                 // the secret and never the presented value

  bool ok() const { return outcome == Outcome::kVerified; }
};

// A failed VerifyResult.
VerifyResult failure(Outcome outcome, std::string detail);

// THE verifier. Calls `matches(secret.bytes)` for every secret active at `now` (empty
// secrets are skipped) and does not stop at the first match, so the time taken does not say
// which secret matched; `matches` must itself compare in constant time. Verified by the
// first matching secret in vector order; kBadSignature when none matched; kNoActiveSecret
// when there was nothing to try.
VerifyResult verify_with_secrets(const Secrets& secrets, std::int64_t now,
                                 const std::function<bool(std::string_view secret)>& matches);

// HMAC schemes: verified when HMAC(algorithm, secret, signed_parts...) equals one of
// `presented` (raw digests). Every active secret is compared against every presented digest.
VerifyResult verify_hmac(const Secrets& secrets, std::int64_t now, DigestAlgorithm algorithm,
                         std::initializer_list<std::string_view> signed_parts,
                         const std::vector<std::string>& presented);

// Shared-token schemes (the header carries the secret itself): verified when `presented`
// equals a secret. SHA-256 of both are compared, so neither the length nor a prefix of a
// secret leaks through timing.
VerifyResult verify_token(const Secrets& secrets, std::int64_t now, std::string_view presented);

// Reads header `name` (lower-case) into `value`. Returns the failure to report instead:
// kMissingHeader when absent, kMalformed when empty or longer than `max_bytes`.
std::optional<VerifyResult> read_header(const Headers& headers, std::string_view name,
                                        std::string_view& value,
                                        std::size_t max_bytes = kMaxHeaderBytes);

enum class DigestEncoding { kHex, kBase64 };

// "hex", "base64".
std::string_view to_string(DigestEncoding encoding);

// The raw digest in `text` = `prefix` (exact, case-sensitive) + the digest of `algorithm`
// in `encoding` (hex: either case; base64: standard, padded). nullopt when the prefix is
// missing or the digest does not decode to exactly digest_size(algorithm) bytes.
std::optional<std::string> parse_digest(std::string_view text, std::string_view prefix,
                                        DigestAlgorithm algorithm, DigestEncoding encoding);

// Whether `timestamp` (unix seconds as the provider sends it: 1-19 ASCII digits, no sign,
// no spaces) lies within `tolerance_secs` of `now`, either side. kVerified when it does,
// kMalformed when it is not such a number (including values that overflow int64),
// kStaleTimestamp when it is outside the window.
Outcome check_timestamp(std::string_view timestamp, std::int64_t now,
                        std::int64_t tolerance_secs = kDefaultToleranceSecs);

}  // namespace aof::ingest::verify
