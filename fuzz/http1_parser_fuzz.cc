// Bytes from an untrusted client, given to the HTTP/1.1 request parser (sidecar/http1/) whole
// and in pieces whose sizes the first byte picks. Never a crash; the pieces give exactly the
// outcome of the whole (phase, status, message, request); consumed never exceeds what was
// given and is 0 after kComplete or kError; the phase only moves forward; a complete request's
// body obeys its framing and the limit. Pipelined requests are parsed until the bytes end.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sidecar/http1/request_parser.h"

namespace {

namespace http1 = aof::sidecar::http1;

// Small limits, so short inputs reach every refusal.
constexpr http1::Limits kLimits{64, 256, 8, 1024};

struct Outcome {
  http1::Phase phase = http1::Phase::kHead;
  int status = 0;
  std::string error;
  http1::Request request;
  std::size_t used = 0;  // bytes of the stream consumed (meaningful when complete)
};

void check(bool condition) {
  if (!condition) std::abort();
}

int rank(http1::Phase phase) { return static_cast<int>(phase); }

// Piece sizes 1..64 from a tiny xorshift seeded by `seed`; seed 0 means one piece.
std::size_t next_piece(std::uint32_t& seed, std::size_t left) {
  if (seed == 0) return left;
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return std::min<std::size_t>(left, 1 + seed % 64);
}

Outcome parse_one(std::string_view stream, std::uint32_t seed) {
  http1::RequestParser parser(kLimits);
  std::string pending;
  std::size_t offset = 0;
  Outcome out;
  while (offset < stream.size()) {
    const std::size_t piece = next_piece(seed, stream.size() - offset);
    pending.append(stream.substr(offset, piece));
    offset += piece;
    const http1::Phase before = parser.phase();
    const std::size_t consumed = parser.feed(pending);
    check(consumed <= pending.size());
    check(rank(parser.phase()) >= rank(before));
    if (before == http1::Phase::kComplete || before == http1::Phase::kError) check(consumed == 0);
    out.used += consumed;
    pending.erase(0, consumed);
  }
  out.phase = parser.phase();
  out.status = parser.error_status();
  out.error = parser.error();
  check((out.phase == http1::Phase::kError) == (out.status != 0));
  if (out.phase == http1::Phase::kComplete) {
    check(parser.head_complete());
    out.request = parser.take();
  }
  return out;
}

void check_request(const http1::Request& r) {
  check(!r.method.empty() && !r.target.empty());
  check(r.headers.size() <= kLimits.max_headers);
  check(r.body.size() <= static_cast<std::size_t>(kLimits.max_body_bytes));
  if (r.content_length >= 0) check(r.body.size() == static_cast<std::size_t>(r.content_length));
  if (r.chunked) check(r.content_length == -1 && r.minor_version == 1);
  if (!r.chunked && r.content_length < 0) check(r.body.empty());
}

bool same(const http1::Request& a, const http1::Request& b) {
  return a.method == b.method && a.target == b.target && a.path == b.path && a.query == b.query &&
         a.minor_version == b.minor_version && a.headers == b.headers && a.body == b.body &&
         a.keep_alive == b.keep_alive && a.expect_continue == b.expect_continue &&
         a.content_length == b.content_length && a.chunked == b.chunked;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint32_t seed = data[0] | 1u;
  std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  for (int requests = 0; requests < 16 && !stream.empty(); ++requests) {
    const Outcome whole = parse_one(stream, 0);
    const Outcome pieces = parse_one(stream, seed);
    check(whole.phase == pieces.phase && whole.status == pieces.status &&
          whole.error == pieces.error);
    if (whole.phase != http1::Phase::kComplete) break;
    check(whole.used == pieces.used && whole.used <= stream.size());
    check(same(whole.request, pieces.request));
    check_request(whole.request);
    stream.remove_prefix(whole.used);
  }
  (void)http1::parse_query(stream, 8);
  return 0;
}
