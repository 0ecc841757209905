#include "common/runtime/approval/approvals.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/base/log.h"

namespace aof::runtime::approval {

namespace {

using Json = nlohmann::json;

constexpr const char* kPendingIndex = "approvals:pending";
constexpr Millis kKeepDecided{7LL * 24 * 3600 * 1000};  // after the deadline, for late retries
constexpr int kIndexAttempts = 20;                      // compare-and-set rounds on the index

constexpr std::size_t kMaxNodesPerRun = 256;  // bounds approval-run:<run>

std::string record_key(const ApprovalId& id) { return "approval:" + id.text(); }
std::string run_key(const std::string& run) { return "approval-run:" + run; }

std::string message_key(const std::string& platform, const std::string& channel,
                        const std::string& message_id) {
  return "approval-message:" + platform + ":" + channel + ":" + message_id;
}

spdlog::logger& log() { return *aof::log::get(aof::log::Component::kRuntime); }

// Where the request goes: the event's own conversation, or the node's Slack channel.
event::Envelope where_to_ask(const event::Envelope& envelope, const ApprovalRequest& request) {
  event::Envelope where = envelope;
  where.body.clear();
  where.body_ref.clear();
  if (!request.channel.empty()) {
    where.platform = "slack";
    where.channel_id = request.channel;
    where.thread_id.clear();
  }
  return where;
}

std::string request_text(const ApprovalRequest& request, const event::Envelope& where,
                         const ApprovalId& id, TimePoint deadline) {
  std::string text = request.message + "\n\n";
  if (where.platform == "slack") text += "React with ✅ to approve or ❌ to deny, or run ";
  else text += "Decide with ";
  text += "`aof flow approve " + id.run + " --node " + id.node +
          "` (`--deny` to deny). Unanswered by " + to_rfc3339(deadline) + ", it is denied.";
  return text;
}

// Reads a JSON value of `state`; `fallback` when absent or unreadable.
Result<std::pair<Json, std::optional<std::string>>> read_json(queue::StateStore& state,
                                                              const std::string& key,
                                                              Json fallback) {
  auto value = state.get(key);
  if (!value.ok()) return value.error();
  if (!*value) return std::make_pair(fallback, std::optional<std::string>());
  Json parsed = Json::parse(**value, nullptr, false);
  if (parsed.type() != fallback.type()) parsed = fallback;
  return std::make_pair(std::move(parsed), *value);
}

// The paused event as a resume runs it again: everything but the body (flows see the trigger
// data, never the raw body) and the headers.
Json resumable(const event::Envelope& envelope) {
  event::Envelope copy = envelope;
  copy.body.clear();
  copy.body_ref.clear();
  copy.headers.clear();
  return event::to_json_value(copy);
}

}  // namespace

std::optional<ApprovalId> ApprovalId::parse(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size()) return std::nullopt;
  return ApprovalId{text.substr(0, slash), text.substr(slash + 1)};
}

std::string ApprovalRecord::encode() const {
  return Json{{"state", state},
              {"generation", generation},
              {"flow", flow},
              {"node_id", node_id},
              {"deadline_ms", deadline_ms},
              {"approvers", approvers},
              {"posted", posted},
              {"platform", platform},
              {"channel", channel},
              {"message_id", message_id},
              {"by", by},
              {"reaction", reaction},
              {"decided_at", decided_at},
              {"decided_by", decided_by},
              {"envelope", envelope}}
      .dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::optional<ApprovalRecord> ApprovalRecord::decode(const std::string& value) {
  const Json j = Json::parse(value, nullptr, false);
  if (!j.is_object() || !j.contains("state") || !j["state"].is_string()) return std::nullopt;
  ApprovalRecord r;
  try {
    r.state = j.at("state").get<std::string>();
    r.generation = j.value("generation", 0);
    r.flow = j.value("flow", "");
    r.node_id = j.value("node_id", "");
    r.deadline_ms = j.value("deadline_ms", 0LL);
    r.approvers = j.value("approvers", std::vector<std::string>{});
    r.posted = j.value("posted", false);
    r.platform = j.value("platform", "");
    r.channel = j.value("channel", "");
    r.message_id = j.value("message_id", "");
    r.by = j.value("by", "");
    r.reaction = j.value("reaction", "");
    r.decided_at = j.value("decided_at", "");
    r.decided_by = j.value("decided_by", "");
    r.envelope = j.value("envelope", Json::object());
  } catch (const Json::exception&) {
    return std::nullopt;
  }
  return r;
}

Json decision_output(const ApprovalRecord& record) {
  return Json{{"status", record.state},       {"approved", record.state == "approved"},
              {"by", record.by},              {"reaction", record.reaction},
              {"decided_at", record.decided_at}, {"node_id", record.node_id}};
}

Approvals::Approvals(std::shared_ptr<queue::StateStore> state, const Clock& clock, Poster post)
    : state_(std::move(state)), clock_(clock), post_(std::move(post)) {}

Result<std::optional<Approvals::Read>> Approvals::read(const ApprovalId& id) {
  auto value = state_->get(record_key(id));
  if (!value.ok()) return value.error();
  if (!*value) return std::optional<Read>();
  auto record = ApprovalRecord::decode(**value);
  if (!record) {
    log().warn("approval {} is unreadable; it is asked again", id.text());
    return std::optional<Read>();
  }
  return std::optional<Read>(Read{std::move(*record), std::move(**value)});
}

Result<std::vector<ApprovalId>> Approvals::asked(const std::string& run) {
  auto nodes = read_json(*state_, run_key(run), Json::array());
  if (!nodes.ok()) return nodes.error();
  std::vector<ApprovalId> out;
  for (const auto& node : nodes->first) {
    if (node.is_string()) out.push_back(ApprovalId{run, node.get<std::string>()});
  }
  return out;
}

// Appends the node to the run's list (compare-and-set: parallel nodes ask at once).
Status Approvals::add_to_run(const ApprovalId& id) {
  for (int attempt = 0; attempt < kIndexAttempts; ++attempt) {
    auto nodes = read_json(*state_, run_key(id.run), Json::array());
    if (!nodes.ok()) return nodes.error();
    Json& list = nodes->first;
    if (std::find(list.begin(), list.end(), Json(id.node)) != list.end()) return ok_status();
    if (list.size() >= kMaxNodesPerRun) {
      return Error(ErrorCode::kInvalidArgument, "a run may ask at most " +
                                                    std::to_string(kMaxNodesPerRun) +
                                                    " approvals");
    }
    list.push_back(id.node);
    auto moved = state_->compare_and_set(run_key(id.run), nodes->second, list.dump(),
                                         kKeepDecided);
    if (!moved.ok()) return moved.error();
    if (*moved) return ok_status();
  }
  return Error(ErrorCode::kUnavailable, "the run's approvals list is too busy; retrying");
}

Result<Json> Approvals::ask(const event::Envelope& envelope, const ApprovalRequest& request) {
  const ApprovalId id{envelope.id, request.node_id};
  auto current = read(id);
  if (!current.ok()) return current.error();
  std::optional<std::string> raw;
  if (*current) {
    const ApprovalRecord& record = (*current)->record;
    raw = (*current)->raw;
    const bool same_request = record.generation == envelope.generation;
    if (same_request && record.decided()) return decision_output(record);
    if (same_request && !record.posted) {  // an earlier try failed to post: post again
      if (auto s = post_request(id, envelope, request, record, *raw); !s.ok()) return s.error();
    }
    if (same_request) return Json{{"status", "waiting_approval"}, {"node_id", request.node_id}};
  }
  ApprovalRecord record;
  record.state = "pending";
  record.generation = envelope.generation;
  record.flow = envelope.target.name;
  record.node_id = request.node_id;
  record.deadline_ms = to_unix_ms(clock_.now() + request.timeout);
  record.approvers = request.approvers;
  record.envelope = resumable(envelope);
  const std::string value = record.encode();
  if (auto s = add_to_run(id); !s.ok()) return s.error();
  auto written = state_->compare_and_set(record_key(id), raw, value, request.timeout + kKeepDecided);
  if (!written.ok()) return written.error();
  if (!*written) {
    return Error(ErrorCode::kUnavailable,
                 "approval of node \"" + request.node_id + "\" changed while it was asked");
  }
  if (auto s = post_request(id, envelope, request, record, value); !s.ok()) return s.error();
  return Json{{"status", "waiting_approval"}, {"node_id", request.node_id}};
}

Status Approvals::post_request(const ApprovalId& id, const event::Envelope& envelope,
                               const ApprovalRequest& request, ApprovalRecord record,
                               std::string raw) {
  if (auto s = update_pending(id, record.deadline_ms); !s.ok()) return s;
  const event::Envelope where = where_to_ask(envelope, request);
  auto posted = post_(where, request_text(request, where, id, from_unix_ms(record.deadline_ms)));
  if (!posted.ok()) return posted.error().with_context("posting the approval request");
  record.posted = true;
  record.platform = where.platform;
  record.channel = where.channel_id;
  record.message_id = *posted;
  const Millis ttl =
      std::chrono::duration_cast<Millis>(from_unix_ms(record.deadline_ms) - clock_.now()) +
      kKeepDecided;
  if (!record.message_id.empty()) {
    auto s = state_->put(message_key(record.platform, record.channel, record.message_id),
                         id.text(), ttl);
    if (!s.ok()) return s;
  }
  auto moved = state_->compare_and_set(record_key(id), raw, record.encode(), ttl);
  if (!moved.ok()) return moved.error();
  if (!*moved) log().info("approval {} was decided while it was posted", id.text());
  log().info("event_id={} flow={} waits for approval of node \"{}\" on {} {}", envelope.id,
             record.flow, record.node_id, record.platform, record.channel);
  return ok_status();
}

Result<std::optional<ApprovalId>> Approvals::find_by_message(const std::string& platform,
                                                             const std::string& channel,
                                                             const std::string& message_id) {
  if (message_id.empty()) return std::optional<ApprovalId>();
  auto value = state_->get(message_key(platform, channel, message_id));
  if (!value.ok()) return value.error();
  if (!*value) return std::optional<ApprovalId>();
  return ApprovalId::parse(**value);
}

Result<bool> Approvals::decide(const ApprovalId& id, const Read& current,
                               const std::string& decision, const std::string& by,
                               const std::string& reaction, const std::string& decided_by) {
  ApprovalRecord next = current.record;
  next.state = decision;
  next.by = by;
  next.reaction = reaction;
  next.decided_at = to_rfc3339(clock_.now());
  next.decided_by = decided_by;
  auto moved =
      state_->compare_and_set(record_key(id), current.raw, next.encode(), kKeepDecided);
  if (!moved.ok() || !*moved) return moved;
  if (auto s = update_pending(id, std::nullopt); !s.ok()) {
    log().warn("approval {}: pending index not updated: {}", id.text(), s.error().message());
  }
  return true;
}

Result<std::vector<ApprovalId>> Approvals::due() {
  auto index = read_json(*state_, kPendingIndex, Json::object());
  if (!index.ok()) return index.error();
  std::vector<ApprovalId> out;
  const long long now = to_unix_ms(clock_.now());
  for (const auto& [text, deadline] : index->first.items()) {
    const auto id = ApprovalId::parse(text);
    if (id && deadline.is_number_integer() && deadline.get<long long>() <= now) {
      out.push_back(*id);
    }
  }
  return out;
}

// Adds (deadline set) or removes one entry, compare-and-set so concurrent workers lose nothing.
Status Approvals::update_pending(const ApprovalId& id, std::optional<long long> deadline_ms) {
  const std::string entry = id.text();
  for (int attempt = 0; attempt < kIndexAttempts; ++attempt) {
    auto read = read_json(*state_, kPendingIndex, Json::object());
    if (!read.ok()) return read.error();
    Json& index = read->first;
    if (deadline_ms) {
      if (!index.contains(entry) && index.size() >= kMaxPendingApprovals) {
        return Error(ErrorCode::kResourceExhausted,
                     std::to_string(kMaxPendingApprovals) +
                         " approvals are pending; decide some (aof flow approve) first");
      }
      index[entry] = *deadline_ms;
    } else {
      if (!index.contains(entry)) return ok_status();
      index.erase(entry);
    }
    auto moved = state_->compare_and_set(kPendingIndex, read->second, index.dump(), Millis(0));
    if (!moved.ok()) return moved.error();
    if (*moved) return ok_status();
  }
  return Error(ErrorCode::kUnavailable, "the pending approvals index is too busy; retrying");
}

}  // namespace aof::runtime::approval
