#pragma once
// A Queue wrapper that fails chosen calls (leveldb's fault_injection_test style): wraps a real
// queue and makes the Nth call of a method return an error instead of reaching it, so tests
// can show what the caller does when the broker refuses one step. Thread-safe.

#include <array>
#include <memory>
#include <mutex>

#include "common/queue/queue.h"

namespace aof::testing {

class FailingQueue final : public queue::Queue {
 public:
  enum class Method {
    kPublish,
    kFetch,
    kExtend,
    kAck,
    kFail,
    kRelease,
    kMaintain,
    kStats,
    kDeadLetters,
    kFindEvent,
    kReplay,
    kPurgeDeadLetter,
  };

  explicit FailingQueue(std::shared_ptr<queue::Queue> inner) : inner_(std::move(inner)) {}

  // The `nth` call (1-based, counted from now) of `method` fails with `code` without reaching
  // the inner queue; with `sticky`, every call from the nth on fails until clear().
  void fail_nth(Method method, int nth, ErrorCode code, bool sticky = false);
  void clear();  // stop injecting; calls reach the inner queue again

  // Calls of `method` since construction (failed ones included).
  int calls(Method method) const;

  std::future<Result<queue::PublishReceipt>> publish(event::Envelope envelope) override;
  Result<std::vector<queue::Delivery>> fetch(const std::string& consumer, std::size_t max,
                                             Millis wait) override;
  Status extend(const queue::Delivery& delivery) override;
  Status ack(const queue::Delivery& delivery, const nlohmann::json& result) override;
  Result<queue::FailOutcome> fail(const queue::Delivery& delivery,
                                  const queue::Failure& failure) override;
  Status release(const queue::Delivery& delivery) override;
  Result<std::int64_t> maintain() override;
  Result<queue::QueueStats> stats() override;
  Result<std::vector<event::Envelope>> dead_letters(std::size_t limit) override;
  Result<queue::EventRecord> find_event(const std::string& id) override;
  Result<queue::ReplayOutcome> replay(const queue::ReplayRequest& request) override;
  Status purge_dead_letter(const std::string& event_id) override;
  const char* backend() const override { return inner_->backend(); }

 private:
  static constexpr std::size_t kMethods = 12;

  struct Plan {
    int remaining = 0;  // calls left before the failing one; 0 = no plan
    ErrorCode code = ErrorCode::kUnavailable;
    bool sticky = false;
    bool failing = false;  // sticky and reached
  };

  // Counts the call; returns the injected error if this call must fail.
  std::optional<Error> intercept(Method method);

  std::shared_ptr<queue::Queue> inner_;
  mutable std::mutex mu_;  // guards plans_ and calls_
  std::array<Plan, kMethods> plans_{};
  std::array<int, kMethods> calls_{};
};

const char* to_string(FailingQueue::Method method);

}  // namespace aof::testing
