#include "common/runtime/flow/template.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <span>
#include <vector>

#include "common/base/log.h"

namespace aof::runtime::flow {
namespace {

using Json = nlohmann::json;
using Segments = std::vector<std::string_view>;

Segments split_path(std::string_view name) {
  Segments segments;
  std::size_t start = 0;
  for (std::size_t dot = name.find('.'); dot != std::string_view::npos;
       start = dot + 1, dot = name.find('.', start)) {
    segments.push_back(name.substr(start, dot - start));
  }
  segments.push_back(name.substr(start));
  return segments;
}

std::string join(std::span<const std::string_view> segments) {
  std::string joined;
  for (const auto segment : segments) {
    if (!joined.empty()) joined += '.';
    joined += segment;
  }
  return joined;
}

// An array index: digits only, short enough not to overflow.
std::optional<std::size_t> parse_index(std::string_view segment) {
  if (segment.empty() || segment.size() > 9) return std::nullopt;
  std::size_t index = 0;
  for (const char c : segment) {
    if (c < '0' || c > '9') return std::nullopt;
    index = index * 10 + static_cast<std::size_t>(c - '0');
  }
  return index;
}

const Json* walk(const Json* value, std::span<const std::string_view> path) {
  for (const auto segment : path) {
    if (value->is_object()) {
      const auto it = value->find(segment);
      if (it == value->end()) return nullptr;
      value = &*it;
    } else if (const auto index = parse_index(segment); value->is_array() && index) {
      if (*index >= value->size()) return nullptr;
      value = &(*value)[*index];
    } else {
      return nullptr;
    }
  }
  return value;
}

// Walks `path` under the variable `head` (value `root`), with the two-place search that
// `event.` and `<id>.output.` get (see template.h).
const Json* walk_under(std::string_view head, const Json& root,
                       std::span<const std::string_view> path) {
  const bool is_event = head == "event";
  const bool is_output = head.ends_with(".output");
  if (is_event && root.is_object() && root.contains("event")) {
    if (const auto* found = walk(&root["event"], path)) return found;
  }
  if (const auto* found = walk(&root, path)) return found;
  if (is_output && root.is_object() && root.contains("output")) {
    return walk(&root["output"], path);
  }
  return nullptr;
}

bool is_env_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (const char c : name) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::string to_text(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  // Invalid UTF-8 in trigger data must not throw out of a flow run.
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The text `${name}` becomes, or nullopt when it stays literal.
std::optional<std::string> substitute(std::string_view name, const FlowState& state) {
  if (auto value = resolve_variable(name, state)) return to_text(*value);
  if (is_env_name(name)) {
    // getenv is safe here: this process never calls setenv (children get env via spawn).
    if (const char* env = std::getenv(std::string(name).c_str())) return std::string(env);
  }
  log::get(log::Component::kRuntime)
      ->debug("template ${{{}}} did not resolve; left as written", name);
  return std::nullopt;
}

Error too_large(std::size_t max_bytes) {
  return Error(ErrorCode::kInvalidArgument,
               "expanded template exceeds " + std::to_string(max_bytes) + " bytes");
}

}  // namespace

std::optional<Json> resolve_variable(std::string_view name, const FlowState& state) {
  if (const auto* exact = state.lookup(name)) return *exact;
  const Segments segments = split_path(name);
  for (std::size_t head_size = segments.size() - 1; head_size >= 1; --head_size) {
    const std::string head = join(std::span(segments).first(head_size));
    const auto* root = state.lookup(head);
    if (root == nullptr) continue;
    if (const auto* found = walk_under(head, *root, std::span(segments).subspan(head_size))) {
      return *found;
    }
  }
  return std::nullopt;
}

Result<std::string> expand_template(std::string_view text, const FlowState& state,
                                    std::size_t max_bytes) {
  std::string out;
  std::size_t pos = 0;
  const auto append = [&](std::string_view piece) {
    if (out.size() + piece.size() > max_bytes) return false;
    out.append(piece);
    return true;
  };
  while (pos < text.size()) {
    const std::size_t open = text.find("${", pos);
    const std::size_t close = open == std::string_view::npos ? open : text.find('}', open + 2);
    if (close == std::string_view::npos) break;
    // `${a ${b}`: the first `${` never closes before the second opens; it is plain text.
    const std::size_t reopen = text.find("${", open + 2);
    if (reopen < close) {
      if (!append(text.substr(pos, reopen - pos))) return too_large(max_bytes);
      pos = reopen;
      continue;
    }
    const auto name = text.substr(open + 2, close - open - 2);
    const auto value = substitute(name, state);
    if (!append(text.substr(pos, open - pos)) ||
        !append(value ? std::string_view(*value) : text.substr(open, close + 1 - open))) {
      return too_large(max_bytes);
    }
    pos = close + 1;
  }
  if (!append(text.substr(std::min(pos, text.size())))) return too_large(max_bytes);
  return out;
}

Result<Json> expand_json(const Json& value, const FlowState& state, std::size_t max_bytes) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    // Exactly one `${name}` (nothing around it): the value itself, with its type.
    if (text.starts_with("${") && text.ends_with('}') && text.find("${", 2) == std::string::npos &&
        text.find('}') == text.size() - 1) {
      if (auto resolved = resolve_variable(std::string_view(text).substr(2, text.size() - 3),
                                           state)) {
        return std::move(*resolved);
      }
    }
    auto expanded = expand_template(text, state, max_bytes);
    if (!expanded.ok()) return expanded.error();
    return Json(std::move(*expanded));
  }
  if (!value.is_structured()) return value;
  Json out = value.is_object() ? Json::object() : Json::array();
  for (auto it = value.begin(); it != value.end(); ++it) {
    auto item = expand_json(*it, state, max_bytes);
    if (!item.ok()) return item.error().with_context(value.is_object() ? it.key() : "item");
    if (value.is_object()) {
      out[it.key()] = std::move(*item);
    } else {
      out.push_back(std::move(*item));
    }
  }
  return out;
}

}  // namespace aof::runtime::flow
