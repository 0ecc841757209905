// Conformance: the state store (state.h) on every backend. TTLs are short real durations.
#include <doctest/doctest.h>

#include "tests/unit/queue/conformance_fixture.h"

namespace aof::queue::conformance {
namespace {

template <typename B>
std::optional<std::string> get(Fixture<B>& f, const std::string& key) {
  auto value = f.state->get(key);
  if (!value.ok()) FAIL("get " << key << ": " << value.error().message());
  return *value;
}

template <typename B>
bool cas(Fixture<B>& f, const std::string& key, const std::optional<std::string>& expected,
         const std::string& value, Millis ttl = Millis(0)) {
  auto set = f.state->compare_and_set(key, expected, value, ttl);
  if (!set.ok()) FAIL("compare_and_set " << key << ": " << set.error().message());
  return *set;
}

TEST_CASE_TEMPLATE("state: put then get; put overwrites; erase removes", B, AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  CHECK_FALSE(get(f, "k").has_value());
  REQUIRE(f.state->put("k", "v1", Millis(0)).ok());
  CHECK(get(f, "k") == "v1");
  REQUIRE(f.state->put("k", "v2", Millis(0)).ok());
  CHECK(get(f, "k") == "v2");
  REQUIRE(f.state->erase("k").ok());
  CHECK_FALSE(get(f, "k").has_value());
  CHECK(f.state->erase("never-set").ok());
  // Values are opaque bytes: NUL, newlines and non-UTF-8 survive.
  const std::string bytes("a\0b\r\n\xff", 6);
  REQUIRE(f.state->put("bin", bytes, Millis(0)).ok());
  CHECK(get(f, "bin") == bytes);
}

TEST_CASE_TEMPLATE("state: put_if_absent sets only an absent key", B, AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  CHECK(*f.state->put_if_absent("k", "first", Millis(0)) == true);
  CHECK(*f.state->put_if_absent("k", "second", Millis(0)) == false);
  CHECK(get(f, "k") == "first");
  REQUIRE(f.state->erase("k").ok());
  CHECK(*f.state->put_if_absent("k", "third", Millis(0)) == true);
  CHECK(get(f, "k") == "third");
}

TEST_CASE_TEMPLATE("state: compare_and_set compares with absent and present values", B,
                   AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  CHECK_FALSE(cas(f, "k", std::string("x"), "v"));  // present expected, key absent
  CHECK_FALSE(get(f, "k").has_value());
  CHECK(cas(f, "k", std::nullopt, "v1"));  // absent expected, key absent
  CHECK_FALSE(cas(f, "k", std::nullopt, "v2"));
  CHECK_FALSE(cas(f, "k", std::string("wrong"), "v2"));
  CHECK(get(f, "k") == "v1");
  CHECK(cas(f, "k", std::string("v1"), "v2"));
  CHECK(get(f, "k") == "v2");
  // An empty value is a value, not absence.
  CHECK(cas(f, "k", std::string("v2"), ""));
  CHECK(get(f, "k") == "");
  CHECK_FALSE(cas(f, "k", std::nullopt, "v3"));
  CHECK(cas(f, "k", std::string(""), "v3"));
}

TEST_CASE_TEMPLATE("state: a ttl expires; ttl 0 never does", B, AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  const Stopwatch since;
  REQUIRE(f.state->put("short", "v", Millis(200)).ok());
  REQUIRE(f.state->put("forever", "v", Millis(0)).ok());
  REQUIRE(*f.state->put_if_absent("pia", "v", Millis(200)));
  REQUIRE(cas(f, "cas", std::nullopt, "v", Millis(200)));
  const auto early = get(f, "short");
  if (since.elapsed() < Millis(200)) CHECK(early == "v");

  std::this_thread::sleep_for(Millis(1000));
  CHECK_FALSE(get(f, "short").has_value());
  CHECK_FALSE(get(f, "pia").has_value());
  CHECK_FALSE(get(f, "cas").has_value());
  CHECK(get(f, "forever") == "v");
  // Expired counts as absent for the conditional writes.
  CHECK(*f.state->put_if_absent("short", "again", Millis(0)) == true);
  CHECK_FALSE(cas(f, "pia", std::string("v"), "x"));
  CHECK(cas(f, "cas", std::nullopt, "x"));
}

TEST_CASE_TEMPLATE("state: a later put without ttl clears the ttl", B, AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  REQUIRE(f.state->put("k", "short", Millis(200)).ok());
  REQUIRE(f.state->put("k", "kept", Millis(0)).ok());
  std::this_thread::sleep_for(Millis(1000));
  CHECK(get(f, "k") == "kept");
}

}  // namespace
}  // namespace aof::queue::conformance
