#include "common/ingest/routing.h"

#include "common/event/approval_reactions.h"

namespace aof::ingest {
namespace {

using nlohmann::json;

constexpr const char* kBuiltinReason = "builtin commands are not run by workers yet";

// One binding key to look up, with the text the binding would receive.
struct Lookup {
  std::string key;
  std::string command_text;
  bool is_default = false;  // step 4: only an `agent` counts, and no text synthesis
};

struct Match {
  const config::Trigger* trigger = nullptr;
  const config::CommandBinding* binding = nullptr;
  const Lookup* lookup = nullptr;
};

bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const auto end = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(begin, end - begin + 1));
}

// "/summarize this please" → {"summarize", "this please"}. ("/cmd@bot" is not normalised,
// as in AOF.)
std::optional<Lookup> slash_command(const std::string& text) {
  if (text.empty() || text.front() != '/') return std::nullopt;
  const auto end = text.find_first_of(" \t\r\n");
  std::string name = text.substr(1, end == std::string::npos ? std::string::npos : end - 1);
  if (name.empty()) return std::nullopt;
  std::string rest = end == std::string::npos ? std::string() : trim(text.substr(end));
  return Lookup{std::move(name), std::move(rest)};
}

std::vector<Lookup> lookups_for(const GithubMessage& message) {
  std::vector<Lookup> out;
  if (!message.action.empty()) out.push_back({message.event + "." + message.action, message.text});
  out.push_back({message.event, message.text});
  if (auto command = slash_command(message.text)) out.push_back(std::move(*command));
  out.push_back({"default", message.text, /*is_default=*/true});
  return out;
}

const config::CommandBinding* binding_in(const config::Trigger& trigger, const Lookup& lookup) {
  const auto it = trigger.commands.find(lookup.key);
  if (it == trigger.commands.end()) return nullptr;
  if (lookup.is_default && it->second.agent.empty()) return nullptr;
  return &it->second;
}

// Key order first, then trigger-name order (candidates arrive sorted by name).
std::optional<Match> find_binding(const std::vector<const config::Trigger*>& triggers,
                                  const std::vector<Lookup>& lookups) {
  for (const Lookup& lookup : lookups) {
    for (const config::Trigger* trigger : triggers) {
      if (const auto* binding = binding_in(*trigger, lookup)) {
        return Match{trigger, binding, &lookup};
      }
    }
  }
  return std::nullopt;
}

std::vector<const config::Trigger*> repo_filtered(
    const std::vector<const config::Trigger*>& candidates, const std::string& repo) {
  std::vector<const config::Trigger*> out;
  for (const config::Trigger* trigger : candidates) {
    if (repo_allowed(trigger->repositories, repo)) out.push_back(trigger);
  }
  return out;
}

// flow → fleet → agent (reference §2.4 step 6); the default binding runs its agent.
std::optional<event::Target> target_of(const config::CommandBinding& binding, bool is_default) {
  using event::TargetKind;
  if (!is_default && !binding.flow.empty())
    return event::Target{TargetKind::kAgentFlow, binding.flow};
  if (!is_default && !binding.fleet.empty()) {
    return event::Target{TargetKind::kAgentFleet, binding.fleet};
  }
  if (!binding.agent.empty()) return event::Target{TargetKind::kAgent, binding.agent};
  return std::nullopt;
}

RouteResult route_match(const Match& match, const json& metadata) {
  const Lookup& lookup = *match.lookup;
  const std::string where = "binding " + lookup.key + " of trigger " + match.trigger->name;
  const auto target = target_of(*match.binding, lookup.is_default);
  if (!target) return {std::nullopt, where + " has no agent, fleet or flow"};
  if (target->kind == event::TargetKind::kAgent && target->name == "builtin") {
    return {std::nullopt, kBuiltinReason};
  }
  std::string text = lookup.command_text;
  if (!lookup.is_default && is_blank(text)) {
    text = synthesize_command_text(metadata, lookup.key);
  }
  std::string report = match.binding->report == "review" ? "review" : "";
  return {Route{match.trigger->name, lookup.key, *target, std::move(text), std::move(report)}, ""};
}

std::string event_key(const GithubMessage& message) {
  return message.action.empty() ? message.event : message.event + "." + message.action;
}

const std::string* string_in(const json& metadata, const char* key) {
  if (!metadata.is_object()) return nullptr;
  const auto it = metadata.find(key);
  if (it == metadata.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    return nullptr;
  }
  return &it->get_ref<const std::string&>();
}

}  // namespace

bool repo_allowed(const std::vector<std::string>& patterns, std::string_view full_name) {
  if (patterns.empty()) return true;
  for (const std::string& pattern : patterns) {
    if (pattern == "*" || pattern == full_name) return true;
    const bool owner_wildcard = pattern.size() > 2 && pattern.ends_with("/*");
    if (owner_wildcard &&
        full_name.starts_with(std::string_view(pattern).substr(0, pattern.size() - 1))) {
      return true;
    }
  }
  return false;
}

RouteResult route_github(const std::vector<const config::Trigger*>& candidates,
                         const GithubMessage& message) {
  if (candidates.empty()) return {std::nullopt, "no GitHub trigger accepts this delivery"};
  const std::vector<Lookup> lookups = lookups_for(message);
  const auto allowed = repo_filtered(candidates, message.repo_full_name);
  if (const auto match = find_binding(allowed, lookups)) {
    return route_match(*match, message.metadata);
  }
  // Say why when only a trigger's `repositories` stood in the way.
  if (const auto blocked = find_binding(candidates, lookups)) {
    return {std::nullopt, "repository " + message.repo_full_name + " is not in trigger " +
                              blocked->trigger->name + "'s repositories"};
  }
  return {std::nullopt, "no binding for " + event_key(message)};
}

RouteResult route_chat(const std::vector<const config::Trigger*>& candidates,
                       const std::string& command, const std::string& text,
                       const nlohmann::json& metadata, const std::string& default_agent) {
  std::vector<Lookup> lookups;
  if (!command.empty()) {
    lookups.push_back({command, trim(text)});
  } else if (auto slash = slash_command(text)) {
    lookups.push_back(std::move(*slash));
  }
  lookups.push_back({"default", text, /*is_default=*/true});
  if (const auto match = find_binding(candidates, lookups)) return route_match(*match, metadata);
  const std::string what = command.empty() ? std::string("message") : "command /" + command;
  if (default_agent.empty()) {
    return {std::nullopt, "no binding for this " + what + " and runtime.default_agent is not set"};
  }
  return {Route{"runtime.default_agent", "default_agent",
                event::Target{event::TargetKind::kAgent, default_agent}, text, ""},
          ""};
}

RouteResult route_event(const std::vector<const config::Trigger*>& candidates,
                        const PlatformMessage& message) {
  std::vector<Lookup> lookups;
  for (const std::string& key : message.binding_keys) lookups.push_back({key, message.text});
  if (auto command = slash_command(message.text)) lookups.push_back(std::move(*command));
  lookups.push_back({"default", message.text, /*is_default=*/true});
  if (const auto match = find_binding(candidates, lookups)) {
    return route_match(*match, message.metadata);
  }
  const std::string key = message.binding_keys.empty() ? message.event : message.binding_keys[0];
  return {std::nullopt, "no binding for " + key};
}

RouteResult route_key_only(const std::vector<const config::Trigger*>& candidates,
                           const std::string& key, const std::string& text,
                           const nlohmann::json& metadata, const std::string& unbound_reason) {
  const std::vector<Lookup> lookups = {{key, text}};
  if (const auto match = find_binding(candidates, lookups)) return route_match(*match, metadata);
  return {std::nullopt, unbound_reason};
}

RouteResult route_reaction(const std::vector<const config::Trigger*>& candidates,
                           const std::string& text, const nlohmann::json& metadata) {
  RouteResult bound = route_key_only(candidates, "reaction_added", text, metadata,
                                     "no trigger binds reaction_added and the reaction decides "
                                     "no approval");
  if (bound.route || candidates.empty()) return bound;
  const auto* reaction = string_in(metadata, "reaction");
  if (reaction == nullptr ||
      event::reaction_decision(*reaction) == event::ReactionDecision::kNone) {
    return bound;
  }
  return {Route{candidates.front()->name, "approval",
                event::Target{event::TargetKind::kApproval, ""}, text, ""},
          ""};
}

std::string synthesize_command_text(const nlohmann::json& metadata, const std::string& command) {
  std::vector<std::string> lines;
  if (const auto* url = string_in(metadata, "pr_html_url")) {
    lines.push_back("Review the PR at: " + *url);
  } else if (const auto* issue_url = string_in(metadata, "issue_html_url")) {
    lines.push_back("Review the PR/issue at: " + *issue_url);
  }
  const auto* title = string_in(metadata, "pr_title");
  if (title == nullptr) title = string_in(metadata, "issue_title");
  if (title != nullptr) lines.push_back("Title: " + *title);
  const auto* comment = string_in(metadata, "comment_body");
  if (comment != nullptr && comment->front() != '/') {
    lines.push_back("Additional context: " + *comment);
  }
  if (lines.empty()) return "Execute " + command + " command";
  std::string out = lines.front();
  for (std::size_t i = 1; i < lines.size(); ++i) out += "\n" + lines[i];
  return out;
}

}  // namespace aof::ingest
