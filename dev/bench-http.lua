-- wrk script: POSTs a random line of the body file (env BODIES) to the path (env TARGET),
-- signed in with the session cookie (env COOKIE), as a same-origin browser call would.
-- `errors` counts every answer wrk does not count as a success (4xx, 5xx) and every failed
-- connection, read, write or timeout: dev/bench-http.sh fails on any.
local bodies = {}
local target = "/"
function init(args)
  target = os.getenv("TARGET")
  for line in io.lines(os.getenv("BODIES")) do
    if #line > 0 then bodies[#bodies + 1] = line end
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["Origin"] = os.getenv("ORIGIN") or "http://127.0.0.1:3000"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
wrk.headers["Cookie"] = os.getenv("COOKIE")
function request()
  return wrk.format(nil, target, nil, bodies[math.random(#bodies)])
end
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
