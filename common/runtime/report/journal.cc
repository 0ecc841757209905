#include "common/runtime/report/journal.h"

#include "common/runtime/report/platform_requests.h"

namespace aof::runtime::report {

std::string JournalEntry::encode() const {
  nlohmann::json value = {{"state", state}, {"success", success}, {"worker", worker}};
  if (success) {
    value["result"] = result;
  } else {
    value["error"] = error;
  }
  if (!outcome.empty()) value["outcome"] = outcome;
  return value.dump();
}

std::optional<JournalEntry> JournalEntry::decode(const std::string& value) {
  auto json = nlohmann::json::parse(value, nullptr, false);
  if (!json.is_object() || !json.contains("state") || !json["state"].is_string()) {
    return std::nullopt;
  }
  JournalEntry entry;
  entry.state = json["state"].get<std::string>();
  entry.success = json.value("success", true);
  entry.result = json.value("result", nlohmann::json());
  entry.error = json.value("error", "");
  entry.outcome = json.value("outcome", "");
  entry.worker = json.value("worker", "");
  return entry;
}

nlohmann::json journaled_result(const nlohmann::json& result) {
  if (result.dump().size() <= kMaxJournaledResultBytes) return result;
  return {{"output", bounded(text_of_result(result).text, kMaxJournaledResultBytes / 2)},
          {"journal_truncated", true}};
}

std::string journal_key(const event::Envelope& envelope) {
  return "effect:" + envelope.id + ":" + std::to_string(envelope.generation) + ":report";
}

Result<Journal::Read> Journal::read(const std::string& key) {
  auto value = state_.get(key);
  if (!value.ok()) return value.error().with_context("effect journal " + key);
  Read out;
  out.raw = *value;
  if (*value) out.entry = JournalEntry::decode(**value);
  return out;
}

Result<bool> Journal::move(const std::string& key, const std::optional<std::string>& expected,
                           const JournalEntry& next) {
  auto moved = state_.compare_and_set(key, expected, next.encode(), kJournalTtl);
  if (!moved.ok()) return moved.error().with_context("effect journal " + key);
  return *moved;
}

}  // namespace aof::runtime::report
