#include <doctest/doctest.h>

#include "common/base/clock.h"
#include "common/base/ids.h"
#include "common/base/result.h"

namespace aof {

TEST_CASE("retryable codes are exactly the transient ones") {
  CHECK(is_retryable(ErrorCode::kUnavailable));
  CHECK(is_retryable(ErrorCode::kTimeout));
  CHECK(is_retryable(ErrorCode::kResourceExhausted));
  CHECK_FALSE(is_retryable(ErrorCode::kInvalidArgument));
  CHECK_FALSE(is_retryable(ErrorCode::kUnauthenticated));
  CHECK_FALSE(is_retryable(ErrorCode::kNotFound));
}

TEST_CASE("error context is prepended as it rises") {
  const Error e = Error(ErrorCode::kUnavailable, "connection refused").with_context("redis");
  CHECK(e.message() == "redis: connection refused");
  CHECK(e.code() == ErrorCode::kUnavailable);
  Result<int> r = e;
  CHECK_FALSE(r.ok());
  CHECK(r.error().message() == "redis: connection refused");
  Result<int> v = 7;
  REQUIRE(v.ok());
  CHECK(*v == 7);
}

TEST_CASE("ulids are well-formed, unique and sort by time") {
  const auto t1 = from_unix_ms(1'700'000'000'000);
  const auto t2 = from_unix_ms(1'700'000'000'001);
  const std::string a = new_ulid(t1);
  const std::string b = new_ulid(t1);
  const std::string c = new_ulid(t2);
  CHECK(is_ulid(a));
  CHECK(a != b);
  CHECK(a.substr(0, 10) == b.substr(0, 10));
  CHECK(a < c);
  CHECK_FALSE(is_ulid("not-a-ulid"));
  CHECK_FALSE(is_ulid("8ZZZZZZZZZZZZZZZZZZZZZZZZZ"));
}

TEST_CASE("rfc3339 renders milliseconds in UTC") {
  CHECK(to_rfc3339(from_unix_ms(1'700'000'000'123)) == "2023-11-14T22:13:20.123Z");
}

}  // namespace aof
