// Effect-once report-back (report/journal.h, reporting_job.h) on the memory, Redis and NATS
// state stores: a redelivery neither re-runs the job nor posts twice; a replay (new
// generation) does both again; a post cut short by a dead worker is not repeated; a
// retryable post failure retries the post alone.
#include <doctest/doctest.h>

#include "common/queue/factory.h"
#include "common/runtime/report/journal.h"
#include "common/runtime/report/reporting_job.h"
#include "tests/support/nats_server.h"
#include "tests/support/redis_server.h"
#include "tests/unit/report/report_fixture.h"

namespace aof::runtime::report {
namespace {

using nlohmann::json;
using testing::github_pr_event;
using testing::ReportFixture;

struct MemoryState {
  config::QueueConfig config() const {
    config::QueueConfig c;
    c.type = config::QueueType::kMemory;
    return c;
  }
};

struct RedisState {
  aof::testing::RedisServer server;
  config::QueueConfig config() const {
    config::QueueConfig c;
    c.type = config::QueueType::kRedis;
    c.url = server.url();
    return c;
  }
};

struct NatsState {
  aof::testing::NatsServer server;
  config::QueueConfig config() const {
    config::QueueConfig c;
    c.type = config::QueueType::kNats;
    c.url = server.url();
    return c;
  }
};

#define AOF_STATE_BACKENDS MemoryState, RedisState, NatsState

// A job that counts its runs and answers like an agent; the reporting job around it posts to
// the fake GitHub API.
template <typename Backend>
struct Harness {
  Backend backend;
  ReportFixture fixture;
  std::shared_ptr<queue::StateStore> state;
  std::shared_ptr<ReportCounters> counters = std::make_shared<ReportCounters>();
  int runs = 0;
  std::function<Result<json>(const event::Envelope&)> answer = [](const event::Envelope&) {
    return Result<json>(json{{"output", "Looks good."}, {"iterations", 3}});
  };
  Job job;

  Harness() {
    auto broker = queue::open_broker(backend.config(), SystemClock::instance());
    REQUIRE(broker.ok());
    state = broker->state;
    Job inner = [this](const event::Envelope& e, const JobContext&, bool* permanent) {
      ++runs;
      auto result = answer(e);
      if (!result.ok()) *permanent = result.error().code() == ErrorCode::kInvalidArgument;
      return result;
    };
    job = reporting_job(inner, fixture.reporter(), state, /*max_retries=*/3, counters);
  }

  Result<json> run(const event::Envelope& e, const std::string& worker = "w1") {
    bool permanent = false;
    return job(e, JobContext{worker, nullptr}, &permanent);
  }
  std::size_t posts() const { return fixture.api.requests().size(); }
  JournalEntry entry(const event::Envelope& e) {
    auto value = state->get(journal_key(e));
    REQUIRE(value.ok());
    REQUIRE(value->has_value());
    auto decoded = JournalEntry::decode(**value);
    REQUIRE(decoded.has_value());
    return *decoded;
  }
};

event::Envelope first_attempt() {
  auto e = github_pr_event();
  e.attempt = 1;
  return e;
}

TEST_CASE_TEMPLATE("effect-once: a redelivered event is neither run nor posted again", B,
                   AOF_STATE_BACKENDS) {
  Harness<B> h;
  h.fixture.api.reply_json(R"({"id": 1})", 201);
  auto e = first_attempt();
  auto first = h.run(e);
  REQUIRE(first.ok());
  CHECK((*first)["output"] == "Looks good.");
  CHECK(h.posts() == 1);
  CHECK(h.entry(e).state == "done");
  CHECK(h.entry(e).outcome == "posted");
  e.attempt = 2;  // the worker died before its ack; the lease expired; another one got it
  auto again = h.run(e, "w2");
  REQUIRE(again.ok());
  CHECK(*again == *first);  // acked with the recorded result
  CHECK(h.runs == 1);
  CHECK(h.posts() == 1);
  CHECK(h.counters->posted == 1);
  CHECK(h.counters->deduplicated == 1);
}

TEST_CASE_TEMPLATE("effect-once: an operator replay (new generation) runs and posts again", B,
                   AOF_STATE_BACKENDS) {
  Harness<B> h;
  h.fixture.api.reply_json("{}", 201);
  auto e = first_attempt();
  REQUIRE(h.run(e).ok());
  e.generation = 1;
  REQUIRE(h.run(e).ok());
  CHECK(h.runs == 2);
  CHECK(h.posts() == 2);
}

TEST_CASE_TEMPLATE("effect-once: a post cut short by a dead worker is not repeated", B,
                   AOF_STATE_BACKENDS) {
  Harness<B> h;
  auto e = first_attempt();
  // What a worker leaves when it dies between journaling "posting" and journaling "done".
  JournalEntry posting{"posting", true, json{{"output", "recorded"}}, "", "", "dead-worker"};
  REQUIRE(h.state->put(journal_key(e), posting.encode(), Millis(0)).ok());
  e.attempt = 2;
  auto result = h.run(e, "w2");
  REQUIRE(result.ok());
  CHECK((*result)["output"] == "recorded");
  CHECK(h.runs == 0);
  CHECK(h.posts() == 0);
  CHECK(h.entry(e).state == "done");
  CHECK(h.entry(e).outcome == "unconfirmed");
  CHECK(h.counters->unconfirmed == 1);
}

TEST_CASE_TEMPLATE("effect-once: a retryable post failure retries the post, not the agent", B,
                   AOF_STATE_BACKENDS) {
  Harness<B> h;
  h.fixture.api.reply_json(R"({"message": "unicorn"})", 503);
  h.fixture.api.reply_json(R"({"id": 2})", 201);
  auto e = first_attempt();
  bool permanent = true;
  auto failed = h.job(e, JobContext{"w1", nullptr}, &permanent);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code() == ErrorCode::kUnavailable);
  CHECK_FALSE(permanent);
  CHECK(h.entry(e).state == "pending");
  e.attempt = 2;
  auto retried = h.run(e);
  REQUIRE(retried.ok());
  CHECK((*retried)["output"] == "Looks good.");
  CHECK(h.runs == 1);
  CHECK(h.posts() == 2);  // the 503 and the one that landed
  CHECK(h.entry(e).outcome == "posted");
  CHECK(h.counters->retried == 1);
  CHECK(h.counters->posted == 1);
}

TEST_CASE_TEMPLATE("effect-once: a failure is reported once, when it is final", B,
                   AOF_STATE_BACKENDS) {
  Harness<B> h;
  h.fixture.api.reply_json("{}", 201);
  h.answer = [](const event::Envelope& e) -> Result<json> {
    if (e.attempt == 1) return Error(ErrorCode::kUnavailable, "LLM 429");
    return Error(ErrorCode::kTimeout, "agent \"review\": timed out");
  };
  auto e = first_attempt();
  CHECK_FALSE(h.run(e).ok());  // retryable, attempts left: nothing posted yet
  CHECK(h.posts() == 0);
  e.attempt = 4;  // the last of 1 + max_retries
  bool permanent = false;
  auto final_failure = h.job(e, JobContext{"w1", nullptr}, &permanent);
  REQUIRE_FALSE(final_failure.ok());
  CHECK(final_failure.error().code() == ErrorCode::kTimeout);  // as the job failed
  CHECK_FALSE(permanent);  // no retries left anyway: the queue dead-letters it
  CHECK(final_failure.error().message() == "agent \"review\": timed out");
  REQUIRE(h.posts() == 1);
  CHECK(json::parse(h.fixture.api.requests()[0].body)["body"] ==
        "❌ Sorry, I encountered an error: agent \"review\": timed out");
  e.attempt = 5;  // redelivered before the dead-letter landed: not run, not posted again
  permanent = false;
  CHECK_FALSE(h.job(e, JobContext{"w1", nullptr}, &permanent).ok());
  CHECK(permanent);
  CHECK(h.posts() == 1);
  CHECK(h.runs == 2);
}

TEST_CASE_TEMPLATE("effect-once: a result too large for a state value is journaled cut", B,
                   AOF_STATE_BACKENDS) {
  Harness<B> h;
  h.fixture.api.reply_json("{}", 201);
  const json big = {{"output", {{"output", std::string(2u << 20, 'x')}}}};  // a flow, 2 MiB
  h.answer = [&](const event::Envelope&) -> Result<json> { return big; };
  auto e = first_attempt();
  auto first = h.run(e);
  REQUIRE(first.ok());
  CHECK(*first == big);  // the first delivery acks with the whole result
  const JournalEntry entry = h.entry(e);
  CHECK(entry.result["journal_truncated"] == true);
  const std::string kept = entry.result["output"];
  CHECK(kept.size() <= kMaxJournaledResultBytes / 2);
  e.attempt = 2;
  auto again = h.run(e);
  REQUIRE(again.ok());
  CHECK((*again)["journal_truncated"] == true);
  CHECK(h.runs == 1);
  CHECK(h.posts() == 1);
}

TEST_CASE_TEMPLATE("effect-once: two workers finishing one event post once", B,
                   AOF_STATE_BACKENDS) {
  Harness<B> h;
  h.fixture.api.reply_json("{}", 201);
  auto e = first_attempt();
  // Worker w1's lease expired while its agent ran; w2 got the event and finished first.
  bool nested = false;
  h.answer = [&](const event::Envelope& event) -> Result<json> {
    if (!nested) {
      nested = true;
      auto other = h.run(event, "w2");
      REQUIRE(other.ok());
    }
    return json{{"output", "reviewed"}};
  };
  auto result = h.run(e, "w1");
  REQUIRE(result.ok());
  CHECK(h.runs == 2);
  CHECK(h.posts() == 1);
  CHECK(h.entry(e).worker == "w2");
}

}  // namespace
}  // namespace aof::runtime::report
