#!/usr/bin/env bash
# Sets up, builds and runs every test: the normal build (unit, e2e, validate over examples/),
# then one ASan+UBSan build of the same tests, then each libFuzzer target for FUZZ_SECONDS
# (10). The README's test command and CI's. AOF_SKIP_SANITIZERS=1 / AOF_SKIP_FUZZ=1 skip parts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "== build (RelWithDebInfo)"
bash scripts/build.sh
echo "== aof validate examples/"
./build/bin/aof validate --quiet examples/config examples/triggers examples/flows examples/agents
./build/bin/aof validate --quiet -r examples/oncall
echo "== tests"
ctest --test-dir build --output-on-failure -j 2

if [[ "${AOF_SKIP_SANITIZERS:-0}" != 1 ]]; then
  echo "== build (ASan+UBSan)"
  AOF_BUILD_DIR=build-asan bash scripts/build.sh -DAOF_SANITIZE=ON
  echo "== tests under ASan+UBSan"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j 2
fi
if [[ "${AOF_SKIP_FUZZ:-0}" != 1 ]]; then
  echo "== fuzz targets (clang, ASan+UBSan)"
  bash scripts/fuzz.sh
fi
echo "all tests passed"
