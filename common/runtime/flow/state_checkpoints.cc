#include "common/runtime/flow/state_checkpoints.h"

#include <spdlog/spdlog.h>

#include "common/base/log.h"

namespace aof::runtime::flow {

namespace {

spdlog::logger& log() { return *aof::log::get(aof::log::Component::kRuntime); }

std::string node_key(const std::string& prefix, const std::string& id) {
  return prefix + ":node:" + id;
}

}  // namespace

Result<std::unique_ptr<StateCheckpoints>> StateCheckpoints::open(queue::StateStore& state,
                                                                 const event::Envelope& envelope) {
  std::string prefix = "flow:" + envelope.id + ":" + std::to_string(envelope.generation);
  auto index = state.get(prefix);
  if (!index.ok()) return index.error().with_context("reading the flow's checkpoints");
  std::set<std::string> recorded;
  if (*index) {
    const auto ids = nlohmann::json::parse(**index, nullptr, false);
    if (ids.is_array()) {
      for (const auto& id : ids) {
        if (id.is_string()) recorded.insert(id.get<std::string>());
      }
    } else {
      log().warn("run {}: unreadable checkpoint index {} ignored", envelope.id, prefix);
    }
  }
  return std::unique_ptr<StateCheckpoints>(
      new StateCheckpoints(state, std::move(prefix), std::move(recorded)));
}

Result<std::optional<NodeCheckpoint>> StateCheckpoints::find(const std::string& id) {
  {
    std::lock_guard lock(mu_);
    if (!recorded_.contains(id)) return std::optional<NodeCheckpoint>();
  }
  auto value = state_.get(node_key(prefix_, id));
  if (!value.ok()) return value.error();
  if (!*value) return std::optional<NodeCheckpoint>();  // expired: the node runs again
  const auto record = nlohmann::json::parse(**value, nullptr, false);
  if (!record.is_object() || !record.contains("output")) {
    log().warn("{}: unreadable checkpoint of node \"{}\"; the node runs again", prefix_, id);
    return std::optional<NodeCheckpoint>();
  }
  return std::optional<NodeCheckpoint>(
      NodeCheckpoint{record["output"], record.value("writes", nlohmann::json::object())});
}

void StateCheckpoints::record(const std::string& id, const NodeCheckpoint& checkpoint) {
  const std::string value =
      nlohmann::json{{"output", checkpoint.output}, {"writes", checkpoint.writes}}.dump(
          -1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (value.size() > kMaxCheckpointBytes) {
    log().warn("{}: node \"{}\" output is {} bytes, over the {}-byte checkpoint limit; a resume "
               "would run it again",
               prefix_, id, value.size(), kMaxCheckpointBytes);
    return;
  }
  if (auto put = state_.put(node_key(prefix_, id), value, kCheckpointTtl); !put.ok()) {
    log().warn("{}: checkpoint of node \"{}\" not recorded: {}", prefix_, id,
               put.error().message());
    return;
  }
  // The index is written under the lock, so concurrent nodes of one wave never drop each
  // other's ids (one run's nodes are the only writers of its index).
  std::lock_guard lock(mu_);
  recorded_.insert(id);
  const nlohmann::json ids(recorded_);
  if (auto put = state_.put(prefix_, ids.dump(), kCheckpointTtl); !put.ok()) {
    log().warn("{}: checkpoint index not updated: {}", prefix_, put.error().message());
  }
}

}  // namespace aof::runtime::flow
