// spec.platforms.<name>: AOF's six platforms with AOF's keys, plus ours (gitlab, bitbucket,
// pagerduty, opsgenie, generic) built the same way. Secrets may come as a literal (AOF;
// warned), `<key>_env` or our `webhook_secrets` list. Unknown keys are errors.
#include <algorithm>

#include "common/config/daemon_sections.h"
#include "common/config/secret_ref_parse.h"

namespace aof::config {
namespace {

constexpr const char* kDirectWins = "ignored: the direct value is set and wins (as in AOF)";

// What one platform accepts besides the keys every platform has (enabled, insecure, api_url,
// webhook_secrets). `*_env` variants are accepted for every secret and env setting.
struct PlatformSpec {
  std::string name;
  std::vector<std::string> secrets;       // verifying secret keys, e.g. signing_secret
  std::vector<std::string> tokens;        // API token keys, e.g. bot_token
  std::vector<std::string> settings;      // scalar keys copied to `settings`
  std::vector<std::string> env_settings;  // scalar keys that may also come as `<key>_env`
  std::vector<std::string> lists;         // list keys copied to `list_settings`
  bool bot_name = false;
  bool literal_secret_is_public = false;  // discord's public_key is not a secret
};

const std::vector<PlatformSpec>& platform_specs() {
  static const std::vector<PlatformSpec> specs = {
      {"github", {"webhook_secret"}, {"token"}, {}, {}, {}, true},
      {"slack", {"signing_secret"}, {"bot_token"}, {"app_id", "bot_user_id"}, {}, {}},
      {"discord", {"public_key"}, {"bot_token"}, {"application_id"}, {}, {}, false, true},
      {"telegram", {"webhook_secret"}, {"bot_token"}, {}, {}, {}},
      {"whatsapp", {"app_secret"}, {"access_token"}, {"verify_token", "phone_number_id"}, {}, {}},
      {"jira",
       {"webhook_secret"},
       {"api_token"},
       {"base_url"},
       {"cloud_id", "user_email"},
       {"allowed_projects", "allowed_events"},
       true},
      {"gitlab", {"webhook_secret"}, {"token"}, {}, {}, {}, true},
      {"bitbucket", {"webhook_secret"}, {"token", "app_password"}, {}, {"username"}, {}, true},
      {"pagerduty", {"webhook_secret"}, {"token"}, {"from"}, {}, {}},
      {"opsgenie", {"webhook_secret"}, {"token"}, {"header", "prefix"}, {}, {}},
      {"generic",
       {"webhook_secret"},
       {"token"},
       {"header", "algorithm", "encoding", "prefix", "timestamp_header", "signed_payload",
        "tolerance_secs", "event_header", "delivery_header"},
       {},
       {}},
  };
  return specs;
}

// A secret given directly and/or by `_env`; AOF lets the direct value win.
struct SecretKeys {
  std::optional<SecretRef> direct;
  std::optional<SecretRef> env;
  Field env_field;
};

class PlatformReader {
 public:
  PlatformReader(Walker& walker, const PlatformSpec& spec, PlatformConfig& out)
      : walker_(walker), spec_(spec), out_(out) {}

  void read(const Field& field) {
    out_.name = spec_.name;
    if (spec_.name == "github") out_.bot_name = "aofbot";
    std::vector<Key> keys = common_keys();
    add_secret_keys(keys);
    add_setting_keys(keys);
    if (!walk_map(walker_, field, keys, UnknownKeys::kError)) return;
    finish(field);
  }

 private:
  std::vector<Key> common_keys() {
    std::vector<Key> keys = {
        {"enabled", [this](const Field& f) { walker_.read_bool(f, out_.enabled); }},
        {"insecure", [this](const Field& f) { walker_.read_bool(f, out_.insecure); }},
        {"api_url", [this](const Field& f) { walker_.read_string(f, out_.api_url); }},
        {"webhook_secrets",
         [this](const Field& f) { read_secret_list(walker_, f, listed_secrets_); }}};
    if (spec_.bot_name) {
      keys.push_back(
          {"bot_name", [this](const Field& f) { walker_.read_string(f, out_.bot_name); }});
    }
    if (spec_.name == "github") {
      keys.push_back({"allowed_repos",
                      [this](const Field& f) { walker_.read_string_list(f, out_.allowed_repos); }});
      keys.push_back({"allowed_orgs",
                      [this](const Field& f) { walker_.read_string_list(f, out_.allowed_orgs); },
                      kNoEffect});
    }
    if (spec_.name == "slack") {
      keys.push_back({"approval_allowed_users", [this](const Field& f) {
                        walker_.read_string_list(f, out_.approval_allowed_users);
                      }});
    }
    return keys;
  }

  void add_secret_pair(std::vector<Key>& keys, const std::string& base, SecretKeys& target,
                       bool verifying) {
    const bool warn = !(verifying && spec_.literal_secret_is_public);
    const std::string hint = verifying ? "prefer " + base + "_env or webhook_secrets[].value_file"
                                       : "prefer " + base + "_env";
    keys.push_back({base, [this, &target, warn, hint](const Field& f) {
                      if (warn) {
                        target.direct = literal_secret(walker_, f, hint);
                        return;
                      }
                      target.direct = SecretRef{};
                      walker_.read_string(f, target.direct->value);
                      target.direct->origin = walker_.source(f);
                    }});
    keys.push_back({base + "_env", [this, &target](const Field& f) {
                      target.env = env_secret(walker_, f);
                      target.env_field = f;
                    }});
  }

  void add_secret_keys(std::vector<Key>& keys) {
    secrets_.resize(spec_.secrets.size());
    tokens_.resize(spec_.tokens.size());
    for (std::size_t i = 0; i < spec_.secrets.size(); ++i) {
      add_secret_pair(keys, spec_.secrets[i], secrets_[i], true);
    }
    for (std::size_t i = 0; i < spec_.tokens.size(); ++i) {
      add_secret_pair(keys, spec_.tokens[i], tokens_[i], false);
    }
  }

  void add_setting_keys(std::vector<Key>& keys) {
    const auto setting = [this](const std::string& key) {
      return Key{key, [this, key](const Field& f) { walker_.read_string(f, out_.settings[key]); }};
    };
    for (const auto& key : spec_.settings) keys.push_back(setting(key));
    for (const auto& key : spec_.env_settings) {
      keys.push_back(setting(key));
      keys.push_back(setting(key + "_env"));
    }
    for (const auto& key : spec_.lists) {
      keys.push_back({key, [this, key](const Field& f) {
                        walker_.read_string_list(f, out_.list_settings[key]);
                      }});
    }
  }

  std::optional<SecretRef> pick(const SecretKeys& keys) {
    if (keys.direct && keys.env) walker_.warning(keys.env_field, kDirectWins);
    return keys.direct ? keys.direct : keys.env;
  }

  void finish(const Field& field) {
    for (const auto& keys : secrets_) {
      if (auto ref = pick(keys)) out_.webhook_secrets.push_back(*ref);
    }
    out_.webhook_secrets.insert(out_.webhook_secrets.end(), listed_secrets_.begin(),
                                listed_secrets_.end());
    for (const auto& keys : tokens_) {
      if (!out_.token) out_.token = pick(keys);  // bitbucket: token before app_password
    }
    for (const auto& key : spec_.env_settings) {
      if (out_.settings.count(key) && out_.settings.erase(key + "_env")) {
        walker_.warning(field.at(key + "_env"), kDirectWins);
      }
    }
    check_secret_presence(field);
  }

  void check_secret_presence(const Field& field) {
    if (out_.insecure && !out_.webhook_secrets.empty()) {
      walker_.error(field.at("insecure"), "conflicts with the configured webhook secrets");
    } else if (out_.enabled && !out_.insecure && out_.webhook_secrets.empty()) {
      walker_.warning(field, "no webhook secret (set " + spec_.secrets.front() +
                                 "_env or webhook_secrets, or insecure: true)");
    }
  }

  Walker& walker_;
  const PlatformSpec& spec_;
  PlatformConfig& out_;
  std::vector<SecretKeys> secrets_;
  std::vector<SecretKeys> tokens_;
  std::vector<SecretRef> listed_secrets_;
};

}  // namespace

void read_platforms(Walker& walker, const Field& field,
                    std::map<std::string, PlatformConfig>& out) {
  if (!walker.expect_map(field)) return;
  for (const auto& kv : field.node) {
    const std::string name = kv.first.Scalar();
    const auto& specs = platform_specs();
    const auto spec = std::find_if(specs.begin(), specs.end(),
                                   [&](const PlatformSpec& s) { return s.name == name; });
    if (spec == specs.end()) {
      walker.error(field.child(name, kv.first), "platform " + name + " is not supported");
    } else if (out.count(name)) {
      walker.error(field.child(name, kv.first), "duplicate key");
    } else if (const Field value = field.child(name, kv.second); value.present()) {
      PlatformReader(walker, *spec, out[name]).read(value);
    }
  }
}

}  // namespace aof::config
