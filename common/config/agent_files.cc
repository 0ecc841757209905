// AOF's agent file lookup for flow Agent nodes (reference §6.3), done at load time.
#include "common/config/document_loader.h"

namespace aof::config {
namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxAgentFileBytes = 1 << 20;
constexpr std::size_t kMaxNameBytes = 200;

// A name that can only ever mean a file directly inside the directory.
bool is_plain_name(const std::string& name) {
  return !name.empty() && name.size() <= kMaxNameBytes && name.front() != '.' &&
         name.find_first_of(std::string("/\\\0", 3)) == std::string::npos &&
         name.find("..") == std::string::npos;
}

Diagnostic at(const Diagnostic& where, std::string message) {
  Diagnostic d = where;
  d.message = std::move(message);
  return d;
}

std::optional<Agent> read_agent_file(const fs::path& file, const std::string& name,
                                     const Diagnostic& where, Diagnostics& diagnostics) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec || size > kMaxAgentFileBytes) {
    diagnostics.push_back(
        at(where, "agent file " + file.string() + " is unreadable or over 1 MiB"));
    return std::nullopt;
  }
  const std::size_t errors = count_errors(diagnostics);
  Walker walker(file.string(), diagnostics);
  const auto text = read_text_file(walker);
  const auto documents = text ? load_documents(walker, *text) : std::nullopt;
  if (!documents) return std::nullopt;
  if (documents->size() != 1) {
    diagnostics.push_back(at(where, "agent file " + file.string() + " must hold one document"));
    return std::nullopt;
  }
  auto agent = read_agent(walker, Field{documents->front(), ""});
  if (!agent || count_errors(diagnostics) != errors) return std::nullopt;
  if (agent->name != name) {
    diagnostics.push_back(at(
        where, "agent file " + file.string() + " defines agent " + agent->name + ", not " + name));
    return std::nullopt;
  }
  return agent;
}

}  // namespace

std::optional<Agent> find_agent_file(const fs::path& directory, const std::string& name,
                                     const Diagnostic& where, Diagnostics& diagnostics) {
  if (directory.empty() || !is_plain_name(name)) return std::nullopt;
  for (const char* suffix : {".yaml", ".yml", "-agent.yaml", "-agent.yml"}) {
    const fs::path file = directory / (name + suffix);
    std::error_code ec;
    if (fs::is_regular_file(file, ec)) return read_agent_file(file, name, where, diagnostics);
  }
  return std::nullopt;
}

}  // namespace aof::config
