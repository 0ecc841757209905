#!/usr/bin/env bash
# Configures and builds into build/ (or $AOF_BUILD_DIR) with ccache; extra args go to CMake;
# AOF_BUILD_TARGET builds one target only.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${AOF_BUILD_DIR:-build}
jobs=${AOF_JOBS:-$(nproc)}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
# Relative paths in the cache key, so clones in other folders (CI) hit the same entries.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-true}
# Every target compiles with the precompiled header (-include cmake_pch.hxx); without these
# sloppiness flags ccache refuses such calls ("could not use precompiled header") and caches
# nothing. The PCH's own content is still hashed.
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=${AOF_BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
cmake --build "$build_dir" -j "$jobs" ${AOF_BUILD_TARGET:+--target "$AOF_BUILD_TARGET"}
