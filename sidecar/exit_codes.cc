#include "sidecar/exit_codes.h"

namespace aof {

int exit_code_for(const Error& error) {
  switch (error.code()) {
    case ErrorCode::kInvalidArgument:
      return kExitUsage;
    case ErrorCode::kUnavailable:
      return kExitBrokerUnreachable;
    case ErrorCode::kNotFound:
      return kExitNotFound;
    case ErrorCode::kTimeout:
      return kExitTimedOut;
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kResourceExhausted:
    case ErrorCode::kInternal:
      return kExitFailed;
  }
  return kExitFailed;
}

}  // namespace aof
