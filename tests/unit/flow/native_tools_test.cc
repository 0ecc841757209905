// Script nodes with `tool:` (native_tools.h, reference §6.3): docker and kubectl as fake
// programs found in the node's PATH that record their argv and environment, http against a
// loopback server, json and file on real data and real files.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "sidecar/httplib_client.h"
#include "tests/support/scripted_http_server.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/flow/flow_test_util.h"

namespace aof::runtime {
namespace {

using Json = nlohmann::json;
using testing::edge;
using testing::flow_of;
using testing::output_of;
using testing::read;
using testing::run;
using testing::script;

config::FlowNode tool(const std::string& id, const std::string& name, const std::string& action,
                      Json args = Json::object()) {
  auto n = testing::node(id, config::NodeType::kScript);
  n.config.script_config.emplace();
  n.config.script_config->tool = name;
  n.config.script_config->action = action;
  n.config.script_config->args = std::move(args);
  return n;
}

// A directory with fake `docker` and `kubectl`: each appends its arguments (one per line,
// then "--") and $KUBECONFIG to calls.log, and prints what the test put in <program>.out;
// exit code and stderr from <program>.exit / <program>.err when present.
struct FakePrograms {
  aof::testing::TempDir dir;
  FakePrograms() {
    for (const std::string program : {"docker", "kubectl"}) {
      const auto path = dir.write(program, R"sh(#!/bin/sh
d=$(dirname "$0"); p=$(basename "$0")
{ for a in "$@"; do echo "$a"; done; echo "KUBECONFIG=$KUBECONFIG"; echo --; } >> "$d/calls.log"
[ -f "$d/$p.out" ] && cat "$d/$p.out"
[ -f "$d/$p.err" ] && cat "$d/$p.err" >&2
[ -f "$d/$p.exit" ] && exit "$(cat "$d/$p.exit")"
exit 0
)sh");
      std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    }
  }
  void prints(const std::string& program, const std::string& out) const {
    dir.write(program + ".out", out);
  }
  void fails(const std::string& program, int code, const std::string& err) const {
    dir.write(program + ".exit", std::to_string(code));
    dir.write(program + ".err", err);
  }
  std::string calls() const { return read(dir.path() / "calls.log"); }
  // The node runs with these programs first in its PATH.
  config::FlowNode on_path(config::FlowNode n) const {
    n.config.script_config->env["PATH"] = dir.path().string() + ":/usr/bin:/bin";
    return n;
  }
};

Result<Json> run_one(const config::FlowNode& n, const Json& trigger = Json::object(),
                     FlowRunOptions options = {}) {
  return run(flow_of({n}), trigger, std::move(options));
}

}  // namespace

TEST_CASE("docker ps, logs, inspect and stats run docker without a shell, in AOF's shapes") {
  const FakePrograms fake;
  fake.prints("docker", "{\"ID\":\"a1\",\"Names\":\"web\"}\n{\"ID\":\"b2\",\"Names\":\"db\"}\n");
  auto ps = run_one(fake.on_path(tool("ps", "docker", "ps", {{"all", true}})));
  REQUIRE(ps.ok());
  CHECK(output_of(ps, "ps") ==
        Json{{"containers", {{{"ID", "a1"}, {"Names", "web"}}, {{"ID", "b2"}, {"Names", "db"}}}},
             {"count", 2}});
  auto stats = run_one(fake.on_path(tool("st", "docker", "stats")));
  REQUIRE(stats.ok());
  CHECK(output_of(stats, "st")["stats"].size() == 2);

  fake.prints("docker", "[{\"Id\":\"a1\",\"State\":{\"Status\":\"exited\"}}]");
  auto inspect = run_one(fake.on_path(tool("i", "docker", "inspect", {{"container", "web"}})));
  REQUIRE(inspect.ok());
  CHECK(output_of(inspect, "i")[0]["State"]["Status"] == "exited");

  fake.prints("docker", "line 1\nline 2\n");
  // The container comes from the trigger; `tail` from a template keeps its number.
  auto logs = run_one(fake.on_path(tool("l", "docker", "logs",
                                        {{"container", "${event.name}"}, {"tail", "${event.n}"}})),
                      Json{{"name", "web; rm -rf /"}, {"n", 20}});
  REQUIRE(logs.ok());
  CHECK(output_of(logs, "l") ==
        Json{{"logs", "line 1\nline 2\n"}, {"stderr", ""}, {"container", "web; rm -rf /"}});
  CHECK(fake.calls() ==
        "ps\n--all\n--format\n{{json .}}\nKUBECONFIG=\n--\n"
        "stats\n--no-stream\n--format\n{{json .}}\nKUBECONFIG=\n--\n"
        "inspect\nweb\nKUBECONFIG=\n--\n"
        "logs\n--tail\n20\nweb; rm -rf /\nKUBECONFIG=\n--\n");
}

TEST_CASE("a failing program fails the node unless fail_on_error is false") {
  const FakePrograms fake;
  fake.fails("docker", 1, "Error: No such container: web\n");
  auto node = fake.on_path(tool("l", "docker", "logs", {{"container", "web"}}));
  auto failed = run_one(node);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code() == ErrorCode::kInternal);
  CHECK(failed.error().message() ==
        "node \"l\" (Script) failed: docker logs: `docker logs --tail 100 web` exited with 1: "
        "Error: No such container: web");
  node.config.script_config->fail_on_error = false;
  auto tolerated = run_one(node);
  REQUIRE(tolerated.ok());
  CHECK(output_of(tolerated, "l") ==
        Json{{"command", "docker logs --tail 100 web"},
             {"exit_code", 1},
             {"stderr", "Error: No such container: web\n"},
             {"success", false},
             {"error", "docker logs: `docker logs --tail 100 web` exited with 1: "
                       "Error: No such container: web"}});
}

TEST_CASE("a program that prints no JSON, or is not installed, is a failure too") {
  const FakePrograms fake;
  fake.prints("docker", "not json");
  auto inspect = run_one(fake.on_path(tool("i", "docker", "inspect", {{"container", "web"}})));
  REQUIRE_FALSE(inspect.ok());
  CHECK(inspect.error().message() ==
        "node \"i\" (Script) failed: docker inspect: docker inspect printed no JSON");
  auto missing = tool("k", "kubectl", "get", {{"resource", "pods"}});
  missing.config.script_config->env["PATH"] = "/nonexistent";
  auto not_installed = run_one(missing);
  REQUIRE_FALSE(not_installed.ok());
  CHECK(not_installed.error().message() ==
        "node \"k\" (Script) failed: kubectl get: kubectl is not installed on this worker (not "
        "found in PATH)");
}

TEST_CASE("an argument that would read as an option, or has the wrong type, is permanent") {
  const FakePrograms fake;
  auto option = fake.on_path(tool("l", "docker", "logs", {{"container", "--help"}}));
  option.config.script_config->fail_on_error = false;  // not a run-time failure: still an error
  auto refused = run_one(option);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code() == ErrorCode::kInvalidArgument);
  CHECK(refused.error().message() ==
        "node \"l\" (Script) failed: docker logs: args.container must not start with '-': "
        "\"--help\"");
  auto tail = run_one(fake.on_path(tool("l", "docker", "logs", {{"container", "web"}, {"tail", "x"}})));
  CHECK(tail.error().message() ==
        "node \"l\" (Script) failed: docker logs: args.tail must be a whole number from 1 to "
        "100000");
  auto list = run_one(fake.on_path(tool("l", "docker", "logs", {{"container", {1, 2}}})));
  CHECK(list.error().message() ==
        "node \"l\" (Script) failed: docker logs: args.container must be a string, not array");
  CHECK(fake.calls().empty());
}

TEST_CASE("kubectl takes its namespace and kubeconfig from spec.context") {
  const FakePrograms fake;
  fake.prints("kubectl", R"({"kind":"List","items":[{"metadata":{"name":"web-1"}}]})");
  auto get = fake.on_path(tool("pods", "kubectl", "get", {{"resource", "pods"}}));
  auto describe = fake.on_path(tool("d", "kubectl", "describe",
                                    {{"resource", "pod"}, {"name", "web-1"},
                                     {"namespace", "${context.namespace}-canary"}}));
  auto logs = fake.on_path(tool("l", "kubectl", "logs",
                                {{"pod", "web-1"}, {"container", "app"}, {"tail", 5}}));
  auto flow = flow_of({get, describe, logs}, {edge("start", "pods"), edge("pods", "d"),
                                              edge("d", "l")});
  flow.context.emplace();
  flow.context->namespace_ = "shop";
  flow.context->kubeconfig = "/etc/kube/prod.yaml";
  auto result = run(flow);
  REQUIRE(result.ok());
  CHECK(output_of(result, "pods")["items"][0]["metadata"]["name"] == "web-1");
  CHECK(output_of(result, "d")["resource"] == "pod");
  CHECK(output_of(result, "l")["pod"] == "web-1");
  CHECK(fake.calls() ==
        "get\npods\n--output\njson\n--namespace\nshop\nKUBECONFIG=/etc/kube/prod.yaml\n--\n"
        "describe\npod\nweb-1\n--namespace\nshop-canary\nKUBECONFIG=/etc/kube/prod.yaml\n--\n"
        "logs\nweb-1\n--tail\n5\n--container\napp\n--namespace\nshop\n"
        "KUBECONFIG=/etc/kube/prod.yaml\n--\n");
}

TEST_CASE("http sends a real request; a later node reads the parsed body") {
  aof::testing::ScriptedHttpServer api;
  api.reply_json(R"({"healthy":true,"checks":3})");
  const sidecar::HttplibClient http;
  FlowRunOptions options;
  options.http = &http;
  auto call = tool("post", "http", "post",
                   {{"url", api.base_url() + "/hooks/${event.id}"},
                    {"headers", {{"X-Run", "${event.id}"}}},
                    {"body", {{"text", "${event.text}"}, {"n", "${event.n}"}}}});
  auto show = script("show", "printf '%s' '${post.output.body.checks}'");
  auto result = run(flow_of({call, show}, {edge("start", "post"), edge("post", "show")}),
                    Json{{"id", "7"}, {"text", "say \"hi\"\n"}, {"n", 2}}, options);
  REQUIRE(result.ok());
  const auto requests = api.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "POST");
  CHECK(requests[0].target == "/hooks/7");
  CHECK(requests[0].headers.at("x-run") == "7");
  CHECK(requests[0].headers.at("content-type") == "application/json");
  CHECK(Json::parse(requests[0].body) == Json{{"text", "say \"hi\"\n"}, {"n", 2}});
  const Json out = output_of(result, "post");
  CHECK(out["status"] == 200);
  CHECK(out["body"]["healthy"] == true);
  CHECK(out["raw"] == R"({"healthy":true,"checks":3})");
  CHECK(out["success"] == true);
  CHECK(output_of(result, "show")["output"] == "3");
}

TEST_CASE("http: an error status or no answer is a failure; a bad url is permanent") {
  aof::testing::ScriptedHttpServer api;
  api.reply_json(R"({"error":"down"})", 503);
  const sidecar::HttplibClient http;
  FlowRunOptions options;
  options.http = &http;
  auto health = tool("h", "http", "get", {{"url", api.base_url() + "/health"}});
  auto failed = run_one(health, Json::object(), options);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().message() == "node \"h\" (Script) failed: http get: GET " +
                                        api.base_url() + "/health answered 503");
  health.config.script_config->fail_on_error = false;
  api.reply_json(R"({"error":"down"})", 503);
  auto tolerated = run_one(health, Json::object(), options);
  REQUIRE(tolerated.ok());
  CHECK(output_of(tolerated, "h")["status"] == 503);
  CHECK(output_of(tolerated, "h")["body"]["error"] == "down");
  CHECK(output_of(tolerated, "h")["success"] == false);

  auto refused = tool("h", "http", "get", {{"url", "http://127.0.0.1:1/health"}});
  refused.config.script_config->fail_on_error = false;
  auto unreachable = run_one(refused, Json::object(), options);
  REQUIRE(unreachable.ok());
  CHECK(output_of(unreachable, "h")["status"] == 0);
  CHECK(output_of(unreachable, "h")["success"] == false);

  auto ftp = tool("h", "http", "get", {{"url", "ftp://example.com/"}});
  ftp.config.script_config->fail_on_error = false;
  CHECK(run_one(ftp, Json::object(), options).error().code() == ErrorCode::kInvalidArgument);
  auto injected = tool("h", "http", "get",
                       {{"url", api.base_url()}, {"headers", {{"X", "${event.v}"}}}});
  CHECK(run_one(injected, Json{{"v", "a\r\nHost: evil"}}, options).error().message() ==
        "node \"h\" (Script) failed: http get: args.headers.X must not contain a line break");
}

TEST_CASE("json parse, extract and merge over earlier nodes' outputs") {
  auto emit = script("emit", "printf '%s' '{\"items\":[{\"name\":\"a\"},{\"name\":\"b\"}]}'");
  auto parse = tool("parse", "json", "parse", {{"input", "${emit.output.stdout}"}});
  auto extract = tool("second", "json", "extract",
                      {{"from", "${parse.output}"}, {"path", "items.1.name"}});
  auto from_text = tool("missing", "json", "extract",
                        {{"from", "${emit.output.stdout}"}, {"path", "items.9.name"}});
  auto merge = tool("merged", "json", "merge",
                    {{"sources", {{{"a", 1}, {"b", 1}}, "{\"b\":2}", "${parse.output.items.0}"}}});
  auto result = run(flow_of({emit, parse, extract, from_text, merge},
                            {edge("start", "emit"), edge("emit", "parse"), edge("parse", "second"),
                             edge("parse", "missing"), edge("parse", "merged")}));
  REQUIRE(result.ok());
  CHECK(output_of(result, "parse")["items"][0]["name"] == "a");
  CHECK(output_of(result, "second") == "b");
  CHECK(output_of(result, "missing").is_null());
  CHECK(output_of(result, "merged") == Json{{"a", 1}, {"b", 2}, {"name", "a"}});

  auto bad = tool("p", "json", "parse", {{"input", "{not json"}});
  CHECK(run_one(bad).error().message() ==
        "node \"p\" (Script) failed: json parse: args.input is not JSON");
  auto not_object = tool("m", "json", "merge", {{"sources", {{{"a", 1}}, {1, 2}}}});
  not_object.config.script_config->fail_on_error = false;
  auto tolerated = run_one(not_object);
  REQUIRE(tolerated.ok());
  CHECK(output_of(tolerated, "m")["error"] ==
        "json merge: args.sources[1] is array, not an object");
}

TEST_CASE("file write, read, exists and list; relative paths in the node's working_dir") {
  const aof::testing::TempDir dir;
  std::filesystem::create_directory(dir.path() / "sub");
  const auto in_dir = [&](config::FlowNode n) {
    n.config.script_config->working_dir = dir.path().string();
    return n;
  };
  auto write = in_dir(tool("w", "file", "write",
                           {{"path", "report.txt"}, {"content", "${event.summary}"}}));
  auto json_write = in_dir(tool("wj", "file", "write",
                                {{"path", "event.json"}, {"content", "${event}"}}));
  auto read_back = in_dir(tool("r", "file", "read", {{"path", "report.txt"}}));
  auto exists = in_dir(tool("e", "file", "exists", {{"path", "nope.txt"}}));
  auto list = in_dir(tool("ls", "file", "list", {{"path", "."}}));
  const Json trigger = {{"summary", "3 pods restarting"}};
  auto result = run(flow_of({write, json_write, read_back, exists, list},
                            {edge("start", "w"), edge("w", "wj"), edge("wj", "r"), edge("r", "e"),
                             edge("e", "ls")}),
                    trigger);
  REQUIRE(result.ok());
  const std::string report = (dir.path() / "report.txt").string();
  CHECK(output_of(result, "w") == Json{{"path", report}, {"written", true}, {"size", 17}});
  CHECK(Json::parse(read(dir.path() / "event.json")) == trigger);
  CHECK(output_of(result, "r") ==
        Json{{"path", report}, {"content", "3 pods restarting"}, {"size", 17}});
  CHECK(output_of(result, "e")["exists"] == false);
  const Json listing = output_of(result, "ls");
  CHECK(listing["count"] == 3);  // no temporary files left behind
  CHECK(listing["entries"][0]["name"] == "event.json");
  CHECK(listing["entries"][1]["name"] == "report.txt");
  CHECK(listing["entries"][2] == Json{{"name", "sub"},
                                      {"type", "directory"},
                                      {"path", (dir.path() / "./sub").string()}});
}

TEST_CASE("file read is capped; a missing file is a failure fail_on_error can tolerate") {
  const aof::testing::TempDir dir;
  const auto big = dir.write("big.log", std::string(2048, 'x'));
  FlowRunOptions options;
  options.max_output_bytes = 1024;
  auto too_big = run_one(tool("r", "file", "read", {{"path", big}}), Json::object(), options);
  REQUIRE_FALSE(too_big.ok());
  CHECK(too_big.error().message() == "node \"r\" (Script) failed: file read: " + big +
                                         " is larger than the 1024 bytes a node may read");
  auto missing = tool("r", "file", "read", {{"path", (dir.path() / "nope").string()}});
  missing.config.script_config->fail_on_error = false;
  auto tolerated = run_one(missing);
  REQUIRE(tolerated.ok());
  CHECK(output_of(tolerated, "r")["success"] == false);
  CHECK(output_of(tolerated, "r")["error"].get<std::string>().find("No such file") !=
        std::string::npos);
  // A FIFO with no writer would block a plain open for ever; a directory is no file either.
  const auto fifo = dir.path() / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  for (const auto& path : {fifo, dir.path()}) {
    auto odd = run_one(tool("r", "file", "read", {{"path", path.string()}}));
    REQUIRE_FALSE(odd.ok());
    CHECK(odd.error().message() == "node \"r\" (Script) failed: file read: " + path.string() +
                                       " is not a regular file");
  }
  auto into_missing_dir =
      tool("w", "file", "write", {{"path", (dir.path() / "no/such/dir.txt").string()},
                                  {"content", "x"}});
  CHECK_FALSE(run_one(into_missing_dir).ok());
}

}  // namespace aof::runtime
