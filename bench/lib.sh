# Shared by the bench scripts (source it after setting `work`, a temp dir): processes the
# script starts go into `pids` and are killed on exit, `work` is removed unless KEEP_WORK=1
# (a failure sets it, so the logs stay for a look).
pids=()

cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ ${KEEP_WORK:-0} == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for_port() {  # port what: up to 10 s
  for _ in $(seq 200); do
    if (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "$0: $2 did not listen on port $1 (logs in $work)" >&2
  KEEP_WORK=1
  exit 1
}
