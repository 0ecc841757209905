#pragma once
// How `aof events show` and `aof dlq show` print one event: for people a header block, the
// attempt history, the replays and the result; with --json sidecar::event_record_json (the
// admin route's shape) plus "replays", and with `with_envelope` the whole stored envelope.

#include <iosfwd>

#include "common/queue/queue.h"

namespace aof::cli {

void print_event(std::ostream& out, const queue::EventRecord& record, bool json,
                 bool with_envelope);

}  // namespace aof::cli
