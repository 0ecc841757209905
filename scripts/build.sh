#!/usr/bin/env bash
# Configures and builds into build/ (or $AOF_BUILD_DIR) with ccache; extra args go to CMake.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${AOF_BUILD_DIR:-build}
jobs=${AOF_JOBS:-$(nproc)}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
# Relative paths in the cache key, so clones in other folders (CI) hit the same entries.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-true}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=${AOF_BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
cmake --build "$build_dir" -j "$jobs"
