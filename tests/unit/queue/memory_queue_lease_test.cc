// Memory queue specifics the conformance suite leaves open: the exact lease boundary on the
// injected FakeClock, and release() putting the event first in line.
#include <doctest/doctest.h>

#include "tests/unit/queue/memory_fixture.h"

namespace aof::queue::testing {
namespace {

using Ids = std::vector<std::string>;

TEST_CASE_FIXTURE(MemoryQueueFixture, "a lease expires exactly at lease_ms on the injected clock") {
  publish_ids({"a"});
  const Delivery first = fetch_one("w1");
  clock.advance(Millis(29999));
  CHECK(fetch("w2").empty());
  clock.advance(Millis(1));

  const Delivery second = fetch_one("w2");
  CHECK(second.handle != first.handle);
  REQUIRE(second.envelope.history.size() == 1);
  const auto& h = second.envelope.history[0];
  CHECK(h.at == to_rfc3339(clock.now()));
  CHECK(h.message == "lease of 30000 ms expired");
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "release puts the event first in line") {
  publish_ids({"a", "b"});
  const Delivery a = fetch_one("w1");
  REQUIRE(queue->release(a).ok());
  const Delivery again = fetch_one("w2");
  CHECK(again.envelope.id == "a");
  REQUIRE(queue->release(again).ok());
  CHECK(ids_of(fetch("w3")) == Ids{"a", "b"});
}

}  // namespace
}  // namespace aof::queue::testing
