#pragma once
// Small pieces of broker URL parsing shared by redis_url.cc and nats_url.cc.

#include <optional>
#include <string>
#include <string_view>

namespace aof::queue {

// A decimal integer in [min, max]; nullopt otherwise (also for junk after the digits).
std::optional<long long> parse_url_int(std::string_view text, long long min, long long max);

// Decodes %XX escapes; nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace aof::queue
