// Differential: the single-pass GitHub payload scan (json_paths.h) must accept and refuse
// exactly what a full nlohmann parse does, and normalise to the same message (bench/README
// "What changed in the hot path" relies on it). Any difference aborts.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/ingest/bounded_json.h"
#include "common/ingest/github.h"
#include "common/ingest/github_payload.h"

namespace {

constexpr std::string_view kEvents[] = {"pull_request", "issues",       "issue_comment", "push",
                                        "workflow_run", "check_run",    "release",       "ping"};

bool same(const aof::Result<aof::ingest::GithubMessage>& a,
          const aof::Result<aof::ingest::GithubMessage>& b) {
  if (a.ok() != b.ok()) return false;
  if (!a.ok()) return a.error().message() == b.error().message();
  return a->text == b->text && a->tenant == b->tenant && a->channel_id == b->channel_id &&
         a->thread_id == b->thread_id && a->metadata == b->metadata && a->user == b->user;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view event = kEvents[data[0] % std::size(kEvents)];
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto scanned = aof::ingest::GithubPayload::parse(body);
  const auto tree = aof::ingest::parse_json_object(body);
  if (scanned.ok() != tree.ok()) std::abort();
  if (!scanned.ok()) {
    if (scanned.error().message() != tree.error().message()) std::abort();
    return 0;
  }
  if (!same(aof::ingest::normalize_github(event, *scanned),
            aof::ingest::normalize_github(event, *tree))) {
    std::abort();
  }
  return 0;
}
