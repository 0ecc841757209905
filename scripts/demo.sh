#!/usr/bin/env bash
# The main job, end to end on one machine: set up, build, start `aof serve` (standalone, the
# embedded queue, examples/config/standalone.yaml), send a signed pull_request.opened, show
# what the flow produced, then stop the server with SIGTERM (it drains).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh

export GITHUB_WEBHOOK_SECRET=${GITHUB_WEBHOOK_SECRET:-demo-secret-$RANDOM$RANDOM}
port=${AOF_DEMO_PORT:-8080}
log=$(mktemp -t aof-demo-XXXXXX.log)
./build/bin/aof serve -c examples/config/standalone.yaml --port "$port" 2>"$log" &
server=$!
trap 'kill -TERM $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT

ready=0
for _ in $(seq 1 100); do
  kill -0 $server 2>/dev/null || break
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && { ready=1; break; }
  sleep 0.1
done
if [[ $ready != 1 ]]; then
  echo "aof serve did not become ready on port $port (set AOF_DEMO_PORT for another port):" >&2
  cat "$log" >&2
  exit 1
fi

echo "== signed request (aof sign prints it):"
request=$(./build/bin/aof sign --platform github --secret-env GITHUB_WEBHOOK_SECRET \
  --event pull_request --file examples/requests/pull_request.opened.json \
  --url "http://127.0.0.1:$port")
echo "$request"
echo "== sidecar answered:"
answer=$(eval "$request")
echo "$answer"
event_id=$(sed -n 's/.*"event_id":"\([0-9A-Z]*\)".*/\1/p' <<<"$answer")

echo "== the flow's result (GET /v1/events/$event_id, loopback only):"
curl -fsS "http://127.0.0.1:$port/v1/events/$event_id?wait=20"
echo
echo "== server log: $log"
