#pragma once
// What both HTTP engines (http_engine.h) answer without a handler, so they cannot drift:
// the bodies of /health (AOF's shape), /healthz, /readyz and /, and who may use /v1/ admin
// routes.

#include <string>

#include "common/base/clock.h"

namespace aof::sidecar::fixed_routes {

inline std::string health_body() {
  return R"({"status":"healthy","timestamp":")" + to_rfc3339(SystemClock::instance().now()) +
         "\"}";
}
inline const char* healthz_body() { return R"({"status":"ok"})"; }
inline const char* readyz_body(bool ready) {
  return ready ? R"({"status":"ready"})" : R"({"status":"not ready"})";
}
inline std::string root_body() {
  return std::string(R"({"service":"aof-scale","version":")") + AOF_VERSION +
         R"(","status":"running"})";
}

// Admin routes answer loopback peers only.
inline bool is_loopback(const std::string& addr) {
  return addr.rfind("127.", 0) == 0 || addr == "::1" || addr.rfind("::ffff:127.", 0) == 0;
}

}  // namespace aof::sidecar::fixed_routes
