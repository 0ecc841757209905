// kind: DaemonConfig — AOF's sections with AOF's meaning plus ours (DESIGN §3). Keys that are
// neither AOF's nor ours are errors; AOF keys without effect here warn once each.
#include "common/config/daemon_sections.h"
#include "common/config/envelope.h"
#include "common/config/loader.h"

namespace aof::config {
namespace {

constexpr const char* kWatchNoEffect =
    "parsed for AOF compatibility; has no effect (files are read at start-up only)";

void read_server(Walker& walker, const Field& field, ServerConfig& out) {
  walk_map(walker, field,
           {{"host", [&](const Field& f) { walker.read_string(f, out.host); }},
            {"port", [&](const Field& f) { walker.read_int_between(f, out.port, 1, 65535); }},
            {"cors", [&](const Field& f) { walker.read_bool(f, out.cors); }, kNoEffect},
            {"timeout_secs", [&](const Field& f) { walker.read_int(f, out.timeout_secs, 1); }}},
           UnknownKeys::kError);
}

void read_directory(Walker& walker, const Field& field, DirectoryConfig& out, bool has_enabled) {
  std::vector<Key> keys = {
      {"directory", [&](const Field& f) { walker.read_string(f, out.directory); }},
      {"watch", [&](const Field& f) { walker.read_bool(f, out.watch); }, kWatchNoEffect}};
  if (has_enabled) {
    keys.push_back({"enabled", [&](const Field& f) { walker.read_bool(f, out.enabled); }});
  }
  walk_map(walker, field, keys, UnknownKeys::kError);
}

// spec.runtime.llm.<provider>.base_url (ours). Provider names as runtime/llm/llm.h spells
// them; the model-string aliases are refused with the name to use, since a key that matches
// no provider would silently leave that provider on its public API.
void read_llm_provider(Walker& walker, const Field& field, std::string& base_url) {
  walk_map(walker, field,
           {{"base_url",
             [&](const Field& f) {
               if (!walker.read_string(f, base_url)) return;
               if (base_url.rfind("http://", 0) != 0 && base_url.rfind("https://", 0) != 0) {
                 walker.error(f, "must start with http:// or https://");
               }
             }}},
           UnknownKeys::kError);
}

void read_llm(Walker& walker, const Field& field, std::map<std::string, std::string>& out) {
  std::vector<Key> keys;
  for (const char* provider : {"anthropic", "google", "groq", "ollama", "openai"}) {
    keys.push_back({provider, [&walker, &out, provider](const Field& f) {
                      read_llm_provider(walker, f, out[provider]);
                    }});
  }
  for (const auto& [alias, provider] :
       {std::pair{"claude", "anthropic"}, std::pair{"gemini", "google"},
        std::pair{"gpt", "openai"}}) {
    keys.push_back({alias, [&walker, provider = std::string(provider)](const Field& f) {
                      walker.error(f, "write " + provider + " here: keys name the provider");
                    }});
  }
  walk_map(walker, field, keys, UnknownKeys::kError);
}

void read_runtime(Walker& walker, const Field& field, RuntimeConfig& out) {
  walk_map(
      walker, field,
      {{"max_concurrent_tasks",
        [&](const Field& f) { walker.read_int(f, out.max_concurrent_tasks, 1); },
        "parsed for AOF compatibility; has no effect (use spec.worker.concurrency)"},
       {"task_timeout_secs", [&](const Field& f) { walker.read_int(f, out.task_timeout_secs, 1); }},
       {"max_tasks_per_user",
        [&](const Field& f) { walker.read_int(f, out.max_tasks_per_user, 1); }, kNoEffect},
       {"default_agent", [&](const Field& f) { walker.read_string(f, out.default_agent); }},
       {"llm", [&](const Field& f) { read_llm(walker, f, out.llm_base_urls); }}},
      UnknownKeys::kError);
}

void read_spec(Walker& walker, const Field& spec, DaemonConfig& out) {
  const auto dir = [&](DirectoryConfig& target, bool has_enabled) {
    return [&walker, &target, has_enabled](const Field& f) {
      read_directory(walker, f, target, has_enabled);
    };
  };
  walk_map(walker, spec,
           {{"server", [&](const Field& f) { read_server(walker, f, out.server); }},
            {"platforms", [&](const Field& f) { read_platforms(walker, f, out.platforms); }},
            {"agents", dir(out.agents, false)},
            {"flows", dir(out.flows, true)},
            {"triggers", dir(out.triggers, false)},
            {"fleets", dir(out.fleets, false)},
            {"contexts", dir(out.contexts, false)},
            {"runtime", [&](const Field& f) { read_runtime(walker, f, out.runtime); }},
            {"mode", [&](const Field& f) { read_mode(walker, f, out.mode); }},
            {"queue", [&](const Field& f) { read_queue(walker, f, out.queue); }},
            {"gateway", [&](const Field& f) { read_gateway(walker, f, out.gateway); }},
            {"worker", [&](const Field& f) { read_worker(walker, f, out.worker); }}},
           UnknownKeys::kError);
}

void check_envelope(Walker& walker, const Field& root) {
  std::string api_version, kind;
  walk_map(walker, root,
           {{"apiVersion", [&](const Field& f) { walker.read_string(f, api_version); }},
            {"kind", [&](const Field& f) { walker.read_string(f, kind); }},
            {"metadata", nullptr},
            {"spec", nullptr}},
           UnknownKeys::kError);
  if (!api_version.empty() && api_version != "aof.dev/v1") {
    walker.warning(root.at("apiVersion"), "expected aof.dev/v1");
  }
  if (!root.at("kind").present())
    walker.missing(root, "kind");
  else if (kind != "DaemonConfig")
    walker.error(root.at("kind"), "must be DaemonConfig");
}

DaemonConfigLoad parse_text(const std::string& text, const std::string& file) {
  DaemonConfigLoad load;
  Walker walker(file, load.diagnostics);
  const auto documents = load_documents(walker, text);
  if (!documents) return load;
  if (documents->size() != 1) {
    const int line = documents->size() > 1 ? Field{(*documents)[1], ""}.line() : 0;
    walker.add(Severity::kError, line, "",
               "expected one DaemonConfig document, found " + std::to_string(documents->size()));
    return load;
  }
  DaemonConfig config = read_daemon_document(walker, Field{documents->front(), ""});
  if (!has_errors(load.diagnostics)) load.config = std::move(config);
  return load;
}

}  // namespace

DaemonConfig read_daemon_document(Walker& walker, const Field& root) {
  DaemonConfig config;
  if (!walker.expect_map(root)) return config;
  check_envelope(walker, root);
  config.name = read_metadata(walker, root, UnknownKeys::kError, false);
  const Field spec = root.at("spec");
  if (spec.present())
    read_spec(walker, spec, config);
  else
    walker.missing(root, "spec");
  return config;
}

DaemonConfigLoad parse_daemon_config(const std::string& yaml_text, const std::string& file) {
  try {
    return parse_text(yaml_text, file);
  } catch (const std::exception& e) {  // yaml-cpp conversions, endless alias trees
    DaemonConfigLoad load;
    load.diagnostics.push_back({Severity::kError, file, 0, "", e.what()});
    return load;
  }
}

DaemonConfigLoad load_daemon_config(const std::string& path) {
  DaemonConfigLoad load;
  Walker walker(path, load.diagnostics);
  const auto text = read_text_file(walker);
  if (!text) return load;
  load = parse_daemon_config(*text, path);
  if (load.config) load.config->source_path = path;
  return load;
}

}  // namespace aof::config
