#include "cli/commands/dlq_select.h"

#include <algorithm>
#include <array>

#include "cli/commands/text_format.h"

namespace aof::cli {
namespace {

constexpr std::array<const char*, 8> kMatchKeys = {
    "platform", "event", "action", "tenant", "trigger", "target", "delivery_id", "error"};

std::string value_of(const event::Envelope& e, const std::string& key) {
  if (key == "platform") return e.platform;
  if (key == "event") return e.event;
  if (key == "action") return e.action;
  if (key == "tenant") return e.tenant;
  if (key == "trigger") return e.trigger;
  if (key == "target") return e.target.name;
  if (key == "delivery_id") return e.delivery_id;
  return e.history.empty() ? "" : e.history.back().error_class;  // "error"
}

bool passes(const event::Envelope& e, const DeadLetterFilter& filter, TimePoint now) {
  if (filter.platform && e.platform != *filter.platform) return false;
  for (const auto& [key, value] : filter.match) {
    if (value_of(e, key) != value) return false;
  }
  if (filter.since || filter.older_than) {
    const auto at = parse_rfc3339(failed_at(e));
    if (!at) return false;
    if (filter.since && *at < now - *filter.since) return false;
    if (filter.older_than && *at > now - *filter.older_than) return false;
  }
  return true;
}

}  // namespace

Status parse_match_flags(const std::vector<std::string>& flags, DeadLetterFilter& filter) {
  for (const auto& flag : flags) {
    const auto eq = flag.find('=');
    const std::string key = flag.substr(0, eq);
    if (eq == std::string::npos ||
        std::find(kMatchKeys.begin(), kMatchKeys.end(), key) == kMatchKeys.end()) {
      return Error(ErrorCode::kInvalidArgument,
                   "--filter " + flag +
                       ": expected key=value with key one of platform, event, action, tenant, "
                       "trigger, target, delivery_id, error");
    }
    filter.match[key] = flag.substr(eq + 1);
  }
  return ok_status();
}

std::string failed_at(const event::Envelope& dead) {
  return dead.history.empty() ? dead.received_at : dead.history.back().at;
}

std::string last_error(const event::Envelope& dead) {
  if (dead.history.empty()) return "";
  return dead.history.back().error_class + ": " + dead.history.back().message;
}

Result<std::vector<event::Envelope>> select_dead_letters(queue::Queue& queue,
                                                         const DeadLetterFilter& filter,
                                                         std::size_t limit, TimePoint now) {
  const std::size_t read = filter.empty() && limit > 0 ? limit : kDeadLetterScan;
  auto dead = queue.dead_letters(read);
  if (!dead) return dead.error();
  std::vector<event::Envelope> out;
  for (auto it = dead->rbegin(); it != dead->rend(); ++it) {  // newest first, to stop at limit
    if (limit > 0 && out.size() == limit) break;
    if (passes(*it, filter, now)) out.push_back(std::move(*it));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace aof::cli
