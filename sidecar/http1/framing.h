#pragma once
// How long the body is and what the connection does next, decided from the parsed header
// fields (RFC 9112 §6 and §9). This is where request smuggling is stopped: a message whose
// length two parsers could read differently is refused, never guessed at.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sidecar/http1/head_syntax.h"

namespace aof::sidecar::http1 {

struct Framing {
  std::int64_t content_length = -1;  // declared Content-Length, -1 when absent
  bool chunked = false;
  bool keep_alive = true;
  bool expect_continue = false;
};

// Reads Host, Transfer-Encoding, Content-Length, Connection and Expect from `headers` (names
// already lower-cased). Refuses:
// * HTTP/1.1 without Host, or more than one Host → 400 (RFC 9112 §3.2);
// * Transfer-Encoding with Content-Length, or in HTTP/1.0 → 400 (§6.1);
// * Transfer-Encoding where chunked is present but not last, or repeated → 400 (§6.3);
// * any other transfer coding ("gzip", "gzip, chunked") → 501: we decode chunked only;
// * Content-Length that is not 1-18 digits, or several that differ → 400 (§6.3);
// * Content-Length over `max_body_bytes` → 413 before any body byte is read.
// No framing at all means an empty body (a request is never read until close, §6.3).
Verdict decide_framing(const std::vector<std::pair<std::string, std::string>>& headers,
                       int minor_version, std::int64_t max_body_bytes, Framing& out);

// `chunk-size [BWS ";" chunk-ext]`, line end removed (RFC 9112 §7.1). 1-16 hex digits, so the
// size always fits in 64 bits; extensions are ignored but may hold no control character other
// than HT. Anything else → 400.
Verdict parse_chunk_size_line(std::string_view line, std::uint64_t& size);

}  // namespace aof::sidecar::http1
