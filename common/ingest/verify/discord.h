#pragma once
// Discord interactions ("Security and Authorization"): X-Signature-Ed25519 is the hex
// Ed25519 signature (64 bytes → 128 hex digits) of X-Signature-Timestamp + raw body under
// the application's public key. The "secrets" are public keys, hex as the Developer Portal
// shows them (64 hex digits); rotation works as for HMAC secrets (every active key tried).
// A key that is not 64 hex digits never verifies (is_discord_public_key lets config loading
// refuse it up front). The timestamp must lie within the tolerance of now (Discord sends
// unix seconds). Checks in order: either header missing → kMissingHeader; signature not 128
// hex digits, or timestamp not 1-19 digits → kMalformed; outside the window →
// kStaleTimestamp; then the keys → kBadSignature / kVerified. Discord's endpoint check sends
// deliberately bad signatures and requires a 401 for them.

#include "common/ingest/verify/verify.h"

namespace aof::ingest::verify {

VerifyResult verify_discord(const Headers& headers, std::string_view body,
                            const Secrets& public_keys, std::int64_t now,
                            std::int64_t tolerance_secs = kDefaultToleranceSecs);

// Whether `hex` is a usable Discord application public key: 64 hex digits.
bool is_discord_public_key(std::string_view hex);

}  // namespace aof::ingest::verify
