#include "common/config/envelope.h"

#include "common/config/resource_parsers.h"

namespace aof::config {

std::string read_metadata(Walker& walker, const Field& root, UnknownKeys unknown,
                          bool name_required) {
  const Field metadata = root.at("metadata");
  std::string name;
  if (!metadata.present()) {
    if (name_required) walker.missing(root, "metadata");
    return name;
  }
  std::string ignored;
  std::map<std::string, std::string> labels;
  const bool ok =
      walk_map(walker, metadata,
               {{"name", [&](const Field& f) { walker.read_string(f, name); }},
                {"namespace", [&](const Field& f) { walker.read_string(f, ignored); }},
                {"labels", [&](const Field& f) { walker.read_string_map(f, labels); }},
                {"annotations", [&](const Field& f) { walker.read_string_map(f, labels); }}},
               unknown);
  if (ok && name_required && name.empty()) walker.missing(metadata, "name");
  return name;
}

std::string kind_of(const YAML::Node& document) {
  const Field kind = Field{document, ""}.at("kind");
  return kind.present() && kind.node.IsScalar() ? kind.node.Scalar() : "";
}

std::optional<Field> read_envelope(Walker& walker, const Field& root, std::string& name,
                                   bool api_version_required) {
  if (!walker.expect_map(root)) return std::nullopt;
  std::string api_version;
  walk_map(walker, root,
           {{"apiVersion", [&](const Field& f) { walker.read_string(f, api_version); }},
            {"kind", nullptr},
            {"metadata", nullptr},
            {"spec", nullptr}},
           UnknownKeys::kWarning);
  if (api_version_required && !root.at("apiVersion").present()) {
    walker.missing(root, "apiVersion");
  }
  name = read_metadata(walker, root, UnknownKeys::kWarning, true);
  const Field spec = root.at("spec");
  if (!spec.present()) {
    walker.missing(root, "spec");
    return std::nullopt;
  }
  if (!walker.expect_map(spec)) return std::nullopt;
  return spec;
}

void add_reference(DocumentContext& context, Reference::Kind kind, const std::string& name,
                   const Field& field) {
  Reference reference;
  reference.kind = kind;
  reference.name = name;
  reference.where =
      Diagnostic{Severity::kError, context.walker.file(), field.line(), field.path, ""};
  context.references.push_back(std::move(reference));
}

}  // namespace aof::config
