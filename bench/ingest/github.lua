-- wrk script: POSTs one signed GitHub body with a fresh X-GitHub-Delivery per request, so
-- every request is a new delivery (the signature covers the body only, as GitHub's does).
-- Env: BODY_FILE, SIGNATURE ("sha256=..."), EVENT (default pull_request), RUN_ID (optional,
-- part of every delivery id, so runs started within the same second never collide).
-- done() prints one line for scripts (bench/ingest/run.sh parses it):
--   bench: rps=<req/s> p50_ms=<ms> p99_ms=<ms> s202=<count> other=<count> errors=<count>
--          requests=<count>
-- s202 counts the 202 answers: each one promises a durable event.
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
local body = f:read("*a")
f:close()
local signature = os.getenv("SIGNATURE")
local event = os.getenv("EVENT") or "pull_request"
local counter = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("prefix", string.format("bench-%s-%d-%d-", os.getenv("RUN_ID") or "", os.time(),
    #threads))
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/webhook/github", {
    ["Content-Type"] = "application/json",
    ["X-GitHub-Event"] = event,
    ["X-GitHub-Delivery"] = prefix .. counter,
    ["X-Hub-Signature-256"] = signature,
  }, body)
end

-- Per thread (a global, so done() can read it with thread:get).
statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local accepted, other = 0, 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      if status == 202 then accepted = accepted + count else other = other + count end
    end
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout
  io.write(string.format(
    "bench: rps=%.1f p50_ms=%.3f p99_ms=%.3f s202=%d other=%d errors=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, accepted, other, errors, summary.requests))
end
