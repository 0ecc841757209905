#pragma once
// A strict, bounded, incremental HTTP/1.1 request parser for the event-loop webhook server,
// which reads untrusted bytes from the internet. Pure byte parsing: no sockets, no clock, no
// exceptions. Feed it whatever a read() returned; it keeps what it needs and says when one
// request is complete or why it must be refused (with the status to send before closing).
//
// Why strict: a server that guesses at a malformed length can be made to read a different
// request than a proxy in front of it did (request smuggling, RFC 9112 §11.2). Every ambiguity
// is refused (see framing.h for the body-length rules, head_syntax.h for the line grammar).
// Why bounded: every buffer has a limit checked as bytes arrive, not when a line ends, so a
// peer that never sends CRLF cannot make us hold more than the limit.
// Why incremental and linear: each byte is examined a bounded number of times however the
// input is split (the head is collected line by line from where the last feed stopped, and a
// chunked body is decoded as it arrives), so a 25 MiB body in 64 KiB reads costs one pass.
//
// Line ends: CRLF or a bare LF (RFC 9112 §2.2), in the head, in chunk-size lines and trailers.
// After chunk data exactly CRLF is required. A bare CR anywhere else is refused.
// Request targets: origin-form, "*" (OPTIONS only) and absolute-form http(s) URLs, whose path
// is used; see split_target in head_syntax.h.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sidecar/http1/percent_decode.h"

namespace aof::sidecar::http1 {

struct Limits {
  std::size_t max_request_line_bytes = 8192;  // longer → 414 (line end not counted)
  std::size_t max_header_bytes = 65536;       // all field lines (and trailers) together, line
                                              // ends not counted → 431
  std::size_t max_headers = 100;              // more field lines (trailers included) → 431
  std::int64_t max_body_bytes = 26214400;     // decoded body larger → 413
};

struct Request {
  std::string method;     // "POST" (case-sensitive token)
  std::string target;     // raw request-target: "/webhook/github?x=1"
  std::string path;       // target's path before '?', percent-decoded (not '+'); "*" for
                          // "OPTIONS *"; for an absolute URL, its path ("/" if none)
  std::string query;      // raw text after '?' ("" if none); see parse_query
  int minor_version = 1;  // HTTP/1.0 → 0, HTTP/1.1 → 1
  // Names lower-cased ASCII, values with leading/trailing SP/HT removed, in arrival order.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // decoded (chunked framing removed)
  // 1.1: unless "connection: close"; 1.0: only with "connection: keep-alive" (token lists,
  // case-insensitive, over all Connection fields).
  bool keep_alive = true;
  bool expect_continue = false;      // "expect: 100-continue" (case-insensitive)
  std::int64_t content_length = -1;  // declared Content-Length, -1 when absent (chunked or none)
  bool chunked = false;
};

enum class Phase { kHead, kBody, kComplete, kError };

class RequestParser {
 public:
  explicit RequestParser(Limits limits);

  // Consumes bytes from the start of `input` and returns how many it consumed. Stops after the
  // end of one request (kComplete), so bytes of a pipelined next request are left unconsumed
  // for the next parse after reset(). Call again with the unconsumed bytes plus new bytes.
  // While the request is incomplete it consumes everything given (keeping at most one partial
  // line, itself bounded by the limits, plus the body). After kComplete or kError it consumes
  // nothing. Never throws; never reads outside `input`.
  std::size_t feed(std::string_view input);

  Phase phase() const { return phase_; }

  // True once the head (request line + headers) has been parsed and validated, so a server can
  // check content_length against its own in-flight budget and send "100 Continue" before the
  // body arrives. Stays true if the body is later refused.
  bool head_complete() const { return head_complete_; }

  // The request so far: after head_complete() everything but the body is final.
  const Request& request() const { return request_; }

  // Moves the request out (after kComplete); request() is empty afterwards.
  Request take();

  // 400, 411, 413, 414, 431, 501 or 505 when phase() is kError, else 0. (411 is never chosen
  // today: a request without framing has an empty body, RFC 9112 §6.3.) The server sends it
  // and closes the connection: after an error the byte stream cannot be trusted.
  int error_status() const { return error_status_; }

  // A short message for logs, e.g. "header line without ':'"; empty unless kError.
  const std::string& error() const { return error_; }

  // Ready for the next request on the same connection (after kComplete); also clears an error.
  void reset();

 private:
  enum class BodyState { kLength, kChunkSize, kChunkData, kChunkDataCr, kChunkDataLf, kTrailers };
  enum class LineStatus { kLine, kNeedMore, kTooLong };

  LineStatus collect_line(std::string_view input, std::size_t& pos, std::size_t max_bytes);
  bool step_head(std::string_view input, std::size_t& pos);
  bool on_request_line();
  bool on_field_line();
  bool finish_head();
  bool step_body(std::string_view input, std::size_t& pos);
  bool copy_body(std::string_view input, std::size_t& pos);
  bool expect_byte(std::string_view input, std::size_t& pos, char wanted, BodyState next);
  bool on_chunk_size_line();
  bool on_trailer_line();
  bool count_field_line();
  std::size_t header_budget_left() const;
  bool fail(int status, std::string_view message);

  Limits limits_;
  Phase phase_ = Phase::kHead;
  BodyState body_state_ = BodyState::kLength;
  Request request_;
  std::string line_;  // the line being collected, line end excluded
  bool request_line_done_ = false;
  bool head_complete_ = false;
  std::size_t empty_lines_ = 0;   // skipped before the request line
  std::size_t header_bytes_ = 0;  // field lines and trailers so far
  std::size_t field_lines_ = 0;   // field lines and trailers so far
  std::uint64_t body_left_ = 0;   // of the Content-Length body or of the current chunk
  int error_status_ = 0;
  std::string error_;
};

}  // namespace aof::sidecar::http1
