#pragma once
// The file tools (reference §4.4), confined to the run directory (run_dir.h): every path is
// relative to it, and every path they report is too, so a reported path can be passed back
// as it is. Sizes are bounded so one call cannot flood the model's context:
//
//   read_file       path, encoding (utf-8 | base64), max_bytes (default 1 MiB, at most
//                   16 MiB). A longer file is cut (truncated: true, size says how long it
//                   is); invalid UTF-8 becomes U+FFFD (invalid_utf8_replaced: true; use
//                   base64 for binary files). Only regular files.
//   write_file      path, content, append (false), create_dirs (true). changed_something,
//                   but no outside effect: the run directory ends with the run.
//   list_directory  path, recursive (false), include_hidden (false), max_depth (3);
//                   at most 1000 entries {path, type, size}, sorted by path.
//   search_files    pattern (glob.h), path (.), max_results (100, at most 10000); visits at
//                   most 100000 entries. Directories are reported with a trailing '/'.
//
// Symbolic links are reported, never followed while listing or searching.
// None has an outside effect (Tool::has_outside_effect): none is journaled for effect-once.

#include <memory>

#include "common/runtime/tools/tool.h"

namespace aof::runtime::tools {

std::shared_ptr<const Tool> make_read_file_tool();
std::shared_ptr<const Tool> make_write_file_tool();
std::shared_ptr<const Tool> make_list_directory_tool();
std::shared_ptr<const Tool> make_search_files_tool();

}  // namespace aof::runtime::tools
