#pragma once
// Identifiers: ULIDs for event ids (sortable by creation time, 26 Crockford base32 chars).

#include <string>

#include "common/base/clock.h"

namespace aof {

// A new ULID for time `t` with 80 random bits from a thread-local CSPRNG-seeded generator.
// Thread-safe.
std::string new_ulid(TimePoint t);

// Whether `s` has the shape of a ULID (26 chars of Crockford base32, first char 0-7).
bool is_ulid(const std::string& s);

}  // namespace aof
