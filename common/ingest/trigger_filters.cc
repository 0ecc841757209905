#include "common/ingest/trigger_filters.h"

#include <algorithm>

#include "common/ingest/routing.h"

namespace aof::ingest {
namespace {

using nlohmann::json;

// libstdc++'s regex recurses per character: patterns see the first 4 KiB of the text, which
// holds any command or keyword an operator filters on, and never a deep stack.
constexpr std::size_t kMaxPatternTextBytes = 4096;

// A list of scalars from spec.config (strings, or numbers as Telegram's chat_ids are).
std::vector<std::string> scalars(const json& config, const char* key) {
  std::vector<std::string> out;
  const auto it = config.find(key);
  if (it == config.end() || !it->is_array()) return out;
  for (const json& item : *it) {
    if (item.is_string()) out.push_back(item.get<std::string>());
    if (item.is_number_integer()) out.push_back(std::to_string(item.get<std::int64_t>()));
  }
  return out;
}

bool listed(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

void append(std::vector<std::string>& to, const std::vector<std::string>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

}  // namespace

Result<TriggerFilters> TriggerFilters::compile(const config::Trigger& trigger) {
  TriggerFilters out;
  const json& config = trigger.config;
  out.events_ = scalars(config, "events");
  append(out.events_, trigger.github_events);
  out.channels_ = scalars(config, "channels");
  append(out.channels_, scalars(config, "chat_ids"));
  out.users_ = scalars(config, "users");
  out.guild_ids_ = scalars(config, "guild_ids");
  out.service_ids_ = scalars(config, "service_ids");
  out.repositories_ = trigger.repositories;
  for (const std::string& pattern : scalars(config, "patterns")) {
    try {
      out.patterns_.emplace_back(pattern, std::regex::ECMAScript | std::regex::optimize);
      out.pattern_sources_.push_back(pattern);
    } catch (const std::regex_error& e) {
      return Error(ErrorCode::kInvalidArgument, "trigger " + trigger.name + ": pattern \"" +
                                                    pattern + "\" is not a valid regex: " +
                                                    e.what());
    }
  }
  return out;
}

std::string TriggerFilters::refusal(const FilterSubject& subject) const {
  if (!events_.empty() && !subject.command && !listed(events_, subject.event) &&
      std::none_of(subject.event_keys.begin(), subject.event_keys.end(),
                   [&](const std::string& key) { return listed(events_, key); })) {
    return "events does not list " + subject.event;
  }
  if (!channels_.empty() && !listed(channels_, subject.channel_id)) {
    return "channels does not list " + subject.channel_id;
  }
  if (!users_.empty() && !listed(users_, subject.user_id) && !listed(users_, subject.user_name)) {
    return "users does not list " + subject.user_id;
  }
  if (!guild_ids_.empty() && !listed(guild_ids_, subject.guild_id)) {
    return "guild_ids does not list " + subject.guild_id;
  }
  if (!service_ids_.empty() && !listed(service_ids_, subject.service_id)) {
    return "service_ids does not list " + subject.service_id;
  }
  if (!repositories_.empty() && !repo_allowed(repositories_, subject.repository)) {
    return "repositories does not match " + subject.repository;
  }
  if (!patterns_.empty() &&
      std::none_of(patterns_.begin(), patterns_.end(), [&](const std::regex& re) {
        const std::size_t n = std::min(subject.text.size(), kMaxPatternTextBytes);
        return std::regex_search(subject.text.begin(), subject.text.begin() + n, re);
      })) {
    return "no pattern matches the text";
  }
  return "";
}

}  // namespace aof::ingest
