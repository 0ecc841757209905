#pragma once
// Read-only admin routes over the queue, served to loopback peers only (the HTTP layer checks
// the peer): GET /v1/events/{id}[?wait=SECONDS] and GET /v1/dlq[?limit=N]. On the embedded
// memory queue this is the only window into events; on a broker `aof events show` and
// `aof dlq list` read the broker directly.

#include <memory>

#include "common/ingest/request.h"
#include "common/queue/queue.h"

namespace aof::sidecar {

// Answers one admin request. `wait` (at most 60 s) polls until the event is done or dead.
ingest::IngressResponse handle_admin(queue::Queue& queue, const ingest::IngressRequest& request);

// The JSON an operator sees of one event: id, state, attempts, history, result.
nlohmann::json event_record_json(const queue::EventRecord& record);

}  // namespace aof::sidecar
