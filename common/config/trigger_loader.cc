// kind: Trigger (reference §1.4): spec camelCase, spec.config snake_case. AOF's type list plus
// ours (GitLab, Bitbucket, Opsgenie, Generic); AOF's per-type requirements are kept.
// Command bindings take AOF's agent, fleet, flow, description and our `report` (comment |
// review: a GitHub pull request review instead of a comment).
#include <regex>

#include "common/config/resource_parsers.h"
#include "common/config/secret_ref_parse.h"

namespace aof::config {
namespace {

const std::vector<std::string> kTypes = {"Slack",    "Telegram",  "Discord",  "WhatsApp", "HTTP",
                                         "Schedule", "PagerDuty", "GitHub",   "Jira",     "Manual",
                                         "GitLab",   "Bitbucket", "Opsgenie", "Generic"};

// Config keys AOF knows, by shape; anything else lands in AOF's unused extra bag.
const std::vector<std::string> kStringKeys = {"bot_token",
                                              "public_key",
                                              "signing_secret",
                                              "app_secret",
                                              "path",
                                              "cron",
                                              "timezone",
                                              "api_key",
                                              "routing_key",
                                              "business_account_id",
                                              "phone_number_id",
                                              "verify_token",
                                              "host"};
const std::vector<std::string> kListKeys = {"events",   "channels", "guild_ids",  "users",
                                            "patterns", "methods",  "service_ids"};
const std::vector<std::string> kLiteralWarned = {"bot_token", "signing_secret", "app_secret",
                                                 "api_key"};

// `${NAME}` as the whole value (AOF expands it from the environment at load).
std::optional<std::string> env_reference(const std::string& value) {
  static const std::regex kWhole(R"(^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$)");
  std::smatch match;
  if (std::regex_match(value, match, kWhole)) return match[1].str();
  return std::nullopt;
}

void read_webhook_secret(Walker& walker, const Field& field, Trigger& out) {
  std::string value;
  if (!walker.read_string(field, value)) return;
  if (const auto name = env_reference(value)) {
    SecretRef ref;
    ref.value_env = *name;
    ref.origin = walker.source(field);
    out.webhook_secrets.push_back(ref);
  } else if (value.find("${") != std::string::npos) {
    walker.error(field, "only a whole ${VAR} reference is supported");
  } else {
    out.webhook_secrets.push_back(
        literal_secret(walker, field, "prefer ${VAR} or webhook_secrets[].value_file"));
  }
}

void read_string_key(Walker& walker, const Field& field, const std::string& key) {
  std::string value;
  if (!walker.read_string(field, value)) return;
  const bool secret =
      std::find(kLiteralWarned.begin(), kLiteralWarned.end(), key) != kLiteralWarned.end();
  if (secret && !value.empty() && !env_reference(value)) {
    walker.warning(field, "literal secret; prefer ${VAR}");
  }
}

void read_chat_ids(Walker& walker, const Field& field) {
  if (!walker.expect_sequence(field)) return;
  for (std::size_t i = 0; i < field.node.size(); ++i) {
    std::int64_t id = 0;
    walker.read_int(field.item(i, field.node[i]), id);
  }
}

void read_trigger_config(Walker& walker, const Field& field, Trigger& out) {
  std::vector<Key> keys;
  std::vector<std::string> unused;
  for (const auto& key : kStringKeys) {
    keys.push_back({key, [&walker, key](const Field& f) { read_string_key(walker, f, key); }});
  }
  for (const auto& key : kListKeys) {
    keys.push_back({key, [&](const Field& f) { walker.read_string_list(f, unused); }});
  }
  std::map<std::string, std::string> headers;
  int port = 0;
  keys.insert(
      keys.end(),
      {{"webhook_secret", [&](const Field& f) { read_webhook_secret(walker, f, out); }},
       {"webhook_secrets",
        [&](const Field& f) { read_secret_list(walker, f, out.webhook_secrets); }},
       {"repositories", [&](const Field& f) { walker.read_string_list(f, out.repositories); }},
       {"github_events", [&](const Field& f) { walker.read_string_list(f, out.github_events); }},
       {"chat_ids", [&](const Field& f) { read_chat_ids(walker, f); }},
       {"required_headers", [&](const Field& f) { walker.read_string_map(f, headers); }},
       {"port", [&](const Field& f) { walker.read_int_between(f, port, 1, 65535); }}});
  if (walk_map(walker, field, keys, UnknownKeys::kWarning)) out.config = to_json(field.node);
}

void read_binding(Walker& walker, const Field& field, CommandBinding& out) {
  walk_map(walker, field,
           {{"agent", [&](const Field& f) { walker.read_string(f, out.agent); }},
            {"fleet", [&](const Field& f) { walker.read_string(f, out.fleet); }},
            {"flow", [&](const Field& f) { walker.read_string(f, out.flow); }},
            {"description", [&](const Field& f) { walker.read_string(f, out.description); }},
            {"report",
             [&](const Field& f) {
               walker.read_enum(f, out.report, {"comment", "review"});
             }}},
           UnknownKeys::kWarning);
  if (out.agent.empty() && out.fleet.empty() && out.flow.empty()) {
    walker.warning(field, "binds no agent, fleet or flow");
  }
}

void add_binding_references(DocumentContext& context, const Field& field,
                            const CommandBinding& binding) {
  if (!binding.flow.empty()) {
    add_reference(context, Reference::Kind::kFlow, binding.flow, field.at("flow"));
  }
  if (!binding.fleet.empty()) {
    add_reference(context, Reference::Kind::kFleet, binding.fleet, field.at("fleet"));
  }
  if (!binding.agent.empty() && binding.agent != "builtin") {
    add_reference(context, Reference::Kind::kAgent, binding.agent, field.at("agent"));
  }
}

void read_commands(DocumentContext& context, const Field& field, Trigger& out) {
  Walker& walker = context.walker;
  if (!walker.expect_map(field)) return;
  for (const auto& kv : field.node) {
    const std::string key = kv.first.Scalar();
    const std::string name = key.rfind('/', 0) == 0 ? key.substr(1) : key;
    const Field binding_field = field.child(key, kv.second);
    if (name.empty()) {
      walker.error(binding_field, "command name must not be empty");
    } else if (out.commands.count(name)) {
      walker.error(binding_field, "duplicate command " + name);
    } else {
      CommandBinding& binding = out.commands[name];
      if (!binding_field.present()) {
        walker.warning(binding_field, "binds no agent, fleet or flow");
        continue;
      }
      read_binding(walker, binding_field, binding);
      add_binding_references(context, binding_field, binding);
    }
  }
}

void read_type(Walker& walker, const Field& field, std::string& out) {
  std::string type;
  if (!walker.read_string(field, type)) return;
  if (type == "Teams")
    walker.error(field, "type Teams is not supported");
  else if (std::find(kTypes.begin(), kTypes.end(), type) == kTypes.end()) {
    walker.error(field, one_of_message(kTypes));
  } else {
    out = type;
  }
}

// AOF's Trigger validation (its daemon skips files failing it).
void check_type_requirements(Walker& walker, const Field& spec, const Trigger& trigger) {
  const Field config = spec.at("config");
  const auto has = [&](const char* key) { return config.at(key).present(); };
  const auto& type = trigger.type;
  if ((type == "Slack" || type == "Telegram" || type == "Discord" || type == "WhatsApp") &&
      !has("bot_token")) {
    walker.add(Severity::kError, (config.present() ? config : spec).line(), "spec.config.bot_token",
               "required for type " + type);
  } else if (type == "Schedule" && !has("cron")) {
    walker.add(Severity::kError, (config.present() ? config : spec).line(), "spec.config.cron",
               "required for type Schedule");
  } else if (type == "PagerDuty" && !has("api_key") && !has("routing_key")) {
    walker.add(Severity::kError, (config.present() ? config : spec).line(), "spec.config.api_key",
               "api_key or routing_key is required for type PagerDuty");
  }
}

// `report: review` is honoured on GitHub pull requests only: say so where it cannot be.
void check_report_modes(Walker& walker, const Field& spec, const Trigger& trigger) {
  if (trigger.type == "GitHub" || trigger.type.empty()) return;
  const Field commands = spec.at("commands");
  if (!commands.node.IsMap()) return;
  for (const auto& kv : commands.node) {
    const std::string key = kv.first.Scalar();
    const std::string name = key.rfind('/', 0) == 0 ? key.substr(1) : key;
    const auto binding = trigger.commands.find(name);
    if (binding == trigger.commands.end() || binding->second.report != "review") continue;
    walker.warning(
        commands.child(key, kv.second).at("report"),
        "only GitHub pull requests get a review; a " + trigger.type + " result is posted as usual");
  }
}

// The key that carries a chat trigger's own verifying secret, by type: AOF parses them and
// never verifies with them; here they are the trigger's secrets, as webhook_secret is.
const char* own_secret_key(const std::string& type) {
  if (type == "Slack") return "signing_secret";
  if (type == "WhatsApp") return "app_secret";
  if (type == "Discord") return "public_key";
  return nullptr;
}

void read_own_secret(Walker& walker, const Field& spec, Trigger& trigger) {
  const char* key = own_secret_key(trigger.type);
  if (key == nullptr) return;
  const Field field = spec.at("config").at(key);
  if (!field.present()) return;
  std::string value;
  if (!walker.read_string(field, value) || value.empty()) return;
  SecretRef ref;
  ref.origin = walker.source(field);
  if (const auto name = env_reference(value)) {
    ref.value_env = *name;
  } else if (value.find("${") != std::string::npos) {
    walker.error(field, "only a whole ${VAR} reference is supported");
    return;
  } else {
    ref.value = value;  // read_string_key warned about the literal already
  }
  trigger.webhook_secrets.push_back(std::move(ref));
}

}  // namespace

std::optional<Trigger> read_trigger(DocumentContext& context, const Field& root) {
  Walker& walker = context.walker;
  const std::size_t errors = walker.error_count();
  Trigger trigger;
  const auto spec = read_envelope(walker, root, trigger.name, false);
  if (!spec) return std::nullopt;
  trigger.source = walker.source(root);
  std::string ignored;
  walk_map(walker, *spec,
           {{"type", [&](const Field& f) { read_type(walker, f, trigger.type); }},
            {"config", [&](const Field& f) { read_trigger_config(walker, f, trigger); }},
            {"enabled", [&](const Field& f) { walker.read_bool(f, trigger.enabled); }},
            {"commands", [&](const Field& f) { read_commands(context, f, trigger); }},
            {"defaultAgent", [&](const Field& f) { walker.read_string(f, ignored); }, kNoEffect}},
           UnknownKeys::kWarning);
  if (!spec->at("type").present()) walker.missing(*spec, "type");
  check_type_requirements(walker, *spec, trigger);
  check_report_modes(walker, *spec, trigger);
  read_own_secret(walker, *spec, trigger);
  if (walker.error_count() != errors) return std::nullopt;
  return trigger;
}

}  // namespace aof::config
