#pragma once
// Private to common/config: the K8s-style envelope every kind shares (apiVersion, kind,
// metadata, spec).

#include <string>

#include "common/config/yaml_walk.h"

namespace aof::config {

// metadata {name, namespace, labels, annotations}. Reports a missing name as
// "metadata.name: required" when `name_required`. Returns the name ("" when absent).
std::string read_metadata(Walker& walker, const Field& root, UnknownKeys unknown,
                          bool name_required);

// The document's `kind` ("" when absent or not a string).
std::string kind_of(const YAML::Node& document);

}  // namespace aof::config
