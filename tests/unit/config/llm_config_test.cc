// spec.runtime.llm.<provider>.base_url (DESIGN §3): which providers, which URLs, and the
// errors naming file, line and path.
#include <doctest/doctest.h>

#include "common/config/loader.h"
#include "tests/unit/config/test_util.h"

namespace aof::config {
namespace {

const std::string kHeader =
    "apiVersion: aof.dev/v1\nkind: DaemonConfig\nmetadata:\n  name: t\nspec:\n  runtime:\n";

DaemonConfigLoad parse_runtime(const std::string& runtime) {
  return parse_daemon_config(kHeader + runtime, "daemon.yaml");
}

// The errors of parsing `runtime` (lines counted from the file's start: it begins on line 7).
std::vector<std::string> errors_of(const std::string& runtime) {
  const auto load = parse_runtime(runtime);
  CHECK_FALSE(load.config.has_value());
  return test::errors(load.diagnostics);
}

}  // namespace

TEST_CASE("every provider's base URL is read") {
  const auto load = parse_runtime(R"(    llm:
      openai: {base_url: "http://vllm.internal:8000/v1"}
      anthropic: {base_url: "https://llm-proxy.corp"}
      google: {base_url: "https://gemini-proxy.corp/v1beta"}
      ollama: {base_url: "http://gpu-box:11434"}
      groq: {base_url: "https://groq-proxy.corp/openai/v1"}
)");
  REQUIRE_MESSAGE(load.config, test::errors(load.diagnostics).front());
  CHECK(load.diagnostics.empty());
  CHECK(load.config->runtime.llm_base_urls ==
        std::map<std::string, std::string>{{"openai", "http://vllm.internal:8000/v1"},
                                           {"anthropic", "https://llm-proxy.corp"},
                                           {"google", "https://gemini-proxy.corp/v1beta"},
                                           {"ollama", "http://gpu-box:11434"},
                                           {"groq", "https://groq-proxy.corp/openai/v1"}});
}

TEST_CASE("without the section every provider keeps its public API") {
  const auto load = parse_runtime("    task_timeout_secs: 30\n");
  REQUIRE(load.config);
  CHECK(load.config->runtime.llm_base_urls.empty());
}

TEST_CASE("unknown providers, aliases and keys are errors naming file, line and path") {
  CHECK(errors_of("    llm:\n      mistral: {base_url: \"http://x\"}\n") ==
        std::vector<std::string>{"daemon.yaml:8: spec.runtime.llm.mistral: unknown key"});
  CHECK(errors_of("    llm:\n      opneai: {base_url: \"http://x\"}\n") ==
        std::vector<std::string>{
            "daemon.yaml:8: spec.runtime.llm.opneai: unknown key (did you mean openai?)"});
  CHECK(errors_of("    llm:\n      gemini: {base_url: \"http://x\"}\n") ==
        std::vector<std::string>{
            "daemon.yaml:8: spec.runtime.llm.gemini: write google here: keys name the provider"});
  CHECK(errors_of("    llm:\n      openai:\n        url: \"http://x\"\n") ==
        std::vector<std::string>{"daemon.yaml:9: spec.runtime.llm.openai.url: unknown key"});
}

TEST_CASE("a base URL must be http(s), and the section a map") {
  CHECK(errors_of("    llm:\n      openai:\n        base_url: api.openai.com/v1\n") ==
        std::vector<std::string>{"daemon.yaml:9: spec.runtime.llm.openai.base_url: must start "
                                 "with http:// or https://"});
  CHECK(errors_of("    llm:\n      ollama: {base_url: \"\"}\n") ==
        std::vector<std::string>{"daemon.yaml:8: spec.runtime.llm.ollama.base_url: must start "
                                 "with http:// or https://"});
  CHECK(errors_of("    llm: [openai]\n") ==
        std::vector<std::string>{"daemon.yaml:7: spec.runtime.llm: must be a map"});
}

}  // namespace aof::config
