// The operator CLI as a black box on Redis and on NATS JetStream (DESIGN §8, issue 5): aof dlq
// list|show|replay|purge, aof events show, aof stats, aof drain|resume — their output for
// people and for machines, and their exit codes: 2 bad flags, 3 broker unreachable, 4 not
// found, 5 partly done, 124 drain --wait timed out. Every case runs on both brokers (its name
// ends in <redis> or <nats>); where NATS cannot do what Redis does (name the worker holding a
// lease) the NATS case asserts what it does instead. Dead letters are either seeded through
// the queue seam on the same broker (fast, exact) or made by a real worker failing a real flow.
#include <doctest/doctest.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <set>
#include <thread>

#include "common/queue/factory.h"
#include "tests/e2e/deployment_fixture.h"

namespace aof::testing {
namespace {

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// The deployment's broker, opened in the test process (its config uses the default names).
queue::Broker open_seam(const Deployment& deployment) {
  config::QueueConfig config = deployment.queue_config();
  config.max_retries = 0;  // the first failure dead-letters
  auto broker = queue::open_broker(config, SystemClock::instance());
  REQUIRE_MESSAGE(broker.ok(), broker.error().message());
  return *broker;
}

event::Envelope envelope(const std::string& id, const std::string& platform) {
  event::Envelope e;
  e.id = id;
  e.platform = platform;
  e.event = "pull_request";
  e.action = "opened";
  e.delivery_id = "gh-" + id;
  e.received_at = to_rfc3339(SystemClock::instance().now());
  e.target = {event::TargetKind::kAgentFlow, "record"};
  e.metadata = {{"pr_number", 1}};
  e.body = "{}";
  return e;
}

// Publishes `id` and dead-letters it through the seam, as a worker "seed" would.
void seed_dead(queue::Queue& queue, const std::string& id, const std::string& platform = "github") {
  REQUIRE(queue.publish(envelope(id, platform)).get().ok());
  auto fetched = queue.fetch("seed", 1, Millis(2000));
  REQUIRE(fetched.ok());
  REQUIRE(fetched->size() == 1);
  REQUIRE(queue.fail(fetched->front(), {ErrorCode::kInvalidArgument, "no such flow", true}).ok());
}

nlohmann::json parse_json(const RunResult& run) {
  INFO("stdout: " << run.out << "\nstderr: " << run.err);
  auto parsed = nlohmann::json::parse(run.out, nullptr, false);
  REQUIRE_FALSE(parsed.is_discarded());
  return parsed;
}

// Starts the sidecar and one worker NAME, then sends PR `number` with `action`; returns the
// worker (keep it: it runs the flow) and the accepted event's id.
std::pair<WorkerProcess, std::string> start_and_send(Deployment& deployment,
                                                     const std::string& name, int number,
                                                     const std::string& action) {
  deployment.start_sidecar();
  auto worker = deployment.start_worker(name, 1);
  const auto accepted = deployment.send_pr(number, action);
  REQUIRE(accepted.status == 202);
  return {std::move(worker), accepted.json()["event_id"]};
}

}  // namespace

TEST_CASE_TEMPLATE("aof operator commands with an unreachable broker exit 3 and say what to check",
                   B, AOF_E2E_BROKERS) {
  const std::string address = "127.0.0.1:" + std::to_string(free_loopback_port());
  const std::string name = broker_name(B::kBroker);
  // What each client library says when nothing listens.
  const std::string refused =
      B::kBroker == Broker::kRedis ? "connection refused" : "No server available for connection";
  const std::vector<std::vector<std::string>> commands = {{"dlq", "list"},
                                                          {"dlq", "show", "x"},
                                                          {"dlq", "replay", "x"},
                                                          {"dlq", "purge", "x"},
                                                          {"events", "show", "x"},
                                                          {"stats"},
                                                          {"drain"},
                                                          {"resume"}};
  for (auto args : commands) {
    args.push_back("--queue-url");
    args.push_back(name + "://" + address);
    const auto run = run_to_completion(binary_path("aof"), args, {});
    INFO(args[0] << " " << (args.size() > 3 ? args[1] : "") << ": " << run.err);
    CHECK(run.exit_code == 3);
    CHECK(contains(run.err, "cannot reach " + name + " at " + address + ": " + refused +
                                " — is it running? is queue.url (or --queue-url) right?"));
    CHECK_FALSE(contains(run.err, ".c:"));  // no client library source locations
  }
}

TEST_CASE_TEMPLATE("aof operator commands refuse bad flags and the in-process queue with exit 2", B,
                   AOF_E2E_BROKERS) {
  Deployment deployment(B::kBroker);
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"dlq", "list", "--since", "5x"}, "--since: \"5x\" is not a duration"},
      {{"dlq", "replay"}, "give EVENT_ID... or --all"},
      {{"dlq", "replay", "a", "--all"}, "give EVENT_ID... or --all"},
      {{"dlq", "replay", "a", "--filter", "platform=github"}, "--filter selects among --all"},
      {{"dlq", "replay", "--all", "--filter", "colour=red"}, "--filter colour=red: expected"},
      {{"dlq", "replay", "a", "--set", "colour=red"}, "--set colour: not a field a replay may"},
      {{"dlq", "replay", "a", "--set", "priority=high"}, "--set priority: \"high\" is not an"},
      {{"dlq", "replay", "a", "--body", "/nonexistent/body"}, "--body /nonexistent/body: cannot"},
      {{"dlq", "purge"}, "give exactly one of"},
      {{"dlq", "purge", "a", "--all"}, "give exactly one of"},
      {{"drain", "--timeout", "1s"}, "--timeout needs --wait"},
      {{"drain", "--wait", "--timeout", "soon"}, "--timeout: \"soon\" is not a duration"},
      {{"stats", "--output", "yaml"}, "--output"},
      {{"dlq", "frobnicate"}, ""},
  };
  for (const auto& [args, message] : cases) {
    const auto run = deployment.aof(args);
    INFO(args[0] << " " << args[1] << ": " << run.err);
    CHECK(run.exit_code == 2);
    CHECK(contains(run.err, message));
  }
  // No --config and no --queue-url: the default is the in-process memory queue.
  const auto memory = run_to_completion(binary_path("aof"), {"stats"}, {});
  CHECK(memory.exit_code == 2);
  CHECK(contains(memory.err, "no broker to operate on"));
  CHECK(contains(memory.err, "--queue-url"));
}

TEST_CASE_TEMPLATE("aof dlq list, dlq show and events show read dead letters", B, AOF_E2E_BROKERS) {
  Deployment deployment(B::kBroker);
  auto broker = open_seam(deployment);
  seed_dead(*broker.queue, "evt-a", "github");
  seed_dead(*broker.queue, "evt-b", "slack");
  REQUIRE(broker.queue->publish(envelope("evt-waiting", "github")).get().ok());

  const auto json = parse_json(deployment.aof({"dlq", "list", "--json"}));
  REQUIRE(json.is_array());
  REQUIRE(json.size() == 2);
  CHECK(json[0]["event_id"] == "evt-a");
  CHECK(json[1]["event_id"] == "evt-b");
  std::set<std::string> keys;
  for (const auto& [key, value] : json[0].items()) keys.insert(key);
  CHECK(keys == std::set<std::string>{"event_id", "platform", "event", "action", "attempts",
                                      "last_error", "failed_at"});
  CHECK(json[0]["attempts"] == 1);
  CHECK(json[0]["last_error"] == "invalid_argument: no such flow");
  CHECK(json[0]["action"] == "opened");

  const auto slack =
      parse_json(deployment.aof({"dlq", "list", "--platform", "slack", "-o", "json"}));
  REQUIRE(slack.size() == 1);
  CHECK(slack[0]["event_id"] == "evt-b");
  const auto newest = parse_json(deployment.aof({"dlq", "list", "--limit", "1", "--json"}));
  REQUIRE(newest.size() == 1);
  CHECK(newest[0]["event_id"] == "evt-b");
  CHECK(parse_json(deployment.aof({"dlq", "list", "--since", "1h", "--json"})).size() == 2);

  const auto table = deployment.aof({"dlq", "list"});
  CHECK(table.exit_code == 0);
  CHECK(contains(table.out, "EVENT_ID"));
  CHECK(contains(table.out, "evt-a"));
  CHECK(contains(table.out, "2 dead letter(s)"));

  const auto show = deployment.aof({"dlq", "show", "evt-a"});
  CHECK(show.exit_code == 0);
  CHECK(contains(show.out, "status:     dead"));
  CHECK(contains(show.out, "no such flow"));
  const auto not_dead = deployment.aof({"dlq", "show", "evt-waiting"});
  CHECK(not_dead.exit_code == 4);
  CHECK(contains(not_dead.err, "is not a dead letter (it is waiting)"));

  const auto by_delivery = parse_json(deployment.aof({"events", "show", "gh-evt-b", "--json"}));
  CHECK(by_delivery["event_id"] == "evt-b");
  CHECK(by_delivery["state"] == "dead");
  CHECK(by_delivery["history"].size() == 1);
  const auto waiting = deployment.aof({"events", "show", "evt-waiting"});
  CHECK(waiting.exit_code == 0);
  CHECK(contains(waiting.out, "status:     waiting"));
  const auto unknown = deployment.aof({"events", "show", "nope"});
  CHECK(unknown.exit_code == 4);
  CHECK(contains(unknown.err, "no event with event id or delivery id nope"));
}

TEST_CASE_TEMPLATE(
    "aof dlq replay: exit 5 when some fail, 4 when the one fails, dry run changes nothing", B,
    AOF_E2E_BROKERS) {
  Deployment deployment(B::kBroker);
  auto broker = open_seam(deployment);
  seed_dead(*broker.queue, "evt-1");
  seed_dead(*broker.queue, "evt-2");

  const auto dry =
      deployment.aof({"dlq", "replay", "--all", "--dry-run", "--set", "action=edited"});
  CHECK(dry.exit_code == 0);
  CHECK(contains(dry.err, "[1/2] would replay evt-1 as generation 1 (action: opened -> edited)"));
  CHECK(broker.queue->stats()->dlq == 2);
  // An event id after --set is an id, not a second --set value.
  const auto one =
      deployment.aof({"dlq", "replay", "--set", "action=edited", "evt-2", "--dry-run"});
  CHECK(one.exit_code == 0);
  CHECK(contains(one.err, "would replay evt-2 as generation 1"));

  const auto partial = deployment.aof({"dlq", "replay", "evt-1", "nope"});
  INFO(partial.err);
  CHECK(partial.exit_code == 5);
  CHECK(contains(partial.err, "[1/2] replayed evt-1 as generation 1"));
  CHECK(contains(partial.err, "[2/2] nope: "));
  CHECK(contains(partial.out, "replayed 1 of 2 dead letter(s)"));
  const auto record = broker.queue->find_event("evt-1");
  REQUIRE(record.ok());
  CHECK(record->state == queue::EventState::kWaiting);
  CHECK(record->envelope.generation == 1);
  CHECK(record->envelope.attempt == 0);
  REQUIRE(record->envelope.replays.size() == 1);
  CHECK(contains(record->envelope.replays[0].by, "@"));

  const auto again = deployment.aof({"dlq", "replay", "evt-1"});
  CHECK(again.exit_code == 4);
  CHECK(contains(again.err, "no dead letter with event id evt-1"));

  const auto filtered = deployment.aof({"dlq", "replay", "--all", "--filter", "platform=slack"});
  CHECK(filtered.exit_code == 0);
  CHECK(contains(filtered.out, "no dead letters match"));
  CHECK(broker.queue->stats()->dlq == 1);
}

TEST_CASE_TEMPLATE("aof dlq purge by id, --older-than and --all", B, AOF_E2E_BROKERS) {
  Deployment deployment(B::kBroker);
  auto broker = open_seam(deployment);
  for (const char* id : {"p-1", "p-2", "p-3"}) seed_dead(*broker.queue, id);

  CHECK(deployment.aof({"dlq", "purge", "p-1"}).exit_code == 0);
  CHECK(broker.queue->find_event("p-1").error().code() == ErrorCode::kNotFound);
  CHECK(deployment.aof({"dlq", "purge", "p-1"}).exit_code == 4);
  const auto recent = deployment.aof({"dlq", "purge", "--older-than", "1h"});
  CHECK(recent.exit_code == 0);
  CHECK(contains(recent.out, "purged 0 of 0"));
  CHECK(broker.queue->stats()->dlq == 2);
  const auto all = deployment.aof({"dlq", "purge", "--all"});
  CHECK(all.exit_code == 0);
  CHECK(contains(all.out, "purged 2 of 2"));
  CHECK(broker.queue->stats()->dlq == 0);
}

TEST_CASE_TEMPLATE("aof stats: integer totals, consumers with idle time, names; --watch samples", B,
                   AOF_E2E_BROKERS) {
  Deployment deployment(B::kBroker);
  auto broker = open_seam(deployment);
  seed_dead(*broker.queue, "dead-1");
  REQUIRE(broker.queue->publish(envelope("held", "github")).get().ok());
  REQUIRE(broker.queue->publish(envelope("waiting", "github")).get().ok());
  REQUIRE(broker.queue->fetch("w-holder", 1, Millis(2000))->size() == 1);

  const auto json = parse_json(deployment.aof({"stats", "--json"}));
  CHECK(json["depth"] == 1);
  CHECK(json["pending"] == 1);
  CHECK(json["delayed"] == 0);
  CHECK(json["dlq"] == 1);
  CHECK(json["depth"].is_number_integer());
  CHECK(json["oldest_waiting_ms"].is_number_integer());
  CHECK(json["paused"].is_null());
  const auto table = deployment.aof({"stats"});
  CHECK(table.exit_code == 0);
  CHECK(contains(table.out, "depth:     1 waiting, oldest "));
  if (B::kBroker == Broker::kRedis) {
    CHECK(json["names"]["stream"] == "aof-events:default");
    CHECK(json["consumers_known"] == true);
    bool holder = false;
    for (const auto& c : json["consumers"]) {
      if (c["name"] == "w-holder") {
        holder = true;
        CHECK(c["pending"] == 1);
        CHECK(c["idle_ms"].is_number_integer());
      }
    }
    CHECK(holder);
    CHECK(contains(table.out, "w-holder"));
  } else {
    // One durable pull consumer serves every worker: the server knows no worker names.
    CHECK(json["names"]["stream"] == "aof-events");
    CHECK(json["names"]["consumer"] == "aof-workers");
    CHECK(json["consumers_known"] == false);
    CHECK(json["consumers"].empty());
    CHECK(contains(table.out,
                   "consumers: not reported by nats (one durable consumer serves every worker)"));
    CHECK_FALSE(contains(table.out, "w-holder"));
  }

  ChildProcess watch(
      binary_path("aof"),
      {"stats", "--watch", "--json", "--interval", "100ms", "--config", deployment.config_path()},
      {}, deployment.dir().path().string());
  bool two = false;
  for (int i = 0; i < 200 && !two; ++i) {
    const std::string out = watch.stdout_text();
    two = std::count(out.begin(), out.end(), '\n') >= 2;
    if (!two) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(two);
  watch.signal(SIGTERM);
  watch.wait(std::chrono::seconds(5));
}

TEST_CASE_TEMPLATE("a real worker honours aof drain and aof resume, also when started paused", B,
                   AOF_E2E_BROKERS) {
  Deployment deployment(B::kBroker);
  deployment.start_sidecar();
  auto before = deployment.start_worker("before", 2);
  const auto drain = deployment.aof({"drain", "--wait", "--timeout", "20s"});
  INFO(drain.err);
  REQUIRE(drain.exit_code == 0);
  CHECK(contains(drain.out, "paused all consumers"));
  CHECK(contains(drain.out, "drained: no events in flight"));
  REQUIRE(wait_for_metric(before.port, "aof_worker_paused 1", std::chrono::seconds(5)));
  auto during = deployment.start_worker("during", 2);
  REQUIRE(wait_for_metric(during.port, "aof_worker_paused 1", std::chrono::seconds(5)));

  const auto accepted = deployment.send_pr(1);
  REQUIRE(accepted.status == 202);
  const std::string id = accepted.json()["event_id"];
  // Both workers read the pause before this event existed: it stays waiting.
  const auto waiting = parse_json(deployment.aof({"events", "show", id, "--json"}));
  CHECK(waiting["state"] == "waiting");
  const auto stats = parse_json(deployment.aof({"stats", "--json"}));
  CHECK(stats["paused"]["all"] == true);
  CHECK(stats["depth"] == 1);

  const auto resume = deployment.aof({"resume"});
  CHECK(resume.exit_code == 0);
  CHECK(contains(resume.out, "resumed all consumers"));
  CHECK(deployment.wait_for_event(id)["state"] == "done");
  CHECK(deployment.marker_lines() == std::vector<std::string>{"1"});
}

TEST_CASE_TEMPLATE("aof drain --wait times out with 124 while a flow runs, then drains", B,
                   AOF_E2E_BROKERS) {
  Deployment deployment(B::kBroker);
  auto [worker, id] = start_and_send(deployment, "busy", 2, "synchronize");
  REQUIRE(
      worker.process->wait_for_stderr("target=AgentFlow:gated started", std::chrono::seconds(20)));

  // Redis drains the one worker and names who holds what; NATS cannot tell which worker
  // holds a lease, so it refuses --wait with --consumer before pausing anything and the
  // operator drains all.
  std::vector<std::string> scope = {"--consumer", "busy"};
  std::string in_flight = "1 event(s) still in flight (busy 1 (idle ";
  std::string drained_on = "consumer busy";
  if (B::kBroker == Broker::kNats) {
    const auto refused = deployment.aof({"drain", "--consumer", "busy", "--wait"});
    CHECK(refused.exit_code == 2);
    CHECK(contains(refused.err,
                   "--wait with --consumer: the nats backend cannot tell which "
                   "worker holds a lease; drain all with `aof drain --wait`"));
    CHECK(parse_json(deployment.aof({"stats", "--json"}))["paused"].is_null());
    scope.clear();
    in_flight = "1 event(s) still in flight; the pause";
    drained_on = "all consumers";
  }
  const auto drain = [&](const std::string& timeout) {
    std::vector<std::string> args = {"drain", "--wait", "--timeout", timeout};
    args.insert(args.end(), scope.begin(), scope.end());
    return deployment.aof(args);
  };

  const auto timed_out = drain("1s");
  CHECK(timed_out.exit_code == 124);
  CHECK(contains(timed_out.err, "timed out after 1s with " + in_flight));
  CHECK(contains(timed_out.err, "the pause stays in force"));

  { std::ofstream gate(deployment.gate_path()); }
  const auto drained = drain("20s");
  CHECK(drained.exit_code == 0);
  CHECK(contains(drained.out, "drained: no events in flight on " + drained_on));
  CHECK(deployment.wait_for_event(id)["state"] == "done");
  std::vector<std::string> resume = {"resume"};
  resume.insert(resume.end(), scope.begin(), scope.end());
  CHECK(deployment.aof(resume).exit_code == 0);
}

TEST_CASE_TEMPLATE("a flow that failed into the DLQ runs again after aof dlq replay", B,
                   AOF_E2E_BROKERS) {
  Deployment deployment(B::kBroker);
  const auto [worker, id] = start_and_send(deployment, "w", 3, "closed");
  REQUIRE(deployment.wait_for_event(id)["state"] == "dead");

  const auto list = parse_json(deployment.aof({"dlq", "list", "--json"}));
  REQUIRE(list.size() == 1);
  CHECK(list[0]["event_id"] == id);
  CHECK(list[0]["attempts"] == 4);  // 1 + max_retries

  { std::ofstream fix(deployment.fix_path()); }
  const auto replay = deployment.aof({"dlq", "replay", id});
  INFO(replay.err);
  REQUIRE(replay.exit_code == 0);
  CHECK(contains(replay.err, "replayed " + id + " as generation 1"));
  const auto done = deployment.wait_for_event(id);
  CHECK(done["state"] == "done");
  CHECK(done["generation"] == 1);
  CHECK(done["attempts"] == 1);
  CHECK(done["history"].size() == 4);  // the original's failures are kept
  CHECK(deployment.marker_lines() == std::vector<std::string>{"fixed 3"});
  const auto shown = parse_json(deployment.aof({"events", "show", "d-closed-3", "--json"}));
  CHECK(shown["state"] == "done");
  REQUIRE(shown["replays"].size() == 1);
  CHECK(shown["replays"][0]["from_generation"] == 0);
}

}  // namespace aof::testing
