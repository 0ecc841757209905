#include "tests/support/failing_queue.h"

#include <doctest/doctest.h>

#include "tests/unit/queue/memory_fixture.h"

namespace aof::testing {
namespace {

using Method = FailingQueue::Method;
using queue::testing::MemoryQueueFixture;

TEST_CASE("the nth call fails without reaching the inner queue") {
  MemoryQueueFixture f;
  FailingQueue q(f.queue);
  q.fail_nth(Method::kPublish, 2, ErrorCode::kUnavailable);
  CHECK(q.publish(MemoryQueueFixture::envelope("a")).get().ok());
  const auto second = q.publish(MemoryQueueFixture::envelope("b")).get();
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().code() == ErrorCode::kUnavailable);
  CHECK(second.error().message() == "injected failure: publish call 2");
  CHECK(q.publish(MemoryQueueFixture::envelope("c")).get().ok());
  CHECK(q.calls(Method::kPublish) == 3);
  CHECK(f.stats().depth == 2);  // b never reached the queue
}

TEST_CASE("a failed ack leaves the event leased and redelivered after the lease") {
  MemoryQueueFixture f;
  FailingQueue q(f.queue);
  f.publish_ids({"a"});
  q.fail_nth(Method::kAck, 1, ErrorCode::kTimeout);
  auto fetched = q.fetch("w1", 1, Millis(0));
  REQUIRE(fetched.ok());
  REQUIRE(fetched->size() == 1);
  CHECK(q.ack((*fetched)[0], {}).error().code() == ErrorCode::kTimeout);
  CHECK(f.find("a").state == queue::EventState::kRunning);
  f.clock.advance(Millis(f.config.lease_ms));
  CHECK(f.fetch_one("w2").envelope.attempt == 2);  // at least once: it runs again
}

TEST_CASE("sticky failures persist until cleared") {
  MemoryQueueFixture f;
  FailingQueue q(f.queue);
  q.fail_nth(Method::kStats, 2, ErrorCode::kUnavailable, true);
  CHECK(q.stats().ok());
  CHECK_FALSE(q.stats().ok());
  CHECK_FALSE(q.stats().ok());
  q.clear();
  CHECK(q.stats().ok());
  CHECK(q.calls(Method::kStats) == 4);
  CHECK(std::string(q.backend()) == "memory");
}

}  // namespace
}  // namespace aof::testing
