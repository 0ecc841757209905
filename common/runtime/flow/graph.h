#pragma once
// The shape of an AgentFlow for the walk (reference §6.1): nodes by id, outgoing
// connections in file order, and the entry nodes (targets of `start` connections, else the
// first node). Connections naming unknown nodes are ignored (the loader rejects them).
// Immutable after construction; borrows `flow`, which must outlive it.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/resources.h"

namespace aof::runtime::flow {

class FlowGraph {
 public:
  explicit FlowGraph(const config::AgentFlow& flow);

  // Targets of `start` connections in connection order, each once; else the first node;
  // empty for a flow without nodes.
  const std::vector<const config::FlowNode*>& entry_nodes() const { return entries_; }

  // Connections leaving node `id`, in file order (empty for an unknown id).
  const std::vector<const config::Connection*>& outgoing(std::string_view id) const;
  // Connections reaching node `id` from another node (not `start`), in file order.
  const std::vector<const config::Connection*>& incoming(std::string_view id) const;

  const config::FlowNode* node(std::string_view id) const;

 private:
  std::map<std::string, const config::FlowNode*, std::less<>> nodes_;
  std::map<std::string, std::vector<const config::Connection*>, std::less<>> outgoing_;
  std::map<std::string, std::vector<const config::Connection*>, std::less<>> incoming_;
  std::vector<const config::FlowNode*> entries_;
};

}  // namespace aof::runtime::flow
