#pragma once
// W3C trace context (https://www.w3.org/TR/trace-context/) at the edge: keep a caller's
// well-formed `traceparent`, or start a new trace. Thread-safe, never throws.

#include <string>
#include <string_view>

namespace aof::ingest {

// Whether `value` is a usable traceparent: "vv-<32 hex>-<16 hex>-<2 hex>", lower-case hex,
// version not "ff", trace id and parent id not all zeros. Version 00 must be exactly 55
// characters; a higher version may carry more after a '-' (the spec's forward compatibility).
bool is_valid_traceparent(std::string_view value);

// `incoming` when valid (reduced to its version-00 form), else a new random sampled one
// ("00-<random trace id>-<random span id>-01").
std::string continue_or_start_trace(std::string_view incoming);

}  // namespace aof::ingest
