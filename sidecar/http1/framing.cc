#include "sidecar/http1/framing.h"

#include <charconv>

namespace aof::sidecar::http1 {
namespace {

// Longest Content-Length accepted: 18 digits always fit in an int64.
constexpr std::size_t kMaxContentLengthDigits = 18;
// Longest chunk size: 16 hex digits always fit in a uint64.
constexpr std::size_t kMaxChunkSizeDigits = 16;

// Calls `each` with every non-empty, OWS-trimmed element of a comma-separated list
// (RFC 9110 §5.6.1: empty elements are allowed and ignored).
template <typename Each>
void for_each_element(std::string_view list, Each&& each) {
  while (true) {
    const std::size_t comma = list.find(',');
    const std::string_view element = trim_ows(list.substr(0, comma));
    if (!element.empty()) each(element);
    if (comma == std::string_view::npos) return;
    list.remove_prefix(comma + 1);
  }
}

bool all_digits(std::string_view text) {
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return !text.empty();
}

bool is_hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// One Content-Length list element: 1-18 digits, no sign, no inner space.
Verdict parse_length(std::string_view element, std::int64_t& parsed) {
  if (!all_digits(element)) return {400, "content-length is not a number"};
  if (element.size() > kMaxContentLengthDigits) return {400, "content-length too long"};
  std::from_chars(element.data(), element.data() + element.size(), parsed);
  return {};
}

// One Content-Length field value (possibly a list) folded into `length` (-1 = none yet).
// Repeats are allowed only with the same value (RFC 9112 §6.3).
Verdict add_content_length(std::string_view value, std::int64_t& length) {
  Verdict verdict;
  std::size_t elements = 0;
  for_each_element(value, [&](std::string_view element) {
    ++elements;
    std::int64_t parsed = 0;
    if (verdict.ok()) verdict = parse_length(element, parsed);
    if (verdict.ok() && length >= 0 && parsed != length) {
      verdict = {400, "conflicting content-length values"};
    }
    if (verdict.ok()) length = parsed;
  });
  if (verdict.ok() && elements == 0) return {400, "empty content-length"};
  return verdict;
}

// All Transfer-Encoding codings in order, from every field. Only a lone final "chunked" passes.
Verdict check_transfer_codings(const std::vector<std::string_view>& codings) {
  if (codings.empty()) return {400, "empty transfer-encoding"};
  for (std::size_t i = 0; i + 1 < codings.size(); ++i) {
    if (equals_ignore_case(codings[i], "chunked")) {
      return {400, "chunked is not the final transfer coding"};
    }
  }
  for (const std::string_view coding : codings) {
    if (!equals_ignore_case(coding, "chunked")) return {501, "unsupported transfer coding"};
  }
  return {};
}

// What the fields say, before any rule is applied.
struct FieldSummary {
  int hosts = 0;
  bool has_transfer_encoding = false;
  std::vector<std::string_view> codings;
  bool has_content_length = false;
  bool close = false;
  bool keep_alive = false;
  bool expect_continue = false;
};

Verdict summarize(const std::vector<std::pair<std::string, std::string>>& headers,
                  std::int64_t& content_length, FieldSummary& out) {
  for (const auto& [name, value] : headers) {
    if (name == "host") {
      ++out.hosts;
    } else if (name == "transfer-encoding") {
      out.has_transfer_encoding = true;
      for_each_element(value, [&](std::string_view e) { out.codings.push_back(e); });
    } else if (name == "content-length") {
      out.has_content_length = true;
      if (Verdict v = add_content_length(value, content_length); !v.ok()) return v;
    } else if (name == "connection") {
      for_each_element(value, [&](std::string_view e) {
        out.close = out.close || equals_ignore_case(e, "close");
        out.keep_alive = out.keep_alive || equals_ignore_case(e, "keep-alive");
      });
    } else if (name == "expect") {
      for_each_element(value, [&](std::string_view e) {
        out.expect_continue = out.expect_continue || equals_ignore_case(e, "100-continue");
      });
    }
  }
  return {};
}

}  // namespace

Verdict decide_framing(const std::vector<std::pair<std::string, std::string>>& headers,
                       int minor_version, std::int64_t max_body_bytes, Framing& out) {
  FieldSummary fields;
  std::int64_t content_length = -1;
  if (Verdict v = summarize(headers, content_length, fields); !v.ok()) return v;
  if (minor_version == 1 && fields.hosts == 0) return {400, "missing host header"};
  if (fields.hosts > 1) return {400, "more than one host header"};
  if (fields.has_transfer_encoding) {
    if (fields.has_content_length) return {400, "both transfer-encoding and content-length"};
    if (minor_version == 0) return {400, "transfer-encoding in an HTTP/1.0 request"};
    if (Verdict v = check_transfer_codings(fields.codings); !v.ok()) return v;
  }
  if (content_length > max_body_bytes) return {413, "content-length over the body limit"};
  out.content_length = content_length;
  out.chunked = fields.has_transfer_encoding;
  out.keep_alive = minor_version == 1 ? !fields.close : fields.keep_alive && !fields.close;
  out.expect_continue = fields.expect_continue;
  return {};
}

Verdict parse_chunk_size_line(std::string_view line, std::uint64_t& size) {
  std::size_t digits = 0;
  while (digits < line.size() && is_hex_digit(line[digits])) ++digits;
  if (digits == 0) return {400, "chunk size is not hex"};
  if (digits > kMaxChunkSizeDigits) return {400, "chunk size too long"};
  std::from_chars(line.data(), line.data() + digits, size, 16);
  const std::string_view rest = trim_ows(line.substr(digits));
  if (rest.empty()) {
    if (digits != line.size()) return {400, "whitespace after chunk size"};
    return {};
  }
  if (rest.front() != ';') return {400, "junk after chunk size"};
  for (const char c : line.substr(digits)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte != '\t' && (byte < 0x20 || byte == 0x7F)) {
      return {400, "control character in chunk extension"};
    }
  }
  return {};
}

}  // namespace aof::sidecar::http1
