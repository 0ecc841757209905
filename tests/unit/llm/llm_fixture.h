#pragma once
// What the LLM tests share: a scripted loopback server playing the provider, the real
// HttpClient pointed at it through spec.runtime.llm.<provider>.base_url, a fake clock and a
// sleep that only records (so retry waits take no time), and fake keys.

#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/runtime/llm/llm.h"
#include "sidecar/httplib_client.h"
#include "tests/support/fake_env.h"
#include "tests/support/scripted_http_server.h"

namespace aof::testing {

class LlmFixture {
 public:
  LlmFixture() {
    env_ = {{"OPENAI_API_KEY", "sk-openai-test"},
            {"ANTHROPIC_API_KEY", "sk-ant-test"},
            {"GOOGLE_API_KEY", "google-test-key"},
            {"GROQ_API_KEY", "gsk-test"}};
  }

  ScriptedHttpServer& server() { return server_; }
  FakeClock& clock() { return clock_; }
  std::map<std::string, std::string>& env() { return env_; }
  const std::vector<Millis>& sleeps() const { return sleeps_; }

  // Every provider's base URL pointed at the fake, as an operator would configure it.
  runtime::llm::LlmDeps deps() {
    runtime::llm::LlmDeps deps;
    deps.http = std::make_shared<const sidecar::HttplibClient>();
    deps.env = fake_env(env_);
    const std::string base = server_.base_url();
    deps.base_urls = {{"openai", base + "/v1"},
                      {"groq", base + "/openai/v1"},
                      {"ollama", base + "/v1"},
                      {"anthropic", base},
                      {"google", base + "/v1beta"}};
    deps.clock = &clock_;
    deps.sleep = [this](Millis wait) {
      sleeps_.push_back(wait);
      clock_.advance(wait);
    };
    return deps;
  }

  // A client for an AOF model string ("openai:gpt-4o-mini"); fails the test if none is made.
  std::unique_ptr<runtime::llm::LlmClient> client(const std::string& model,
                                                  const std::string& provider = "") {
    auto ref = runtime::llm::parse_model(model, provider);
    REQUIRE_MESSAGE(ref.ok(), ref.error().message());
    auto made = runtime::llm::make_llm_client(*ref, deps());
    REQUIRE_MESSAGE(made.ok(), made.error().message());
    return std::move(*made);
  }

  // The JSON body of the n-th request the fake received (0-based).
  nlohmann::json body(std::size_t n) const {
    const auto requests = server_.requests();
    REQUIRE(n < requests.size());
    return nlohmann::json::parse(requests[n].body);
  }

 private:
  ScriptedHttpServer server_;
  FakeClock clock_;
  std::map<std::string, std::string> env_;
  std::vector<Millis> sleeps_;
};

}  // namespace aof::testing
