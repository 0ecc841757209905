#pragma once
// Exit codes, one table for all three binaries (DESIGN §8); it lives in the sidecar library
// because that is the lowest layer all three link (aof-sidecar links no cli or runtime code):
//   0 ok · 1 failed at run time · 2 usage or invalid config · 3 broker unreachable ·
//   4 not found · 5 partly done · 124 timed out.

#include "common/base/result.h"

namespace aof {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailed = 1,
  kExitUsage = 2,
  kExitBrokerUnreachable = 3,
  kExitNotFound = 4,
  kExitPartial = 5,
  kExitTimedOut = 124,
};

// The exit code for an error that ends a command.
int exit_code_for(const Error& error);

}  // namespace aof
