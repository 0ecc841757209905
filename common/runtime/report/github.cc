// GitHub: an issue/PR comment (reference §3.1). Only a channel "owner/repo#N" names a
// conversation; push and workflow events have none and are not answered.
#include "common/runtime/report/platform_requests.h"

namespace aof::runtime::report {

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
  return json_post(
      base_url(access.api_url, "https://api.github.com") + "/repos/" + repo + "/issues/" + number +
          "/comments",
      {{"body", decorated(text, 65536)}},
      {{"Authorization", "Bearer " + access.token},
       {"Accept", "application/vnd.github+json"},
       {"X-GitHub-Api-Version", "2022-11-28"},
       {"User-Agent",
        "aof-scale (" + (access.bot_name.empty() ? "aofbot" : access.bot_name) + ")"}});
}

}  // namespace aof::runtime::report
