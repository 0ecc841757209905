#include "common/queue/nats/nats_names.h"

#include <algorithm>

#include "common/queue/nats/nats_client.h"

namespace aof::queue {
namespace {

// Retention of the buckets the config has no setting for. The index holds one small record
// per unfinished event (at most queue_max of them); the state store holds what workers put
// there (drain flag, effect journal, conversation memory), bounded so that a runaway writer
// gets kResourceExhausted instead of filling the server's disk.
constexpr std::int64_t kIndexBytesPerEvent = 1024;
constexpr std::int64_t kStateMaxBytes = std::int64_t{1} << 30;
// The Nats-Msg-Id window of the work stream: the server keeps every id of the window in
// memory, so it is short; the P-dedup bucket remembers keys for the whole dedup window.
constexpr Millis kMaxDuplicateWindow = std::chrono::minutes(2);
// How long a fetched retry may stay unsettled before the delayed consumer hands it to
// another maintain() (one that died between fetching and promoting it).
constexpr Millis kDelayedAckWait = std::chrono::seconds(30);

bool valid_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_';
  });
}

// A platform name as a subject token: anything but [A-Za-z0-9_-] becomes '_'.
std::string platform_token(std::string_view platform) {
  if (platform.empty()) return "none";
  std::string out(platform);
  for (char& c : out) {
    if (!valid_name(std::string_view(&c, 1))) c = '_';
  }
  return out;
}

}  // namespace

NatsNames::NatsNames(const config::QueueConfig& config)
    : work_stream(config.stream),
      work_filter(config.stream + ".default.*"),
      delayed_filter(config.stream + ".delayed.*"),
      consumer(config.consumer_group),
      delayed_consumer(config.consumer_group + "-delayed"),
      results_stream(config.stream + "-results"),
      dlq_stream(config.dead_letter_queue),
      index_bucket(config.stream + "-index"),
      dedup_bucket(config.stream + "-dedup"),
      state_bucket(config.stream + "-state"),
      body_bucket(config.stream + "-bodies") {}

std::string NatsNames::work_subject(std::string_view platform) const {
  return work_stream + ".default." + platform_token(platform);
}
std::string NatsNames::delayed_subject(std::string_view platform) const {
  return work_stream + ".delayed." + platform_token(platform);
}
std::string NatsNames::result_subject(std::string_view event_id) const {
  return results_stream + "." + encode_token(event_id);
}
std::string NatsNames::dead_subject(std::string_view event_id) const {
  return dlq_stream + "." + encode_token(event_id);
}

std::int64_t transition_headroom(std::int64_t queue_max) { return 1000 + queue_max / 100; }

std::string encode_token(std::string_view raw) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  if (raw.empty()) return "_";
  std::string out;
  out.reserve((raw.size() * 4 + 2) / 3);
  std::uint32_t bits = 0;
  int count = 0;
  for (const char c : raw) {
    bits = (bits << 8) | static_cast<unsigned char>(c);
    count += 8;
    while (count >= 6) {
      count -= 6;
      out.push_back(kAlphabet[(bits >> count) & 0x3f]);
    }
  }
  if (count > 0) out.push_back(kAlphabet[(bits << (6 - count)) & 0x3f]);
  return out;
}

Status check_names(const config::QueueConfig& config) {
  const std::pair<const char*, const std::string*> names[] = {
      {"queue.stream", &config.stream},
      {"queue.consumer_group", &config.consumer_group},
      {"queue.dead_letter_queue", &config.dead_letter_queue}};
  for (const auto& [field, value] : names) {
    if (!valid_name(*value)) {
      return Error(ErrorCode::kInvalidArgument,
                   std::string(field) + ": '" + *value +
                       "' is not a valid NATS name for queue.type nats (letters, digits, - and _)");
    }
  }
  if (config.dead_letter_queue == config.stream ||
      config.dead_letter_queue == config.stream + "-results") {
    return Error(ErrorCode::kInvalidArgument,
                 "queue.dead_letter_queue: must differ from queue.stream and its -results stream");
  }
  return ok_status();
}

Status ensure_layout(NatsClient& client, const config::QueueConfig& config) {
  const NatsNames names(config);
  const auto positive_or_unlimited = [](std::int64_t n) { return n > 0 ? n : std::int64_t{-1}; };
  const Millis window(std::max<std::int64_t>(config.dedup_window_secs, 1) * 1000);
  StreamSpec work{names.work_stream, {names.work_filter, names.delayed_filter}};
  work.work_queue = true;
  work.discard_new = true;  // full → publish refused (kResourceExhausted), never a silent drop
  work.max_msgs = config.retention.queue_max > 0
                      ? config.retention.queue_max + transition_headroom(config.retention.queue_max)
                      : -1;
  work.duplicates = std::min(window, kMaxDuplicateWindow);
  StreamSpec results{names.results_stream, {names.results_stream + ".*"}};
  results.max_msgs = positive_or_unlimited(config.retention.results_max);
  results.max_msgs_per_subject = 1;
  StreamSpec dlq{names.dlq_stream, {names.dlq_stream + ".*"}};
  dlq.max_msgs = positive_or_unlimited(config.retention.dlq_max);
  dlq.max_msgs_per_subject = 1;
  for (const StreamSpec* spec : {&work, &results, &dlq}) {
    if (auto made = client.ensure_stream(*spec); !made) return made;
  }
  ConsumerSpec leases{names.consumer, names.work_filter, Millis(config.lease_ms)};
  ConsumerSpec delayed{names.delayed_consumer, names.delayed_filter, kDelayedAckWait};
  for (const ConsumerSpec* spec : {&leases, &delayed}) {
    if (auto made = client.ensure_consumer(names.work_stream, *spec); !made) return made;
  }
  const std::int64_t queue_max = config.retention.queue_max > 0 ? config.retention.queue_max
                                                                 : std::int64_t{1} << 20;
  const BucketSpec buckets[] = {
      {names.index_bucket, Millis(0), queue_max * kIndexBytesPerEvent},
      {names.dedup_bucket, window, -1},
      {names.state_bucket, Millis(0), kStateMaxBytes},
      {names.body_bucket, Millis(config.retention.body_ttl_secs * 1000), -1},
  };
  for (const auto& spec : buckets) {
    if (auto made = client.ensure_bucket(spec); !made) return made;
  }
  return ok_status();
}

}  // namespace aof::queue
