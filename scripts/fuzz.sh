#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang (ASan+UBSan, coverage everywhere) into
# build-fuzz/ and runs each for FUZZ_SECONDS (default 10) from its seed corpus. A crash, a
# sanitizer report or a failed property stops it with exit 1 and leaves the reproducer in
# build-fuzz/fuzz/. Args: target names to run (default: all).
#   FUZZ_SECONDS=300 bash scripts/fuzz.sh ingress_fuzz    # a longer run of one target
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-10}
build_dir=build-fuzz

# Only the fuzz targets and the library they need: no tests, no binaries.
AOF_BUILD_DIR=$build_dir AOF_BUILD_TARGET=aof_fuzz_all bash scripts/build.sh \
  -DCMAKE_CXX_COMPILER=clang++ -DAOF_FUZZ=ON -DAOF_BUILD_TESTS=OFF >/dev/null 2>&1 || {
  echo "fuzz: build failed; rerun to see why:" >&2
  echo "  AOF_BUILD_DIR=$build_dir bash scripts/build.sh -DCMAKE_CXX_COMPILER=clang++ -DAOF_FUZZ=ON -DAOF_BUILD_TESTS=OFF" >&2
  exit 1
}
targets=("$@")
if ((${#targets[@]} == 0)); then
  for binary in "$build_dir"/fuzz/*_fuzz; do
    [[ -f $binary && -x $binary ]] && targets+=("$(basename "$binary")")
  done
fi
for target in "${targets[@]}"; do
  mkdir -p "$build_dir/corpus/$target"
  seeds=fuzz/seeds/${target%_fuzz}
  echo "== fuzz $target for ${seconds}s"
  (cd "$build_dir/fuzz" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "./$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 -print_final_stats=1 \
    "../corpus/$target" "../../$seeds" 2>"$target.log") || {
    tail -40 "$build_dir/fuzz/$target.log" >&2
    echo "fuzz: $target failed; the reproducer (crash-*) is in $build_dir/fuzz/" >&2
    exit 1
  }
  grep -E "stat::number_of_executed_runs|cov:" "$build_dir/fuzz/$target.log" | tail -2
done
echo "fuzz: all targets ran clean"
