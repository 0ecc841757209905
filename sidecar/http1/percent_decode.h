#pragma once
// Percent-decoding of request-target parts (RFC 3986 §2.1) and splitting of a query string into
// parameters, for routing and for form-style queries of webhook URLs. Pure functions on bytes.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aof::sidecar::http1 {

// Percent-decodes `text`: "%XX" (two hex digits, either case) becomes that byte. An invalid
// escape ("%zz", a '%' near the end) stays literal rather than failing, so a sloppy client's
// query still reaches the handler. `plus_as_space` turns '+' into ' ' (form-encoded query
// components only; a '+' in a path is a plus). The result may contain any byte, NUL included.
std::string percent_decode(std::string_view text, bool plus_as_space);

// Splits a raw query string on '&' and each part on its first '=' (no '=' gives an empty
// value); both sides are percent-decoded with '+' as space. Empty parts ("a=1&&b=2") are
// skipped. Keeps at most `max_params` pairs, in order, and ignores the rest, so a hostile query
// cannot make the caller allocate without bound.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query,
                                                             std::size_t max_params);

}  // namespace aof::sidecar::http1
