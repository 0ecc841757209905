// GitHub: an issue/PR comment (reference §3.1), or a pull request review when the binding
// asked for one (`report: review`, envelope.report). Only a channel "owner/repo#N" names a
// conversation; push and workflow events have none and are not answered.
// A review is posted with event COMMENT: it carries the text, never an approval or a
// request for changes, whatever the agent concluded. A review asked for on an event that is
// not about a pull request (an issue, an issue comment) falls back to a comment.
#include <spdlog/spdlog.h>

#include "common/base/log.h"
#include "common/runtime/report/platform_requests.h"

namespace aof::runtime::report {
namespace {

// pull_request, pull_request_review, pull_request_review_comment, ...; or a comment on a
// pull request's conversation (GitHub sends those as issue_comment).
bool about_pull_request(const event::Envelope& envelope) {
  if (envelope.event.rfind("pull_request", 0) == 0) return true;
  if (envelope.event != "issue_comment" || !envelope.metadata.is_object()) return false;
  const auto pr = envelope.metadata.find("is_pr_comment");
  return pr != envelope.metadata.end() && pr->is_boolean() && pr->get<bool>();
}

bool wants_review(const event::Envelope& envelope) {
  if (envelope.report != "review") return false;
  if (about_pull_request(envelope)) return true;
  log::get(log::Component::kWorker)
      ->debug(
          "event_id={} platform=github a review was asked for, but {} is not about a pull "
          "request: posting a comment",
          envelope.id, envelope.event);
  return false;
}

}  // namespace

Built github_request(const event::Envelope& envelope, const ReportText& text,
                     const PlatformAccess& access, Skip* skip) {
  const auto hash = envelope.channel_id.find('#');
  const auto slash = envelope.channel_id.find('/');
  if (hash == std::string::npos || slash == std::string::npos || slash > hash ||
      hash + 1 == envelope.channel_id.size()) {
    *skip = {"channel \"" + envelope.channel_id + "\" names no issue or pull request", false};
    return std::nullopt;
  }
  if (access.token.empty()) {
    *skip = {"no token (platforms.github.token)", true};
    return std::nullopt;
  }
  const std::string repo = envelope.channel_id.substr(0, hash);
  const std::string number = envelope.channel_id.substr(hash + 1);
  const std::string api = base_url(access.api_url, "https://api.github.com") + "/repos/" + repo;
  const std::map<std::string, std::string> headers = {
      {"Authorization", "Bearer " + access.token},
      {"Accept", "application/vnd.github+json"},
      {"X-GitHub-Api-Version", "2022-11-28"},
      {"User-Agent", "aof-scale (" + (access.bot_name.empty() ? "aofbot" : access.bot_name) + ")"}};
  if (wants_review(envelope)) {
    return json_post(api + "/pulls/" + number + "/reviews",
                     {{"body", decorated(text, 65536)}, {"event", "COMMENT"}}, headers);
  }
  return json_post(api + "/issues/" + number + "/comments", {{"body", decorated(text, 65536)}},
                   headers);
}

}  // namespace aof::runtime::report
