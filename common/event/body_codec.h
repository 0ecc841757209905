#pragma once
// How a raw request body travels inside JSON (DESIGN §4): as text when it is valid UTF-8,
// else as base64. Both directions are strict so a body survives a round trip byte-exact and
// a corrupted envelope is refused instead of silently altered. Pure functions, thread-safe.

#include <string>
#include <string_view>

#include "common/base/result.h"

namespace aof::event {

// Whether `bytes` is well-formed UTF-8 (Unicode 15, table 3-7): no overlong forms, no UTF-16
// surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequences.
bool is_valid_utf8(std::string_view bytes);

// `bytes` with every ill-formed sequence replaced by U+FFFD: text that can always go into JSON
// (a command's output, a file, a stream cut in the middle of a character at a limit).
std::string replace_invalid_utf8(std::string bytes);

// Standard base64 (RFC 4648 §4) with '=' padding.
std::string base64_encode(std::string_view bytes);

// Decodes standard padded base64. Strict: no whitespace, no missing or misplaced padding,
// no non-zero trailing bits (so every byte string has exactly one accepted encoding).
// kInvalidArgument naming the offset of the first bad character.
Result<std::string> base64_decode(std::string_view text);

// The decoded size of well-formed base64 `text`, computed without decoding (for limits).
std::size_t base64_decoded_size(std::string_view text);

}  // namespace aof::event
