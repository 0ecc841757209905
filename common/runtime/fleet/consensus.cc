#include "common/runtime/fleet/consensus.h"

#include <algorithm>
#include <cctype>

namespace aof::runtime::fleet {
namespace {

constexpr std::size_t kFingerprintChars = 100;

struct Group {
  std::string key;
  std::size_t first = 0;  // index of its first answer: ties go to the earliest
  int votes = 0;
  double weight = 0;
};

std::vector<Group> groups_of(const std::vector<Answer>& answers) {
  std::vector<Group> groups;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    const std::string key = fingerprint(answers[i].text);
    auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) { return g.key == key; });
    if (it == groups.end()) it = groups.insert(groups.end(), Group{key, i, 0, 0});
    it->votes += 1;
    it->weight += answers[i].weight;
  }
  return groups;
}

// The heaviest group by `by`, the earliest on a tie.
const Group& winner(const std::vector<Group>& groups, double (*by)(const Group&)) {
  const Group* best = &groups.front();
  for (const Group& g : groups) {
    if (by(g) > by(*best)) best = &g;
  }
  return *best;
}

}  // namespace

std::string fingerprint(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  const auto end = text.find_last_not_of(" \t\r\n");
  std::string out = begin == std::string::npos ? "" : text.substr(begin, end - begin + 1);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (out.size() > kFingerprintChars) {
    out = out.substr(0, kFingerprintChars) + "..." + std::to_string(out.size());
  }
  return out;
}

Result<Consensus> decide(const std::vector<Answer>& answers, const ConsensusConfig& config) {
  if (answers.empty()) return Error(ErrorCode::kInvalidArgument, "no answers to agree on");
  const auto groups = groups_of(answers);
  const int n = static_cast<int>(answers.size());
  Consensus out;
  const std::string& algorithm = config.algorithm;
  if (algorithm == "majority" || algorithm == "unanimous") {
    const Group& best = winner(groups, [](const Group& g) { return double(g.votes); });
    out.response = answers[best.first].text;
    out.votes = best.votes;
    out.confidence = double(best.votes) / n;
    out.reached = algorithm == "unanimous" ? groups.size() == 1
                                           : best.votes >= config.min_votes.value_or(n / 2 + 1);
    if (config.min_confidence && out.confidence < *config.min_confidence) out.reached = false;
  } else if (algorithm == "weighted") {
    double total = 0;
    for (const Answer& a : answers) total += a.weight;
    const Group& best = winner(groups, [](const Group& g) { return g.weight; });
    out.response = answers[best.first].text;
    out.votes = best.votes;
    out.confidence = total > 0 ? best.weight / total : 0;
    out.reached = out.confidence >= config.min_confidence.value_or(0.5);
  } else if (algorithm == "first_wins") {
    out = {true, answers.front().text, 1.0, 1, false};
  } else if (algorithm == "human_review") {
    out = {false, answers.front().text, 0.0, 0, true};
  } else {
    return Error(ErrorCode::kInvalidArgument,
                 "consensus algorithm " + algorithm +
                     " is not one of majority, weighted, unanimous, first_wins, human_review");
  }
  out.requires_review = out.requires_review || !out.reached;
  return out;
}

}  // namespace aof::runtime::fleet
