// Conformance: bodies of any size (body_aside.h). A 20 MiB body (GitHub sends up to 25 MiB)
// is far over a NATS server's default max_payload (1 MiB, what the test server runs with) and
// Redis's default queue.max_inline_body_bytes (1 MiB), so on both brokers it is stored aside in
// chunks; memory keeps every body inline and passes the same cases trivially (it has no
// BodyStore, so the cases that damage stored chunks say so and end there).
#include <doctest/doctest.h>

#include <random>

#include "tests/unit/queue/conformance_fixture.h"

namespace aof::queue::conformance {
namespace {

constexpr std::size_t kLargeBody = 20u << 20;

// Random bytes (not UTF-8, so the envelope would carry them as base64: 27 MiB inline).
std::string random_body(std::size_t size, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::string body(size, '\0');
  for (std::size_t i = 0; i < size; i += 8) {
    const std::uint64_t word = random();
    std::memcpy(body.data() + i, &word, std::min<std::size_t>(8, size - i));
  }
  return body;
}

template <typename B>
event::Envelope large(const std::string& id, const std::string& body,
                      const std::string& dedup_key = "") {
  auto e = Fixture<B>::envelope(id, dedup_key);
  e.body = body;
  return e;
}

// Chunks stored aside now (0 on memory).
template <typename B>
std::int64_t chunks(Fixture<B>& f) {
  if (!f.bodies) return 0;
  auto stored = f.bodies->stored_chunks();
  REQUIRE_MESSAGE(stored.ok(), stored.error().message());
  return *stored;
}

// The stored body_ref of a waiting or dead event, parsed.
template <typename B>
BodyRef stored_ref(Fixture<B>& f, const std::string& id) {
  const EventRecord record = f.find(id);
  REQUIRE(record.envelope.body.empty());
  auto ref = parse_body_ref(record.envelope.body_ref, event::EnvelopeLimits{}.max_body_bytes);
  REQUIRE_MESSAGE(ref.ok(), ref.error().message());
  return *ref;
}

long long ms_since(SteadyClock::time_point start) {
  return std::chrono::duration_cast<Millis>(SteadyClock::now() - start).count();
}

TEST_CASE_TEMPLATE("a 20 MiB body comes back byte-identical and its chunks go with the ack", B,
                   AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  const std::string body = random_body(kLargeBody, 1);
  const auto start = SteadyClock::now();
  REQUIRE(f.publish(large<B>("big", body)).status == PublishStatus::kAccepted);
  const auto published_ms = ms_since(start);
  if (f.bodies) {
    const BodyRef ref = stored_ref(f, "big");
    CHECK(ref.length == kLargeBody);
    CHECK(chunks(f) == static_cast<std::int64_t>(ref.chunks()));
    CHECK(ref.chunks() >= 20);
  }
  const auto fetched_at = SteadyClock::now();
  const Delivery d = f.fetch_one("w");
  const auto fetched_ms = ms_since(fetched_at);
  MESSAGE(std::string(f.queue->backend()) << ": 20 MiB body published in " << published_ms
                                          << " ms, fetched in " << fetched_ms << " ms");
  CHECK(d.envelope.body_ref.empty());
  CHECK(d.envelope.body.size() == kLargeBody);
  CHECK(d.envelope.body == body);
  f.ack(d, {{"ok", true}});
  CHECK(chunks(f) == 0);
  const EventRecord done = f.find("big");
  CHECK(done.state == EventState::kDone);
  CHECK(done.envelope.body_ref.empty());
}

TEST_CASE_TEMPLATE("a small body stays inline in the envelope", B, AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  const std::string body(64 << 10, 'x');  // a big webhook, still far under 1 MiB
  REQUIRE(f.publish(large<B>("small", body)).status == PublishStatus::kAccepted);
  const EventRecord waiting = f.find("small");
  CHECK(waiting.envelope.body_ref.empty());
  CHECK(waiting.envelope.body == body);
  CHECK(chunks(f) == 0);
}

TEST_CASE_TEMPLATE("a retried large body keeps its chunks and comes back whole", B,
                   AOF_QUEUE_BACKENDS) {
  auto config = base_config();
  config.retry_delay_ms = 1;
  config.retry_max_delay_ms = 1;
  Fixture<B> f(config);
  const std::string body = random_body(3u << 20, 2);
  f.publish(large<B>("retried", body));
  f.fail(f.fetch_one("w"), ErrorCode::kUnavailable);
  const Delivery again = f.fetch_due_one("w");
  CHECK(again.envelope.attempt == 2);
  CHECK(again.envelope.body == body);
  f.ack(again);
  CHECK(chunks(f) == 0);
}

TEST_CASE_TEMPLATE("a purged large-body dead letter leaves no chunks", B, AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  f.publish(large<B>("dead", random_body(kLargeBody, 3)));
  f.fail(f.fetch_one("w"), ErrorCode::kInvalidArgument, true);
  const auto dead = f.dead_letters(10);
  REQUIRE(dead.size() == 1);
  CHECK(dead[0].body_ref.empty() == (f.bodies == nullptr));
  const std::int64_t before = chunks(f);
  CHECK((before > 0) == (f.bodies != nullptr));
  REQUIRE(f.queue->purge_dead_letter("dead").ok());
  CHECK(chunks(f) == 0);
}

TEST_CASE_TEMPLATE("a large-body dead letter replays with its body", B, AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  const std::string body = random_body(kLargeBody, 4);
  f.publish(large<B>("again", body));
  f.fail(f.fetch_one("w"), ErrorCode::kInvalidArgument, true);
  auto outcome = f.queue->replay(ReplayRequest{"again", "ops@host", {}, std::nullopt});
  REQUIRE_MESSAGE(outcome.ok(), outcome.error().message());
  const Delivery d = f.fetch_one("w");
  CHECK(d.envelope.generation == 1);
  CHECK(d.envelope.body == body);
  f.ack(d);
  CHECK(chunks(f) == 0);
}

TEST_CASE_TEMPLATE("a duplicate of a large-body publish leaves no extra chunks", B,
                   AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  const std::string body = random_body(kLargeBody, 5);
  REQUIRE(f.publish(large<B>("first", body, "dd-1")).status == PublishStatus::kAccepted);
  const std::int64_t after_first = chunks(f);
  REQUIRE(f.publish(large<B>("second", body, "dd-1")).status == PublishStatus::kDuplicate);
  CHECK(chunks(f) == after_first);
  // The original's body is untouched by the duplicate's clean-up.
  CHECK(f.fetch_one("w").envelope.body == body);
}

TEST_CASE_TEMPLATE("a missing stored body dead-letters the event with a clear message", B,
                   AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  f.publish(large<B>("lost", random_body(kLargeBody, 6)));
  if (!f.bodies) {
    MESSAGE(std::string(f.queue->backend())
            << " keeps every body inline: no stored body can go missing");
    return;
  }
  const BodyRef ref = stored_ref(f, "lost");
  REQUIRE(f.bodies->remove(ref.key, 1).ok());  // the first chunk only: no silent truncation
  CHECK(f.fetch("w", 10, Millis(500)).empty());
  const auto dead = f.dead_letters(10);
  REQUIRE(dead.size() == 1);
  REQUIRE(dead[0].history.size() == 1);
  CHECK(dead[0].history[0].error_class == "not_found");
  const std::string& message = dead[0].history[0].message;
  CHECK_MESSAGE(message.find("stored aside") != std::string::npos, message);
  const std::string where = "chunk 1 of " + std::to_string(ref.chunks());
  CHECK_MESSAGE(message.find(where) != std::string::npos, message);
  CHECK_MESSAGE(message.find("missing") != std::string::npos, message);

  // Replaying it cannot bring the body back: the replay says so and changes nothing.
  auto replay = f.queue->replay(ReplayRequest{"lost", "ops@host", {}, std::nullopt});
  REQUIRE_FALSE(replay.ok());
  CHECK(replay.error().code() == ErrorCode::kNotFound);
  CHECK_MESSAGE(replay.error().message().find("cannot be read back") != std::string::npos,
                replay.error().message());
  CHECK(f.find("lost").state == EventState::kDead);
}

TEST_CASE_TEMPLATE("a corrupted stored chunk dead-letters the event, never a wrong body", B,
                   AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  f.publish(large<B>("flipped", random_body(kLargeBody, 7)));
  f.publish(large<B>("short", random_body(kLargeBody, 8)));
  if (!f.bodies) {
    MESSAGE(std::string(f.queue->backend())
            << " keeps every body inline: no stored chunk to corrupt");
    return;
  }
  // Same length, other bytes: only the SHA-256 can tell.
  const BodyRef flipped = stored_ref(f, "flipped");
  const std::string other = random_body(flipped.chunk_size, 9);
  REQUIRE(f.bodies->put(flipped.key, 3, {other}).ok());
  // A truncated chunk.
  const BodyRef shortened = stored_ref(f, "short");
  REQUIRE(f.bodies->put(shortened.key, 0, {std::string_view("tiny")}).ok());

  // Both are dead-lettered on fetch; one fetch may meet only the first (NATS delivers them
  // one by one, and a loaded or sanitized build is slow), so fetch until both are dead.
  for (int i = 0; i < 40 && f.dead_letters(10).size() < 2; ++i) {
    CHECK(f.fetch("w", 10, Millis(500)).empty());
  }
  const auto dead = f.dead_letters(10);
  REQUIRE(dead.size() == 2);
  for (const auto& letter : dead) {
    REQUIRE(letter.history.size() == 1);
    CHECK(letter.history[0].error_class == "invalid_argument");
    const std::string& message = letter.history[0].message;
    const std::string expected = letter.id == "flipped"
                                     ? "do not match the body's SHA-256"
                                     : "chunk 1 of " + std::to_string(shortened.chunks()) + " (" +
                                           f.bodies->name() + ") is 4 bytes";
    CHECK_MESSAGE(message.find(expected) != std::string::npos, message);
  }
}

}  // namespace
}  // namespace aof::queue::conformance
