#include "common/runtime/agent/tool_journal.h"

#include <spdlog/spdlog.h>

#include "common/base/digest.h"
#include "common/base/log.h"

namespace aof::runtime::agent {
namespace {

using nlohmann::json;

// Claims race only with another worker on the same event; they settle in a read or two.
constexpr int kMaxRaces = 4;

std::string dumped(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// `text` cut to at most `max_bytes` on a UTF-8 character boundary.
std::string cut(std::string text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text + "… (cut: the journal keeps at most " + std::to_string(max_bytes) + " bytes)";
}

json recorded_result(const tools::ToolResult& result) {
  json value = {{"success", result.success},
                {"data", result.data},
                {"error", cut(result.error, kMaxJournaledToolResultBytes / 8)}};
  if (dumped(value).size() > kMaxJournaledToolResultBytes) {
    value["data"] = cut(dumped(result.data), kMaxJournaledToolResultBytes / 2);
  }
  return value;
}

tools::ToolResult result_of(const json& recorded) {
  tools::ToolResult result;
  result.success = recorded.value("success", false);
  result.data = recorded.value("data", json());
  result.error = recorded.value("error", "");
  result.changed_something = true;  // it was journaled because it might have
  return result;
}

std::string entry(const std::string& state, const std::string& worker,
                  const tools::ToolResult* result = nullptr) {
  json value = {{"state", state}, {"worker", worker}};
  if (result != nullptr) value["result"] = recorded_result(*result);
  return dumped(value);
}

tools::ToolResult outcome_unknown(const std::string& tool, const std::string& worker) {
  tools::ToolResult result;
  result.changed_something = true;
  result.error = "not run again: an earlier attempt at this event (worker " +
                 (worker.empty() ? std::string("unknown") : worker) + ") started this same " +
                 tool +
                 " call and stopped before its outcome was recorded, so it may or may not have "
                 "taken effect. Check its effect before you retry it; the same call made again "
                 "now will run.";
  return result;
}

}  // namespace

std::string tool_call_hash(const std::string& agent, const std::string& tool,
                           const json& arguments) {
  std::string content = agent;
  content += '\0';
  content += tool;
  content += '\0';
  content += dumped(arguments);  // nlohmann's objects keep their keys sorted: canonical
  content += '\0';
  return sha256_hex(content);
}

ToolJournal::ToolJournal(queue::StateStore& state, std::string event_id, int generation,
                         std::string worker)
    : state_(state),
      event_id_(std::move(event_id)),
      generation_(generation),
      worker_(std::move(worker)) {}

std::string ToolJournal::next_key(const std::string& agent, const std::string& tool,
                                  const json& arguments) {
  const std::string hash = tool_call_hash(agent, tool, arguments);
  int n = 0;
  {
    std::lock_guard lock(mu_);
    n = calls_[hash]++;
  }
  return "effect:" + event_id_ + ":" + std::to_string(generation_) + ":tool:" + hash + ":" +
         std::to_string(n);
}

Result<tools::ToolResult> ToolJournal::run_once(
    const std::string& key, const std::string& tool,
    const std::function<tools::ToolResult()>& run_call) {
  const std::string running = entry("running", worker_);
  for (int race = 0; race <= kMaxRaces; ++race) {
    auto value = state_.get(key);
    if (!value.ok()) return value.error().with_context("tool journal " + key);
    if (*value) return resume(key, tool, **value);
    auto claimed = state_.compare_and_set(key, std::nullopt, running, kToolJournalTtl);
    if (!claimed.ok()) return claimed.error().with_context("tool journal " + key);
    if (*claimed) return run_and_record(key, running, run_call);
  }
  return Error(ErrorCode::kUnavailable, "tool journal " + key + ": contended");
}

tools::ToolResult ToolJournal::resume(const std::string& key, const std::string& tool,
                                      const std::string& value) const {
  auto logger = log::get(log::Component::kRuntime);
  const json stored = json::parse(value, nullptr, false);
  const std::string state = stored.is_object() ? stored.value("state", "") : "";
  const std::string worker = stored.is_object() ? stored.value("worker", "") : "";
  if (state == "done" && stored.contains("result") && stored["result"].is_object()) {
    logger->info("event_id={} generation={} tool {} already ran ({}); its result is reused",
                 event_id_, generation_, tool, key);
    return result_of(stored["result"]);
  }
  // "running", or a value we cannot read: either way nobody knows how the call ended.
  logger->warn(
      "event_id={} generation={} tool {} was started by {} and its outcome is unknown ({}); "
      "it is not run again",
      event_id_, generation_, tool, worker.empty() ? "another attempt" : worker, key);
  return outcome_unknown(tool, worker);
}

tools::ToolResult ToolJournal::run_and_record(
    const std::string& key, const std::string& running,
    const std::function<tools::ToolResult()>& run_call) const {
  tools::ToolResult result = run_call();
  const std::string done = entry("done", worker_, &result);
  auto moved = state_.compare_and_set(key, running, done, kToolJournalTtl);
  if (!moved.ok() || !*moved) {
    log::get(log::Component::kRuntime)
        ->warn(
            "event_id={} generation={} the end of tool call {} was not recorded ({}); a "
            "redelivery will not run it again and will report its outcome as unknown",
            event_id_, generation_, key,
            moved.ok() ? "the entry changed meanwhile" : moved.error().message());
  }
  return result;
}

}  // namespace aof::runtime::agent
