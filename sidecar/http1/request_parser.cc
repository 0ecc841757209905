#include "sidecar/http1/request_parser.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "sidecar/http1/framing.h"
#include "sidecar/http1/head_syntax.h"

namespace aof::sidecar::http1 {
namespace {

// Empty lines tolerated before the request line (RFC 9112 §2.2: a client may send a CRLF after
// a POST body); more is not a client we want.
constexpr std::size_t kMaxLeadingEmptyLines = 4;
// A chunk-size line with its extensions; extensions are ignored, so they need little room.
constexpr std::size_t kMaxChunkSizeLineBytes = 4096;

void lower_ascii(std::string& text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

}  // namespace

RequestParser::RequestParser(Limits limits) : limits_(limits) {}

std::size_t RequestParser::feed(std::string_view input) {
  std::size_t pos = 0;
  bool progress = true;
  while (progress && (phase_ == Phase::kHead || phase_ == Phase::kBody)) {
    progress = phase_ == Phase::kHead ? step_head(input, pos) : step_body(input, pos);
  }
  return pos;
}

Request RequestParser::take() {
  Request out = std::move(request_);
  request_ = Request{};
  return out;
}

void RequestParser::reset() {
  const Limits limits = limits_;
  *this = RequestParser(limits);
}

// Appends the input up to the next LF to line_ and consumes it. kLine: line_ holds a whole line
// without its CRLF or LF. kTooLong: the line passed `max_bytes`, found as soon as the bytes
// arrive (one byte of slack for a CR that may precede the LF). The memchr starts where the
// previous call stopped, so a head split into many feeds is still scanned once.
RequestParser::LineStatus RequestParser::collect_line(std::string_view input, std::size_t& pos,
                                                      std::size_t max_bytes) {
  const char* begin = input.data() + pos;
  const std::size_t available = input.size() - pos;
  const void* lf = available == 0 ? nullptr : std::memchr(begin, '\n', available);
  const std::size_t before_lf =
      lf == nullptr ? available : static_cast<std::size_t>(static_cast<const char*>(lf) - begin);
  const std::size_t slack = max_bytes < std::numeric_limits<std::size_t>::max() ? 1 : 0;
  if (line_.size() + before_lf > max_bytes + slack) return LineStatus::kTooLong;
  line_.append(begin, before_lf);
  pos += before_lf;
  if (lf == nullptr) return LineStatus::kNeedMore;
  ++pos;
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  return line_.size() > max_bytes ? LineStatus::kTooLong : LineStatus::kLine;
}

bool RequestParser::step_head(std::string_view input, std::size_t& pos) {
  const std::size_t max_bytes =
      request_line_done_ ? header_budget_left() : limits_.max_request_line_bytes;
  switch (collect_line(input, pos, max_bytes)) {
    case LineStatus::kNeedMore:
      return false;
    case LineStatus::kTooLong:
      return request_line_done_ ? fail(431, "header section too large")
                                : fail(414, "request line too long");
    case LineStatus::kLine:
      break;
  }
  const bool ok = request_line_done_ ? on_field_line() : on_request_line();
  line_.clear();
  return ok;
}

bool RequestParser::on_request_line() {
  if (line_.empty()) {
    if (++empty_lines_ > kMaxLeadingEmptyLines) return fail(400, "too many empty lines");
    return true;
  }
  RequestLine parsed;
  TargetParts parts;
  Verdict verdict = parse_request_line(line_, parsed);
  if (verdict.ok()) verdict = split_target(parsed.method, parsed.target, parts);
  if (!verdict.ok()) return fail(verdict.status, verdict.message);
  request_.method = parsed.method;
  request_.target = parsed.target;
  request_.minor_version = parsed.minor_version;
  request_.path = percent_decode(parts.path, false);
  request_.query = parts.query;
  request_line_done_ = true;
  return true;
}

bool RequestParser::on_field_line() {
  if (line_.empty()) return finish_head();
  FieldLine field;
  if (Verdict v = parse_field_line(line_, field); !v.ok()) return fail(v.status, v.message);
  if (!count_field_line()) return false;
  std::string name(field.name);
  lower_ascii(name);
  request_.headers.emplace_back(std::move(name), std::string(field.value));
  return true;
}

// Counts one field line (header or trailer) against max_headers and max_header_bytes.
bool RequestParser::count_field_line() {
  header_bytes_ += line_.size();
  if (++field_lines_ > limits_.max_headers) return fail(431, "too many header fields");
  return true;
}

std::size_t RequestParser::header_budget_left() const {
  return limits_.max_header_bytes - std::min(header_bytes_, limits_.max_header_bytes);
}

bool RequestParser::finish_head() {
  Framing framing;
  const Verdict verdict =
      decide_framing(request_.headers, request_.minor_version, limits_.max_body_bytes, framing);
  if (!verdict.ok()) return fail(verdict.status, verdict.message);
  request_.content_length = framing.content_length;
  request_.chunked = framing.chunked;
  request_.keep_alive = framing.keep_alive;
  request_.expect_continue = framing.expect_continue;
  head_complete_ = true;
  if (framing.chunked) {
    body_state_ = BodyState::kChunkSize;
    phase_ = Phase::kBody;
  } else if (framing.content_length > 0) {
    body_state_ = BodyState::kLength;
    body_left_ = static_cast<std::uint64_t>(framing.content_length);
    phase_ = Phase::kBody;
  } else {
    phase_ = Phase::kComplete;
  }
  return true;
}

bool RequestParser::step_body(std::string_view input, std::size_t& pos) {
  switch (body_state_) {
    case BodyState::kLength:
    case BodyState::kChunkData:
      return copy_body(input, pos);
    case BodyState::kChunkDataCr:
      return expect_byte(input, pos, '\r', BodyState::kChunkDataLf);
    case BodyState::kChunkDataLf:
      return expect_byte(input, pos, '\n', BodyState::kChunkSize);
    case BodyState::kChunkSize:
    case BodyState::kTrailers:
      break;
  }
  const bool size_line = body_state_ == BodyState::kChunkSize;
  switch (collect_line(input, pos, size_line ? kMaxChunkSizeLineBytes : header_budget_left())) {
    case LineStatus::kNeedMore:
      return false;
    case LineStatus::kTooLong:
      return size_line ? fail(400, "chunk-size line too long") : fail(431, "trailers too large");
    case LineStatus::kLine:
      break;
  }
  const bool ok = size_line ? on_chunk_size_line() : on_trailer_line();
  line_.clear();
  return ok;
}

// Copies what is available of the Content-Length body or of the current chunk.
bool RequestParser::copy_body(std::string_view input, std::size_t& pos) {
  const std::size_t take =
      static_cast<std::size_t>(std::min<std::uint64_t>(body_left_, input.size() - pos));
  request_.body.append(input.data() + pos, take);
  pos += take;
  body_left_ -= take;
  if (body_left_ > 0) return false;
  if (body_state_ == BodyState::kLength) {
    phase_ = Phase::kComplete;
  } else {
    body_state_ = BodyState::kChunkDataCr;
  }
  return true;
}

bool RequestParser::expect_byte(std::string_view input, std::size_t& pos, char wanted,
                                BodyState next) {
  if (pos == input.size()) return false;
  if (input[pos] != wanted) return fail(400, "chunk data not followed by CRLF");
  ++pos;
  body_state_ = next;
  return true;
}

bool RequestParser::on_chunk_size_line() {
  std::uint64_t size = 0;
  if (Verdict v = parse_chunk_size_line(line_, size); !v.ok()) return fail(v.status, v.message);
  const std::uint64_t max_body =
      static_cast<std::uint64_t>(std::max<std::int64_t>(limits_.max_body_bytes, 0));
  const std::uint64_t room = max_body - std::min<std::uint64_t>(request_.body.size(), max_body);
  if (size > room) return fail(413, "chunked body over the body limit");
  if (size == 0) {
    body_state_ = BodyState::kTrailers;
  } else {
    body_state_ = BodyState::kChunkData;
    body_left_ = size;
  }
  return true;
}

// Trailer fields are checked like header fields and dropped: nothing downstream reads them,
// and letting them add headers after the head was judged would reopen what framing.h closed.
bool RequestParser::on_trailer_line() {
  if (line_.empty()) {
    phase_ = Phase::kComplete;
    return true;
  }
  FieldLine field;
  if (Verdict v = parse_field_line(line_, field); !v.ok()) return fail(v.status, v.message);
  return count_field_line();
}

bool RequestParser::fail(int status, std::string_view message) {
  phase_ = Phase::kError;
  error_status_ = status;
  error_ = message;
  line_.clear();
  return false;
}

}  // namespace aof::sidecar::http1
