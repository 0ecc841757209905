#include "common/runtime/fleet/fleet_runner.h"

#include "common/runtime/fleet/deep.h"
#include "common/runtime/fleet/hierarchical.h"
#include "common/runtime/fleet/modes.h"

namespace aof::runtime::fleet {
namespace {

using Json = nlohmann::json;

Result<Json> run_mode(const FleetRun& run) {
  const std::string mode = run.coordination.value("mode", "peer");
  if (mode == "pipeline") return run_pipeline(run);
  if (mode == "peer") return run_peer(run);
  if (mode == "tiered") return run_tiered(run);
  if (mode == "swarm") return run_swarm(run);
  if (mode == "hierarchical") return run_hierarchical(run);
  if (mode == "deep") return run_deep(run);
  return invalid("coordination.mode " + mode +
                 " is not one of hierarchical, peer, swarm, pipeline, tiered, deep");
}

}  // namespace

Result<Json> run_fleet(const config::AgentFleet& fleet, const std::string& input,
                       const FleetRunDeps& deps) {
  const std::string label = "fleet \"" + fleet.name + "\"";
  try {
    auto run = make_fleet_run(fleet, input, deps);
    if (!run.ok()) return run.error().with_context(label);
    auto result = run_mode(*run);
    if (!result.ok()) return result.error().with_context(label);
    return result;
  } catch (const std::exception& e) {
    // A coordination field of the wrong type (the loader keeps it as written) must not take
    // down a worker thread.
    return invalid(label + ": " + e.what());
  }
}

}  // namespace aof::runtime::fleet
