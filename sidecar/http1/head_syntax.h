#pragma once
// The grammar of one line of an HTTP/1.1 message head (RFC 9112 §3 and §5, RFC 9110 §5.6):
// the request line, the request target's form, and one field line. Each check answers with the
// status a server must send when the line is refused, so the parser only moves bytes around.
// Views returned point into the line passed in.

#include <string_view>

namespace aof::sidecar::http1 {

// Accepted (status 0) or refused with an HTTP status and a short message for logs.
struct Verdict {
  int status = 0;
  std::string_view message;  // a string literal; empty when accepted
  bool ok() const { return status == 0; }
};

// RFC 9110 §5.6.2: one or more tchar. Methods and field names are tokens.
bool is_token(std::string_view text);

// ASCII case-insensitive equality (field names and values such as "chunked", "close").
bool equals_ignore_case(std::string_view a, std::string_view b);

// Removes leading and trailing SP and HT (OWS).
std::string_view trim_ows(std::string_view text);

struct RequestLine {
  std::string_view method;
  std::string_view target;
  int minor_version = 1;
};

// `method SP target SP HTTP/1.x`, line end already removed. Exactly one SP between the parts;
// the target is printable ASCII without spaces. "HTTP/d.d" other than 1.0 and 1.1 → 505; any
// other malformation → 400.
Verdict parse_request_line(std::string_view line, RequestLine& out);

struct TargetParts {
  std::string_view path;   // raw (not yet percent-decoded)
  std::string_view query;  // raw text after '?', empty if none
};

// Splits the target by form (RFC 9112 §3.2): origin-form "/p?q"; "*" for OPTIONS only (path
// "*"); absolute-form "http://host/p?q" or https, whose path is taken from it ("/" when the
// URL has none; its authority is ignored, Host is still required). A '#' is refused: a
// fragment never belongs in a request. Authority-form (CONNECT) is refused: we are no proxy.
Verdict split_target(std::string_view method, std::string_view target, TargetParts& out);

struct FieldLine {
  std::string_view name;   // as sent (not lower-cased)
  std::string_view value;  // OWS trimmed
};

// `name ":" OWS value OWS`. No ':' → 400; a line starting with SP/HT (obsolete folding) → 400;
// whitespace before ':' → 400 (RFC 9112 §5.1, a smuggling vector); the value may hold VCHAR,
// obs-text, SP and HT only, so NUL, bare CR and DEL → 400.
Verdict parse_field_line(std::string_view line, FieldLine& out);

}  // namespace aof::sidecar::http1
