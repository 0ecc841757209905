#include "tests/support/failing_queue.h"

namespace aof::testing {
namespace {

std::size_t index_of(FailingQueue::Method method) { return static_cast<std::size_t>(method); }

}  // namespace

const char* to_string(FailingQueue::Method method) {
  switch (method) {
    case FailingQueue::Method::kPublish:
      return "publish";
    case FailingQueue::Method::kFetch:
      return "fetch";
    case FailingQueue::Method::kExtend:
      return "extend";
    case FailingQueue::Method::kAck:
      return "ack";
    case FailingQueue::Method::kFail:
      return "fail";
    case FailingQueue::Method::kRelease:
      return "release";
    case FailingQueue::Method::kMaintain:
      return "maintain";
    case FailingQueue::Method::kStats:
      return "stats";
    case FailingQueue::Method::kDeadLetters:
      return "dead_letters";
    case FailingQueue::Method::kFindEvent:
      return "find_event";
    case FailingQueue::Method::kReplay:
      return "replay";
    case FailingQueue::Method::kPurgeDeadLetter:
      return "purge_dead_letter";
  }
  return "unknown";
}

void FailingQueue::fail_nth(Method method, int nth, ErrorCode code, bool sticky) {
  std::lock_guard lock(mu_);
  plans_[index_of(method)] = Plan{nth, code, sticky, false};
}

void FailingQueue::clear() {
  std::lock_guard lock(mu_);
  plans_ = {};
}

int FailingQueue::calls(Method method) const {
  std::lock_guard lock(mu_);
  return calls_[index_of(method)];
}

std::optional<Error> FailingQueue::intercept(Method method) {
  std::lock_guard lock(mu_);
  const int call = ++calls_[index_of(method)];
  Plan& plan = plans_[index_of(method)];
  if (!plan.failing) {
    if (plan.remaining == 0 || --plan.remaining > 0) return std::nullopt;
    plan.failing = plan.sticky;
  }
  return Error(plan.code, std::string("injected failure: ") + to_string(method) + " call " +
                              std::to_string(call));
}

std::future<Result<queue::PublishReceipt>> FailingQueue::publish(event::Envelope envelope) {
  if (auto error = intercept(Method::kPublish)) {
    std::promise<Result<queue::PublishReceipt>> failed;
    failed.set_value(*error);
    return failed.get_future();
  }
  return inner_->publish(std::move(envelope));
}

Result<std::vector<queue::Delivery>> FailingQueue::fetch(const std::string& consumer,
                                                         std::size_t max, Millis wait) {
  if (auto error = intercept(Method::kFetch)) return *error;
  return inner_->fetch(consumer, max, wait);
}

Status FailingQueue::extend(const queue::Delivery& delivery) {
  if (auto error = intercept(Method::kExtend)) return *error;
  return inner_->extend(delivery);
}

Status FailingQueue::ack(const queue::Delivery& delivery, const nlohmann::json& result) {
  if (auto error = intercept(Method::kAck)) return *error;
  return inner_->ack(delivery, result);
}

Result<queue::FailOutcome> FailingQueue::fail(const queue::Delivery& delivery,
                                              const queue::Failure& failure) {
  if (auto error = intercept(Method::kFail)) return *error;
  return inner_->fail(delivery, failure);
}

Status FailingQueue::release(const queue::Delivery& delivery) {
  if (auto error = intercept(Method::kRelease)) return *error;
  return inner_->release(delivery);
}

Result<std::int64_t> FailingQueue::maintain() {
  if (auto error = intercept(Method::kMaintain)) return *error;
  return inner_->maintain();
}

Result<queue::QueueStats> FailingQueue::stats() {
  if (auto error = intercept(Method::kStats)) return *error;
  return inner_->stats();
}

Result<std::vector<event::Envelope>> FailingQueue::dead_letters(std::size_t limit) {
  if (auto error = intercept(Method::kDeadLetters)) return *error;
  return inner_->dead_letters(limit);
}

Result<queue::EventRecord> FailingQueue::find_event(const std::string& id) {
  if (auto error = intercept(Method::kFindEvent)) return *error;
  return inner_->find_event(id);
}

Result<queue::ReplayOutcome> FailingQueue::replay(const queue::ReplayRequest& request) {
  if (auto error = intercept(Method::kReplay)) return *error;
  return inner_->replay(request);
}

Status FailingQueue::purge_dead_letter(const std::string& event_id) {
  if (auto error = intercept(Method::kPurgeDeadLetter)) return *error;
  return inner_->purge_dead_letter(event_id);
}

}  // namespace aof::testing
