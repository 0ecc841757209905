#include "sidecar/http1/head_syntax.h"

namespace aof::sidecar::http1 {
namespace {

bool is_tchar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

// VCHAR, obs-text, SP, HT (RFC 9110 §5.5).
bool is_field_value_char(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7F); }

// Printable ASCII without space: what a request target may hold.
bool is_target_char(unsigned char c) { return c > 0x20 && c < 0x7F; }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_ignore_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && equals_ignore_case(text.substr(0, prefix.size()), prefix);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "HTTP/d.d" → minor version; 505 for a well-formed version we do not speak.
Verdict parse_version(std::string_view version, int& minor) {
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || !is_digit(version[5]) ||
      version[6] != '.' || !is_digit(version[7])) {
    return {400, "malformed HTTP version"};
  }
  if (version[5] != '1' || version[7] > '1') return {505, "HTTP version not supported"};
  minor = version[7] - '0';
  return {};
}

// Path and query of an origin-form target (or of the path-and-query of an absolute URL).
TargetParts split_query(std::string_view path_and_query) {
  const std::size_t q = path_and_query.find('?');
  if (q == std::string_view::npos) return {path_and_query, {}};
  return {path_and_query.substr(0, q), path_and_query.substr(q + 1)};
}

}  // namespace

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!is_tchar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

Verdict parse_request_line(std::string_view line, RequestLine& out) {
  const std::size_t first = line.find(' ');
  if (first == std::string_view::npos) return {400, "request line without spaces"};
  out.method = line.substr(0, first);
  if (!is_token(out.method)) return {400, "method is not a token"};
  const std::string_view rest = line.substr(first + 1);
  const std::size_t second = rest.find(' ');
  if (second == std::string_view::npos) return {400, "request line without a version"};
  out.target = rest.substr(0, second);
  const std::string_view version = rest.substr(second + 1);
  if (out.target.empty()) return {400, "empty request target"};
  if (version.find(' ') != std::string_view::npos) return {400, "extra space in request line"};
  for (const char c : out.target) {
    if (!is_target_char(static_cast<unsigned char>(c))) {
      return {400, "control character or space in request target"};
    }
  }
  return parse_version(version, out.minor_version);
}

Verdict split_target(std::string_view method, std::string_view target, TargetParts& out) {
  if (target.find('#') != std::string_view::npos) return {400, "fragment in request target"};
  if (target == "*") {
    if (method != "OPTIONS") return {400, "'*' target outside OPTIONS"};
    out = {target, {}};
    return {};
  }
  if (target.front() == '/') {
    out = split_query(target);
    return {};
  }
  std::size_t scheme_end = 0;
  if (starts_with_ignore_case(target, "http://")) scheme_end = 7;
  if (starts_with_ignore_case(target, "https://")) scheme_end = 8;
  if (scheme_end == 0) return {400, "request target is not origin-form, absolute-form or '*'"};
  const std::size_t authority_end = target.find_first_of("/?", scheme_end);
  if (authority_end == scheme_end) return {400, "absolute-form target without a host"};
  if (authority_end == std::string_view::npos) {
    out = {"/", {}};
    return {};
  }
  out = split_query(target.substr(authority_end));
  if (out.path.empty()) out.path = "/";
  return {};
}

Verdict parse_field_line(std::string_view line, FieldLine& out) {
  if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    return {400, "obsolete header line folding"};
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return {400, "header line without ':'"};
  out.name = line.substr(0, colon);
  if (out.name.empty()) return {400, "empty header name"};
  if (out.name.back() == ' ' || out.name.back() == '\t') return {400, "whitespace before ':'"};
  if (!is_token(out.name)) return {400, "header name is not a token"};
  const std::string_view value = line.substr(colon + 1);
  for (const char c : value) {
    if (!is_field_value_char(static_cast<unsigned char>(c))) {
      return {400, "control character in header value"};
    }
  }
  out.value = trim_ows(value);
  return {};
}

}  // namespace aof::sidecar::http1
