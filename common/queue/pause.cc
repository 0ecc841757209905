#include "common/queue/pause.h"

#include <nlohmann/json.hpp>

#include <functional>

namespace aof::queue {
namespace {

// Gives up after this many lost compare-and-set races (only many operators at once lose).
constexpr int kMaxRaces = 20;

std::string to_text(const PauseState& pause) {
  nlohmann::json j = {{"all", pause.all},
                      {"consumers", pause.consumers},
                      {"by", pause.by},
                      {"at", pause.at}};
  return j.dump();
}

Result<PauseState> parse(const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.value("all", nlohmann::json()).is_boolean() ||
      !j.value("consumers", nlohmann::json()).is_array()) {
    return Error(ErrorCode::kInternal, std::string("state key ") + kPauseKey +
                                           " does not hold a pause written by aof drain: " +
                                           text.substr(0, 200));
  }
  PauseState pause;
  pause.all = j["all"].get<bool>();
  for (const auto& name : j["consumers"]) {
    if (name.is_string()) pause.consumers.insert(name.get<std::string>());
  }
  pause.by = j.value("by", "");
  pause.at = j.value("at", "");
  return pause;
}

// Applies `change` to the stored pause with compare-and-set until no one raced us.
Result<PauseState> update(StateStore& state, const std::function<void(PauseState&)>& change) {
  for (int race = 0; race < kMaxRaces; ++race) {
    auto stored = state.get(kPauseKey);
    if (!stored) return stored.error();
    PauseState pause;
    if (*stored) {
      auto parsed = parse(**stored);
      if (!parsed) return parsed.error();
      pause = std::move(*parsed);
    }
    change(pause);
    if (!*stored && pause.empty()) return pause;  // nothing to lift
    // An empty pause stays stored rather than erased: an erase cannot be conditional, and an
    // unconditional one could drop a pause someone set just after our read.
    auto set = state.compare_and_set(kPauseKey, *stored, to_text(pause), Millis(0));
    if (!set) return set.error();
    if (*set) return pause;
  }
  return Error(ErrorCode::kUnavailable, "the pause kept changing under us (" +
                                            std::to_string(kMaxRaces) +
                                            " concurrent updates); try again");
}

}  // namespace

Result<PauseState> read_pause(StateStore& state) {
  auto stored = state.get(kPauseKey);
  if (!stored) return stored.error();
  if (!*stored) return PauseState{};
  return parse(**stored);
}

Result<PauseState> set_pause(StateStore& state, const std::optional<std::string>& consumer,
                             const std::string& by, TimePoint now) {
  return update(state, [&](PauseState& pause) {
    if (consumer) {
      pause.consumers.insert(*consumer);
    } else {
      pause.all = true;
    }
    pause.by = by;
    pause.at = to_rfc3339(now);
  });
}

Result<PauseState> clear_pause(StateStore& state, const std::optional<std::string>& consumer) {
  return update(state, [&](PauseState& pause) {
    if (consumer) {
      pause.consumers.erase(*consumer);
    } else {
      pause = PauseState{};
    }
  });
}

}  // namespace aof::queue
