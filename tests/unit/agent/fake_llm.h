#pragma once
// An LlmClient that answers from a script and records every request, for the tool loop's
// own logic (the wire formats are tested against loopback servers in tests/unit/llm/).

#include <deque>
#include <mutex>
#include <vector>

#include "common/runtime/llm/llm.h"

namespace aof::testing {

class FakeLlm final : public runtime::llm::LlmClient {
 public:
  // Queues an answer; when the script is empty the last one repeats.
  void answer(Result<runtime::llm::ChatResponse> next) {
    std::lock_guard lock(mu_);
    script_.push_back(std::move(next));
  }
  void answer_text(std::string text) {
    runtime::llm::ChatResponse response;
    response.text = std::move(text);
    answer(std::move(response));
  }
  // One turn asking for `calls` ({name, arguments}); ids are "id_<n>" over the whole run.
  void answer_calls(const std::vector<std::pair<std::string, nlohmann::json>>& calls) {
    runtime::llm::ChatResponse response;
    response.stop_reason = runtime::llm::StopReason::kToolUse;
    for (const auto& [name, arguments] : calls) {
      response.tool_calls.push_back({"id_" + std::to_string(next_id_++), name, arguments, {}});
    }
    answer(std::move(response));
  }

  Result<runtime::llm::ChatResponse> chat(const runtime::llm::ChatRequest& request) const override {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    if (script_.size() > 1) {
      auto next = std::move(script_.front());
      script_.pop_front();
      return next;
    }
    if (script_.empty()) return Error(ErrorCode::kInternal, "the test scripted no answer");
    return script_.front();
  }

  std::vector<runtime::llm::ChatRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  mutable std::mutex mu_;
  mutable std::deque<Result<runtime::llm::ChatResponse>> script_;  // guarded by mu_
  mutable std::vector<runtime::llm::ChatRequest> requests_;        // guarded by mu_
  int next_id_ = 0;
};

}  // namespace aof::testing
