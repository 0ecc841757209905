#pragma once
// What the platform parsers read from a request besides the JSON body (json_read.h): header
// values and identifiers, bounded and printable, so nothing a sender controls reaches the
// envelope unbounded or with control characters, and the error every parser answers 400
// with. Pure functions: thread-safe, never throw.

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

#include "common/base/result.h"
#include "common/ingest/request.h"

namespace aof::ingest {

// Upper bound of an identifier taken from a request: delivery ids, event names, actions,
// project keys.
inline constexpr std::size_t kMaxIdBytes = 128;

// Upper bound of a path-like identifier: a GitLab "group/subgroup/project" path (GitLab
// allows 255 bytes per part and 20 levels of groups; real paths stay far below this).
inline constexpr std::size_t kMaxPathBytes = 1024;

// kInvalidArgument with `why`: the ingress answers 400 {"error": why}.
Error malformed(std::string why);

// Whether `text` is 1..max_bytes of printable ASCII without spaces (0x21-0x7e).
bool is_token(std::string_view text, std::size_t max_bytes = kMaxIdBytes);

// The value of header `name` (lower-case): "" when absent; kInvalidArgument naming `label`
// ("invalid X-Gitlab-Event header") when present but empty, over `max_bytes` or not
// printable ASCII (spaces allowed: "Merge Request Hook").
Result<std::string> optional_header(const IngressRequest& request, const char* name,
                                    std::string_view label, std::size_t max_bytes = kMaxIdBytes);

// As optional_header, and absent is kInvalidArgument too ("missing X-Gitlab-Event header").
Result<std::string> required_header(const IngressRequest& request, const char* name,
                                    std::string_view label, std::size_t max_bytes = kMaxIdBytes);

// The delivery id: the first of `names` present, read as optional_header with a token's
// shape (a UUID, an opaque id); "" when none is present.
Result<std::string> delivery_header(const IngressRequest& request,
                                    std::initializer_list<const char*> names);

}  // namespace aof::ingest
