-- wrk script: POSTs one signed GitHub body with a fresh X-GitHub-Delivery per request, so
-- every request is a new delivery (the signature covers the body only, as GitHub's does).
-- Env: BODY_FILE, SIGNATURE ("sha256=..."), EVENT (default pull_request).
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
local body = f:read("*a")
f:close()
local signature = os.getenv("SIGNATURE")
local event = os.getenv("EVENT") or "pull_request"
local counter = 0
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("prefix", string.format("bench-%d-%d-", os.time(), thread_id))
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

local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p99 %.2f ms, errors %d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout))
end
