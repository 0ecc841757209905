#pragma once
// Small pieces of broker URL handling shared by the Redis and NATS backends.

#include <optional>
#include <string>
#include <string_view>

namespace aof::queue {

// A decimal integer in [min, max]; nullopt otherwise (also for junk after the digits).
std::optional<long long> parse_url_int(std::string_view text, long long min, long long max);

// Decodes %XX escapes; nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text);

// What every backend appends to "cannot reach <backend> at HOST:PORT: <why>", so an operator
// reads the same next step whichever broker is away (DESIGN §8).
inline constexpr const char* kUnreachableHint =
    " — is it running? is queue.url (or --queue-url) right?";

}  // namespace aof::queue
