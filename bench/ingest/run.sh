#!/usr/bin/env bash
# The ingest benchmark (bench/README.md): aof-sidecar on Redis Streams (appendonly, fsync
# every second) and on NATS JetStream (file store) against aof-bench-bare, the same cpp-httplib
# with the same tuning doing nothing, on the same machine in the same run. Alternates wrk runs
# between the targets, prints the median req/s and p99 per target and body size, the ratio
# target/bare and the CPU each request cost the target and its broker, and checks that every
# 202 a sidecar gave is a message in its broker.
#
# Env: AOF_BIN_DIR (default build/bin), ROUNDS (3), DURATION (10s), CONNECTIONS (64),
#      THREADS (2, wrk's), SIZES ("4096 25600", body bytes), BROKERS ("redis nats"),
#      SPOOL (1: also a target "spool", a sidecar whose Redis was killed after start-up, so
#      every event takes the spool path: fsync'd to local disk; 0 leaves it out),
#      KEEP_WORK=1 keeps the temp dir,
#      BASELINE_BIN_DIR: another build's aof-sidecar, run on Redis as a target "baseline" in
#      the same rounds (on its own stream), to measure a change before/after in one run.
# Exit: 0, or 1 when an answered event is missing from its broker or a process failed to start.
set -euo pipefail
cd "$(dirname "$0")/../.."

bin_dir=${AOF_BIN_DIR:-build/bin}
rounds=${ROUNDS:-3}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-64}
wrk_threads=${THREADS:-2}
sizes=${SIZES:-"4096 25600"}
brokers=${BROKERS:-"redis nats"}
secret=bench-secret
baseline_dir=${BASELINE_BIN_DIR:-}
spool_target=$([[ ${SPOOL:-1} == 1 ]] && echo " spool" || true)
targets="bare $brokers${baseline_dir:+ baseline}$spool_target"
declare -A streams=([redis]=aof-bench:default [baseline]=aof-bench-baseline:default
  [nats]=aof-bench)

work=$(mktemp -d /tmp/aof-bench-ingest.XXXXXX)
source bench/lib.sh

rcli() { redis-cli -p "$redis_port" "$@"; }
nats_stream() { python3 bench/ingest/nats_stream.py "$nats_port" "$@"; }

for binary in aof-sidecar aof-bench-bare; do
  [[ -x $bin_dir/$binary ]] || { echo "run.sh: no $bin_dir/$binary (set AOF_BIN_DIR)" >&2; exit 1; }
done
if [[ -n $baseline_dir && ! -x $baseline_dir/aof-sidecar ]]; then
  echo "run.sh: no $baseline_dir/aof-sidecar (BASELINE_BIN_DIR)" >&2
  exit 1
fi

# Redis: durable as the sidecar expects (appendonly, fsync every second). No RDB snapshots
# and no automatic AOF rewrite during the runs: either would fork and take CPU from the
# measurement; the stream is trimmed and the AOF rewritten between runs instead. maxmemory
# is a guard for the machine: a full Redis makes the sidecar answer 503, counted below.
redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --appendonly yes \
  --appendfsync everysec --save '' --auto-aof-rewrite-percentage 0 --maxmemory 8gb \
  --maxmemory-policy noeviction --logfile "$work/redis.log" &
pids+=($!)
redis_pid=$!
wait_for_port "$redis_port" redis-server

# NATS: JetStream on a file store, as a production server would run it.
nats_port=$(free_port)
if [[ " $brokers " == *" nats "* ]]; then
  mkdir -p "$work/nats"
  nats-server -a 127.0.0.1 -p "$nats_port" -js -sd "$work/nats" 2>"$work/nats.log" &
  pids+=($!)
  nats_pid=$!
  wait_for_port "$nats_port" nats-server
fi

declare -A ports target_pids broker_pids
start_sidecar() {  # target binary config queue-url broker-pid
  ports[$1]=$(free_port)
  # Each sidecar owns a spool of its own (it is only written while its broker is away).
  { cat "$3"; printf '  gateway:\n    spool:\n      path: %s\n      max_bytes: 25769803776\n' \
      "$work/spool-$1"; } >"$work/$1.yaml"
  GITHUB_WEBHOOK_SECRET=$secret AOF_PORT=${ports[$1]} AOF_QUEUE_URL=$4 \
    "$2" -c "$work/$1.yaml" 2>"$work/$1.log" &
  pids+=($!)
  target_pids[$1]=$!
  broker_pids[$1]=$5
  wait_for_port "${ports[$1]}" "$1"
}
for broker in $brokers; do
  case $broker in
    redis) start_sidecar redis "$bin_dir/aof-sidecar" bench/ingest/sidecar.yaml \
      "redis://127.0.0.1:$redis_port" "$redis_pid" ;;
    nats) start_sidecar nats "$bin_dir/aof-sidecar" bench/ingest/sidecar.yaml \
      "nats://127.0.0.1:$nats_port" "$nats_pid" ;;
    *) echo "run.sh: unknown broker $broker (BROKERS: redis nats)" >&2; exit 2 ;;
  esac
done
if [[ -n $baseline_dir ]]; then
  # Not $work/baseline.yaml: start_sidecar writes that one from this.
  sed 's/^    stream: aof-bench$/    stream: aof-bench-baseline/' bench/ingest/sidecar.yaml \
    >"$work/baseline-source.yaml"
  start_sidecar baseline "$baseline_dir/aof-sidecar" "$work/baseline-source.yaml" \
    "redis://127.0.0.1:$redis_port" "$redis_pid"
fi
# The spool path: a sidecar on a Redis of its own, killed once the sidecar has started (it
# refuses to start without its broker), so every webhook is answered from the local spool.
if [[ -n $spool_target ]]; then
  lost_port=$(free_port)
  redis-server --port "$lost_port" --bind 127.0.0.1 --save '' --logfile "$work/lost.log" &
  lost_pid=$!
  wait_for_port "$lost_port" "redis-server (spool target)"
  start_sidecar spool "$bin_dir/aof-sidecar" bench/ingest/sidecar.yaml \
    "redis://127.0.0.1:$lost_port" ""
  kill -9 "$lost_pid"
  wait "$lost_pid" 2>/dev/null || true
fi
ports[bare]=$(free_port)
"$bin_dir/aof-bench-bare" "${ports[bare]}" 2>"$work/bare.log" &
pids+=($!)
target_pids[bare]=$!
wait_for_port "${ports[bare]}" aof-bench-bare

python3 bench/ingest/make_bodies.py "$work" $sizes >/dev/null
echo "load before: $(uptime)"

sign() {  # body file → its X-Hub-Signature-256
  echo "sha256=$(openssl dgst -sha256 -hmac "$secret" -hex <"$1" | awk '{print $NF}')"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime
broker_ticks_since() {  # pid-or-empty ticks-before
  if [[ -z $1 ]]; then echo 0; else echo $(($(cpu_ticks "$1") - $2)); fi
}

# One wrk run; appends "size target round rps p50 p99 s202 other errors requests target_ticks
# broker_ticks" to results (the bare target has no broker: 0).
run_wrk() {  # size target round
  local body=$work/pr-$1.json out=$work/wrk-$1-$2-$3.txt
  local target_before broker_before=0 broker_pid=${broker_pids[$2]:-}
  target_before=$(cpu_ticks "${target_pids[$2]}")
  [[ -z $broker_pid ]] || broker_before=$(cpu_ticks "$broker_pid")
  BODY_FILE=$body SIGNATURE=$(sign "$body") RUN_ID="$1-$2-$3" \
    wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency -s bench/ingest/github.lua \
    "http://127.0.0.1:${ports[$2]}" >"$out"
  local line
  line=$(grep '^bench:' "$out") || { echo "run.sh: wrk printed no result ($out)" >&2; exit 1; }
  echo "$1 $2 $3 $(sed -E 's/[a-z0-9_]+=//g; s/^bench: //' <<<"$line")" \
    "$(($(cpu_ticks "${target_pids[$2]}") - target_before))" \
    "$(broker_ticks_since "$broker_pid" "$broker_before")" >>"$work/results"
}

# Empties a sidecar's stream (and its NATS index and dedup buckets, or Redis's AOF) so a long
# run fits in memory and on disk.
empty_broker() {  # target
  if [[ $1 == spool ]]; then
    # The spool only grows; check_durable counts what each run added. Its fsync'd files leave
    # dirty pages that the kernel writes back for seconds: flushed here, before the next
    # target's run, so that run does not pay for them (at 25 KB it did: Redis's CPU per event
    # doubled in the run after the spool's).
    sync
    return
  elif [[ $1 == nats ]]; then
    nats_stream purge aof-bench KV_aof-bench-index KV_aof-bench-dedup >/dev/null
  else
    rcli XTRIM "${streams[$1]}" MAXLEN 0 >/dev/null
    rcli BGREWRITEAOF >/dev/null
    while rcli INFO persistence | grep -q 'aof_rewrite_in_progress:1'; do sleep 0.2; done
  fi
}

# Every 202 must be a message in the broker: the stream's length after the run ≥ the 202s wrk
# counted. Then the broker is emptied.
spool_pending() {  # the spool target's aof_sidecar_spool_pending_events
  curl -s "http://127.0.0.1:${ports[spool]}/metrics" |
    awk '$1 == "aof_sidecar_spool_pending_events" {print $2}'
}
spooled_before=0

check_durable() {  # size target round
  local entries answered
  if [[ $2 == spool ]]; then
    local pending
    pending=$(spool_pending)
    entries=$((pending - spooled_before))
    spooled_before=$pending
  elif [[ $2 == nats ]]; then
    entries=$(nats_stream count "${streams[$2]}")
  else
    entries=$(rcli XLEN "${streams[$2]}")
  fi
  answered=$(awk -v s="$1" -v t="$2" -v r="$3" '$1 == s && $2 == t && $3 == r {print $7}' \
    "$work/results")
  echo "$1 $2 $3 $answered $entries" >>"$work/durability"
  empty_broker "$2"
}

# Warm-up (not counted): connections, pools and the Redis script cache.
for target in $targets; do
  BODY_FILE=$work/pr-4096.json SIGNATURE=$(sign "$work/pr-4096.json") RUN_ID=warm \
    wrk -t"$wrk_threads" -c"$connections" -d3s -s bench/ingest/github.lua \
    "http://127.0.0.1:${ports[$target]}" >/dev/null
  [[ $target == bare ]] || empty_broker "$target"
done
[[ -z $spool_target ]] || spooled_before=$(spool_pending)

for size in $sizes; do
  for round in $(seq "$rounds"); do
    for target in $targets; do
      run_wrk "$size" "$target" "$round"
      [[ $target == bare ]] || check_durable "$size" "$target" "$round"
    done
  done
done
echo "load after:  $(uptime)"

python3 - "$work/results" "$work/durability" "$(getconf CLK_TCK)" $targets <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
tick_us = 1e6 / int(sys.argv[3])
for r in rows:  # CPU microseconds per request: the target's and Redis's
    r.append(int(r[10]) * tick_us / max(int(r[9]), 1))
    r.append(int(r[11]) * tick_us / max(int(r[9]), 1))
def med(size, target, col):
    return statistics.median(float(r[col]) for r in rows if r[0] == size and r[1] == target)
print("\n%-7s %-8s %12s %8s %8s %8s %6s %10s %10s" % (
    "body", "target", "median req/s", "p50 ms", "p99 ms", "non-202", "ratio", "cpu us/req",
    "broker us/req"))
for size in dict.fromkeys(r[0] for r in rows):
    bare = med(size, "bare", 3)
    for target in sys.argv[4:]:
        bad = sum(int(r[7]) + int(r[8]) for r in rows if r[0] == size and r[1] == target)
        ratio = "%.2f" % (med(size, target, 3) / bare) if target != "bare" else ""
        broker = "%.1f" % med(size, target, 13) if target != "bare" else ""
        print("%-7s %-8s %12.0f %8.2f %8.2f %8d %6s %10.1f %10s" % (
            size, target, med(size, target, 3), med(size, target, 4), med(size, target, 5), bad,
            ratio, med(size, target, 12), broker))
print("\nper run (req/s, p99 ms):")
for r in rows:
    print("  %s %-8s round %s: %8.0f  %6.2f" % (r[0], r[1], r[2], float(r[3]), float(r[5])))
failed = False
print("\ndurability (202s answered <= messages in the broker):")
for size, target, rnd, answered, entries in (line.split() for line in open(sys.argv[2])):
    ok = int(answered) <= int(entries)
    failed |= not ok
    print("  %s %-8s round %s: %s answered, %s in the stream: %s" % (
        size, target, rnd, answered, entries, "ok" if ok else "MISSING EVENTS"))
sys.exit(1 if failed else 0)
PY
