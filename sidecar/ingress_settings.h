#pragma once
// The ingress settings of a loaded daemon (DESIGN §3, §6): every platform's and trigger's
// secrets resolved from env, files or literals; a platform configured without a usable
// secret turned off with a warning; a platform only triggers enable, with no secret and not
// insecure, refused. Used at start-up and on every reload, and by `aof trigger test`.

#include "common/base/result.h"
#include "common/config/loader.h"
#include "common/ingest/settings.h"
#include "sidecar/startup.h"

namespace aof::sidecar {

// Errors (kInvalidArgument, exit 2): a secret's env var unset or file unreadable (GitHub's
// and triggers'), a platform that cannot verify anything, a trigger pattern that is not a
// regex, a generic scheme that does not validate.
Result<ingest::IngressSettings> ingress_settings(const LoadedDaemon& daemon,
                                                 const config::EnvLookup& env);

// The same routing with no secret resolved and every platform insecure: what a request
// would route to if its signature verified (`aof trigger test` without --verify).
Result<ingest::IngressSettings> unverified_ingress_settings(const LoadedDaemon& daemon);

}  // namespace aof::sidecar
