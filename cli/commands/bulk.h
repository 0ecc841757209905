#pragma once
// One operation over several event ids (dlq replay, dlq purge): a progress line per id on
// stderr ("[2/7] replayed ID as generation 1", or "[3/7] ID: <why not>"; no counter for a
// single id) and the exit code of DESIGN §8: 0 all done, 5 some done, else the first error's.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/base/result.h"

namespace aof::cli {

struct BulkOutcome {
  std::size_t done = 0;
  std::size_t total = 0;
  std::optional<Error> first_error;

  int exit_code() const;
};

// Runs `step` on each id in order; a step returns the line to print on success.
BulkOutcome run_bulk(const std::vector<std::string>& ids,
                     const std::function<Result<std::string>(const std::string&)>& step);

}  // namespace aof::cli
