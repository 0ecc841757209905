#pragma once
// The cryptographic primitives every signature scheme goes through: HMAC and digests over
// SHA-1 / SHA-256 / SHA-512, hex and base64, and constant-time digest equality. The schemes
// themselves (which header, what is signed) are in common/ingest/verify/.
// Pure functions: thread-safe, no I/O, never throw. OpenSSL stays inside the .cc.

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "common/base/digest.h"

namespace aof::ingest {

inline constexpr std::size_t kSha256Bytes = 32;

// The hash functions a provider may sign with.
enum class DigestAlgorithm { kSha1, kSha256, kSha512 };

// Digest length in bytes: 20, 32, 64.
std::size_t digest_size(DigestAlgorithm algorithm);

// "sha1", "sha256", "sha512".
std::string_view to_string(DigestAlgorithm algorithm);

// HMAC(key, part1 || part2 || ...): raw digest bytes; the parts are fed in order without
// being copied together (Slack signs "v0:" + timestamp + ":" + body). Empty on an OpenSSL
// failure, which never equals a presented digest.
std::string hmac(DigestAlgorithm algorithm, std::string_view key,
                 std::initializer_list<std::string_view> parts);

// HMAC-SHA256(key, message): 32 raw bytes.
std::string hmac_sha256(std::string_view key, std::string_view message);

// SHA-256 and hex (common/base/digest.h), here too for the schemes' callers.
using ::aof::hex_decode;
using ::aof::hex_encode;
using ::aof::sha256;

// Standard base64 (RFC 4648 §4, '+' and '/', '=' padding).
std::string base64_encode(std::string_view bytes);

// Raw bytes of standard, padded base64. Strict: nullopt on a length that is not a multiple
// of 4, a character outside the alphabet, misplaced padding or non-zero padding bits (so
// every digest has exactly one accepted spelling).
std::optional<std::string> base64_decode(std::string_view text);

inline constexpr std::size_t kEd25519PublicKeyBytes = 32;
inline constexpr std::size_t kEd25519SignatureBytes = 64;

// Whether `signature` (64 raw bytes) is a valid Ed25519 signature (RFC 8032, pure Ed25519)
// of `message` under `public_key` (32 raw bytes). False on any wrong length or bad key.
bool ed25519_verify(std::string_view public_key, std::string_view signature,
                    std::string_view message);

// Constant-time equality of two digests. Different lengths → false without looking at the
// content (the length of a digest is public; its bytes are not). Empty never equals.
bool digests_equal(std::string_view a, std::string_view b);

}  // namespace aof::ingest
