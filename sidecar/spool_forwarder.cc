#include "sidecar/spool_forwarder.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>

#include "common/base/log.h"
#include "common/event/envelope.h"

namespace aof::sidecar {
namespace {

constexpr std::size_t kBatch = 64;  // publishes in flight at once: they share round trips
constexpr Millis kPoll{1000};       // an idle spool is checked this often anyway
constexpr Millis kFirstBackoff{100};
constexpr Millis kMaxBackoff{2000};

}  // namespace

SpoolForwarder::SpoolForwarder(Spool& spool, std::shared_ptr<queue::Queue> queue)
    : spool_(spool), queue_(std::move(queue)) {
  thread_ = std::thread([this] { loop(); });
}

SpoolForwarder::~SpoolForwarder() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void SpoolForwarder::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  wake_.notify_one();
}

void SpoolForwarder::loop() {
  Millis backoff = kFirstBackoff;
  Millis wait = Millis(0);
  while (true) {
    {
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, wait, [&] { return stopping_ || woken_; });
      if (stopping_) return;
      woken_ = false;
    }
    if (spool_.pending_records() == 0) {
      wait = kPoll;
      continue;
    }
    if (forward_batch()) {
      backoff = kFirstBackoff;
      wait = Millis(0);
    } else {
      wait = backoff;  // a wake() during a backoff does not cut it short: the broker is down
      backoff = std::min(backoff * 2, kMaxBackoff);
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, wait, [&] { return stopping_; });
      if (stopping_) return;
      wait = Millis(0);
    }
  }
}

bool SpoolForwarder::forward_batch() {
  auto log = log::get(log::Component::kSidecar);
  auto records = spool_.read(kBatch);
  if (!records.ok()) {
    log->error("spool {}: {}", spool_.dir(), records.error().message());
    return false;
  }
  // Publish the whole batch first so the publishes share round trips, then settle in order.
  std::vector<std::optional<std::future<Result<queue::PublishReceipt>>>> pending;
  std::vector<std::string> ids;
  for (auto& record : *records) {
    auto envelope = event::parse_envelope(record.bytes);
    if (!envelope.ok()) {
      pending.emplace_back();
      ids.push_back(envelope.error().message());
      continue;
    }
    ids.push_back(envelope->id);
    pending.emplace_back(queue_->publish(std::move(*envelope)));
  }
  std::optional<SpoolPosition> done;
  bool refused = false;
  for (std::size_t i = 0; i < pending.size(); ++i) {
    auto& record = (*records)[i];
    if (!pending[i]) {
      reject(record.bytes, "unreadable spool record: " + ids[i]);
    } else if (auto published = pending[i]->get(); published.ok()) {
      forwarded_.fetch_add(1);
      log->info("forwarded event_id={} from the spool{}", ids[i],
                published->status == queue::PublishStatus::kDuplicate
                    ? " (the broker had it already)"
                    : "");
    } else if (published.error().code() == ErrorCode::kInvalidArgument) {
      reject(record.bytes, published.error().message());
    } else {
      // Stop at the first refusal: the records after it stay for the next attempt (any of
      // them published meanwhile are duplicates then), so the spool is forwarded in order.
      if (!broker_down_.exchange(true)) {
        log->warn("spool {}: the broker refused ({}); {} event(s) wait, retrying",
                  spool_.dir(), published.error().message(), spool_.pending_records());
      }
      for (std::size_t j = i + 1; j < pending.size(); ++j) {
        if (pending[j]) pending[j]->wait();
      }
      refused = true;
      break;
    }
    done = record.position;
  }
  if (done) {
    if (auto committed = spool_.commit(*done); !committed.ok()) {
      log->error("spool {}: {}", spool_.dir(), committed.error().message());
      return false;
    }
  }
  if (refused) return false;
  broker_down_ = false;
  return true;
}

void SpoolForwarder::reject(const std::string& bytes, const std::string& why) {
  rejected_.fetch_add(1);
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(spool_.dir()) / "rejected";
  std::error_code ec;
  fs::create_directories(dir, ec);
  const fs::path file = dir / ("record-" + std::to_string(rejected_.load()) + "-" +
                               std::to_string(::getpid()) + ".json");
  std::ofstream(file, std::ios::binary) << bytes;
  log::get(log::Component::kSidecar)
      ->error("spool {}: an accepted event cannot be forwarded ({}); its envelope is kept in "
              "{} for an operator to fix and send again",
              spool_.dir(), why, file.string());
}

}  // namespace aof::sidecar
