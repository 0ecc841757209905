// Conformance: retention (results_max, dlq_max) on every backend.
//
// Exactness: each backend says how far beyond the limit it may keep entries
// (kRetentionSlack: 0 for memory and Redis today; an approximate MAXLEN ~ trim would keep up
// to a stream node more). Each case pushes limit + slack + 20 entries, enough that an
// untrimmed stream fails the bound and that the oldest entry is certainly gone.
#include <doctest/doctest.h>

#include "tests/unit/queue/conformance_fixture.h"

namespace aof::queue::conformance {
namespace {

constexpr std::int64_t kLimit = 5;

config::QueueConfig small_retention() {
  auto config = base_config();
  config.retention.results_max = kLimit;
  config.retention.dlq_max = kLimit;
  return config;
}

// Publishes n events "<prefix>-0".."<prefix>-(n-1)" with delivery ids "del-<id>" and settles
// each with `settle`, one at a time, so they finish in publish order.
template <typename B, typename Settle>
void run_in_order(Fixture<B>& f, const std::string& prefix, std::int64_t n, Settle settle) {
  for (std::int64_t i = 0; i < n; ++i) {
    const std::string id = prefix + "-" + std::to_string(i);
    REQUIRE(f.publish(f.envelope(id, "", "del-" + id)).status == PublishStatus::kAccepted);
    const Delivery d = f.fetch_one("w");
    REQUIRE(d.envelope.id == id);
    settle(d);
  }
}

TEST_CASE_TEMPLATE("results are trimmed to results_max, oldest first", B, AOF_QUEUE_BACKENDS) {
  Fixture<B> f(small_retention());
  const std::int64_t n = kLimit + B::kRetentionSlack + 20;
  run_in_order(f, "r", n, [&](const Delivery& d) { f.ack(d, {{"n", d.envelope.id}}); });

  const QueueStats s = f.stats();
  CHECK(s.results >= kLimit);
  CHECK(s.results <= kLimit + B::kRetentionSlack);
  // The newest are kept and findable; the oldest is forgotten (by id and delivery id), so
  // the broker's memory stays bounded too.
  const std::string newest = "r-" + std::to_string(n - 1);
  const EventRecord kept = f.find(newest);
  CHECK(kept.state == EventState::kDone);
  CHECK(nlohmann::json::parse(kept.result_json) == nlohmann::json{{"n", newest}});
  CHECK(f.find("del-" + newest).envelope.id == newest);
  CHECK(error_code(f.queue->find_event("r-0")) == ErrorCode::kNotFound);
  CHECK(error_code(f.queue->find_event("del-r-0")) == ErrorCode::kNotFound);
}

TEST_CASE_TEMPLATE("dead letters are trimmed to dlq_max, oldest first", B, AOF_QUEUE_BACKENDS) {
  Fixture<B> f(small_retention());
  const std::int64_t n = kLimit + B::kRetentionSlack + 20;
  run_in_order(f, "d", n, [&](const Delivery& d) { f.fail(d, ErrorCode::kInvalidArgument); });

  const QueueStats s = f.stats();
  CHECK(s.dlq >= kLimit);
  CHECK(s.dlq <= kLimit + B::kRetentionSlack);
  const auto listed = f.dead_letters(static_cast<std::size_t>(n));
  CHECK(static_cast<std::int64_t>(listed.size()) == s.dlq);
  REQUIRE_FALSE(listed.empty());
  CHECK(listed.back().id == "d-" + std::to_string(n - 1));  // newest last
  CHECK(f.find("d-" + std::to_string(n - 1)).state == EventState::kDead);
  CHECK(error_code(f.queue->find_event("d-0")) == ErrorCode::kNotFound);
  CHECK(error_code(f.queue->find_event("del-d-0")) == ErrorCode::kNotFound);
}

}  // namespace
}  // namespace aof::queue::conformance
