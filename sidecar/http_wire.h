#pragma once
// The bytes of an HTTP/1.1 answer, for the event-loop server (httplib writes its own).

#include <string>
#include <utility>
#include <vector>

#include "common/ingest/request.h"

namespace aof::sidecar::http_wire {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Status line, Content-Type, the response's own headers and `extra`, Content-Length,
// Connection (keep-alive or close), a blank line and the body. A header whose name or value
// holds CR or LF is left out: it could only split the answer.
std::string serialize(const ingest::IngressResponse& response, bool keep_alive,
                      const Headers& extra = {});

// "OK", "Accepted", ... ("Unknown" for a status without a standard phrase).
const char* reason_phrase(int status);

}  // namespace aof::sidecar::http_wire
