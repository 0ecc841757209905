#include "common/runtime/flow/graph.h"

#include <algorithm>

namespace aof::runtime::flow {

FlowGraph::FlowGraph(const config::AgentFlow& flow) {
  for (const auto& node : flow.nodes) nodes_.emplace(node.id, &node);
  for (const auto& connection : flow.connections) {
    const auto* target = node(connection.to);
    if (target == nullptr) continue;
    if (connection.from != "start") {
      if (node(connection.from) != nullptr) {
        outgoing_[connection.from].push_back(&connection);
        incoming_[connection.to].push_back(&connection);
      }
    } else if (std::find(entries_.begin(), entries_.end(), target) == entries_.end()) {
      entries_.push_back(target);
    }
  }
  if (entries_.empty() && !flow.nodes.empty()) entries_.push_back(&flow.nodes.front());
}

const std::vector<const config::Connection*>& FlowGraph::outgoing(std::string_view id) const {
  static const std::vector<const config::Connection*> kNone;
  const auto it = outgoing_.find(id);
  return it == outgoing_.end() ? kNone : it->second;
}

const std::vector<const config::Connection*>& FlowGraph::incoming(std::string_view id) const {
  static const std::vector<const config::Connection*> kNone;
  const auto it = incoming_.find(id);
  return it == incoming_.end() ? kNone : it->second;
}

const config::FlowNode* FlowGraph::node(std::string_view id) const {
  const auto it = nodes_.find(id);
  return it == nodes_.end() ? nullptr : it->second;
}

}  // namespace aof::runtime::flow
