#pragma once
// Digests and hex, for everything that names bytes by their hash: signature schemes
// (common/ingest/signature.h builds HMACs on these), Redis script SHA-1s, body_ref and replay
// records. Pure functions: thread-safe, no I/O, never throw. OpenSSL stays inside the .cc.

#include <optional>
#include <string>
#include <string_view>

namespace aof {

// SHA-256(data) and SHA-1(data): raw digest bytes (32 and 20). Empty on an OpenSSL failure.
std::string sha256(std::string_view data);
std::string sha1(std::string_view data);

// The value of one hex digit (either case), or -1.
int hex_digit_value(char c);

// Lower-case hex of raw bytes.
std::string hex_encode(std::string_view bytes);

// Raw bytes of a hex string; upper- and lower-case digits are both accepted. nullopt on an
// odd length or a non-hex character.
std::optional<std::string> hex_decode(std::string_view hex);

// Lower-case hex of SHA-256(data) / SHA-1(data).
inline std::string sha256_hex(std::string_view data) { return hex_encode(sha256(data)); }
inline std::string sha1_hex(std::string_view data) { return hex_encode(sha1(data)); }

}  // namespace aof
