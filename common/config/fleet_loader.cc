// kind: AgentFleet (reference §1.2), snake_case. Member `config` paths are relative to the
// fleet file's directory (AOF used the process CWD, which breaks as soon as the daemon runs
// elsewhere); the file itself is read by load_resources.
#include <set>

#include "common/config/resource_parsers.h"

namespace aof::config {
namespace {

const std::vector<std::string> kAggregations = {"consensus", "merge", "manager_synthesis"};
constexpr int kMaxTimeoutMs = 86'400'000;  // as fleet/round.cc: a day

void read_consensus(Walker& walker, const Field& field) {
  std::string text;
  int number = 0;
  bool flag = false;
  double real = 0;
  walk_map(walker, field,
           {{"algorithm",
             [&](const Field& f) {
               walker.read_enum(
                   f, text, {"majority", "unanimous", "weighted", "first_wins", "human_review"});
             }},
            {"min_votes", [&](const Field& f) { walker.read_int(f, number, 1); }},
            {"timeout_ms", [&](const Field& f) { walker.read_int(f, number, 1, kMaxTimeoutMs); }},
            {"allow_partial", [&](const Field& f) { walker.read_bool(f, flag); }},
            {"weights",
             [&](const Field& f) {
               if (!walker.expect_map(f)) return;
               for (const auto& kv : f.node)
                 walker.read_double(f.child(kv.first.Scalar(), kv.second), real);
             }},
            {"min_confidence", [&](const Field& f) { walker.read_double(f, real); }}},
           UnknownKeys::kWarning);
}

void read_tiered(Walker& walker, const Field& field) {
  std::string text;
  bool flag = false;
  walk_map(
      walker, field,
      {{"tier_consensus",
        [&](const Field& f) {
          if (!walker.expect_map(f)) return;
          for (const auto& kv : f.node)
            read_consensus(walker, f.child(kv.first.Scalar(), kv.second));
        }},
       {"pass_all_results", [&](const Field& f) { walker.read_bool(f, flag); }},
       {"final_aggregation", [&](const Field& f) { walker.read_enum(f, text, kAggregations); }}},
      UnknownKeys::kWarning);
}

void read_deep(Walker& walker, const Field& field) {
  std::string text;
  bool flag = false;
  int number = 0;
  walk_map(walker, field,
           {{"max_iterations", [&](const Field& f) { walker.read_int(f, number, 1); }},
            {"planning", [&](const Field& f) { walker.read_bool(f, flag); }},
            {"memory", [&](const Field& f) { walker.read_bool(f, flag); }},
            {"planner_model", [&](const Field& f) { walker.read_string(f, text); }, kNoEffect},
            {"planner_prompt", [&](const Field& f) { walker.read_string(f, text); }},
            {"synthesizer_prompt", [&](const Field& f) { walker.read_string(f, text); }}},
           UnknownKeys::kWarning);
}

struct Coordination {
  std::string mode = "peer";
  std::string manager;
  std::string aggregation;
};

void read_coordination(Walker& walker, const Field& field, Coordination& out) {
  std::string text;
  walk_map(walker, field,
           {{"mode",
             [&](const Field& f) {
               walker.read_enum(f, out.mode,
                                {"hierarchical", "peer", "swarm", "pipeline", "tiered", "deep"});
             }},
            {"manager", [&](const Field& f) { walker.read_string(f, out.manager); }},
            {"distribution",
             [&](const Field& f) {
               walker.read_enum(f, text,
                                {"round-robin", "least-loaded", "random", "skill-based", "sticky"});
             }},
            {"consensus", [&](const Field& f) { read_consensus(walker, f); }},
            {"aggregation",
             [&](const Field& f) { walker.read_enum(f, out.aggregation, kAggregations); }},
            {"tiered", [&](const Field& f) { read_tiered(walker, f); }},
            {"deep", [&](const Field& f) { read_deep(walker, f); }}},
           UnknownKeys::kWarning);
}

// spec.shared is unused by AOF, but a memory type it cannot parse fails the whole fleet there.
void read_shared(Walker& walker, const Field& field) {
  if (!walker.expect_map(field)) return;
  const Field memory = field.at("memory");
  if (!memory.present() || !walker.expect_map(memory)) return;
  std::string type;
  walker.read_enum(memory.at("type"), type, {"inmemory", "redis", "sqlite", "postgres"});
}

void read_member(DocumentContext& context, const Field& field, FleetMember& out) {
  Walker& walker = context.walker;
  std::map<std::string, std::string> labels;
  double weight = 0;
  if (!walk_map(walker, field,
                {{"name", [&](const Field& f) { walker.read_string(f, out.name); }},
                 {"config", [&](const Field& f) { walker.read_string(f, out.config_path); }},
                 {"spec",
                  [&](const Field& f) {
                    out.inline_spec = to_json(f.node);
                    if (walker.expect_map(f))
                      read_inline_agent_spec(walker, f, out.agent.emplace());
                  }},
                 {"replicas", [&](const Field& f) { walker.read_int(f, out.replicas, 1); }},
                 {"role",
                  [&](const Field& f) {
                    walker.read_enum(f, out.role, {"worker", "manager", "specialist", "validator"});
                  }},
                 {"tier", [&](const Field& f) { walker.read_int(f, out.tier, 1); }},
                 {"weight",
                  [&](const Field& f) {
                    if (walker.read_double(f, weight)) out.weight = weight;
                  }},
                 {"labels", [&](const Field& f) { walker.read_string_map(f, labels); }}},
                UnknownKeys::kWarning)) {
    return;
  }
  if (out.name.empty()) walker.missing(field, "name");
  if (out.agent) out.agent->name = out.name;
  if (out.config_path.empty() && !out.agent) walker.error(field, "needs config or spec");
  if (!out.config_path.empty()) {
    out.config_file = (context.directory / out.config_path).lexically_normal().string();
  }
}

void read_members(DocumentContext& context, const Field& field, AgentFleet& out) {
  Walker& walker = context.walker;
  if (!walker.expect_sequence(field)) return;
  if (field.node.size() == 0) walker.error(field, "must list at least one agent");
  std::set<std::string> names;
  for (std::size_t i = 0; i < field.node.size(); ++i) {
    const Field item = field.item(i, field.node[i]);
    FleetMember member;
    read_member(context, item, member);
    if (!member.name.empty() && !names.insert(member.name).second) {
      walker.error(item.at("name"), "duplicate agent name " + member.name);
    }
    out.agents.push_back(std::move(member));
  }
}

void check_manager(Walker& walker, const Field& spec, const AgentFleet& fleet,
                   const Coordination& coordination) {
  const auto member = [&](const std::string& name) {
    return std::any_of(fleet.agents.begin(), fleet.agents.end(),
                       [&](const FleetMember& m) { return m.name == name; });
  };
  const Field manager = spec.at("coordination").at("manager");
  if (!coordination.manager.empty() && !member(coordination.manager)) {
    walker.error(manager, "unknown agent " + coordination.manager);
  }
  const bool has_manager_role =
      std::any_of(fleet.agents.begin(), fleet.agents.end(),
                  [](const FleetMember& m) { return m.role == "manager"; });
  if (coordination.mode == "hierarchical" && coordination.manager.empty() && !has_manager_role) {
    walker.error(spec.at("coordination").at("mode"),
                 "hierarchical needs coordination.manager or an agent with role manager");
  }
  // AOF fails such a fleet at run time; here the manager writes the answer, so it needs one.
  if (coordination.mode == "peer" && coordination.aggregation == "manager_synthesis" &&
      coordination.manager.empty() && !has_manager_role) {
    walker.error(spec.at("coordination").at("aggregation"),
                 "manager_synthesis needs coordination.manager or an agent with role manager");
  }
}

}  // namespace

std::optional<AgentFleet> read_fleet(DocumentContext& context, const Field& root) {
  Walker& walker = context.walker;
  const std::size_t errors = walker.error_count();
  AgentFleet fleet;
  const auto spec = read_envelope(walker, root, fleet.name, true);
  if (!spec) return std::nullopt;
  fleet.source = walker.source(root);
  Coordination coordination;
  walk_map(walker, *spec,
           {{"agents", [&](const Field& f) { read_members(context, f, fleet); }},
            {"coordination",
             [&](const Field& f) {
               read_coordination(walker, f, coordination);
               if (f.node.IsMap()) fleet.coordination = to_json(f.node);
             }},
            {"shared", [&](const Field& f) { read_shared(walker, f); }, kNoEffect},
            {"communication", nullptr, kNoEffect},
            {"scaling", nullptr, kNoEffect}},
           UnknownKeys::kWarning);
  if (!spec->at("agents").present()) walker.missing(*spec, "agents");
  check_manager(walker, *spec, fleet, coordination);
  if (walker.error_count() != errors) return std::nullopt;
  for (std::size_t i = 0; i < fleet.agents.size(); ++i) {
    const FleetMember& member = fleet.agents[i];
    if (member.config_file.empty() || member.agent) continue;
    add_reference(context, Reference::Kind::kAgentFile, member.config_file,
                  spec->at("agents").item(i, spec->at("agents").node[i]).at("config"));
    context.references.back().fleet = fleet.name;
    context.references.back().member = i;
  }
  return fleet;
}

}  // namespace aof::config
