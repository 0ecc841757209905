#pragma once
// A generic signed-webhook source (issue 6 item 2): one header carrying
// prefix + encode(HMAC-<algorithm>(secret, signed payload)); optionally a second header
// carrying a unix-seconds timestamp that is part of the signed payload and must lie within
// the tolerance of now. The config is plain fields with defaults, ready to be read from YAML
// (validate_generic_config gives the loader its messages; parse_* its enum values).
//
// Checks in order: signature header (or timestamp header, when configured) missing →
// kMissingHeader; signature not prefix + exactly one digest of the algorithm in the
// encoding, or timestamp not 1-19 digits → kMalformed; timestamp outside the window →
// kStaleTimestamp; then the secrets → kBadSignature / kVerified. A config that fails
// validate_generic_config refuses every request (kMalformed), never verifies one.

#include <string>

#include "common/base/result.h"
#include "common/ingest/verify/verify.h"

namespace aof::ingest::verify {

struct GenericConfig {
  // Lower-case name of the signature header. Default "x-signature".
  std::string header = "x-signature";
  // sha1 | sha256 | sha512. Default sha256.
  DigestAlgorithm algorithm = DigestAlgorithm::kSha256;
  // hex (either case) | base64 (standard, padded). Default hex.
  DigestEncoding encoding = DigestEncoding::kHex;
  // Literal before the digest, case-sensitive, at most 64 bytes; may be "". Default "sha256=".
  std::string prefix = "sha256=";
  // Lower-case name of the timestamp header; "" (the default): only the body is signed.
  std::string timestamp_header;
  // With a timestamp header, what is signed: {timestamp} and {body} exactly once each, any
  // other text literal ("{timestamp}:{body}", "v1:{timestamp}:{body}"). Ignored without one.
  // Default "{timestamp}.{body}".
  std::string signed_payload = "{timestamp}.{body}";
  // Replay window in seconds, 1..86400, with a timestamp header. Default 300.
  std::int64_t tolerance_secs = kDefaultToleranceSecs;
};

// kInvalidArgument naming the field: "header: must be 1-64 characters of a-z 0-9 -",
// "prefix: must be at most 64 bytes", "timestamp_header: ...", "signed_payload: must contain
// {timestamp} and {body} exactly once each", "tolerance_secs: must be between 1 and 86400".
Status validate_generic_config(const GenericConfig& config);

// Whether `name` is a lower-case header name as the config takes them: 1-64 characters of
// a-z 0-9 - (also for platforms.generic's event_header and delivery_header).
bool is_header_name(std::string_view name);

// "sha1" / "sha256" / "sha512" and "hex" / "base64" exactly; nullopt otherwise.
std::optional<DigestAlgorithm> parse_digest_algorithm(std::string_view name);
std::optional<DigestEncoding> parse_digest_encoding(std::string_view name);

VerifyResult verify_generic(const GenericConfig& config, const Headers& headers,
                            std::string_view body, const Secrets& secrets, std::int64_t now);

}  // namespace aof::ingest::verify
