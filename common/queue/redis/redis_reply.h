#pragma once
// One Redis reply as a plain value (converted from hiredis's parser output, so no hiredis type
// leaves redis_connection.cc), and the mapping of server errors to our ErrorCodes.

#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.h"

namespace aof::queue {

struct RedisReply {
  enum class Type { kString, kArray, kInteger, kNil, kStatus, kError };
  Type type = Type::kNil;
  std::string str;  // kString, kStatus, kError
  long long integer = 0;
  std::vector<RedisReply> elements;  // kArray

  bool is_error() const { return type == Type::kError; }
  bool is_nil() const { return type == Type::kNil; }
  bool is_string() const { return type == Type::kString || type == Type::kStatus; }
  bool is_array() const { return type == Type::kArray; }
  // The element at `i`, or a nil reply when this is not an array that long.
  const RedisReply& at(std::size_t i) const;
};

// The Error for a server error reply: OOM → kResourceExhausted (the broker is full),
// NOAUTH/WRONGPASS → kUnauthenticated, LOADING/BUSY/MASTERDOWN/READONLY/TRYAGAIN →
// kUnavailable (transient), anything else kInternal. `what` names the operation.
Error redis_error(const RedisReply& reply, std::string_view what);

// `reply` itself when it is not an error reply, else redis_error().
Result<RedisReply> checked(RedisReply reply, std::string_view what);

}  // namespace aof::queue
