#include "sidecar/admin.h"

#include <nlohmann/json.hpp>

#include <thread>

namespace aof::sidecar {
namespace {

ingest::IngressResponse json_response(int status, const nlohmann::json& body) {
  ingest::IngressResponse response;
  response.status = status;
  response.body = body.dump(2) + "\n";
  return response;
}

ingest::IngressResponse error_response(const Error& error) {
  const int status = error.code() == ErrorCode::kNotFound ? 404 : 503;
  return json_response(status, {{"error", error.message()}});
}

int query_int(const ingest::IngressRequest& request, const char* name, int fallback, int max) {
  const auto found = request.headers.find(std::string("query.") + name);
  if (found == request.headers.end()) return fallback;
  const int value = std::atoi(found->second.c_str());
  return std::clamp(value, 0, max);
}

bool finished(const queue::EventRecord& record) {
  return record.state == queue::EventState::kDone || record.state == queue::EventState::kDead;
}

ingest::IngressResponse show_event(queue::Queue& queue, const std::string& id, int wait_secs) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_secs);
  while (true) {
    auto record = queue.find_event(id);
    if (!record.ok()) return error_response(record.error());
    if (finished(*record) || std::chrono::steady_clock::now() >= deadline) {
      return json_response(200, event_record_json(*record));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

ingest::IngressResponse list_dead_letters(queue::Queue& queue, int limit) {
  auto dead = queue.dead_letters(static_cast<std::size_t>(limit));
  if (!dead.ok()) return error_response(dead.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& envelope : *dead) {
    nlohmann::json entry = event::to_json_value(envelope);
    entry.erase("body");
    list.push_back(std::move(entry));
  }
  return json_response(200, list);
}

}  // namespace

nlohmann::json event_record_json(const queue::EventRecord& record) {
  const auto& e = record.envelope;
  nlohmann::json history = nlohmann::json::array();
  for (const auto& h : e.history) {
    history.push_back({{"attempt", h.attempt},
                       {"worker", h.worker},
                       {"at", h.at},
                       {"error_class", h.error_class},
                       {"message", h.message}});
  }
  nlohmann::json out = {
      {"event_id", e.id},
      {"state", queue::to_string(record.state)},
      {"platform", e.platform},
      {"event", e.event},
      {"action", e.action},
      {"delivery_id", e.delivery_id},
      {"trigger", e.trigger},
      {"target", {{"kind", event::to_string(e.target.kind)}, {"name", e.target.name}}},
      {"attempts", e.attempt},
      {"generation", e.generation},
      {"received_at", e.received_at},
      {"history", history}};
  if (!e.replays.empty()) {
    nlohmann::json replays = nlohmann::json::array();
    for (const auto& r : e.replays) {
      replays.push_back({{"from_generation", r.from_generation},
                         {"by", r.by},
                         {"at", r.at},
                         {"changes", r.changes}});
    }
    out["replays"] = std::move(replays);
  }
  if (!record.finished_at.empty()) out["finished_at"] = record.finished_at;
  if (!record.result_json.empty()) {
    out["result"] = nlohmann::json::parse(record.result_json, nullptr, false);
  }
  return out;
}

ingest::IngressResponse handle_admin(queue::Queue& queue, const ingest::IngressRequest& request) {
  const std::string events_prefix = "/v1/events/";
  if (request.path.rfind(events_prefix, 0) == 0 && request.path.size() > events_prefix.size()) {
    return show_event(queue, request.path.substr(events_prefix.size()),
                      query_int(request, "wait", 0, 60));
  }
  if (request.path == "/v1/dlq") {
    return list_dead_letters(queue, query_int(request, "limit", 100, 10000));
  }
  return json_response(404, {{"error", "unknown admin route " + request.path}});
}

}  // namespace aof::sidecar
