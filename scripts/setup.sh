#!/usr/bin/env bash
# Installs every Debian package aof-scale needs to build, test and benchmark.
# Idempotent: packages already present are left alone; safe to run on every CI run.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git curl ca-certificates
  libcpp-httplib-dev libhiredis-dev libnats-dev nlohmann-json3-dev libyaml-cpp-dev
  libssl-dev libcli11-dev libspdlog-dev libfmt-dev doctest-dev libjemalloc-dev
  redis-server nats-server wrk openssl
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Debian redis-server package starts a system service on :6379; tests start their own
# servers on free ports and never rely on it.
echo "setup: all packages present"
