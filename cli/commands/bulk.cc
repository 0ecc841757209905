#include "cli/commands/bulk.h"

#include <iostream>

#include "sidecar/exit_codes.h"

namespace aof::cli {

int BulkOutcome::exit_code() const {
  if (!first_error) return kExitOk;
  return done == 0 ? exit_code_for(*first_error) : kExitPartial;
}

BulkOutcome run_bulk(const std::vector<std::string>& ids,
                     const std::function<Result<std::string>(const std::string&)>& step) {
  BulkOutcome outcome;
  outcome.total = ids.size();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string prefix =
        ids.size() > 1 ? "[" + std::to_string(i + 1) + "/" + std::to_string(ids.size()) + "] " : "";
    auto line = step(ids[i]);
    if (line) {
      ++outcome.done;
      std::cerr << prefix << *line << "\n";
    } else {
      if (!outcome.first_error) outcome.first_error = line.error();
      std::cerr << prefix << ids[i] << ": " << line.error().message() << "\n";
    }
  }
  return outcome;
}

}  // namespace aof::cli
