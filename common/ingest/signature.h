#pragma once
// HMAC-SHA256 and the one constant-time verifier every signature scheme goes through
// (GitHub's X-Hub-Signature-256 today; Slack, WhatsApp, Bitbucket, PagerDuty reuse it).
// Pure functions: thread-safe, no I/O, never throw. OpenSSL stays inside the .cc.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/secrets.h"

namespace aof::ingest {

inline constexpr std::size_t kSha256Bytes = 32;

// HMAC-SHA256(key, message): 32 raw bytes.
std::string hmac_sha256(std::string_view key, std::string_view message);

// SHA-256(data): 32 raw bytes.
std::string sha256(std::string_view data);

// Lower-case hex of raw bytes.
std::string hex_encode(std::string_view bytes);

// Raw bytes of a hex string; upper- and lower-case digits are both accepted. nullopt on an
// odd length or a non-hex character.
std::optional<std::string> hex_decode(std::string_view hex);

// Constant-time equality of two digests. Different lengths → false without looking at the
// content (the length of a digest is public; its bytes are not).
bool digests_equal(std::string_view a, std::string_view b);

// Which secret verified a request.
struct VerifiedSecret {
  std::size_t index = 0;  // position in the secrets vector
  std::string label;      // Secret::label ("env GITHUB_WEBHOOK_SECRET"), never the secret
};

// Verifies `presented_hex` (hex of an HMAC-SHA256 digest, either case, no prefix) against
// HMAC-SHA256(secret, body) for every secret active at `now_unix_secs` (rotation: several
// secrets may be active at once). Returns the first secret that verified, or nullopt when
// none did, when the hex is malformed or when it is not exactly 32 bytes. Every active
// secret is tried even after a match, so the time taken does not say which one matched.
std::optional<VerifiedSecret> verify_hmac_sha256_hex(const std::vector<config::Secret>& secrets,
                                                     std::string_view body,
                                                     std::string_view presented_hex,
                                                     std::int64_t now_unix_secs);

}  // namespace aof::ingest
