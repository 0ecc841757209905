#include "common/config/flow_graph.h"

#include <map>
#include <set>

namespace aof::config {
namespace {

using Graph = std::map<std::string, std::vector<std::pair<std::string, std::size_t>>>;

void check_ids(Walker& walker, const Field& nodes, const AgentFlow& flow) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < flow.nodes.size(); ++i) {
    if (!flow.nodes[i].id.empty() && !seen.insert(flow.nodes[i].id).second) {
      walker.error(nodes.item(i, nodes.node[i]).at("id"), "duplicate node id " + flow.nodes[i].id);
    }
  }
}

// Returns the graph of valid connections; reports the ones naming unknown nodes.
Graph check_connections(Walker& walker, const Field& connections, const AgentFlow& flow,
                        const std::set<std::string>& ids) {
  Graph graph;
  for (std::size_t i = 0; i < flow.connections.size(); ++i) {
    const Connection& c = flow.connections[i];
    const Field item = connections.item(i, connections.node[i]);
    if (c.from.empty() || c.to.empty()) continue;  // already reported as required
    bool ok = true;
    if (c.from != "start" && !ids.count(c.from)) {
      walker.error(item.at("from"), "unknown node " + c.from);
      ok = false;
    }
    if (!ids.count(c.to)) {
      walker.error(item.at("to"), "unknown node " + c.to);
      ok = false;
    }
    if (ok) graph[c.from].push_back({c.to, i});
  }
  return graph;
}

// Depth-first search; a connection reaching a node on the current path closes a cycle.
class CycleFinder {
 public:
  CycleFinder(Walker& walker, const Field& connections, const Graph& graph)
      : walker_(walker), connections_(connections), graph_(graph) {}

  void visit(const std::string& node) {
    state_[node] = kOnPath;
    path_.push_back(node);
    if (const auto edges = graph_.find(node); edges != graph_.end()) {
      for (const auto& [next, index] : edges->second) {
        if (state_[next] == kOnPath)
          report(next, index);
        else if (state_[next] == kUnseen)
          visit(next);
      }
    }
    path_.pop_back();
    state_[node] = kDone;
  }

  bool seen(const std::string& node) { return state_[node] != kUnseen; }

 private:
  enum State { kUnseen, kOnPath, kDone };

  void report(const std::string& back_to, std::size_t index) {
    std::string cycle;
    bool in_cycle = false;
    for (const auto& step : path_) {
      in_cycle = in_cycle || step == back_to;
      if (in_cycle) cycle += step + " -> ";
    }
    walker_.error(connections_.item(index, connections_.node[index]),
                  "closes a cycle: " + cycle + back_to);
  }

  Walker& walker_;
  const Field& connections_;
  const Graph& graph_;
  std::map<std::string, State> state_;
  std::vector<std::string> path_;
};

void check_conditions(Walker& walker, const Field& nodes, const AgentFlow& flow,
                      const std::set<std::string>& ids) {
  for (std::size_t i = 0; i < flow.nodes.size(); ++i) {
    const auto& conditions = flow.nodes[i].conditions;
    for (std::size_t j = 0; j < conditions.size(); ++j) {
      if (ids.count(conditions[j].from)) continue;
      const Field list = nodes.item(i, nodes.node[i]).at("conditions");
      walker.warning(list.item(j, list.node[j]).at("from"),
                     "unknown node " + conditions[j].from + "; the condition always holds");
    }
  }
}

}  // namespace

void check_flow_graph(Walker& walker, const Field& spec, const AgentFlow& flow) {
  const Field nodes = spec.at("nodes");
  const Field connections = spec.at("connections");
  std::set<std::string> ids;
  for (const auto& node : flow.nodes) ids.insert(node.id);
  check_ids(walker, nodes, flow);
  check_conditions(walker, nodes, flow, ids);
  const Graph graph = check_connections(walker, connections, flow, ids);
  CycleFinder finder(walker, connections, graph);
  // AOF starts at the targets of `start`, or at the first node when there are none.
  if (graph.count("start"))
    finder.visit("start");
  else if (!flow.nodes.empty())
    finder.visit(flow.nodes.front().id);
  for (std::size_t i = 0; i < flow.nodes.size(); ++i) {
    if (!finder.seen(flow.nodes[i].id)) {
      walker.warning(nodes.item(i, nodes.node[i]), "not reachable from start; never runs");
    }
  }
  for (const auto& node : flow.nodes) {
    if (!finder.seen(node.id)) finder.visit(node.id);  // cycles among unreachable nodes too
  }
}

}  // namespace aof::config
