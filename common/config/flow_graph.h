#pragma once
// Private to common/config: the graph rules of an AgentFlow — unique node ids, connections
// between existing nodes (`start` allowed as `from`), no cycles. AOF does not reject cycles
// (its walk would loop forever); our engine relies on their absence.

#include "common/config/resources.h"
#include "common/config/yaml_walk.h"

namespace aof::config {

// `spec` is the flow's spec field, whose nodes/connections items line up with `flow`'s.
void check_flow_graph(Walker& walker, const Field& spec, const AgentFlow& flow);

}  // namespace aof::config
