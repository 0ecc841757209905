#!/usr/bin/env bash
# The end-to-end benchmark (bench/README.md, issue 5): events per second from signed webhook
# to finished run, every event running bench/e2e/flows/wait.yaml (one 200 ms Wait: an LLM
# call's latency, holding a slot but not the CPU). In one run, on the same machine:
#   (a) `aof serve` standalone, memory queue, concurrency 10;
#   (b) aof-sidecar + N `aof-work run --concurrency 10` processes, per broker and N;
#   (c) `aof serve` standalone with concurrency 160 (the same slots as 16 × 10, no queue);
#   (d) per broker, the queue's own latency at a steady 200 events/s with 8 workers: from the
#       sidecar's "accepted" log line to the worker's "started" line (ms timestamps).
# Each throughput run sends WAVES × slots events as fast as the sidecar answers and measures
# first send → last finished (bench/e2e/drive.py).
#
# Env: AOF_BIN_DIR (build/bin), BROKERS ("redis nats"), WORKERS ("1 2 4 8 16"), WAVES (30),
#      KEEP_WORK=1 keeps the temp dir with every log.
set -euo pipefail
cd "$(dirname "$0")/../.."

bin_dir=${AOF_BIN_DIR:-build/bin}
brokers=${BROKERS:-"redis nats"}
worker_counts=${WORKERS:-"1 2 4 8 16"}
waves=${WAVES:-30}
secret=bench-secret
body=examples/requests/pull_request.opened.json
work=$(mktemp -d /tmp/aof-bench-e2e.XXXXXX)
source bench/lib.sh

stop() {  # pid...: SIGTERM (drain), then wait
  local pid
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
}

# config NAME TYPE URL PORT CONCURRENCY MODE [WORKER_PORT]: a DaemonConfig in $work
# (directories are relative to the repository root, the processes' working directory).
config() {
  cat >"$work/$1.yaml" <<EOF
apiVersion: aof.dev/v1
kind: DaemonConfig
metadata: {name: bench-e2e}
spec:
  mode: $6
  server: {host: 127.0.0.1, port: $4}
  platforms:
    github: {webhook_secret_env: GITHUB_WEBHOOK_SECRET}
  triggers: {directory: bench/e2e/triggers}
  flows: {directory: bench/e2e/flows}
  queue:
    type: $2
    url: $3
    stream: bench-e2e
    lease_ms: 30000
  gateway:
    spool: {path: $work/spool-$1}
  worker: {concurrency: $5, prefetch: $5, port: ${7:-0}}
  runtime: {task_timeout_secs: 60}
EOF
  echo "$work/$1.yaml"
}

# drive LABEL SLOTS PORT EVENTS RATE METRICS-PORT...: one measured run, recorded in $results.
results=$work/results
drive() {
  local label=$1 slots=$2 port=$3 events=$4 rate=$5 out
  shift 5
  local urls=()
  for p in "$@"; do urls+=(--metrics "http://127.0.0.1:$p/metrics"); done
  if ! out=$(python3 bench/e2e/drive.py --port "$port" --events "$events" --rate "$rate" \
    --secret "$secret" --body "$body" "${urls[@]}"); then
    echo "run.sh: $label failed (logs in $work)" >&2
    KEEP_WORK=1
    exit 1
  fi
  echo "$label $slots $out" >>"$results"
  echo "  $label: $out"
}

export GITHUB_WEBHOOK_SECRET=$secret
echo "load before: $(uptime)"

standalone() {  # label concurrency
  local port cfg pid
  port=$(free_port)
  cfg=$(config "$1" memory "" "$port" "$2" standalone)
  sed -i '/^    url: $/d' "$cfg"
  "$bin_dir/aof" serve -c "$cfg" 2>"$work/$1.log" &
  pid=$!
  pids+=("$pid")
  wait_for_port "$port" "aof serve ($1)"
  drive "$1" "$2" "$port" $((waves * $2)) 0 "$port"
  stop "$pid"
}

standalone standalone-c10 10

for broker in $brokers; do
  broker_port=$(free_port)
  case $broker in
    redis)
      redis-server --port "$broker_port" --bind 127.0.0.1 --dir "$work" --appendonly yes \
        --appendfsync everysec --save '' --logfile "$work/redis.log" &
      url=redis://127.0.0.1:$broker_port ;;
    nats)
      mkdir -p "$work/nats"
      nats-server -a 127.0.0.1 -p "$broker_port" -js -sd "$work/nats" 2>"$work/nats.log" &
      url=nats://127.0.0.1:$broker_port ;;
    *) echo "run.sh: unknown broker $broker" >&2; exit 2 ;;
  esac
  broker_pid=$!
  pids+=("$broker_pid")
  wait_for_port "$broker_port" "$broker"

  sidecar_port=$(free_port)
  "$bin_dir/aof-sidecar" -c "$(config "$broker-sidecar" "$broker" "$url" "$sidecar_port" 10 gateway)" \
    2>>"$work/$broker-sidecar.log" &
  sidecar_pid=$!
  pids+=("$sidecar_pid")
  wait_for_port "$sidecar_port" "aof-sidecar on $broker"

  start_workers() {  # count → worker_pids, worker_ports
    worker_pids=() worker_ports=()
    local i port
    for i in $(seq "$1"); do
      port=$(free_port)
      "$bin_dir/aof-work" run -c "$(config "$broker-w$i" "$broker" "$url" 8080 10 worker "$port")" \
        --consumer "w$i" --concurrency 10 2>>"$work/$broker-w$i.log" &
      worker_pids+=($!)
      pids+=($!)
      worker_ports+=("$port")
    done
    for port in "${worker_ports[@]}"; do wait_for_port "$port" "aof-work on $broker"; done
  }

  for n in $worker_counts; do
    start_workers "$n"
    drive "$broker-n$n" $((n * 10)) "$sidecar_port" $((waves * n * 10)) 0 "${worker_ports[@]}"
    stop "${worker_pids[@]}"
  done

  # The queue's own latency at a steady 200 events/s, well below 8 × 10 slots' 400/s.
  : >"$work/$broker-sidecar.log"
  for i in $(seq 8); do : >"$work/$broker-w$i.log"; done
  start_workers 8
  drive "$broker-steady200" 80 "$sidecar_port" 2000 200 "${worker_ports[@]}"
  stop "${worker_pids[@]}"
  python3 - "$work/$broker-sidecar.log" "$work"/"$broker"-w?.log >"$work/$broker-overhead" <<'PY'
import datetime, re, statistics, sys
def stamps(files, pattern):
    out = {}
    for name in files:
        for line in open(name, errors="replace"):
            m = re.match(r"(\S+)Z .*" + pattern, line)
            if m:
                t = datetime.datetime.fromisoformat(m.group(1))
                out[m.group(2)] = t.timestamp() * 1000
    return out
accepted = stamps(sys.argv[1:2], r"accepted event_id=(\S+)")
started = stamps(sys.argv[2:], r"event_id=(\S+) .*started")
waits = sorted(started[e] - accepted[e] for e in accepted if e in started)
q = lambda p: waits[min(len(waits) - 1, int(p * len(waits)))]
print("%d %.0f %.0f %.0f" % (len(waits), statistics.median(waits), q(0.99), waits[-1]))
PY
  echo "  $broker queue latency (events, p50 ms, p99 ms, max ms): $(cat "$work/$broker-overhead")"
  stop "$sidecar_pid" "$broker_pid"
done

standalone standalone-c160 160
echo "load after:  $(uptime)"

python3 - "$results" <<'PY'
import json, sys
rows = [(l.split(" ", 2)[0], int(l.split(" ", 2)[1]), json.loads(l.split(" ", 2)[2]))
        for l in open(sys.argv[1])]
base = next(r[2]["events_per_sec"] for r in rows if r[0] == "standalone-c10")
print("\n%-18s %6s %10s %10s %12s %8s" % ("run", "slots", "events/s", "vs (a)", "efficiency", "non-202"))
for label, slots, r in rows:
    if "steady" in label:
        continue
    eps = r["events_per_sec"]
    # Efficiency: events/s per slot against (a)'s events/s per slot (10 slots).
    eff = eps / slots / (base / 10)
    print("%-18s %6d %10.1f %9.2fx %11.0f%% %8d" % (label, slots, eps, eps / base, 100 * eff,
                                                   r["non_202"]))
print("\nideal: slots / 0.2 s = %d events/s per 10 slots" % 50)
PY
