#pragma once
// The headers a provider sends with a signed webhook, computed for `aof sign` so operators
// can exercise a deployed sidecar without the provider. One scheme per platform, the same
// the sidecar verifies (common/ingest/verify/): HMACs over the body (and Slack's timestamp),
// or the shared token itself in its header.

#include <string>
#include <utility>
#include <vector>

#include "common/base/result.h"

namespace aof::cli {

struct SignRequest {
  std::string platform;  // github, slack, gitlab, bitbucket, jira, pagerduty, whatsapp,
                         // telegram, opsgenie, generic
  std::string secret;
  std::string event;     // github X-GitHub-Event, gitlab X-Gitlab-Event, bitbucket X-Event-Key
  std::string delivery;  // the delivery id header, where the platform has one
  std::string body;
  long long now_secs = 0;  // Slack's signed timestamp
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// kInvalidArgument: an unknown platform, Discord (signed with the application's private
// key, which the sidecar never has), or a platform whose event header is required and
// `event` is empty.
Result<Headers> signed_headers(const SignRequest& request);

}  // namespace aof::cli
