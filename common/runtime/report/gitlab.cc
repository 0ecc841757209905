// GitLab: a note on the merge request or issue (metadata project_id with mr_iid or
// issue_iid; reference §3.7), PRIVATE-TOKEN auth.
#include "common/runtime/report/platform_requests.h"

namespace aof::runtime::report {

Built gitlab_request(const event::Envelope& envelope, const ReportText& text,
                     const PlatformAccess& access, Skip* skip) {
  const std::string project = metadata_text(envelope, "project_id");
  const std::string mr = metadata_text(envelope, "mr_iid");
  const std::string issue = metadata_text(envelope, "issue_iid");
  if (project.empty() || (mr.empty() && issue.empty())) {
    *skip = {"no project_id with mr_iid or issue_iid", false};
    return std::nullopt;
  }
  if (access.token.empty()) {
    *skip = {"no token (platforms.gitlab.token)", true};
    return std::nullopt;
  }
  const std::string target = mr.empty() ? "/issues/" + issue : "/merge_requests/" + mr;
  return json_post(base_url(access.api_url, "https://gitlab.com/api/v4") + "/projects/" + project +
                       target + "/notes",
                   {{"body", decorated(text, 1000000)}}, {{"PRIVATE-TOKEN", access.token}});
}

}  // namespace aof::runtime::report
