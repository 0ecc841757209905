#pragma once
// Agreement among a fleet's answers (reference §5 "Consensus", made deterministic): answers
// are grouped by AOF's fingerprint (trimmed, lower-cased; over 100 characters the first 100
// + "..." + the length), groups weighed, ties broken by the earliest answer in file order.
//   majority     reached when the winning group has >= min_votes (default n/2 + 1) answers;
//                confidence = votes / n
//   weighted     group weight = sum of the answering agents' weights (consensus.weights,
//                else the member's own `weight`, else 1); confidence = winning / total;
//                reached when >= min_confidence (default 0.5)
//   unanimous    reached when every answer has one fingerprint
//   first_wins   the first answer in file order, confidence 1
//   human_review never reached: a person decides (the first answer is the suggestion)
// Pure; thread-safe.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "common/base/result.h"

namespace aof::runtime::fleet {

struct Answer {
  std::string agent;   // member name
  std::string text;    // its final answer
  double weight = 1.0;
};

struct ConsensusConfig {
  std::string algorithm = "majority";
  std::optional<int> min_votes;
  std::optional<double> min_confidence;
};

struct Consensus {
  bool reached = false;
  std::string response;  // the winning group's first answer (or the suggestion)
  double confidence = 0;
  int votes = 0;         // answers in the winning group
  bool requires_review = false;
};

// kInvalidArgument for an unknown algorithm. `answers` in file order, at least one.
Result<Consensus> decide(const std::vector<Answer>& answers, const ConsensusConfig& config);

// AOF's grouping key.
std::string fingerprint(const std::string& text);

}  // namespace aof::runtime::fleet
