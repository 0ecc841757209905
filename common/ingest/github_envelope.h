#pragma once
// The envelope for a routed GitHub delivery (DESIGN §4): ids, dedup key, AOF's normalised
// message, the headers needed to re-verify or replay, the raw body, and trace context.

#include <string>
#include <string_view>

#include "common/base/clock.h"
#include "common/event/envelope.h"
#include "common/ingest/github.h"
#include "common/ingest/request.h"
#include "common/ingest/routing.h"

namespace aof::ingest {

// Builds the envelope; its dedup key is "github:<X-GitHub-Delivery>", or
// "github:sha256:<hex SHA-256 of the body>" without one. `request.headers` keys are lower-case; of them only x-github-event,
// x-github-delivery, x-hub-signature-256, content-type, user-agent and x-github-hook-id are
// kept, and only when their value is printable ASCII.
// `message` is taken by value so its user and metadata move into the envelope uncopied.
event::Envelope github_envelope(const IngressRequest& request, GithubMessage message,
                                const Route& route, TimePoint now);

}  // namespace aof::ingest
