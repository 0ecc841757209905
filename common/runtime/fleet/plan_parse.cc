#include "common/runtime/fleet/plan_parse.h"

#include <algorithm>
#include <initializer_list>

namespace aof::runtime::fleet {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxScan = 64 * 1024;  // a plan is short; a model's essay is not read
constexpr int kMaxStarts = 64;               // '{' / '[' positions tried before giving up
constexpr std::size_t kMaxNameInNote = 80;   // a model's odd agent name, as quoted in a note

std::string trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  return std::string(text.substr(begin, text.find_last_not_of(" \t\r\n") + 1 - begin));
}

std::optional<Json> parse_container(std::string_view text) {
  Json parsed = Json::parse(text.begin(), text.end(), nullptr, false);
  if (parsed.is_discarded() || !(parsed.is_object() || parsed.is_array())) return std::nullopt;
  return parsed;
}

// The first fenced block that parses; with `json_only`, only blocks tagged json.
std::optional<Json> from_fences(std::string_view text, bool json_only) {
  std::size_t at = 0;
  while ((at = text.find("```", at)) != std::string_view::npos) {
    const std::size_t line_end = text.find('\n', at + 3);
    if (line_end == std::string_view::npos) return std::nullopt;
    std::string tag = trim(text.substr(at + 3, line_end - at - 3));
    std::transform(tag.begin(), tag.end(), tag.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const std::size_t close = text.find("```", line_end);
    if (close == std::string_view::npos) return std::nullopt;
    if (!json_only || tag == "json") {
      if (auto parsed = parse_container(text.substr(line_end + 1, close - line_end - 1))) {
        return parsed;
      }
    }
    at = close + 3;
  }
  return std::nullopt;
}

// One past the end of the balanced {...} or [...] opening at `start` (strings and escapes
// respected), or npos.
std::size_t balanced_end(std::string_view text, std::size_t start) {
  std::string closers;
  bool in_string = false, escaped = false;
  for (std::size_t i = start; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      closers.push_back(c == '{' ? '}' : ']');
    } else if (c == '}' || c == ']') {
      if (closers.empty() || closers.back() != c) return std::string_view::npos;
      closers.pop_back();
      if (closers.empty()) return i + 1;
    }
  }
  return std::string_view::npos;
}

std::optional<Json> from_prose(std::string_view text) {
  std::size_t at = 0;
  for (int tries = 0; tries < kMaxStarts; ++tries) {
    at = text.find_first_of("{[", at);
    if (at == std::string_view::npos) return std::nullopt;
    const std::size_t end = balanced_end(text, at);
    if (end != std::string_view::npos) {
      if (auto parsed = parse_container(text.substr(at, end - at))) return parsed;
    }
    ++at;
  }
  return std::nullopt;
}

const Json* first_of(const Json& object, std::initializer_list<const char*> keys) {
  if (!object.is_object()) return nullptr;
  for (const char* key : keys) {
    const auto it = object.find(key);
    if (it != object.end()) return &*it;
  }
  return nullptr;
}

std::string text_at(const Json& object, std::initializer_list<const char*> keys) {
  const Json* value = first_of(object, keys);
  return value != nullptr && value->is_string() ? trim(value->get<std::string>()) : "";
}

bool flag_at(const Json& object, const char* key) {
  const Json* value = first_of(object, {key});
  return value != nullptr && value->is_boolean() && value->get<bool>();
}

std::string quoted_name(const std::string& name) {
  return "\"" + (name.size() > kMaxNameInNote ? name.substr(0, kMaxNameInNote) + "..." : name) +
         "\"";
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// {agent, task} items, or {"<agent>": "<task>"}, as the manager wrote them.
std::vector<Assignment> raw_assignments(const Json& list) {
  std::vector<Assignment> out;
  if (list.is_object()) {
    for (const auto& item : list.items()) {
      const Json& task = item.value();
      out.push_back({trim(item.key()), task.is_string() ? trim(task.get<std::string>()) : ""});
    }
  } else if (list.is_array()) {
    for (const Json& item : list) {
      out.push_back({text_at(item, {"agent", "worker", "name"}),
                     text_at(item, {"task", "subtask", "input"})});
    }
  }
  return out;
}

void keep_usable(const std::vector<Assignment>& raw, const std::vector<std::string>& workers,
                 DelegationPlan& plan) {
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const std::string label = "assignment " + std::to_string(i + 1);
    if (raw[i].agent.empty() || raw[i].task.empty()) {
      plan.notes.push_back(label + " ignored: it needs an agent and a task");
    } else if (!contains(workers, raw[i].agent)) {
      plan.notes.push_back(label + " ignored: " + quoted_name(raw[i].agent) +
                           " is not one of the workers");
    } else {
      plan.assignments.push_back(raw[i]);
    }
  }
  const auto index = [&](const Assignment& a) {
    return std::find(workers.begin(), workers.end(), a.agent) - workers.begin();
  };
  std::stable_sort(plan.assignments.begin(), plan.assignments.end(),
                   [&](const Assignment& a, const Assignment& b) { return index(a) < index(b); });
}

Step step_of(const Json& item) {
  if (item.is_string()) return {"", trim(item.get<std::string>())};
  return {text_at(item, {"agent", "worker"}), text_at(item, {"task", "step", "description"})};
}

}  // namespace

std::optional<Json> extract_json(std::string_view text) {
  text = text.substr(0, kMaxScan);
  if (auto fenced = from_fences(text, true)) return fenced;
  if (auto fenced = from_fences(text, false)) return fenced;
  return from_prose(text);
}

DelegationPlan parse_delegation(std::string_view answer, const std::vector<std::string>& workers,
                                const std::string& task) {
  DelegationPlan plan;
  std::string why = "no assignment names a worker";
  const auto json = extract_json(answer);
  const Json* list = !json ? nullptr
                     : json->is_array()
                         ? &*json
                         : first_of(*json, {"assignments", "delegations", "plan", "tasks"});
  if (!json) {
    why = "the manager's answer holds no JSON";
  } else if (list == nullptr || !(list->is_array() || list->is_object())) {
    why = "the JSON has no list of assignments";
  } else {
    keep_usable(raw_assignments(*list), workers, plan);
  }
  if (plan.assignments.empty()) {
    plan.fallback = true;
    plan.notes.push_back("no usable delegation plan (" + why +
                         "): every worker got the original task");
    for (const auto& worker : workers) plan.assignments.push_back({worker, task});
  }
  return plan;
}

StepPlan parse_steps(std::string_view answer, const std::vector<std::string>& members) {
  StepPlan plan;
  const auto json = extract_json(answer);
  if (!json) {
    plan.notes.push_back("the answer holds no JSON");
    return plan;
  }
  plan.parsed = true;
  plan.done = flag_at(*json, "done");
  plan.parallel = flag_at(*json, "parallel");
  const Json* list = json->is_array() ? &*json : first_of(*json, {"steps", "plan"});
  if (list == nullptr || !list->is_array()) return plan;
  for (std::size_t i = 0; i < list->size(); ++i) {
    Step step = step_of((*list)[i]);
    const std::string label = "step " + std::to_string(i + 1);
    if (step.task.empty()) {
      plan.notes.push_back(label + " ignored: it has no task");
      continue;
    }
    if (!step.agent.empty() && !contains(members, step.agent)) {
      plan.notes.push_back(label + ": " + quoted_name(step.agent) +
                           " is not a member; the next member in turn takes it");
      step.agent.clear();
    }
    plan.steps.push_back(std::move(step));
  }
  return plan;
}

}  // namespace aof::runtime::fleet
