-- wrk script: POSTs a JSON body to /function/invoke (or another path) and reports one JSON line.
--   wrk -t T -c C -d D --timeout 10s -s benches/wrk/invoke.lua http://127.0.0.1:PORT -- '<json body>' [path]
-- The body and path may also come from the environment: WRK_BODY, WRK_PATH.
-- done() prints {"requests", "duration_us", "bytes", "errors": {connect, read, write, status,
-- timeout}, "latency_us": {p50, p90, p99, p999, mean, max}}; errors.status counts answers >= 400.

local function json_number(x)
  return string.format("%.0f", x)
end

function init(args)
  local body = args[1] or os.getenv("WRK_BODY")
  if body == nil or body == "" then
    error("invoke.lua: no body (pass it after --, or set WRK_BODY)")
  end
  wrk.method = "POST"
  wrk.path = args[2] or os.getenv("WRK_PATH") or "/function/invoke"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%s,"duration_us":%s,"bytes":%s,' ..
    '"errors":{"connect":%s,"read":%s,"write":%s,"status":%s,"timeout":%s},' ..
    '"latency_us":{"p50":%s,"p90":%s,"p99":%s,"p999":%s,"mean":%.1f,"max":%s}}\n',
    json_number(summary.requests), json_number(summary.duration), json_number(summary.bytes),
    json_number(e.connect), json_number(e.read), json_number(e.write), json_number(e.status), json_number(e.timeout),
    json_number(latency:percentile(50)), json_number(latency:percentile(90)),
    json_number(latency:percentile(99)), json_number(latency:percentile(99.9)),
    latency.mean, json_number(latency.max)))
end
