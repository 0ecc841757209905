#pragma once
// Private to fleet/: the coordination modes whose semantics fleet_runner.h gives in full
// (hierarchical.h and deep.h have their own). Each returns the mode's result JSON, always
// with a string "output": the fleet's answer.

#include <nlohmann/json.hpp>

#include "common/runtime/fleet/round.h"

namespace aof::runtime::fleet {

Result<nlohmann::json> run_pipeline(const FleetRun& run);
Result<nlohmann::json> run_peer(const FleetRun& run);
Result<nlohmann::json> run_tiered(const FleetRun& run);
Result<nlohmann::json> run_swarm(const FleetRun& run);

}  // namespace aof::runtime::fleet
